package dev.m2m100.engine.model;

import dev.m2m100.engine.backend.RawMatrix;
import java.io.IOException;
import java.util.Optional;

/**
 * Where the model's float32 weights come from, one piece at a time, so that a large checkpoint can be
 * uploaded layer by layer without ever holding all of it on the heap. Implemented by the in-memory
 * {@link M2M100Weights} and by {@link CheckpointWeights} (validated, read on demand).
 */
public interface WeightSource {

    /** The tied token embedding matrix {@code [vocab][d_model]}, row-major. */
    float[] embeddings() throws IOException;

    /**
     * The same matrix in its stored bytes, when the source has them (a mapped checkpoint): lets the backend pack
     * the largest matrix without a float[] copy on the heap. Empty by default.
     */
    default Optional<RawMatrix> rawEmbeddings() throws IOException {
        return Optional.empty();
    }

    EncoderLayerWeights encoderLayer(int index) throws IOException;

    NormWeights encoderNorm() throws IOException;

    DecoderLayerWeights decoderLayer(int index) throws IOException;

    NormWeights decoderNorm() throws IOException;
}
