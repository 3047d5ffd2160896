package dev.m2m100.tokenizer.sentencepiece;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Longest-prefix matcher over the model's user-defined symbols (kept whole by normalizer and encoder). */
final class PrefixMatcher {

    private final PieceTable symbols;

    private PrefixMatcher(PieceTable symbols) {
        this.symbols = symbols;
    }

    /** A matcher for the given symbols, or null when there are none. */
    static PrefixMatcher of(List<String> userDefined) {
        if (userDefined.isEmpty()) {
            return null;
        }
        byte[][] keys = new byte[userDefined.size()][];
        int[] ids = new int[keys.length];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = userDefined.get(i).getBytes(StandardCharsets.UTF_8);
            ids[i] = i;
        }
        return new PrefixMatcher(new PieceTable(keys, ids));
    }

    /** Byte length of the longest symbol that starts at {@code from}, or 0 if none does. */
    int longestMatch(byte[] b, int from, int end) {
        for (int len = Math.min(symbols.maxKeyLength(), end - from); len > 0; len--) {
            if (symbols.get(b, from, len) >= 0) {
                return len;
            }
        }
        return 0;
    }
}
