package dev.m2m100.engine.backend.cuda;

import dev.m2m100.engine.backend.ElementType;
import dev.m2m100.engine.backend.Tensor;

/**
 * An activation matrix in the backend's device memory pool, stored as fp32 or fp16; closing returns the memory,
 * except for a view ({@link #firstRows}), which owns none.
 */
final class CudaTensor implements Tensor {

    private final DeviceBuffer buffer;
    private final int rows;
    private final int cols;
    private final Precision storage;
    private final DeviceMemoryPool pool;
    private boolean closed;

    CudaTensor(DeviceBuffer buffer, int rows, int cols, Precision storage, DeviceMemoryPool pool) {
        this.buffer = buffer;
        this.rows = rows;
        this.cols = cols;
        this.storage = storage;
        this.pool = pool;
    }

    /** The kernels' storage type for an element type the backend stores (F32, F16). */
    static Precision storage(ElementType type) {
        return switch (type) {
            case F32 -> Precision.FP32;
            case F16 -> Precision.FP16;
            case BF16 -> throw new IllegalArgumentException("the CUDA backend has no bf16 kernels");
        };
    }

    DeviceBuffer buffer() {
        if (closed) {
            throw new IllegalStateException("tensor " + rows + " x " + cols + " is closed");
        }
        return buffer;
    }

    /** The first {@code count} rows, sharing this tensor's memory; closing the view frees nothing. */
    CudaTensor firstRows(int count) {
        DeviceBuffer head = buffer().slice(0, (long) count * cols * storage.bytes(),
                buffer.label() + " first " + count + " rows");
        return new CudaTensor(head, count, cols, storage, null);
    }

    /** Columns [from, from + count) of every row start here (a view for fused q|k|v layouts). */
    DeviceBuffer columnsFrom(int from) {
        long offset = (long) from * storage.bytes();
        return buffer().slice(offset, buffer.bytes() - offset, buffer.label() + " from column " + from);
    }

    /** The kernels' name for this tensor's element type. */
    Precision storage() {
        return storage;
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
    public ElementType elementType() {
        return storage == Precision.FP32 ? ElementType.F32 : ElementType.F16;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (pool != null) {
                pool.release(buffer);
            }
        }
    }

    @Override
    public String toString() {
        return "CudaTensor[" + rows + " x " + cols + " " + elementType() + "]";
    }
}
