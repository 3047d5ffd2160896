package dev.m2m100.tokenizer.sentencepiece;

/**
 * Read-only view of a Darts-clone double-array trie, the structure SentencePiece stores in a
 * {@code precompiled_charsmap}. Each unit is a little-endian uint32 packing a label, a leaf flag and an
 * offset to the children; keys are byte strings.
 */
final class DoubleArrayTrie {

    /** Result of {@link #longestPrefix}: nothing matched. */
    static final long NO_MATCH = -1L;

    private final int[] units;

    DoubleArrayTrie(int[] units) {
        if (units.length == 0) {
            throw new IllegalArgumentException("double-array trie has no units");
        }
        this.units = units;
    }

    /**
     * The longest key that is a prefix of {@code key[from, to)}.
     *
     * @return {@link #NO_MATCH}, or {@code (length << 32) | value} of the longest matching key
     */
    long longestPrefix(byte[] key, int from, int to) {
        long best = NO_MATCH;
        int nodePos = offset(units[0]);
        for (int i = from; i < to; i++) {
            int label = key[i] & 0xFF;
            nodePos ^= label;
            if (nodePos < 0 || nodePos >= units.length) {
                return best;
            }
            int unit = units[nodePos];
            if (label(unit) != label) {
                return best;
            }
            nodePos ^= offset(unit);
            if (hasLeaf(unit)) {
                if (nodePos < 0 || nodePos >= units.length) {
                    return best;
                }
                best = ((long) (i + 1 - from) << 32) | value(units[nodePos]);
            }
        }
        return best;
    }

    private static boolean hasLeaf(int unit) {
        return ((unit >>> 8) & 1) == 1;
    }

    private static int value(int unit) {
        return unit & 0x7FFFFFFF;
    }

    /** Leaf units carry the MSB, so their label never equals a byte value. */
    private static int label(int unit) {
        return unit & (0x80000000 | 0xFF);
    }

    private static int offset(int unit) {
        return (unit >>> 10) << ((unit & (1 << 9)) >>> 6);
    }
}
