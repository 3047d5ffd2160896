package dev.m2m100.engine.backend;

/**
 * A weight matrix uploaded once, {@code rows × cols} row-major: a linear layer's {@code [out][in]} weight (as
 * Hugging Face stores it) or an embedding table {@code [vocab][d]}. One matrix may serve both roles (tied
 * embeddings).
 */
public interface WeightMatrix {

    int rows();

    int cols();
}
