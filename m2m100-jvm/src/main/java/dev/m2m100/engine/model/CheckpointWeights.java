package dev.m2m100.engine.model;

import dev.m2m100.engine.backend.ElementType;
import dev.m2m100.engine.backend.RawMatrix;
import dev.m2m100.engine.config.ModelConfig;
import dev.m2m100.engine.safetensors.TensorInfo;
import dev.m2m100.engine.safetensors.TensorStore;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The weights of a checkpoint by their Hugging Face names. {@link #open} checks every expected tensor first
 * (present, expected shape, convertible dtype) and reports all problems together, with the expected shapes;
 * the getters then hand out one piece at a time: matrices as their mapped bytes ({@link RawMatrix}), vectors
 * converted to float32.
 */
public final class CheckpointWeights implements WeightSource {

    /** The spellings of the tied embedding matrix, in order of preference. */
    static final List<String> EMBEDDING_NAMES = List.of(
            "model.shared.weight",
            "model.encoder.embed_tokens.weight",
            "model.decoder.embed_tokens.weight",
            "lm_head.weight");

    private final TensorStore store;
    private final ModelConfig config;
    private final Map<String, long[]> expected = new LinkedHashMap<>();
    private String embeddingName;

    private CheckpointWeights(TensorStore store, ModelConfig config) {
        this.store = store;
        this.config = config;
    }

    /** Validates the checkpoint against the configuration; the store must stay open while the getters are used. */
    public static CheckpointWeights open(TensorStore store, ModelConfig config) throws IOException {
        CheckpointWeights w = new CheckpointWeights(store, config);
        w.validate();
        return w;
    }

    private void validate() throws IOException {
        int d = config.dModel();
        for (int i = 0; i < config.encoderLayers(); i++) {
            String p = "model.encoder.layers." + i + ".";
            expectAttention(p + "self_attn.", d);
            expectNorm(p + "self_attn_layer_norm.", d);
            expectNorm(p + "final_layer_norm.", d);
            expectLinear(p + "fc1.", config.encoderFfnDim(), d);
            expectLinear(p + "fc2.", d, config.encoderFfnDim());
        }
        expectNorm("model.encoder.layer_norm.", d);
        for (int i = 0; i < config.decoderLayers(); i++) {
            String p = "model.decoder.layers." + i + ".";
            expectAttention(p + "self_attn.", d);
            expectNorm(p + "self_attn_layer_norm.", d);
            expectAttention(p + "encoder_attn.", d);
            expectNorm(p + "encoder_attn_layer_norm.", d);
            expectNorm(p + "final_layer_norm.", d);
            expectLinear(p + "fc1.", config.decoderFfnDim(), d);
            expectLinear(p + "fc2.", d, config.decoderFfnDim());
        }
        expectNorm("model.decoder.layer_norm.", d);

        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            Optional<TensorInfo> t = store.find(e.getKey());
            if (t.isEmpty()) {
                problems.add("missing tensor '" + e.getKey() + "' " + Arrays.toString(e.getValue()));
            } else {
                checkTensor(t.get(), e.getValue(), problems);
            }
        }
        String embeddingName = checkEmbeddings(problems);
        if (!problems.isEmpty()) {
            int shown = Math.min(problems.size(), 25);
            throw new WeightsException("checkpoint " + store.describe() + " does not fit the model configuration (d_model "
                    + d + ", " + config.encoderLayers() + "+" + config.decoderLayers() + " layers, vocab "
                    + config.vocabSize() + "): " + problems.size() + " problem(s):\n  "
                    + String.join("\n  ", problems.subList(0, shown))
                    + (shown < problems.size() ? "\n  … and " + (problems.size() - shown) + " more" : ""));
        }

        this.embeddingName = embeddingName;
    }

    @Override
    public RawMatrix embeddings() throws IOException {
        return raw(embeddingName, config.vocabSize(), config.dModel());
    }

    @Override
    public EncoderLayerWeights encoderLayer(int index) throws IOException {
        String p = "model.encoder.layers." + index + ".";
        return new EncoderLayerWeights(norm(p + "self_attn_layer_norm."), attention(p + "self_attn."),
                norm(p + "final_layer_norm."), linear(p + "fc1."), linear(p + "fc2."));
    }

    @Override
    public NormWeights encoderNorm() throws IOException {
        return norm("model.encoder.layer_norm.");
    }

    @Override
    public DecoderLayerWeights decoderLayer(int index) throws IOException {
        String p = "model.decoder.layers." + index + ".";
        return new DecoderLayerWeights(norm(p + "self_attn_layer_norm."), attention(p + "self_attn."),
                norm(p + "encoder_attn_layer_norm."), attention(p + "encoder_attn."),
                norm(p + "final_layer_norm."), linear(p + "fc1."), linear(p + "fc2."));
    }

    @Override
    public NormWeights decoderNorm() throws IOException {
        return norm("model.decoder.layer_norm.");
    }

    private void checkTensor(TensorInfo t, long[] shape, List<String> problems) {
        if (!t.hasShape(shape)) {
            problems.add("tensor '" + t.name() + "' has shape " + t.shapeString() + ", expected "
                    + Arrays.toString(shape));
        } else if (!t.dtype().isSupported() || t.dtype() == dev.m2m100.engine.safetensors.DType.I8) {
            problems.add("tensor '" + t.name() + "' has dtype " + t.dtype() + ", expected F32, F16 or BF16");
        }
    }

    /** Finds the tied embedding matrix; returns the name to read it from (or null with a problem recorded). */
    private String checkEmbeddings(List<String> problems) throws IOException {
        long[] shape = {config.vocabSize(), config.dModel()};
        List<TensorInfo> present = new ArrayList<>();
        for (String n : EMBEDDING_NAMES) {
            store.find(n).ifPresent(present::add);
        }
        if (present.isEmpty()) {
            problems.add("missing the token embedding matrix " + Arrays.toString(shape) + ": expected one of "
                    + EMBEDDING_NAMES);
            return null;
        }
        int before = problems.size();
        for (TensorInfo t : present) {
            checkTensor(t, shape, problems);
        }
        if (problems.size() > before) {
            return null;
        }
        TensorInfo first = present.getFirst();
        MemorySegment a = store.segment(first.name());
        for (TensorInfo other : present.subList(1, present.size())) {
            if (other.dtype() == first.dtype() && a.mismatch(store.segment(other.name())) != -1) {
                problems.add("tied embeddings differ: '" + first.name() + "' and '" + other.name()
                        + "' should be the same matrix");
            }
        }
        // the comparison read whole matrices: release their file pages (see TensorStore#toFloat)
        for (TensorInfo t : present) {
            MemorySegment s = store.segment(t.name());
            if (s.isMapped()) {
                s.unload();
            }
        }
        return first.name();
    }

    private void expectLinear(String prefix, int out, int in) {
        expected.put(prefix + "weight", new long[] {out, in});
        expected.put(prefix + "bias", new long[] {out});
    }

    private void expectNorm(String prefix, int d) {
        expected.put(prefix + "weight", new long[] {d});
        expected.put(prefix + "bias", new long[] {d});
    }

    private void expectAttention(String prefix, int d) {
        for (String proj : List.of("q_proj.", "k_proj.", "v_proj.", "out_proj.")) {
            expectLinear(prefix + proj, d, d);
        }
    }

    private LinearWeights linear(String prefix) throws IOException {
        long[] shape = expected.get(prefix + "weight");
        return new LinearWeights(raw(prefix + "weight", (int) shape[0], (int) shape[1]),
                store.toFloat(prefix + "bias"));
    }

    /** A validated matrix in its stored bytes (validation admits only F32, F16 and BF16). */
    private RawMatrix raw(String name, int rows, int cols) throws IOException {
        ElementType encoding = switch (store.info(name).dtype()) {
            case F32 -> ElementType.F32;
            case F16 -> ElementType.F16;
            case BF16 -> ElementType.BF16;
            default -> throw new IllegalStateException("tensor '" + name + "' passed validation with dtype "
                    + store.info(name).dtype());
        };
        return new RawMatrix(store.segment(name), encoding, rows, cols);
    }

    private NormWeights norm(String prefix) throws IOException {
        return new NormWeights(store.toFloat(prefix + "weight"), store.toFloat(prefix + "bias"));
    }

    private AttentionWeights attention(String prefix) throws IOException {
        return new AttentionWeights(linear(prefix + "q_proj."), linear(prefix + "k_proj."),
                linear(prefix + "v_proj."), linear(prefix + "out_proj."));
    }
}
