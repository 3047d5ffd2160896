package dev.m2m100.engine.backend;

/**
 * Attention keys and values kept across calls, per slot and per layer: for slot {@code s} and layer {@code l},
 * up to {@link #maxLength()} positions of one key row and one value row of {@link #width()} floats each (all
 * heads side by side). Which positions hold data is the caller's business (it passes lengths/positions to the
 * attention operations); the cache is storage only. Slots are small non-negative integers chosen by the caller;
 * the backend finds memory for a slot the first time it is written.
 */
public interface KvCache extends AutoCloseable {

    int layers();

    int width();

    int maxLength();

    /** How keys and values are stored: the backend's {@link Backend#activationType()}. */
    ElementType elementType();

    /** The slot's contents are no longer needed; the backend may reuse or free its memory. */
    void release(int slot);

    @Override
    void close();
}
