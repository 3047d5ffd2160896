package dev.m2m100.engine.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.m2m100.engine.backend.ElementType;
import dev.m2m100.engine.backend.RawMatrix;

import org.junit.jupiter.api.Test;

/**
 * The bytes the CUDA backend sends to the device for a weight matrix, without a GPU: every encoding into both
 * precisions, blocks stacked, chunks crossing block and chunk boundaries, and bytes already in the storage
 * format passed on from where they lie (no host copy).
 */
class WeightUploaderTest {

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private record Chunk(long offset, long address, boolean isNative, byte[] bytes) {}

    private static List<Chunk> convert(Precision p, RawMatrix... blocks) {
        List<Chunk> chunks = new ArrayList<>();
        WeightUploader.convert(p, (offset, bytes) -> chunks.add(new Chunk(offset, bytes.address(), bytes.isNative(),
                bytes.toArray(ValueLayout.JAVA_BYTE))), blocks);
        return chunks;
    }

    private static MemorySegment encode(float[] w, ElementType e, Arena arena) {
        MemorySegment s = arena.allocate((long) w.length * e.bytes());
        for (int i = 0; i < w.length; i++) {
            switch (e) {
                case F32 -> s.set(F32, 4L * i, w[i]);
                case F16 -> s.set(I16, 2L * i, Float.floatToFloat16(w[i]));
                case BF16 -> s.set(I16, 2L * i, (short) (Float.floatToRawIntBits(w[i]) >>> 16));
            }
        }
        return s;
    }

    private static float[] values(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * 3);
        }
        v[0] = 65520f;     // rounds to +inf in fp16
        v[1] = -0f;
        v[2] = 3e-6f;      // an fp16 subnormal
        return v;
    }

    @Test
    void everyEncodingReachesBothPrecisionsExactlyAcrossChunkBoundaries() {
        Random r = new Random(3);
        int cols = 1000;
        int[] rows = {3, WeightUploader.CHUNK_ELEMENTS / cols + 2, 7};   // the middle block spans two chunks
        for (ElementType e : ElementType.values()) {
            try (Arena arena = Arena.ofConfined()) {
                RawMatrix[] blocks = new RawMatrix[rows.length];
                List<Float> widened = new ArrayList<>();
                for (int b = 0; b < rows.length; b++) {
                    blocks[b] = new RawMatrix(encode(values(r, rows[b] * cols), e, arena), e, rows[b], cols);
                    for (float f : blocks[b].toFloat()) {
                        widened.add(f);
                    }
                }
                for (Precision p : Precision.values()) {
                    List<Chunk> chunks = convert(p, blocks);
                    long total = WeightUploader.deviceBytes(p, blocks);
                    assertEquals((long) widened.size() * p.bytes(), total);
                    MemorySegment device = MemorySegment.ofArray(new byte[(int) total]);
                    long next = 0;
                    for (Chunk c : chunks) {
                        assertEquals(next, c.offset(), "chunks follow each other");
                        assertTrue(c.bytes().length <= (long) WeightUploader.CHUNK_ELEMENTS * p.bytes());
                        MemorySegment.copy(MemorySegment.ofArray(c.bytes()), 0, device, c.offset(), c.bytes().length);
                        next += c.bytes().length;
                    }
                    assertEquals(total, next);
                    assertTrue(chunks.size() >= 4, "the stack is split into chunks: " + chunks.size());
                    for (int i = 0; i < widened.size(); i++) {
                        float v = widened.get(i);
                        if (p == Precision.FP32) {
                            assertEquals(Float.floatToRawIntBits(v), Float.floatToRawIntBits(device.get(F32, 4L * i)),
                                    e + " -> " + p + " #" + i);
                        } else {
                            assertEquals(Float.floatToFloat16(v), device.get(I16, 2L * i), e + " -> " + p + " #" + i);
                        }
                    }
                }
            }
        }
    }

    @Test
    void bytesAlreadyInTheStorageFormatAreNotCopiedOnTheHost() {
        try (Arena arena = Arena.ofConfined()) {
            int n = WeightUploader.CHUNK_ELEMENTS + 10;
            float[] w = values(new Random(4), n);
            MemorySegment f16 = encode(w, ElementType.F16, arena);
            MemorySegment f32 = encode(w, ElementType.F32, arena);
            List<Chunk> half = convert(Precision.FP16, new RawMatrix(f16, ElementType.F16, n, 1));
            List<Chunk> single = convert(Precision.FP32, new RawMatrix(f32, ElementType.F32, 1, n));
            assertEquals(2, half.size());
            assertEquals(2, single.size());
            for (int i = 0; i < 2; i++) {
                assertEquals(f16.address() + half.get(i).offset(), half.get(i).address(), "fp16 chunk " + i);
                assertEquals(f32.address() + single.get(i).offset(), single.get(i).address(), "fp32 chunk " + i);
            }
            // bf16 has no device format of its own: converted in a scratch buffer, not the source
            List<Chunk> bf = convert(Precision.FP16, new RawMatrix(encode(w, ElementType.BF16, arena),
                    ElementType.BF16, n, 1));
            assertTrue(bf.getFirst().isNative());
            assertEquals(bf.get(0).address(), bf.get(1).address(), "one reused scratch buffer");
        }
    }

    @Test
    void hostFloatsGoThroughTheScratchBuffer() {
        float[] w = {1f, 2.5f, -3f, 65504f, 0.1f, 7f};
        List<Chunk> chunks = convert(Precision.FP32, RawMatrix.of(w, 2, 3));
        assertEquals(1, chunks.size());
        assertTrue(chunks.getFirst().isNative(), "heap arrays are staged in native memory");
        MemorySegment got = MemorySegment.ofArray(chunks.getFirst().bytes());
        for (int i = 0; i < w.length; i++) {
            assertEquals(w[i], got.get(F32, 4L * i));
        }
    }

    @Test
    void blocksMustShareTheirColumnCount() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> convert(Precision.FP16, RawMatrix.of(new float[6], 2, 3), RawMatrix.of(new float[4], 1, 4)));
        assertEquals("cannot stack row blocks of 3 and 4 columns", e.getMessage());
    }
}
