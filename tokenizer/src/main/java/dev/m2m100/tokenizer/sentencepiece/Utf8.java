package dev.m2m100.tokenizer.sentencepiece;

/** UTF-8 helpers on byte arrays (the C++ library works on UTF-8 bytes, so do we). */
final class Utf8 {

    private Utf8() {
    }

    /**
     * Encodes a Java string as UTF-8. Unpaired surrogates (not representable in UTF-8) become U+FFFD,
     * which is what SentencePiece substitutes for malformed input.
     */
    static byte[] encode(CharSequence s, int from, int to) {
        byte[] out = new byte[(to - from) * 3];
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                out[n++] = (byte) c;
            } else if (c < 0x800) {
                out[n++] = (byte) (0xC0 | (c >> 6));
                out[n++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                out[n++] = (byte) (0xF0 | (cp >> 18));
                out[n++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                out[n++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                out[n++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                int cp = Character.isSurrogate(c) ? 0xFFFD : c;
                out[n++] = (byte) (0xE0 | (cp >> 12));
                out[n++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                out[n++] = (byte) (0x80 | (cp & 0x3F));
            }
        }
        return n == out.length ? out : java.util.Arrays.copyOf(out, n);
    }

    /**
     * Length of the well-formed UTF-8 character starting at {@code i}, or 0 when the bytes there are
     * malformed (bad lead byte, bad continuation, overlong form, surrogate, beyond U+10FFFF, truncated).
     */
    static int validCharLength(byte[] b, int i, int end) {
        int b0 = b[i] & 0xFF;
        if (b0 < 0x80) {
            return 1;
        }
        if (b0 < 0xC2) {
            return 0;
        }
        if (b0 < 0xE0) {
            return i + 1 < end && isCont(b[i + 1]) ? 2 : 0;
        }
        if (b0 < 0xF0) {
            if (i + 2 >= end || !isCont(b[i + 1]) || !isCont(b[i + 2])) {
                return 0;
            }
            int cp = ((b0 & 0x0F) << 12) | ((b[i + 1] & 0x3F) << 6) | (b[i + 2] & 0x3F);
            return cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF) ? 0 : 3;
        }
        if (b0 < 0xF5) {
            if (i + 3 >= end || !isCont(b[i + 1]) || !isCont(b[i + 2]) || !isCont(b[i + 3])) {
                return 0;
            }
            int cp = ((b0 & 0x07) << 18) | ((b[i + 1] & 0x3F) << 12) | ((b[i + 2] & 0x3F) << 6) | (b[i + 3] & 0x3F);
            return cp < 0x10000 || cp > 0x10FFFF ? 0 : 4;
        }
        return 0;
    }

    /**
     * Byte length of the character starting at {@code i} judged by its lead byte only, clamped to the
     * end (SentencePiece's OneCharLen, used to step through already-normalized text).
     */
    static int charLength(byte[] b, int i, int end) {
        int b0 = b[i] & 0xFF;
        int len = b0 < 0x80 ? 1 : b0 < 0xC0 ? 1 : b0 < 0xE0 ? 2 : b0 < 0xF0 ? 3 : 4;
        return Math.min(len, end - i);
    }

    private static boolean isCont(byte x) {
        return (x & 0xC0) == 0x80;
    }
}
