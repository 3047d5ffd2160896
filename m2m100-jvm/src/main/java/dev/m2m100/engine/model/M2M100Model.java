package dev.m2m100.engine.model;

import dev.m2m100.engine.backend.Backend;
import dev.m2m100.engine.backend.Backends;
import dev.m2m100.engine.backend.KvCache;
import dev.m2m100.engine.backend.Placement;
import dev.m2m100.engine.backend.RawMatrix;
import dev.m2m100.engine.backend.Tensor;
import dev.m2m100.engine.backend.WeightMatrix;
import dev.m2m100.engine.backend.WeightRole;
import dev.m2m100.engine.config.ModelConfig;
import dev.m2m100.engine.generation.LogitRule;
import dev.m2m100.engine.generation.StepModel;
import dev.m2m100.engine.safetensors.SafetensorsCheckpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * M2M100 (encoder-decoder transformer) over a {@link Backend}, as a {@link StepModel}: sources are encoded once
 * into per-source cross-attention caches, decoder rows advance one token per {@link #step} over their own
 * self-attention caches. Slots are reused lowest-first. Single caller thread (the scheduler).
 */
public final class M2M100Model implements StepModel {

    private final ModelConfig config;
    private final Backend backend;
    private final Placement placement;
    private final Encoder encoder;
    private final Decoder decoder;
    private final KvCache selfCache;
    private final KvCache crossCache;
    private final Slots sourceSlots = new Slots("source slot");
    private final Slots rowSlots = new Slots("row");
    private int[] sourceLength = new int[16];
    private int[] sourceRows = new int[16];
    private int[] rowSource = new int[16];
    private int[] rowLength = new int[16];
    private boolean closed;

    private M2M100Model(ModelConfig config, WeightSource weights, Backend backend, Placement placement,
                        ModelOptions options) throws IOException {
        this.config = config;
        this.backend = backend;
        this.placement = placement;
        int d = config.dModel();
        float embedScale = config.scaleEmbedding() ? (float) Math.sqrt(d) : 1f;
        int pad = config.padTokenId();
        // rows 0 .. maxPositions + pad: positions start at pad + 1 (the pad row itself is zero)
        int positionRows = config.maxPositionEmbeddings() + pad + 1;
        // the tied embedding doubles as the output projection; the computed position table is tiny and is added
        // to every input: both may be kept more precise than the compact format (docs/PERFORMANCE.md)
        RawMatrix raw = weights.embeddings();
        WeightMatrix embeddings = backend.upload(WeightRole.EMBEDDING, raw);
        raw.release();
        WeightMatrix positions = backend.upload(WeightRole.EXACT,
                RawMatrix.of(SinusoidalPositions.table(positionRows, d, pad), positionRows, d));
        InputEmbedding input = new InputEmbedding(embeddings, positions, embedScale);
        this.encoder = new Encoder(backend, weights, config.encoderLayers(), input,
                new StackShape(d, config.encoderAttentionHeads(), config.encoderFfnDim()));
        this.decoder = new Decoder(backend, weights, config.decoderLayers(), input,
                new StackShape(d, config.decoderAttentionHeads(), config.decoderFfnDim()));
        this.selfCache = backend.kvCache(config.decoderLayers(), d, config.maxPositionEmbeddings(), options.maxRows());
        this.crossCache = backend.kvCache(config.decoderLayers(), d, config.maxPositionEmbeddings(),
                options.maxSources());
    }

    /**
     * Loads {@code config.json} (+ {@code generation_config.json}) and the safetensors weights of a model folder
     * (single file, sharded index, or one {@code *.safetensors} file; F32/F16/BF16, packed by the backend
     * straight from the mapped bytes, layer by layer) onto the backend the options name.
     */
    public static M2M100Model load(Path modelDir, ModelOptions options) throws IOException {
        return load(modelDir, options, UnaryOperator.identity());
    }

    /**
     * {@link #load(Path, ModelOptions)} with the opened backend wrapped by {@code decorate} before any weight is
     * uploaded (instruments such as the benchmark's per-operation timer); the model closes what it returns, and a
     * decorator that throws gets the backend closed.
     */
    public static M2M100Model load(Path modelDir, ModelOptions options, UnaryOperator<Backend> decorate)
            throws IOException {
        ModelConfig config = ModelConfig.load(modelDir);
        try (SafetensorsCheckpoint store = SafetensorsCheckpoint.open(modelDir)) {
            WeightSource weights = CheckpointWeights.open(store, config);
            Backends.Opened opened = Backends.open(options.device(), options.dtype(), options.threads());
            return create(config, weights, decorated(opened.backend(), decorate), opened.placement(), options);
        }
    }

    /** {@code decorate(backend)}, closing the backend when the decorator refuses it. */
    private static Backend decorated(Backend backend, UnaryOperator<Backend> decorate) {
        try {
            return decorate.apply(backend);
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    /**
     * Builds the model on a given backend from weights that match the configuration (as
     * {@link CheckpointWeights#open} checks); the model owns the backend from here on and closes it.
     */
    public static M2M100Model create(ModelConfig config, WeightSource weights, Backend backend, ModelOptions options)
            throws IOException {
        return create(config, weights, backend, Placement.UNKNOWN, options);
    }

    private static M2M100Model create(ModelConfig config, WeightSource weights, Backend backend, Placement placement,
                                      ModelOptions options) throws IOException {
        try {
            return new M2M100Model(config, weights, backend, placement, options);
        } catch (IOException | RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    public ModelConfig config() {
        return config;
    }

    /** The backend's name ("cpu", …). */
    public String deviceName() {
        return backend.name();
    }

    /** Where the model runs (device, weight format, threads, why), or {@link Placement#UNKNOWN} from {@link #create}. */
    public Placement placement() {
        return placement;
    }

    @Override
    public int vocabSize() {
        return config.vocabSize();
    }

    @Override
    public int maxPositions() {
        return config.maxPositionEmbeddings();
    }

    // ---- encoder ---------------------------------------------------------------------------------------

    @Override
    public int[] encode(List<int[]> sources) {
        checkOpen();
        if (sources.isEmpty()) {
            return new int[0];
        }
        Packed p = pack(sources);
        int[] slots = new int[sources.size()];
        try (Tensor states = encoder.forward(p.ids, p.positionIds, p.starts)) {
            for (int i = 0; i < slots.length; i++) {
                slots[i] = sourceSlots.acquire();
            }
            try {
                decoder.storeCrossKv(states, p.starts, crossCache, slots);
            } catch (RuntimeException e) {
                for (int s : slots) {
                    sourceSlots.release(s);
                }
                throw e;
            }
        }
        for (int i = 0; i < slots.length; i++) {
            int s = slots[i];
            sourceLength = grow(sourceLength, s);
            sourceRows = grow(sourceRows, s);
            sourceLength[s] = sources.get(i).length;
            sourceRows[s] = 0;
        }
        return slots;
    }

    /** Encoder last hidden states {@code [length][d_model]} per source, computed as one packed batch. */
    public List<float[][]> encoderHiddenStates(List<int[]> sources) {
        checkOpen();
        Packed p = pack(sources);
        float[] flat;
        try (Tensor states = encoder.forward(p.ids, p.positionIds, p.starts)) {
            flat = backend.download(states);
        }
        int d = config.dModel();
        List<float[][]> out = new ArrayList<>();
        for (int s = 0; s < sources.size(); s++) {
            float[][] rows = new float[p.starts[s + 1] - p.starts[s]][];
            for (int r = 0; r < rows.length; r++) {
                int from = (p.starts[s] + r) * d;
                rows[r] = Arrays.copyOfRange(flat, from, from + d);
            }
            out.add(rows);
        }
        return out;
    }

    private record Packed(int[] ids, int[] positionIds, int[] starts) {}

    /** Concatenates sources; positions follow Hugging Face: non-pad token → pad + (non-pad count so far), pad → pad row. */
    private Packed pack(List<int[]> sources) {
        int[] starts = new int[sources.size() + 1];
        for (int s = 0; s < sources.size(); s++) {
            int[] src = sources.get(s);
            if (src == null || src.length == 0) {
                throw new IllegalArgumentException("source " + s + " is empty");
            }
            if (src.length > maxPositions()) {
                throw new IllegalArgumentException("source " + s + " has " + src.length
                        + " tokens; the model allows at most " + maxPositions());
            }
            starts[s + 1] = starts[s] + src.length;
        }
        int[] ids = new int[starts[sources.size()]];
        int[] pos = new int[ids.length];
        int pad = config.padTokenId();
        for (int s = 0; s < sources.size(); s++) {
            int[] src = sources.get(s);
            int count = 0;
            for (int i = 0; i < src.length; i++) {
                checkToken(src[i], "source ", s);
                ids[starts[s] + i] = src[i];
                pos[starts[s] + i] = src[i] == pad ? pad : pad + ++count;
            }
        }
        return new Packed(ids, pos, starts);
    }

    @Override
    public void releaseSource(int sourceSlot) {
        checkOpen();
        sourceSlots.require(sourceSlot);
        if (sourceRows[sourceSlot] != 0) {
            throw new IllegalStateException("source slot " + sourceSlot + " still has " + sourceRows[sourceSlot]
                    + " open row(s); release them first");
        }
        sourceSlots.release(sourceSlot);
        crossCache.release(sourceSlot);
    }

    // ---- decoder rows ---------------------------------------------------------------------------------

    @Override
    public int openRow(int sourceSlot) {
        checkOpen();
        sourceSlots.require(sourceSlot);
        int r = rowSlots.acquire();
        rowSource = grow(rowSource, r);
        rowLength = grow(rowLength, r);
        rowSource[r] = sourceSlot;
        rowLength[r] = 0;
        sourceRows[sourceSlot]++;
        return r;
    }

    @Override
    public void releaseRow(int row) {
        checkOpen();
        rowSlots.require(row);
        rowSlots.release(row);
        sourceRows[rowSource[row]]--;
        selfCache.release(row);
    }

    @Override
    public void copyRows(int[] from, int[] to) {
        checkOpen();
        if (from.length != to.length) {
            throw new IllegalArgumentException("copyRows: " + from.length + " sources but " + to.length + " targets");
        }
        BitSet targets = new BitSet();
        int[] lengths = new int[from.length];
        for (int i = 0; i < from.length; i++) {
            rowSlots.require(from[i]);
            rowSlots.require(to[i]);
            if (targets.get(to[i])) {
                throw new IllegalArgumentException("copyRows: row " + to[i] + " is a target twice");
            }
            targets.set(to[i]);
            if (rowSource[from[i]] != rowSource[to[i]]) {
                throw new IllegalArgumentException("copyRows: rows " + from[i] + " and " + to[i]
                        + " attend to different sources");
            }
            lengths[i] = rowLength[from[i]];
        }
        backend.copyKv(selfCache, from, to, lengths);
        for (int i = 0; i < to.length; i++) {
            rowLength[to[i]] = lengths[i];
        }
    }

    @Override
    public void step(int[] rows, int[] tokens, LogitRule[] rules, int k, float[] outLogProbs, int[] outIds) {
        checkOpen();
        if (rules.length != rows.length) {
            throw new IllegalArgumentException("step: " + rows.length + " rows but " + rules.length + " rules");
        }
        if (k < 1 || k > vocabSize()) {
            throw new IllegalArgumentException("step: k = " + k + " must be in [1, " + vocabSize() + "]");
        }
        if (outLogProbs.length < rows.length * k || outIds.length < rows.length * k) {
            throw new IllegalArgumentException("step: output arrays hold fewer than rows × k = " + rows.length * k);
        }
        if (rows.length == 0) {
            return;
        }
        int forced = 0;
        for (LogitRule rule : rules) {
            if (rule instanceof LogitRule.Force) {
                forced++;
            }
        }
        if (forced == 0) {
            try (Tensor logits = decode(rows, tokens, rows.length)) {
                backend.logSoftmaxTopK(logits, rules, k, outLogProbs, outIds);
            }
            return;
        }
        stepWithForcedRows(rows, tokens, rules, forced, k, outLogProbs, outIds);
    }

    /**
     * A step in which some rows have a forced token (the target language, at every sequence's first step): their
     * output does not depend on their logits ({@link LogitRule.Force#topK}), so they go last and the decoder
     * projects only the rows before them. The other rows' results are the same wherever they sit (batch
     * invariance).
     */
    private void stepWithForcedRows(int[] rows, int[] tokens, LogitRule[] rules, int forced, int k,
                                    float[] outLogProbs, int[] outIds) {
        int n = rows.length;
        int free = n - forced;
        int[] order = new int[n];
        int nextFree = 0;
        int nextForced = free;
        for (int i = 0; i < n; i++) {
            order[rules[i] instanceof LogitRule.Force ? nextForced++ : nextFree++] = i;
        }
        int[] orderedRows = new int[n];
        int[] orderedTokens = new int[n];
        LogitRule[] freeRules = new LogitRule[free];
        for (int j = 0; j < n; j++) {
            orderedRows[j] = rows[order[j]];
            orderedTokens[j] = tokens[order[j]];
            if (j < free) {
                freeRules[j] = rules[order[j]];
            }
        }
        Tensor logits = decode(orderedRows, orderedTokens, free);
        if (logits != null) {
            float[] lp = new float[free * k];
            int[] ids = new int[free * k];
            try (logits) {
                backend.logSoftmaxTopK(logits, freeRules, k, lp, ids);
            }
            for (int j = 0; j < free; j++) {
                System.arraycopy(lp, j * k, outLogProbs, order[j] * k, k);
                System.arraycopy(ids, j * k, outIds, order[j] * k, k);
            }
        }
        for (int j = free; j < n; j++) {
            ((LogitRule.Force) rules[order[j]]).topK(k, outLogProbs, outIds, order[j] * k);
        }
    }

    /**
     * Teacher forcing: encodes each source, feeds its decoder ids one position at a time and returns the raw
     * logits {@code [source][position][vocab]} (before any log-softmax). Slots are released afterwards.
     */
    public float[][][] decoderLogits(List<int[]> sources, List<int[]> decoderIds) {
        checkOpen();
        if (sources.size() != decoderIds.size()) {
            throw new IllegalArgumentException(sources.size() + " sources but " + decoderIds.size() + " decoder inputs");
        }
        int[] src = encode(sources);
        int[] rows = new int[src.length];
        Arrays.fill(rows, -1);
        try {
            int longest = 0;
            float[][][] out = new float[src.length][][];
            for (int b = 0; b < src.length; b++) {
                rows[b] = openRow(src[b]);
                out[b] = new float[decoderIds.get(b).length][];
                longest = Math.max(longest, decoderIds.get(b).length);
            }
            int vocab = vocabSize();
            for (int t = 0; t < longest; t++) {
                int n = 0;
                for (int[] ids : decoderIds) {
                    n += t < ids.length ? 1 : 0;
                }
                int[] stepRows = new int[n];
                int[] stepTokens = new int[n];
                int[] which = new int[n];
                for (int b = 0, i = 0; b < src.length; b++) {
                    if (t < decoderIds.get(b).length) {
                        stepRows[i] = rows[b];
                        stepTokens[i] = decoderIds.get(b)[t];
                        which[i++] = b;
                    }
                }
                float[] flat;
                try (Tensor logits = decode(stepRows, stepTokens, stepRows.length)) {
                    flat = backend.download(logits);
                }
                for (int i = 0; i < n; i++) {
                    out[which[i]][t] = Arrays.copyOfRange(flat, i * vocab, (i + 1) * vocab);
                }
            }
            return out;
        } finally {
            for (int r : rows) {
                if (r >= 0) {
                    releaseRow(r);
                }
            }
            for (int s : src) {
                releaseSource(s);
            }
        }
    }

    /** Teacher forcing for one source: logits {@code [position][vocab]}. */
    public float[][] decoderLogits(int[] source, int[] decoderIds) {
        return decoderLogits(List.of(source), List.of(decoderIds))[0];
    }

    /**
     * Runs the decoder one position for the rows and advances their lengths; returns the logits of the first
     * {@code logitRows} rows {@code [logitRows × vocab]}, or null when that is 0.
     */
    private Tensor decode(int[] rows, int[] tokens, int logitRows) {
        if (tokens.length != rows.length) {
            throw new IllegalArgumentException("step: " + rows.length + " rows but " + tokens.length + " tokens");
        }
        int n = rows.length;
        int pad = config.padTokenId();
        int[] positions = new int[n];
        int[] positionIds = new int[n];
        int[] srcSlots = new int[n];
        int[] srcLengths = new int[n];
        BitSet seen = new BitSet();
        for (int i = 0; i < n; i++) {
            int r = rows[i];
            rowSlots.require(r);
            if (seen.get(r)) {
                throw new IllegalArgumentException("step: row " + r + " appears twice");
            }
            seen.set(r);
            checkToken(tokens[i], "row ", r);
            if (rowLength[r] >= maxPositions()) {
                throw new IllegalArgumentException("row " + r + " has reached the model's maximum of "
                        + maxPositions() + " positions");
            }
            positions[i] = rowLength[r];
            // Hugging Face: past length + 1 + padding_idx for a real token, the (zero) pad row for a pad token
            positionIds[i] = tokens[i] == pad ? pad : rowLength[r] + 1 + pad;
            srcSlots[i] = rowSource[r];
            srcLengths[i] = sourceLength[rowSource[r]];
        }
        Tensor logits = decoder.step(tokens, positionIds, selfCache, rows, positions, crossCache, srcSlots, srcLengths,
                logitRows);
        for (int r : rows) {
            rowLength[r]++;
        }
        return logits;
    }

    /** {@code what + index} names the offender; the message is only built on failure (this runs per row per step). */
    private void checkToken(int id, String what, int index) {
        if (id < 0 || id >= vocabSize()) {
            throw new IllegalArgumentException(what + index + ": token id " + id + " is outside the vocabulary [0, "
                    + vocabSize() + ")");
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("model is closed");
        }
    }

    private static int[] grow(int[] a, int index) {
        return index < a.length ? a : Arrays.copyOf(a, Math.max(index + 1, a.length * 2));
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            selfCache.close();
            crossCache.close();
            backend.close();
        }
    }
}
