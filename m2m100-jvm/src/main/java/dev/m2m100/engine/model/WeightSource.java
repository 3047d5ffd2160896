package dev.m2m100.engine.model;

import dev.m2m100.engine.backend.RawMatrix;
import java.io.IOException;

/**
 * Where the model's weights come from, one piece at a time: matrices stay in their stored bytes (a mapped
 * checkpoint) until the backend packs them, so that loading never holds a float32 copy of a large matrix on the
 * heap. Implemented by {@link CheckpointWeights} (validated, read on demand).
 */
public interface WeightSource {

    /** The tied token embedding matrix {@code [vocab][d_model]}, row-major. */
    RawMatrix embeddings() throws IOException;

    EncoderLayerWeights encoderLayer(int index) throws IOException;

    NormWeights encoderNorm() throws IOException;

    DecoderLayerWeights decoderLayer(int index) throws IOException;

    NormWeights decoderNorm() throws IOException;
}
