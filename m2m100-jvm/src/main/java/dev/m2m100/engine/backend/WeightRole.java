package dev.m2m100.engine.backend;

/** What an uploaded weight matrix is for, so that a backend can pick its storage format. */
public enum WeightRole {
    /** A linear layer's {@code [out][in]} weight: stored in the backend's weight format. */
    LINEAR,
    /**
     * The tied token embedding, which is also the output projection: its rounding goes straight into the logits,
     * so a backend may store it more precisely than {@link #LINEAR} weights.
     */
    EMBEDDING,
    /**
     * A precision-critical matrix (the computed position table, added to every input) kept in float32 where the
     * backend can; a backend that stores every weight in one format treats it like {@link #LINEAR}.
     */
    EXACT
}
