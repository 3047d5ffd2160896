package dev.m2m100.server.text;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.ToIntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LongSentenceSplitterTest {
    /** One token per character plus the language token and </s>: easy to reason about. */
    private static final ToIntFunction<String> CHARS = s -> s.length() + 2;
    private final LongSentenceSplitter splitter = new LongSentenceSplitter(new BreakRules());

    @Test
    void longestRunsOfWordsThatFit() {
        // "aaa bbb ccc" is 11 chars (13 tokens) and fits 13; adding " ddd" would not.
        Segments s = splitter.split("aaa bbb ccc ddd eee", "en", CHARS, 13);
        assertEquals(List.of("aaa bbb ccc", "ddd eee"), s.pieces());
        assertEquals(List.of(" "), s.separators());
        assertEquals("aaa bbb ccc ddd eee", s.text());
    }

    @Test
    void whitespaceBetweenPartsIsKept() {
        Segments s = splitter.split("aaa  bbb\tccc", "en", CHARS, 6);
        assertEquals(List.of("aaa", "bbb", "ccc"), s.pieces());
        assertEquals(List.of("  ", "\t"), s.separators());
    }

    @Test
    void japaneseSplitsBetweenCharacters() {
        Segments s = splitter.split("今日は本当に良い天気です", "ja", CHARS, 8);
        assertEquals("今日は本当に良い天気です", s.text());
        assertTrue(s.pieces().size() >= 2, s.pieces().toString());
        for (String p : s.pieces()) {
            assertTrue(CHARS.applyAsInt(p) <= 8, p);
        }
        for (String separator : s.separators()) {
            assertEquals("", separator);
        }
    }

    @Test
    void anUnbreakableRunThatDoesNotFit() {
        LongSentenceSplitter.SentenceTooLongException e = assertThrows(LongSentenceSplitter.SentenceTooLongException.class,
                () -> splitter.split("short averyveryverylongword end", "en", CHARS, 12));
        assertEquals("averyveryverylongword".length() + 2, e.tokens());
    }
}
