package dev.m2m100.tokenizer.sentencepiece;

import java.util.Arrays;

/**
 * Immutable open-addressing hash map from UTF-8 byte strings to piece ids. Lookups take a slice of an
 * existing byte array, so the encoders probe candidate pieces without building Strings.
 */
final class PieceTable {

    private final byte[] keyBytes;
    private final int[] keyOffset;   // per entry
    private final int[] keyLength;   // per entry
    private final int[] values;      // per entry
    private final int[] slots;       // entry index + 1, 0 = empty
    private final int mask;
    private final int maxKeyLength;

    PieceTable(byte[][] keys, int[] ids) {
        int n = keys.length;
        int total = 0;
        int maxLen = 0;
        for (byte[] k : keys) {
            total += k.length;
            maxLen = Math.max(maxLen, k.length);
        }
        keyBytes = new byte[total];
        keyOffset = new int[n];
        keyLength = new int[n];
        values = new int[n];
        int capacity = Integer.highestOneBit(Math.max(4, n * 2) - 1) << 1;
        slots = new int[capacity];
        mask = capacity - 1;
        maxKeyLength = maxLen;
        int pos = 0;
        for (int e = 0; e < n; e++) {
            byte[] k = keys[e];
            System.arraycopy(k, 0, keyBytes, pos, k.length);
            keyOffset[e] = pos;
            keyLength[e] = k.length;
            values[e] = ids[e];
            pos += k.length;
            int s = hash(k, 0, k.length) & mask;
            while (slots[s] != 0) {
                int other = slots[s] - 1;
                if (equalsEntry(other, k, 0, k.length)) {
                    throw new IllegalArgumentException("duplicate piece '"
                            + new String(k, java.nio.charset.StandardCharsets.UTF_8) + "'");
                }
                s = (s + 1) & mask;
            }
            slots[s] = e + 1;
        }
    }

    /** The id stored for {@code buf[off, off+len)}, or -1. */
    int get(byte[] buf, int off, int len) {
        if (len > maxKeyLength) {
            return -1;
        }
        int s = hash(buf, off, len) & mask;
        while (true) {
            int e = slots[s] - 1;
            if (e < 0) {
                return -1;
            }
            if (equalsEntry(e, buf, off, len)) {
                return values[e];
            }
            s = (s + 1) & mask;
        }
    }

    int maxKeyLength() {
        return maxKeyLength;
    }

    private boolean equalsEntry(int e, byte[] buf, int off, int len) {
        int ko = keyOffset[e];
        return keyLength[e] == len && Arrays.equals(keyBytes, ko, ko + len, buf, off, off + len);
    }

    private static int hash(byte[] b, int off, int len) {
        int h = 0x811C9DC5;
        for (int i = off, end = off + len; i < end; i++) {
            h = (h ^ b[i]) * 0x01000193;
        }
        return h ^ (h >>> 16);
    }
}
