package dev.m2m100.engine.backend.cpu;

/** A weight matrix {@code [out][in]} in whatever layout and number format a {@link LinearKernel} prepared it. */
public interface PackedWeight {

    int outFeatures();

    int inFeatures();

    /** Row {@code row} (output channel) as float32 into {@code dst[off .. off + inFeatures)}: embedding lookups. */
    void readRow(int row, float[] dst, int off);
}
