package dev.m2m100.engine.backend.cuda;

import dev.m2m100.engine.backend.Tensor;

/** A float32 activation matrix in the backend's device memory pool; closing returns the memory. */
final class CudaTensor implements Tensor {

    private final DeviceBuffer buffer;
    private final int rows;
    private final int cols;
    private final DeviceMemoryPool pool;
    private boolean closed;

    CudaTensor(DeviceBuffer buffer, int rows, int cols, DeviceMemoryPool pool) {
        this.buffer = buffer;
        this.rows = rows;
        this.cols = cols;
        this.pool = pool;
    }

    DeviceBuffer buffer() {
        if (closed) {
            throw new IllegalStateException("tensor " + rows + " x " + cols + " is closed");
        }
        return buffer;
    }

    /** Columns [from, from + count) of every row start here (a view for fused q|k|v layouts). */
    DeviceBuffer columnsFrom(int from) {
        return buffer().slice(4L * from, buffer.bytes() - 4L * from, buffer.label() + " from column " + from);
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            pool.release(buffer);
        }
    }

    @Override
    public String toString() {
        return "CudaTensor[" + rows + " x " + cols + "]";
    }
}
