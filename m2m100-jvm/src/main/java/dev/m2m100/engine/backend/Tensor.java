package dev.m2m100.engine.backend;

/**
 * An activation matrix of {@code rows × cols} values living wherever the backend keeps its working memory (heap
 * arrays on the CPU, device memory on a GPU), row-major, stored as its {@link #elementType()} (arithmetic is
 * float32 whatever the storage). Only the backend that allocated it can use it. Closing gives the memory back to
 * the backend (a no-op where memory is garbage collected).
 */
public interface Tensor extends AutoCloseable {

    int rows();

    int cols();

    /** How the values are stored. */
    ElementType elementType();

    @Override
    void close();
}
