package dev.m2m100.engine.backend.cpu;

/** A weight matrix {@code [out][in]} in whatever layout a {@link LinearKernel} prepared it. */
public interface PackedWeight {

    int outFeatures();

    int inFeatures();
}
