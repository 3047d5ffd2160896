package dev.m2m100.engine.model;

import dev.m2m100.engine.config.ModelConfig;
import dev.m2m100.engine.safetensors.TensorStore;
import java.io.IOException;
import java.util.List;

/**
 * All weights of an M2M100 model in float32, by role. The token embedding matrix {@code [vocab][d_model]} is
 * shared by the encoder, the decoder and the output projection (tied).
 */
public record M2M100Weights(
        float[] embeddings,
        int vocabSize,
        int dModel,
        List<EncoderLayerWeights> encoderLayers,
        NormWeights encoderNorm,
        List<DecoderLayerWeights> decoderLayers,
        NormWeights decoderNorm) {

    public M2M100Weights {
        if (embeddings.length != (long) vocabSize * dModel) {
            throw new IllegalArgumentException("embedding matrix holds " + embeddings.length + " values, expected "
                    + vocabSize + " x " + dModel);
        }
        encoderLayers = List.copyOf(encoderLayers);
        decoderLayers = List.copyOf(decoderLayers);
    }

    /** Reads the weights by their Hugging Face names, checking names and shapes against the configuration. */
    public static M2M100Weights load(TensorStore store, ModelConfig config) throws IOException {
        return new WeightLoader(store, config).load();
    }
}
