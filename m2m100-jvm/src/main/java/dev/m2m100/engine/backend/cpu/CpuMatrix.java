package dev.m2m100.engine.backend.cpu;

import dev.m2m100.engine.backend.WeightMatrix;

/** A weight matrix packed once by the backend's {@link LinearKernel}; rows are read back for embedding lookups. */
final class CpuMatrix implements WeightMatrix {
    final PackedWeight packed;

    CpuMatrix(PackedWeight packed) {
        this.packed = packed;
    }

    @Override
    public int rows() {
        return packed.outFeatures();
    }

    @Override
    public int cols() {
        return packed.inFeatures();
    }
}
