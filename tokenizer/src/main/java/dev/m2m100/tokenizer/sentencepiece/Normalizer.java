package dev.m2m100.tokenizer.sentencepiece;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * SentencePiece's text normalizer: the precompiled character map (longest match first), then dummy
 * prefix, whitespace cleanup and escaping of spaces as U+2581, with the exact rules of the C++ library.
 * Stateless after construction, so it is safe to share between threads.
 */
public final class Normalizer {

    static final byte[] SPACE_SYMBOL = "\u2581".getBytes(StandardCharsets.UTF_8);
    private static final byte[] REPLACEMENT_CHAR = "\uFFFD".getBytes(StandardCharsets.UTF_8);

    private final DoubleArrayTrie trie;       // null: no character map (identity)
    private final byte[] replacements;        // NUL-terminated strings addressed by trie values
    private final PrefixMatcher userSymbols;  // null: none
    private final boolean addDummyPrefix;
    private final boolean removeExtraWhitespaces;
    private final boolean escapeWhitespaces;
    private final boolean whitespaceAsSuffix;

    Normalizer(byte[] precompiledCharsmap, boolean addDummyPrefix, boolean removeExtraWhitespaces,
               boolean escapeWhitespaces, boolean whitespaceAsSuffix, PrefixMatcher userSymbols) {
        this.addDummyPrefix = addDummyPrefix;
        this.removeExtraWhitespaces = removeExtraWhitespaces;
        this.escapeWhitespaces = escapeWhitespaces;
        this.whitespaceAsSuffix = whitespaceAsSuffix;
        this.userSymbols = userSymbols;
        if (precompiledCharsmap == null || precompiledCharsmap.length == 0) {
            trie = null;
            replacements = new byte[0];
            return;
        }
        // Layout: uint32 LE trie size in bytes, the trie units, then the replacement strings.
        if (precompiledCharsmap.length <= 4) {
            throw new IllegalArgumentException("precompiled_charsmap is broken: " + precompiledCharsmap.length + " bytes");
        }
        ByteBuffer bb = ByteBuffer.wrap(precompiledCharsmap).order(ByteOrder.LITTLE_ENDIAN);
        long trieSize = Integer.toUnsignedLong(bb.getInt(0));
        if (trieSize >= precompiledCharsmap.length - 4L || trieSize % 4 != 0) {
            throw new IllegalArgumentException("precompiled_charsmap is broken: trie size " + trieSize
                    + " for a blob of " + precompiledCharsmap.length + " bytes");
        }
        int[] units = new int[(int) (trieSize / 4)];
        bb.position(4);
        bb.asIntBuffer().get(units);
        trie = new DoubleArrayTrie(units);
        replacements = Arrays.copyOfRange(precompiledCharsmap, 4 + (int) trieSize, precompiledCharsmap.length);
    }

    /** Normalizes text as SentencePiece does before segmentation (U+2581 marks spaces). */
    public String normalize(String text) {
        byte[] n = normalize(Utf8.encode(text, 0, text.length()));
        return new String(n, StandardCharsets.UTF_8);
    }

    /** Normalizes UTF-8 input into UTF-8 output. */
    byte[] normalize(byte[] in) {
        final int n = in.length;
        int pos = 0;
        Step step = new Step();
        if (removeExtraWhitespaces) {
            // Skip leading input whose normalized form is exactly one space.
            while (pos < n) {
                prefix(in, pos, n, step);
                if (!(step.len == 1 && step.src[step.off] == ' ')) {
                    break;
                }
                pos += step.consumed;
            }
        }
        if (pos == n) {
            return new byte[0];
        }
        Output out = new Output(n + 16);
        if (!whitespaceAsSuffix && addDummyPrefix) {
            appendSpace(out);
        }
        boolean prevSpace = removeExtraWhitespaces;
        while (pos < n) {
            prefix(in, pos, n, step);
            int s = step.off;
            int e = step.off + step.len;
            byte[] src = step.src;
            if (prevSpace) {
                while (s < e && src[s] == ' ') {
                    s++;
                }
            }
            if (s < e) {
                for (int k = s; k < e; k++) {
                    if (escapeWhitespaces && src[k] == ' ') {
                        out.append(SPACE_SYMBOL, 0, SPACE_SYMBOL.length);
                    } else {
                        out.append(src[k]);
                    }
                }
                prevSpace = src[e - 1] == ' ';
            }
            pos += step.consumed;
            if (!removeExtraWhitespaces) {
                prevSpace = false;
            }
        }
        if (removeExtraWhitespaces) {
            byte[] space = escapeWhitespaces ? SPACE_SYMBOL : new byte[] {' '};
            while (out.endsWith(space)) {
                out.length -= space.length;
            }
        }
        if (whitespaceAsSuffix && addDummyPrefix) {
            appendSpace(out);
        }
        return Arrays.copyOf(out.buf, out.length);
    }

    private void appendSpace(Output out) {
        if (escapeWhitespaces) {
            out.append(SPACE_SYMBOL, 0, SPACE_SYMBOL.length);
        } else {
            out.append((byte) ' ');
        }
    }

    /** Normalizes the longest rule matching at {@code pos} (NormalizePrefix in the C++ code). */
    private void prefix(byte[] in, int pos, int n, Step step) {
        if (userSymbols != null) {
            int len = userSymbols.longestMatch(in, pos, n);
            if (len > 0) {
                step.set(in, pos, len, len);
                return;
            }
        }
        if (trie != null) {
            long m = trie.longestPrefix(in, pos, n);
            if (m != DoubleArrayTrie.NO_MATCH) {
                int matched = (int) (m >>> 32);
                int value = (int) m;
                if (value < 0 || value >= replacements.length) {
                    throw new IllegalStateException("precompiled_charsmap points outside its strings: " + value);
                }
                int end = value;
                while (end < replacements.length && replacements[end] != 0) {
                    end++;
                }
                step.set(replacements, value, end - value, matched);
                return;
            }
        }
        int len = Utf8.validCharLength(in, pos, n);
        if (len == 0) {
            // Malformed UTF-8: one byte becomes U+FFFD.
            step.set(REPLACEMENT_CHAR, 0, REPLACEMENT_CHAR.length, 1);
        } else {
            step.set(in, pos, len, len);
        }
    }

    /** One normalization step: the replacement bytes and how much input they consume. */
    private static final class Step {
        byte[] src;
        int off;
        int len;
        int consumed;

        void set(byte[] src, int off, int len, int consumed) {
            this.src = src;
            this.off = off;
            this.len = len;
            this.consumed = consumed;
        }
    }

    /** Growable byte buffer. */
    private static final class Output {
        byte[] buf;
        int length;

        Output(int capacity) {
            buf = new byte[capacity];
        }

        void append(byte b) {
            if (length == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            buf[length++] = b;
        }

        void append(byte[] b, int off, int len) {
            if (length + len > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, length + len));
            }
            System.arraycopy(b, off, buf, length, len);
            length += len;
        }

        boolean endsWith(byte[] suffix) {
            return length >= suffix.length
                    && Arrays.equals(buf, length - suffix.length, length, suffix, 0, suffix.length);
        }
    }
}
