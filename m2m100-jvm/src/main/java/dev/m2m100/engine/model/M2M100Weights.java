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
        NormWeights decoderNorm) implements WeightSource {

    public M2M100Weights {
        if (embeddings.length != (long) vocabSize * dModel) {
            throw new IllegalArgumentException("embedding matrix holds " + embeddings.length + " values, expected "
                    + vocabSize + " x " + dModel);
        }
        encoderLayers = List.copyOf(encoderLayers);
        decoderLayers = List.copyOf(decoderLayers);
    }

    /** Reads all weights by their Hugging Face names, checking names and shapes against the configuration. */
    public static M2M100Weights load(TensorStore store, ModelConfig config) throws IOException {
        CheckpointWeights w = CheckpointWeights.open(store, config);
        List<EncoderLayerWeights> enc = new java.util.ArrayList<>();
        for (int i = 0; i < config.encoderLayers(); i++) {
            enc.add(w.encoderLayer(i));
        }
        List<DecoderLayerWeights> dec = new java.util.ArrayList<>();
        for (int i = 0; i < config.decoderLayers(); i++) {
            dec.add(w.decoderLayer(i));
        }
        return new M2M100Weights(w.embeddings(), config.vocabSize(), config.dModel(), enc, w.encoderNorm(), dec,
                w.decoderNorm());
    }

    @Override
    public EncoderLayerWeights encoderLayer(int index) {
        return encoderLayers.get(index);
    }

    @Override
    public DecoderLayerWeights decoderLayer(int index) {
        return decoderLayers.get(index);
    }
}
