package dev.m2m100.tokenizer;

import java.util.Arrays;

/** Growable int array for building id sequences. */
final class IntBuffer {
    private int[] a;
    private int n;

    IntBuffer(int capacity) {
        a = new int[Math.max(4, capacity)];
    }

    void add(int v) {
        if (n == a.length) {
            a = Arrays.copyOf(a, n * 2);
        }
        a[n++] = v;
    }

    int[] toArray() {
        return Arrays.copyOf(a, n);
    }
}
