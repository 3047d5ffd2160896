package dev.m2m100.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.m2m100.engine.backend.RawMatrix;
import dev.m2m100.engine.backend.cpu.gemm.WeightFormat;
import dev.m2m100.engine.backend.cpu.gemm.WorkerPool;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Packing the tied embedding straight from checkpoint bytes gives exactly what packing their float32 copy gives. */
class RawEmbeddingPackingTest {

    private static final ValueLayout.OfFloat F32_LE =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16_LE =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Encodes w (rounded to the encoding) little-endian, as a safetensors file holds it. */
    static MemorySegment encode(float[] w, RawMatrix.Encoding e, Arena arena) {
        MemorySegment s = arena.allocate((long) w.length * e.bytes());
        for (int i = 0; i < w.length; i++) {
            switch (e) {
                case F32 -> s.set(F32_LE, i * 4L, w[i]);
                case F16 -> s.set(I16_LE, i * 2L, Float.floatToFloat16(w[i]));
                case BF16 -> s.set(I16_LE, i * 2L, (short) (Float.floatToRawIntBits(w[i]) >>> 16));
            }
        }
        return s;
    }

    static int[] bits(float[] v) {
        int[] b = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = Float.floatToRawIntBits(v[i]);
        }
        return b;
    }

    @Test
    void packingFromBytesEqualsPackingFromFloatsBitForBit() {
        int n = 37;
        int k = 24;
        int compared = 0;
        int rejected = 0;
        try (WorkerPool pool = new WorkerPool(2); Arena arena = Arena.ofShared()) { // the pool's threads read it
            for (WeightFormat format : WeightFormat.values()) {
                for (RawMatrix.Encoding encoding : RawMatrix.Encoding.values()) {
                    // a value beyond f16's range sends bf16 storage of the embedding to f32: both paths must agree
                    for (float big : encoding == RawMatrix.Encoding.F16 ? new float[] {2.5f}
                                                                         : new float[] {2.5f, 1e6f}) {
                        float[] w = GemmLinearKernelStorageTest.values(n, k, big);
                        RawMatrix raw = new RawMatrix(encode(w, encoding, arena), encoding, n, k);
                        float[] widened = raw.toFloat();
                        try (GemmLinearKernel kernel = new GemmLinearKernel(pool, format)) {
                            if (format == WeightFormat.F16 && big > 65504f) {
                                // f16 storage cannot hold it: both paths refuse
                                assertThrows(IllegalArgumentException.class, () -> kernel.packEmbedding(raw));
                                assertThrows(IllegalArgumentException.class,
                                        () -> kernel.packEmbedding(widened, n, k));
                                rejected++;
                                continue;
                            }
                            PackedWeight fromBytes = kernel.packEmbedding(raw);
                            PackedWeight fromFloats = kernel.packEmbedding(widened, n, k);
                            for (int r = 0; r < n; r++) {
                                assertArrayEquals(bits(GemmLinearKernelStorageTest.row(fromFloats, r)),
                                        bits(GemmLinearKernelStorageTest.row(fromBytes, r)),
                                        format + " from " + encoding + " (big " + big + "), row " + r);
                                compared++;
                            }
                        }
                    }
                }
            }
        }
        assertEquals(2, rejected);
        assertEquals((WeightFormat.values().length * 5 - rejected) * n, compared);
    }

    @Test
    void widensExactlyAndChecksTheByteCount() {
        float[] w = {1.5f, -2.25f, 65504f, 0.1f, -0f, 3e-5f};
        try (Arena arena = Arena.ofConfined()) {
            for (RawMatrix.Encoding e : RawMatrix.Encoding.values()) {
                float[] got = new RawMatrix(encode(w, e, arena), e, 2, 3).toFloat();
                for (int i = 0; i < w.length; i++) {
                    float expected = switch (e) {
                        case F32 -> w[i];
                        case F16 -> Float.float16ToFloat(Float.floatToFloat16(w[i]));
                        case BF16 -> Float.intBitsToFloat(Float.floatToRawIntBits(w[i]) & 0xffff0000);
                    };
                    assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(got[i]), e + " #" + i);
                }
            }
            MemorySegment six = encode(w, RawMatrix.Encoding.F16, arena);
            IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                    () -> new RawMatrix(six, RawMatrix.Encoding.F32, 2, 3));
            assertEquals("a 2 x 3 F32 matrix needs 24 bytes, given 12", ex.getMessage());
        }
    }
}
