package dev.m2m100.engine.backend.cpu;

import dev.m2m100.engine.backend.WeightMatrix;

/** A weight matrix on the heap; the kernel-packed form is made on first use as a linear layer. */
final class CpuMatrix implements WeightMatrix {
    final float[] data;
    private final int rows;
    private final int cols;
    private PackedWeight packed;

    CpuMatrix(float[] data, int rows, int cols) {
        if (data.length != (long) rows * cols) {
            throw new IllegalArgumentException("matrix " + rows + " x " + cols + " given " + data.length + " values");
        }
        this.data = data;
        this.rows = rows;
        this.cols = cols;
    }

    PackedWeight packed(LinearKernel kernel) {
        if (packed == null) {
            packed = kernel.pack(data, rows, cols);
        }
        return packed;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }
}
