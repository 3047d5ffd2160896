package dev.m2m100.engine.backend.cpu;

import java.util.ArrayDeque;

/**
 * Reuses activation arrays between calls (a decoder step allocates the same shapes every time, and the logits
 * of a large vocabulary are big). Arrays are kept by power-of-two size class, a few per class, so memory held
 * stays bounded. Single caller thread, like the backend.
 */
final class ArrayPool {
    private static final int PER_CLASS = 8;
    private static final int MIN_CLASS = 10; // 1024 floats

    @SuppressWarnings("unchecked")
    private final ArrayDeque<float[]>[] free = new ArrayDeque[32];

    /** An array of at least n floats; contents undefined. */
    float[] take(int n) {
        int c = sizeClass(n);
        ArrayDeque<float[]> q = free[c];
        if (q != null && !q.isEmpty()) {
            return q.pop();
        }
        long size = 1L << c;
        return new float[size > Integer.MAX_VALUE - 16 ? n : (int) size];
    }

    void give(float[] a) {
        if (Integer.bitCount(a.length) != 1 || a.length < (1 << MIN_CLASS)) {
            return; // not one of ours
        }
        int c = Integer.numberOfTrailingZeros(a.length);
        if (free[c] == null) {
            free[c] = new ArrayDeque<>();
        }
        if (free[c].size() < PER_CLASS) {
            free[c].push(a);
        }
    }

    private static int sizeClass(int n) {
        int c = 32 - Integer.numberOfLeadingZeros(Math.max(n, 1) - 1);
        return Math.max(c, MIN_CLASS);
    }
}
