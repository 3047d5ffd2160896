package dev.m2m100.engine.backend.cpu.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PackedWeightsTest {
    private static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private static float[] weights(int n, int k, long seed) {
        Random r = new Random(seed);
        float[] w = new float[n * k];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (r.nextGaussian() * 0.05);
        }
        w[3] = 0f;
        w[4] = -1e-7f; // f16 subnormal
        return w;
    }

    @Test
    void storedValuesStayWithinEachFormatsRounding() {
        int n = 37, k = 53;
        float[] w = weights(n, k, 1);
        try (Arena arena = Arena.ofShared()) {
            for (WeightFormat format : WeightFormat.values()) {
                PackedWeights p = PackedWeights.pack(w, 0, n, k, format, arena, null);
                assertEquals(n, p.n());
                assertEquals(k, p.k());
                float[] row = new float[k];
                for (int j = 0; j < n; j++) {
                    p.readRow(j, row, 0);
                    float max = 0;
                    for (int kk = 0; kk < k; kk++) {
                        max = Math.max(max, Math.abs(w[j * k + kk]));
                    }
                    for (int kk = 0; kk < k; kk++) {
                        float a = w[j * k + kk];
                        double err = Math.abs(row[kk] - a);
                        double bound = switch (format) {
                            case F32 -> 0;
                            case BF16 -> Math.abs(a) * 0x1p-8;
                            case F16 -> Math.max(Math.abs(a) * 0x1p-11, 0x1p-25);
                            case INT8 -> max / 127.0 * 0.5 * (1 + 1e-6);
                        };
                        assertTrue(err <= bound, format + " W[" + j + "][" + kk + "] = " + a + " stored as " + row[kk]);
                    }
                }
            }
        }
    }

    @Test
    void packingFromSegmentsOfEachSourceFormatMatchesArrays() {
        int n = 21, k = 19;
        float[] w = weights(n, k, 2);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment f32 = arena.allocate(4L * n * k + 1).asSlice(1); // unaligned on purpose
            MemorySegment bf16 = arena.allocate(2L * n * k);
            MemorySegment f16 = arena.allocate(2L * n * k);
            float[] bfExact = new float[n * k];
            float[] hExact = new float[n * k];
            for (int i = 0; i < n * k; i++) {
                f32.set(F32_LE, 4L * i, w[i]);
                short b = (short) (Float.floatToRawIntBits(w[i]) >>> 16); // truncation: any bf16 will do
                bf16.set(I16_LE, 2L * i, b);
                bfExact[i] = Float.intBitsToFloat((b & 0xffff) << 16);
                short h = Float.floatToFloat16(w[i]);
                f16.set(I16_LE, 2L * i, h);
                hExact[i] = Float.float16ToFloat(h);
            }
            for (WeightFormat target : WeightFormat.values()) {
                assertSame(PackedWeights.pack(w, 0, n, k, target, arena, null),
                        PackedWeights.pack(f32, WeightFormat.F32, n, k, target, arena, null));
                assertSame(PackedWeights.pack(bfExact, 0, n, k, target, arena, null),
                        PackedWeights.pack(bf16, WeightFormat.BF16, n, k, target, arena, null));
                assertSame(PackedWeights.pack(hExact, 0, n, k, target, arena, null),
                        PackedWeights.pack(f16, WeightFormat.F16, n, k, target, arena, null));
            }
            // bf16 and f16 sources are exact in f32 and in their own format.
            float[] row = new float[k];
            PackedWeights p = PackedWeights.pack(bf16, WeightFormat.BF16, n, k, WeightFormat.BF16, arena, null);
            p.readRow(5, row, 0);
            for (int kk = 0; kk < k; kk++) {
                assertEquals(bfExact[5 * k + kk], row[kk]);
            }
        }
    }

    @Test
    void parallelPackingEqualsSerialPacking() {
        int n = 301, k = 33;
        float[] w = weights(n, k, 4);
        try (Arena arena = Arena.ofShared(); WorkerPool pool = new WorkerPool(2)) {
            for (WeightFormat f : WeightFormat.values()) {
                assertSame(PackedWeights.pack(w, 0, n, k, f, arena, null), PackedWeights.pack(w, 0, n, k, f, arena, pool));
            }
        }
    }

    private static void assertSame(PackedWeights a, PackedWeights b) {
        assertEquals(a.format(), b.format());
        assertEquals(a.byteSize(), b.byteSize());
        assertEquals(-1L, a.data().mismatch(b.data()), "packed bytes differ");
        if (a.scales() != null) {
            assertTrue(java.util.Arrays.equals(a.scales(), b.scales()), "scales differ");
        }
    }

    @Test
    void rejectsBadInput() {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment small = arena.allocate(10);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> PackedWeights.pack(small, WeightFormat.F32, 2, 3, WeightFormat.F32, arena, null));
            assertTrue(e.getMessage().contains("10 bytes"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> PackedWeights.pack(new float[] {1, 2, 70000, 4}, 0, 2, 2, WeightFormat.F16, arena, null));
            assertTrue(e.getMessage().contains("row 1 column 0"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> PackedWeights.pack(new float[] {1, Float.NaN}, 0, 1, 2, WeightFormat.INT8, arena, null));
            assertTrue(e.getMessage().contains("non-finite"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> PackedWeights.pack(new float[5], 0, 2, 3, WeightFormat.F32, arena, null));
            assertTrue(e.getMessage().contains("length 5"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> WeightFormat.parse("fp8"));
            try (Arena confined = Arena.ofConfined()) {
                e = assertThrows(IllegalArgumentException.class,
                        () -> PackedWeights.pack(new float[4], 0, 2, 2, WeightFormat.F32, confined, null));
                assertTrue(e.getMessage().contains("shared arena"), e.getMessage());
            }
            assertEquals(WeightFormat.BF16, WeightFormat.parse("bf16"));
        }
    }

    @Test
    void widenersAreExactForEveryPattern() {
        try (Arena arena = Arena.ofShared()) {
            // 16 halves per k step; 4096 steps = all 65536 patterns. Source element s sits at k step s / 16,
            // slot q = s % 16, which holds column q / 2 + 8 * (q % 2) (pair layout).
            int steps = 65536 / PackedWeights.NR;
            MemorySegment halves = arena.allocate(2L * 65536, 64);
            for (int h = 0; h < 65536; h++) {
                halves.set(I16_LE, 2L * h, (short) h);
            }
            MemorySegment wide = arena.allocate(4L * 65536, 64);
            Gemm.widenBf16(halves, 0, steps, wide, 0);
            for (int h = 0; h < 65536; h++) {
                assertEquals(h << 16, Float.floatToRawIntBits(wide.get(F32_LE, 4L * widenedIndex16(h))), "bf16 pattern " + h);
            }
            Gemm.widenF16(halves, 0, steps, wide, 0, false);
            for (int h = 0; h < 65536; h++) {
                if ((h & 0x7c00) == 0x7c00) {
                    continue; // inf/NaN are rejected at packing time
                }
                assertEquals(Float.floatToRawIntBits(Float.float16ToFloat((short) h)),
                        Float.floatToRawIntBits(wide.get(F32_LE, 4L * widenedIndex16(h))), "f16 pattern " + Integer.toHexString(h));
            }
            // INT8: 32 bytes per two k steps; byte q of a pair block: lane q / 4, b = q % 4 → k step 2*pair + b / 2,
            // column lane + 8 * (b % 2).
            MemorySegment bytes = arena.allocate(256 * 4, 64);
            for (int i = 0; i < 256 * 4; i++) {
                bytes.set(ValueLayout.JAVA_BYTE, i, (byte) i);
            }
            MemorySegment wideBits = arena.allocate(4L * 65536, 64);
            Gemm.widenInt8(bytes, 0, 64, wide, 0);
            Gemm.widenInt8Wide(bytes, 0, 64, wideBits, 0);
            for (int i = 0; i < 256 * 4; i++) {
                int q = i % 32;
                int b = q % 4;
                int kk = 2 * (i / 32) + b / 2;
                int jj = q / 4 + 8 * (b % 2);
                int expected = Float.floatToRawIntBits((byte) i);
                assertEquals(expected, Float.floatToRawIntBits(wide.get(F32_LE, 4L * (kk * 16 + jj))), "int8 " + i);
                assertEquals(expected, Float.floatToRawIntBits(wideBits.get(F32_LE, 4L * (kk * 16 + jj))),
                        "int8 widened for the 512-bit kernels " + i);
                assertEquals(i, PackedWeights.storedIndex(WeightFormat.INT8, kk, jj),
                        "storedIndex agrees with the widener for int8 byte " + i);
            }
            for (int s = 0; s < 64; s++) {
                assertEquals(s, PackedWeights.storedIndex(WeightFormat.F16, s / 16, (s % 16) / 2 + 8 * (s % 2)),
                        "storedIndex agrees with the widener for 16-bit slot " + s);
            }
        }
    }

    private static int widenedIndex16(int s) {
        int q = s % 16;
        return (s / 16) * 16 + q / 2 + 8 * (q % 2);
    }
}
