package dev.m2m100.engine.backend.cpu;

import dev.m2m100.engine.backend.ElementType;
import dev.m2m100.engine.backend.Tensor;

/** An activation matrix on the Java heap, row-major; closing hands the array back to its pool (if any). */
public final class CpuTensor implements Tensor {
    private final float[] data;
    private final int rows;
    private final int cols;
    private final ArrayPool pool;
    private boolean closed;

    public CpuTensor(float[] data, int rows, int cols) {
        this(data, rows, cols, null);
    }

    CpuTensor(float[] data, int rows, int cols, ArrayPool pool) {
        if (rows < 0 || cols < 0 || (long) rows * cols > data.length) {
            throw new IllegalArgumentException("tensor " + rows + " x " + cols + " does not fit " + data.length + " floats");
        }
        this.data = data;
        this.rows = rows;
        this.cols = cols;
        this.pool = pool;
    }

    public float[] data() {
        if (closed) {
            throw new IllegalStateException("tensor " + rows + " x " + cols + " was closed");
        }
        return data;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    /** Always F32: the CPU backend keeps activations as float32 (its compact formats are for weights). */
    @Override
    public ElementType elementType() {
        return ElementType.F32;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (pool != null) {
                pool.give(data);
            }
        }
    }
}
