package dev.m2m100.tokenizer.sentencepiece;

import java.util.Arrays;

/** Growable list of pieces found in a normalized byte string: byte ranges plus piece ids. */
final class Segments {
    int[] start;
    int[] end;
    int[] id;
    int size;

    Segments(int capacity) {
        int c = Math.max(4, capacity);
        start = new int[c];
        end = new int[c];
        id = new int[c];
    }

    void add(int s, int e, int pieceId) {
        if (size == start.length) {
            int c = size * 2;
            start = Arrays.copyOf(start, c);
            end = Arrays.copyOf(end, c);
            id = Arrays.copyOf(id, c);
        }
        start[size] = s;
        end[size] = e;
        id[size] = pieceId;
        size++;
    }
}
