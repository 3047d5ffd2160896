package dev.m2m100.engine.backend;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A row-major {@code rows × cols} matrix still in its checkpoint bytes (little-endian F32, F16 or BF16), such as
 * a memory-mapped safetensors region: a backend may pack it straight from there instead of from a float[] copy
 * on the heap.
 */
public record RawMatrix(MemorySegment bytes, Encoding encoding, int rows, int cols) {

    private static final ValueLayout.OfFloat F32_LE =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16_LE =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** How each value is stored. */
    public enum Encoding {
        F32(4), F16(2), BF16(2);

        private final int bytes;

        Encoding(int bytes) {
            this.bytes = bytes;
        }

        public int bytes() {
            return bytes;
        }
    }

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

    /** Element {@code i} (row-major index), widened exactly to float32. */
    public float get(long i) {
        return switch (encoding) {
            case F32 -> bytes.get(F32_LE, i * 4);
            case F16 -> Float.float16ToFloat(bytes.get(I16_LE, i * 2));
            case BF16 -> Float.intBitsToFloat((bytes.get(I16_LE, i * 2) & 0xffff) << 16);
        };
    }

    /** All elements widened to float32, row-major (the fallback for backends that pack from arrays). */
    public float[] toFloat() {
        float[] out = new float[rows * cols];
        for (int i = 0; i < out.length; i++) {
            out[i] = get(i);
        }
        return out;
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
