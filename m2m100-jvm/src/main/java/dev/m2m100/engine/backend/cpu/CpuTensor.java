package dev.m2m100.engine.backend.cpu;

import dev.m2m100.engine.backend.Tensor;

/** An activation matrix on the Java heap, row-major. */
public record CpuTensor(float[] data, int rows, int cols) implements Tensor {

    public CpuTensor {
        if ((long) rows * cols > data.length) {
            throw new IllegalArgumentException("tensor " + rows + " x " + cols + " does not fit " + data.length + " floats");
        }
    }

    @Override
    public void close() {
        // heap memory: the garbage collector takes it back
    }
}
