package dev.m2m100.engine.backend.cpu;

import dev.m2m100.engine.backend.WeightRole;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.m2m100.engine.backend.ElementType;
import dev.m2m100.engine.backend.RawMatrix;
import dev.m2m100.engine.backend.cpu.gemm.WeightFormat;
import dev.m2m100.engine.backend.cpu.gemm.WorkerPool;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * Packing weights straight from checkpoint bytes (the tied embedding; stacked q|k|v blocks) gives exactly what
 * packing their float32 copy gives.
 */
class RawMatrixPackingTest {

    private static final ValueLayout.OfFloat F32_LE =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16_LE =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Encodes w (rounded to the encoding) little-endian, as a safetensors file holds it. */
    static MemorySegment encode(float[] w, ElementType e, Arena arena) {
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
                for (ElementType encoding : ElementType.values()) {
                    // a value beyond f16's range sends bf16 storage of the embedding to f32: both paths must agree
                    for (float big : encoding == ElementType.F16 ? new float[] {2.5f}
                                                                         : new float[] {2.5f, 1e6f}) {
                        float[] w = GemmLinearKernelStorageTest.values(n, k, big);
                        RawMatrix raw = new RawMatrix(encode(w, encoding, arena), encoding, n, k);
                        float[] widened = raw.toFloat();
                        try (GemmLinearKernel kernel = new GemmLinearKernel(pool, format)) {
                            if (format == WeightFormat.F16 && big > 65504f) {
                                // f16 storage cannot hold it: both paths refuse
                                assertThrows(IllegalArgumentException.class,
                                        () -> kernel.pack(WeightRole.EMBEDDING, raw));
                                assertThrows(IllegalArgumentException.class,
                                        () -> kernel.pack(WeightRole.EMBEDDING, RawMatrix.of(widened, n, k)));
                                rejected++;
                                continue;
                            }
                            PackedWeight fromBytes = kernel.pack(WeightRole.EMBEDDING, raw);
                            PackedWeight fromFloats = kernel.pack(WeightRole.EMBEDDING, RawMatrix.of(widened, n, k));
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
    void stackedBlocksPackExactlyLikeTheirFloatConcatenation() {
        int k = 24;
        int[] blockRows = {5, 16, 19}; // blocks start and end inside panels of 16
        ElementType[] encodings = {ElementType.BF16, ElementType.F32, ElementType.F16};
        int compared = 0;
        try (WorkerPool pool = new WorkerPool(2); Arena arena = Arena.ofShared()) {
            RawMatrix[] blocks = new RawMatrix[blockRows.length];
            for (int b = 0; b < blocks.length; b++) {
                float[] w = GemmLinearKernelStorageTest.values(blockRows[b], k, 1.5f + b);
                blocks[b] = new RawMatrix(encode(w, encodings[b], arena), encodings[b], blockRows[b], k);
            }
            float[] stacked = RawMatrix.stackedToFloat(blocks);
            int n = RawMatrix.stackedRows(blocks);
            assertEquals(40, n);
            assertEquals(n * k, stacked.length);
            int row = 0;
            for (RawMatrix block : blocks) {
                float[] own = block.toFloat();
                for (int i = 0; i < own.length; i++) {
                    assertEquals(Float.floatToRawIntBits(own[i]), Float.floatToRawIntBits(stacked[row * k + i]));
                }
                row += block.rows();
            }
            for (WeightFormat format : WeightFormat.values()) {
                try (GemmLinearKernel kernel = new GemmLinearKernel(pool, format)) {
                    PackedWeight fromBytes = kernel.pack(WeightRole.LINEAR, blocks);
                    PackedWeight fromFloats = kernel.pack(WeightRole.LINEAR, RawMatrix.of(stacked, n, k));
                    assertEquals(n, fromBytes.outFeatures());
                    assertEquals(k, fromBytes.inFeatures());
                    for (int r = 0; r < n; r++) {
                        assertArrayEquals(bits(GemmLinearKernelStorageTest.row(fromFloats, r)),
                                bits(GemmLinearKernelStorageTest.row(fromBytes, r)), format + ", row " + r);
                        compared++;
                    }
                }
            }
            // the reference kernel packs a float copy
            try (VectorLinearKernel kernel = new VectorLinearKernel(pool)) {
                PackedWeight p = kernel.pack(WeightRole.LINEAR, blocks);
                for (int r = 0; r < n; r++) {
                    float[] expected = java.util.Arrays.copyOfRange(stacked, r * k, (r + 1) * k);
                    assertArrayEquals(bits(expected), bits(GemmLinearKernelStorageTest.row(p, r)), "reference, row " + r);
                }
            }
            RawMatrix narrow = new RawMatrix(encode(new float[6], ElementType.F32, arena),
                    ElementType.F32, 2, 3);
            IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                    () -> RawMatrix.stackedRows(blocks[0], narrow));
            assertEquals("cannot stack row blocks of 24 and 3 columns", ex.getMessage());
        }
        assertEquals(WeightFormat.values().length * 40, compared);
    }

    @Test
    void widensExactlyAndChecksTheByteCount() {
        float[] w = {1.5f, -2.25f, 65504f, 0.1f, -0f, 3e-5f};
        try (Arena arena = Arena.ofConfined()) {
            for (ElementType e : ElementType.values()) {
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
            MemorySegment six = encode(w, ElementType.F16, arena);
            IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                    () -> new RawMatrix(six, ElementType.F32, 2, 3));
            assertEquals("a 2 x 3 F32 matrix needs 24 bytes, given 12", ex.getMessage());
        }
    }
}
