package dev.m2m100.engine.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * The layouts the backend hands to {@code copy_cache_rows} when a KV cache grows, checked on the CPU with a Java
 * copy that follows the kernel's indexing line by line: every (slot, layer, key|value, position, element) keeps
 * its value in the larger layout.
 */
class CacheLayoutTest {

    /** kvcache.cu's copy_cache_rows over float arrays: pair i, plane p, element e of len[i]·width. */
    static float[] copyLikeTheKernel(float[] src, CacheLayout s, float[] dst, CacheLayout d, int[] from, int[] to,
                                     int[] len, int width) {
        for (int i = 0; i < from.length; i++) {
            for (int plane = 0; plane < s.planes(); plane++) {
                long sBase = plane * s.planeStride() + from[i] * s.seqStride();
                long dBase = plane * d.planeStride() + to[i] * d.seqStride();
                for (long e = 0; e < (long) len[i] * width; e++) {
                    long p = e / width;
                    long c = e - p * width;
                    dst[(int) (dBase + p * d.tokStride() + c)] = src[(int) (sBase + p * s.tokStride() + c)];
                }
            }
        }
        return dst;
    }

    /** The value stored at (slot, plane, position, element): unique per address. */
    private static float tag(int slot, int plane, int pos, int c) {
        return slot * 1_000_000 + plane * 10_000 + pos * 100 + c;
    }

    @Test
    void growingKeepsEveryStoredPositionOfEveryPlane() {
        int layers = 3;
        int width = 7;
        CacheLayout small = CudaKvCache.layoutOf(layers, width, 4, 5);
        CacheLayout grown = CudaKvCache.layoutOf(layers, width, 9, 16);
        assertEquals(4L * 2 * layers * 5 * width, small.extent(width));
        float[] old = new float[(int) small.extent(width)];
        for (int s = 0; s < 4; s++) {
            for (int pl = 0; pl < 2 * layers; pl++) {
                for (int j = 0; j < 5; j++) {
                    for (int c = 0; c < width; c++) {
                        old[(int) (s * small.seqStride() + pl * small.planeStride() + j * small.tokStride() + c)] =
                                tag(s, pl, j, c);
                    }
                }
            }
        }
        int[] ids = {0, 1, 2, 3};
        int[] len = {5, 5, 5, 5};
        float[] grownData = copyLikeTheKernel(old, small, new float[(int) grown.extent(width)], grown, ids, ids, len,
                width);
        int checked = 0;
        for (int s = 0; s < 4; s++) {
            for (int pl = 0; pl < 2 * layers; pl++) {
                for (int j = 0; j < 5; j++) {
                    for (int c = 0; c < width; c++) {
                        long at = s * grown.seqStride() + pl * grown.planeStride() + j * grown.tokStride() + c;
                        assertEquals(tag(s, pl, j, c), grownData[(int) at], "slot " + s + " plane " + pl + " pos " + j);
                        checked++;
                    }
                }
            }
        }
        assertEquals(4 * 2 * layers * 5 * width, checked);
    }

    @Test
    void layoutsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> new CacheLayout(0, 2, 10, 5, 1, 5));
        assertThrows(IllegalArgumentException.class, () -> new CacheLayout(1, 2, 10, 5, 0, 5));
    }
}
