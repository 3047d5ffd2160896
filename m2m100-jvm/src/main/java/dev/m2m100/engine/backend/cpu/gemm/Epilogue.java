package dev.m2m100.engine.backend.cpu.gemm;

/** Element-wise function fused into the GEMM store, applied after the bias and before the residual add. */
public enum Epilogue {
    /** out = acc + bias (+ residual). */
    NONE,
    /** out = max(acc + bias, 0) (+ residual). */
    RELU
}
