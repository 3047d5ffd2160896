package dev.m2m100.engine.model;

import dev.m2m100.engine.backend.Backend;
import dev.m2m100.engine.backend.Tensor;
import dev.m2m100.engine.backend.WeightMatrix;

/**
 * The input layer the encoder and the decoder share: the tied token embedding (also the decoder's output
 * projection), scaled by {@code scale}, plus the sinusoidal position table.
 */
record InputEmbedding(WeightMatrix tokens, WeightMatrix positions, float scale) {

    /** {@code out[i] = tokens[ids[i]] · scale + positions[positionIds[i]]}. */
    void embed(Backend backend, int[] ids, int[] positionIds, Tensor out) {
        backend.embed(tokens, ids, scale, positions, positionIds, out);
    }
}
