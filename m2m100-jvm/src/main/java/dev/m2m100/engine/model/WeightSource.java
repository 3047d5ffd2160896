package dev.m2m100.engine.model;

import java.io.IOException;

/**
 * Where the model's float32 weights come from, one piece at a time, so that a large checkpoint can be
 * uploaded layer by layer without ever holding all of it on the heap. Implemented by the in-memory
 * {@link M2M100Weights} and by {@link CheckpointWeights} (validated, read on demand).
 */
public interface WeightSource {

    /** The tied token embedding matrix {@code [vocab][d_model]}, row-major. */
    float[] embeddings() throws IOException;

    EncoderLayerWeights encoderLayer(int index) throws IOException;

    NormWeights encoderNorm() throws IOException;

    DecoderLayerWeights decoderLayer(int index) throws IOException;

    NormWeights decoderNorm() throws IOException;
}
