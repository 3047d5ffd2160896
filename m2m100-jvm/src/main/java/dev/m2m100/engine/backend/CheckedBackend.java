package dev.m2m100.engine.backend;

import dev.m2m100.engine.generation.LogitRule;
import java.util.Objects;

/**
 * The argument checks every backend shares, written once: shapes against each other, token and position ids
 * against their tables, slots, positions and lengths against the cache, {@code seqStarts} layouts, logit rules
 * against the vocabulary, the element types each operation accepts (F32 residual stream and logits; attention in
 * its cache's type), and that every tensor, matrix, vector and cache belongs to this backend (the downcast).
 * Each public operation checks, then calls the backend's {@code do…} method with its own types; that method may
 * rely on the checks and adds only what it alone knows (cache capacity, kernel limits).
 *
 * <p>Hot paths (every decoder step) build error messages only on failure.
 *
 * @param <T> the backend's tensor class
 * @param <M> its weight matrix class
 * @param <V> its weight vector class
 * @param <C> its KV cache class
 */
public abstract class CheckedBackend<T extends Tensor, M extends WeightMatrix, V extends WeightVector,
        C extends KvCache> implements Backend {

    private final Class<T> tensors;
    private final Class<M> matrices;
    private final Class<V> vectors;
    private final Class<C> caches;

    protected CheckedBackend(Class<T> tensors, Class<M> matrices, Class<V> vectors, Class<C> caches) {
        this.tensors = tensors;
        this.matrices = matrices;
        this.vectors = vectors;
        this.caches = caches;
    }

    // ---- memory ------------------------------------------------------------------------------------------

    @Override
    public final WeightMatrix upload(WeightRole role, RawMatrix... rowBlocks) {
        Objects.requireNonNull(role, "role");
        int rows = RawMatrix.stackedRows(rowBlocks);
        int cols = RawMatrix.stackedCols(rowBlocks);
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("cannot upload an empty " + rows + " x " + cols + " matrix");
        }
        return doUpload(role, rowBlocks);
    }

    @Override
    public final WeightVector vector(float[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("empty weight vector");
        }
        return doVector(values);
    }

    @Override
    public final Tensor allocate(int rows, int cols, ElementType type) {
        if (rows < 0 || cols < 0 || (long) rows * cols > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("cannot allocate a " + rows + " x " + cols + " tensor");
        }
        if (type != ElementType.F32 && type != activationType()) {
            throw new IllegalArgumentException("the " + name() + " backend stores tensors as F32"
                    + (activationType() == ElementType.F32 ? "" : " or " + activationType()) + ", not " + type);
        }
        return doAllocate(rows, cols, type);
    }

    @Override
    public final Tensor firstRows(Tensor t, int rows) {
        T in = tensor(t);
        if (rows < 0 || rows > in.rows()) {
            throw new IllegalArgumentException("firstRows: " + rows + " rows of a " + in.rows() + " x " + in.cols()
                    + " tensor");
        }
        return doFirstRows(in, rows);
    }

    @Override
    public final float[] download(Tensor t) {
        return doDownload(tensor(t));
    }

    @Override
    public final KvCache kvCache(int layers, int width, int maxLength, int slotHint) {
        if (layers < 1 || width < 1 || maxLength < 1) {
            throw new IllegalArgumentException("bad cache shape: " + layers + " layers, width " + width
                    + ", max length " + maxLength);
        }
        return doKvCache(layers, width, maxLength, slotHint);
    }

    // ---- element-wise and row-wise ------------------------------------------------------------------------

    @Override
    public final void embed(WeightMatrix table, int[] ids, float scale, WeightMatrix positions, int[] positionIds,
                            Tensor out) {
        M tab = matrix(table);
        M pos = matrix(positions);
        T o = tensor(out);
        int d = tab.cols();
        if (!(pos.cols() == d && o.cols() == d && ids.length == o.rows() && positionIds.length == ids.length)) {
            throw new IllegalArgumentException("embed: shapes do not match (table " + tab.rows() + "x" + d
                    + ", positions " + pos.rows() + "x" + pos.cols() + ", " + ids.length + " ids, "
                    + positionIds.length + " position ids, out " + o.rows() + "x" + o.cols() + ")");
        }
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= tab.rows()) {
                throw new IllegalArgumentException("token id " + ids[i] + " is outside the vocabulary [0, "
                        + tab.rows() + ")");
            }
            if (positionIds[i] < 0 || positionIds[i] >= pos.rows()) {
                throw new IllegalArgumentException("position " + positionIds[i] + " is outside the table [0, "
                        + pos.rows() + ")");
            }
        }
        requireF32(o, "embed output (the residual stream)");
        doEmbed(tab, ids, scale, pos, positionIds, o);
    }

    @Override
    public final void layerNorm(Tensor x, WeightVector gamma, WeightVector beta, float eps, Tensor out) {
        T in = tensor(x);
        T o = tensor(out);
        V g = vector(gamma);
        V b = vector(beta);
        int d = in.cols();
        if (!(o.cols() == d && o.rows() == in.rows() && g.length() == d && b.length() == d)) {
            throw new IllegalArgumentException("layerNorm: shapes do not match (x " + in.rows() + "x" + d + ", out "
                    + o.rows() + "x" + o.cols() + ", gamma " + g.length() + ", beta " + b.length() + ")");
        }
        requireF32(in, "layerNorm input (the residual stream)");
        doLayerNorm(in, g, b, eps, o);
    }

    @Override
    public final void linear(Tensor x, WeightMatrix w, WeightVector bias, Epilogue epilogue, Tensor out) {
        T in = tensor(x);
        T o = tensor(out);
        M m = matrix(w);
        V b = bias == null ? null : vector(bias);
        if (!(in.cols() == m.cols() && o.cols() == m.rows() && o.rows() == in.rows()
                && (b == null || b.length() == m.rows()) && in != o)) {
            throw new IllegalArgumentException("linear: shapes do not match (x " + in.rows() + "x" + in.cols() + ", W "
                    + m.rows() + "x" + m.cols() + ", bias " + (b == null ? "none" : b.length()) + ", out " + o.rows()
                    + "x" + o.cols() + (in == o ? ", out is x" : "") + ")");
        }
        if (epilogue == Epilogue.RESIDUAL) {
            requireF32(o, "linear output with a residual epilogue (the residual stream)");
        }
        doLinear(in, m, b, Objects.requireNonNull(epilogue, "epilogue"), o);
    }

    // ---- attention ---------------------------------------------------------------------------------------

    @Override
    public final void selfAttention(Tensor qkv, int[] seqStarts, int heads, float scale, Tensor out) {
        T in = tensor(qkv);
        T o = tensor(out);
        int width = o.cols();
        if (!(in.cols() == 3 * width && in.rows() == o.rows())) {
            throw new IllegalArgumentException("selfAttention: shapes do not match (qkv " + in.rows() + "x"
                    + in.cols() + ", out " + o.rows() + "x" + width + ")");
        }
        checkHeads(heads, width, "selfAttention");
        checkStarts(seqStarts, in.rows(), "selfAttention");
        sameType(in, o, "selfAttention");
        doSelfAttention(in, seqStarts, heads, scale, o);
    }

    @Override
    public final void cachedSelfAttention(Tensor qkv, KvCache cache, int layer, int[] slots, int[] positions,
                                          int heads, float scale, Tensor out) {
        T in = tensor(qkv);
        T o = tensor(out);
        C c = cache(cache);
        int width = c.width();
        int rows = slots.length;
        if (!(in.cols() == 3 * width && o.cols() == width && in.rows() == rows && o.rows() == rows
                && positions.length == rows)) {
            throw new IllegalArgumentException("cachedSelfAttention: shapes do not match (qkv " + in.rows() + "x"
                    + in.cols() + ", out " + o.rows() + "x" + o.cols() + ", cache width " + width + ", " + rows
                    + " slots, " + positions.length + " positions)");
        }
        checkHeads(heads, width, "cachedSelfAttention");
        checkLayer(layer, c, "cachedSelfAttention");
        sameType(in, o, c, "cachedSelfAttention");
        for (int i = 0; i < rows; i++) {
            if (slots[i] < 0 || positions[i] < 0 || positions[i] >= c.maxLength()) {
                throw new IllegalArgumentException("cachedSelfAttention: row " + i + " has slot " + slots[i]
                        + ", position " + positions[i] + " (the cache holds positions 0 .. " + (c.maxLength() - 1)
                        + ")");
            }
        }
        doCachedSelfAttention(in, c, layer, slots, positions, heads, scale, o);
    }

    @Override
    public final void storeKv(Tensor kv, int[] seqStarts, KvCache cache, int layer, int[] slots) {
        T in = tensor(kv);
        C c = cache(cache);
        int width = c.width();
        if (!(in.cols() == 2 * width && seqStarts.length == slots.length + 1)) {
            throw new IllegalArgumentException("storeKv: shapes do not match (kv " + in.rows() + "x" + in.cols()
                    + ", cache width " + width + ", " + seqStarts.length + " seqStarts for " + slots.length + " slots)");
        }
        checkStarts(seqStarts, in.rows(), "storeKv");
        checkLayer(layer, c, "storeKv");
        sameType(in, in, c, "storeKv");
        for (int j = 0; j < slots.length; j++) {
            int n = seqStarts[j + 1] - seqStarts[j];
            if (slots[j] < 0 || n > c.maxLength()) {
                throw new IllegalArgumentException("storeKv: sequence " + j + " of " + n + " positions into slot "
                        + slots[j] + " (the cache holds at most " + c.maxLength() + ")");
            }
        }
        doStoreKv(in, seqStarts, c, layer, slots);
    }

    @Override
    public final void crossAttention(Tensor q, KvCache cache, int layer, int[] slots, int[] lengths, int heads,
                                     float scale, Tensor out) {
        T in = tensor(q);
        T o = tensor(out);
        C c = cache(cache);
        int width = c.width();
        int rows = slots.length;
        if (!(in.cols() == width && o.cols() == width && in.rows() == rows && o.rows() == rows
                && lengths.length == rows)) {
            throw new IllegalArgumentException("crossAttention: shapes do not match (q " + in.rows() + "x"
                    + in.cols() + ", out " + o.rows() + "x" + o.cols() + ", cache width " + width + ", " + rows
                    + " slots, " + lengths.length + " lengths)");
        }
        checkHeads(heads, width, "crossAttention");
        checkLayer(layer, c, "crossAttention");
        sameType(in, o, c, "crossAttention");
        for (int i = 0; i < rows; i++) {
            if (slots[i] < 0 || lengths[i] < 1 || lengths[i] > c.maxLength()) {
                throw new IllegalArgumentException("crossAttention: row " + i + " attends to " + lengths[i]
                        + " positions of slot " + slots[i]);
            }
        }
        doCrossAttention(in, c, layer, slots, lengths, heads, scale, o);
    }

    @Override
    public final void copyKv(KvCache cache, int[] from, int[] to, int[] lengths) {
        C c = cache(cache);
        if (!(from.length == to.length && lengths.length == to.length)) {
            throw new IllegalArgumentException("copyKv: array lengths differ (" + from.length + " sources, "
                    + to.length + " targets, " + lengths.length + " lengths)");
        }
        for (int i = 0; i < from.length; i++) {
            if (from[i] < 0 || to[i] < 0 || lengths[i] < 0 || lengths[i] > c.maxLength()) {
                throw new IllegalArgumentException("copyKv: pair " + i + " copies " + lengths[i]
                        + " positions from slot " + from[i] + " to slot " + to[i]);
            }
        }
        doCopyKv(c, from, to, lengths);
    }

    // ---- output -------------------------------------------------------------------------------------------

    @Override
    public final void logSoftmaxTopK(Tensor logits, LogitRule[] rules, int k, float[] outLogProbs, int[] outIds) {
        T in = tensor(logits);
        int vocab = in.cols();
        int rows = in.rows();
        if (!(rules.length == rows && k >= 1 && k <= vocab && outLogProbs.length >= rows * k
                && outIds.length >= rows * k)) {
            throw new IllegalArgumentException("logSoftmaxTopK: shapes do not match (logits " + rows + "x" + vocab
                    + ", " + rules.length + " rules, k " + k + ", outputs " + outLogProbs.length + " and "
                    + outIds.length + ")");
        }
        for (LogitRule r : rules) {
            int id = r instanceof LogitRule.Force f ? f.tokenId() : r instanceof LogitRule.Ban b ? b.tokenId() : 0;
            if (id < 0 || id >= vocab) {
                throw new IllegalArgumentException("logit rule " + r + " names a token outside [0, " + vocab + ")");
            }
        }
        requireF32(in, "logits");
        doLogSoftmaxTopK(in, rules, k, outLogProbs, outIds);
    }

    // ---- the backend's part -------------------------------------------------------------------------------

    protected abstract M doUpload(WeightRole role, RawMatrix... rowBlocks);

    protected abstract V doVector(float[] values);

    /** {@code type} is F32 or the {@link #activationType()}. */
    protected abstract T doAllocate(int rows, int cols, ElementType type);

    /** {@code rows} is within {@code t}'s rows; the view's close frees nothing. */
    protected abstract T doFirstRows(T t, int rows);

    protected abstract float[] doDownload(T t);

    protected abstract C doKvCache(int layers, int width, int maxLength, int slotHint);

    protected abstract void doEmbed(M table, int[] ids, float scale, M positions, int[] positionIds, T out);

    protected abstract void doLayerNorm(T x, V gamma, V beta, float eps, T out);

    protected abstract void doLinear(T x, M w, V bias, Epilogue epilogue, T out);

    protected abstract void doSelfAttention(T qkv, int[] seqStarts, int heads, float scale, T out);

    protected abstract void doCachedSelfAttention(T qkv, C cache, int layer, int[] slots, int[] positions, int heads,
                                                  float scale, T out);

    protected abstract void doStoreKv(T kv, int[] seqStarts, C cache, int layer, int[] slots);

    protected abstract void doCrossAttention(T q, C cache, int layer, int[] slots, int[] lengths, int heads,
                                             float scale, T out);

    protected abstract void doCopyKv(C cache, int[] from, int[] to, int[] lengths);

    protected abstract void doLogSoftmaxTopK(T logits, LogitRule[] rules, int k, float[] outLogProbs, int[] outIds);

    // ---- shared pieces ------------------------------------------------------------------------------------

    /** The backend's own tensor, or a clear error naming the foreign one. */
    protected final T tensor(Tensor t) {
        return own(t, tensors, "tensor");
    }

    private M matrix(WeightMatrix m) {
        return own(m, matrices, "weight matrix");
    }

    private V vector(WeightVector v) {
        return own(v, vectors, "weight vector");
    }

    private C cache(KvCache c) {
        return own(c, caches, "KV cache");
    }

    private <X> X own(Object value, Class<X> type, String what) {
        if (type.isInstance(value)) {
            return type.cast(value);
        }
        throw new IllegalArgumentException(what + " " + value + " does not belong to the " + name() + " backend");
    }

    private static void requireF32(Tensor t, String what) {
        if (t.elementType() != ElementType.F32) {
            throw new IllegalArgumentException(what + " must be F32, not " + t.elementType());
        }
    }

    private static void sameType(Tensor a, Tensor b, String op) {
        if (a.elementType() != b.elementType()) {
            throw new IllegalArgumentException(op + ": input " + a.elementType() + " and output " + b.elementType()
                    + " differ");
        }
    }

    private static void sameType(Tensor in, Tensor out, KvCache c, String op) {
        sameType(in, out, op);
        if (in.elementType() != c.elementType()) {
            throw new IllegalArgumentException(op + ": tensors are " + in.elementType() + " but the cache holds "
                    + c.elementType());
        }
    }

    private static void checkHeads(int heads, int width, String op) {
        if (heads < 1 || width % heads != 0) {
            throw new IllegalArgumentException(op + ": " + heads + " heads do not divide the width " + width);
        }
    }

    private static void checkLayer(int layer, KvCache c, String op) {
        if (layer < 0 || layer >= c.layers()) {
            throw new IllegalArgumentException(op + ": layer " + layer + " outside the cache's " + c.layers());
        }
    }

    /** {@code seqStarts}: at least one entry, from 0, ascending, ending at {@code rows}. */
    private static void checkStarts(int[] seqStarts, int rows, String op) {
        boolean ok = seqStarts.length >= 1 && seqStarts[0] == 0 && seqStarts[seqStarts.length - 1] == rows;
        for (int i = 1; ok && i < seqStarts.length; i++) {
            ok = seqStarts[i] >= seqStarts[i - 1];
        }
        if (!ok) {
            throw new IllegalArgumentException(op + ": seqStarts must ascend from 0 to the " + rows + " rows, got "
                    + java.util.Arrays.toString(seqStarts));
        }
    }
}
