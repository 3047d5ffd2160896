package dev.m2m100.engine.backend;

/** What a linear layer does with {@code y = x·Wᵀ + b} before it lands in the output tensor. */
public enum Epilogue {
    /** {@code out = y} */
    NONE,
    /** {@code out = max(y, 0)} */
    RELU,
    /** {@code out = out + y}: the residual connection, accumulated in place. */
    RESIDUAL
}
