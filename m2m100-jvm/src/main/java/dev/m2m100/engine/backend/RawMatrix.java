package dev.m2m100.engine.backend;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * A row-major {@code rows × cols} matrix still in its checkpoint bytes (little-endian F32, F16 or BF16), such as
 * a memory-mapped safetensors region: a backend may pack it straight from there instead of from a float[] copy
 * on the heap.
 */
public record RawMatrix(MemorySegment bytes, ElementType encoding, int rows, int cols) {

    private static final ValueLayout.OfFloat F32_LE =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16_LE =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    public RawMatrix {
        if (rows < 0 || cols < 0 || (long) rows * cols > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("cannot hold a " + rows + " x " + cols + " matrix");
        }
        long need = (long) rows * cols * encoding.bytes();
        if (bytes.byteSize() != need) {
            throw new IllegalArgumentException("a " + rows + " x " + cols + " " + encoding + " matrix needs " + need
                    + " bytes, given " + bytes.byteSize());
        }
    }

    /**
     * Host floats as an F32 matrix (no copy on little-endian platforms): for computed tables and tests. The array
     * must not be modified while the matrix is in use.
     */
    public static RawMatrix of(float[] values, int rows, int cols) {
        if (values.length != (long) rows * cols) {
            throw new IllegalArgumentException("a " + rows + " x " + cols + " matrix needs " + (long) rows * cols
                    + " values, given " + values.length);
        }
        MemorySegment bytes = MemorySegment.ofArray(values);
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            bytes = MemorySegment.ofArray(new byte[values.length * 4]);
            for (int i = 0; i < values.length; i++) {
                bytes.set(F32_LE, 4L * i, values[i]);
            }
        }
        return new RawMatrix(bytes, ElementType.F32, rows, cols);
    }

    /** Element {@code i} (row-major index), widened exactly to float32. */
    public float get(long i) {
        return switch (encoding) {
            case F32 -> bytes.get(F32_LE, i * 4);
            case F16 -> Float.float16ToFloat(bytes.get(I16_LE, i * 2));
            case BF16 -> Float.intBitsToFloat((bytes.get(I16_LE, i * 2) & 0xffff) << 16);
        };
    }

    /** Row {@code r} widened exactly to float32 into {@code dst[off .. off + cols)}; safe to call from several threads. */
    public void readRow(int r, float[] dst, int off) {
        Objects.checkIndex(r, rows);
        Objects.checkFromIndexSize(off, cols, dst.length);
        long first = (long) r * cols;
        switch (encoding) {
            case F32 -> MemorySegment.copy(bytes, F32_LE, first * 4, dst, off, cols);
            case F16 -> {
                for (int c = 0; c < cols; c++) {
                    dst[off + c] = Float.float16ToFloat(bytes.get(I16_LE, (first + c) * 2));
                }
            }
            case BF16 -> {
                for (int c = 0; c < cols; c++) {
                    dst[off + c] = Float.intBitsToFloat((bytes.get(I16_LE, (first + c) * 2) & 0xffff) << 16);
                }
            }
        }
    }

    /** All elements widened to float32, row-major (the fallback for backends that pack from arrays). */
    public float[] toFloat() {
        return stackedToFloat(this);
    }

    /**
     * The matrix whose rows are the blocks' rows in order (a fused projection such as q|k|v), widened to float32,
     * row-major: the fallback for backends that pack from arrays.
     */
    public static float[] stackedToFloat(RawMatrix... rowBlocks) {
        int cols = stackedCols(rowBlocks);
        float[] out = new float[Math.multiplyExact(stackedRows(rowBlocks), cols)];
        int row = 0;
        for (RawMatrix b : rowBlocks) {
            for (int r = 0; r < b.rows; r++, row++) {
                b.readRow(r, out, row * cols);
            }
        }
        return out;
    }

    /** The row count of the blocks stacked on each other. */
    public static int stackedRows(RawMatrix... rowBlocks) {
        stackedCols(rowBlocks);
        long rows = 0;
        for (RawMatrix b : rowBlocks) {
            rows += b.rows;
        }
        return Math.toIntExact(rows);
    }

    /** The blocks' common column count; throws when there are no blocks or their column counts differ. */
    public static int stackedCols(RawMatrix... rowBlocks) {
        if (rowBlocks.length == 0) {
            throw new IllegalArgumentException("no row blocks to stack");
        }
        int cols = rowBlocks[0].cols;
        for (RawMatrix b : rowBlocks) {
            if (b.cols != cols) {
                throw new IllegalArgumentException("cannot stack row blocks of " + cols + " and " + b.cols + " columns");
            }
        }
        return cols;
    }

    /**
     * Drops a mapped region's pages from resident memory once it has been packed (they fault back in from the
     * page cache if read again); nothing for other memory.
     */
    public void release() {
        if (bytes.isMapped() && bytes.byteSize() > 0) {
            bytes.unload();
        }
    }
}
