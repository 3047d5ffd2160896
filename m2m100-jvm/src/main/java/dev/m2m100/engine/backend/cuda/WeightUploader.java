package dev.m2m100.engine.backend.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import dev.m2m100.engine.backend.ElementType;
import dev.m2m100.engine.backend.RawMatrix;

/**
 * Turns weight matrices, still in their checkpoint bytes, into the device's storage bytes: blocks stacked row
 * after row (a fused q|k|v), in the {@link Precision}. Native bytes (a memory-mapped safetensors region) already
 * in the storage format go to the device as they are, with no copy on the heap; everything else is converted on
 * the host in bounded chunks (F16 and BF16 widen exactly; narrowing to fp16 rounds to nearest even, as PyTorch's
 * {@code .half()} does).
 */
final class WeightUploader {

    /** Elements converted per chunk: bounds the host scratch (4 MiB) whatever the matrix size. */
    static final int CHUNK_ELEMENTS = 1 << 20;

    private static final ValueLayout.OfFloat F32_LE =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16_LE =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Receives the storage bytes that belong {@code deviceOffset} bytes into the matrix; must consume them before returning. */
    @FunctionalInterface
    interface Sink {
        void write(long deviceOffset, MemorySegment bytes);
    }

    private WeightUploader() {
    }

    /** Device bytes of the stacked blocks in precision {@code p}. */
    static long deviceBytes(Precision p, RawMatrix... blocks) {
        return (long) RawMatrix.stackedRows(blocks) * RawMatrix.stackedCols(blocks) * p.bytes();
    }

    /** Uploads the stacked blocks into {@code dst} (synchronous copies: load time only). */
    static void upload(Precision p, DeviceBuffer dst, RawMatrix... blocks) {
        long need = deviceBytes(p, blocks);
        if (dst.bytes() < need) {
            throw new IllegalArgumentException("weight upload needs " + need + " device bytes, " + dst.label()
                    + " has " + dst.bytes());
        }
        convert(p, (offset, bytes) -> dst.slice(offset, bytes.byteSize(), dst.label()).upload(bytes), blocks);
    }

    /** Hands the stacked blocks' storage bytes to {@code sink}, in order, chunk by chunk. */
    static void convert(Precision p, Sink sink, RawMatrix... blocks) {
        RawMatrix.stackedCols(blocks);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment scratch = null;
            long offset = 0;
            for (RawMatrix b : blocks) {
                long n = (long) b.rows() * b.cols();
                int srcBytes = b.encoding().bytes();
                boolean asIs = b.bytes().isNative() && storedAs(b.encoding()) == p;
                for (long from = 0; from < n; from += CHUNK_ELEMENTS) {
                    int count = (int) Math.min(CHUNK_ELEMENTS, n - from);
                    MemorySegment chunk;
                    if (asIs) {
                        chunk = b.bytes().asSlice(from * srcBytes, (long) count * srcBytes);
                    } else {
                        if (scratch == null) {
                            scratch = arena.allocate((long) CHUNK_ELEMENTS * Float.BYTES, Float.BYTES);
                        }
                        chunk = scratch.asSlice(0, (long) count * p.bytes());
                        fill(b, from, count, p, chunk);
                    }
                    sink.write(offset, chunk);
                    offset += (long) count * p.bytes();
                }
            }
        }
    }

    /** The precision whose storage bytes equal the encoding's, or null. */
    private static Precision storedAs(ElementType e) {
        return switch (e) {
            case F32 -> Precision.FP32;
            case F16 -> Precision.FP16;
            case BF16 -> null;
        };
    }

    private static void fill(RawMatrix b, long from, int count, Precision p, MemorySegment out) {
        if (p == Precision.FP32) {
            for (int i = 0; i < count; i++) {
                out.set(F32_LE, 4L * i, b.get(from + i));
            }
        } else {
            for (int i = 0; i < count; i++) {
                out.set(I16_LE, 2L * i, Float.floatToFloat16(b.get(from + i)));
            }
        }
    }
}
