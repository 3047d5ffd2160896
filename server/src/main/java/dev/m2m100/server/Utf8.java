package dev.m2m100.server;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 decoding of request bytes. {@code new String(bytes, UTF_8)} silently turns bad input into
 * U+FFFD, and Jackson's byte-level decoder accepts overlong forms such as {@code C0 AF} ("/"); a decoder
 * that reports every malformed or unmappable sequence rejects overlong forms, encoded surrogates, stray
 * continuation bytes and truncated sequences alike.
 */
final class Utf8 {
    /** The bytes are not UTF-8; {@link #offset} is the index of the first byte of the bad sequence. */
    static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;
        final int offset;

        Invalid(int offset) {
            super("invalid UTF-8 at byte offset " + offset, null, false, false);
            this.offset = offset;
        }
    }

    private Utf8() {}

    /** Decodes {@code bytes[from, to)} or throws {@link Invalid} naming the offset (relative to {@code bytes}). */
    static String decode(byte[] bytes, int from, int to) throws Invalid {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, from, to - from);
        CharBuffer out = CharBuffer.allocate(to - from); // UTF-8 never yields more UTF-16 units than bytes
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            throw new Invalid(in.position());
        }
        if (result.isOverflow()) {
            throw new IllegalStateException("UTF-8 output buffer overflow");
        }
        result = decoder.flush(out);
        if (result.isError()) {
            throw new Invalid(in.position());
        }
        return out.flip().toString();
    }

    static String decode(byte[] bytes) throws Invalid {
        return decode(bytes, 0, bytes.length);
    }
}
