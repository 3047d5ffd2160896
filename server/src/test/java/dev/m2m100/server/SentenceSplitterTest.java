package dev.m2m100.server;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.ToIntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SentenceSplitterTest {
    /** One token per character plus the language token and </s>: easy to reason about. */
    private static final ToIntFunction<String> CHARS = s -> s.length() + 2;

    @Test
    void packsWholeSentencesGreedily() {
        String text = "One two. Three four five. Six. Seven eight nine ten.";
        // "One two. Three four five." is 25 chars (27 tokens); adding " Six." would exceed 30.
        assertEquals(List.of("One two. Three four five.", "Six.", "Seven eight nine ten."),
                SentenceSplitter.split(text, "en", CHARS, 27));
    }

    @Test
    void japaneseSentencesAndLineBreaks() {
        String text = "今日は晴れです。明日は雨でしょう。\n傘を持って行きましょう！";
        assertEquals(List.of("今日は晴れです。", "明日は雨でしょう。", "傘を持って行きましょう！"),
                SentenceSplitter.split(text, "ja", CHARS, 14));
    }

    @Test
    void oneSentenceTooLong() {
        SentenceSplitter.SentenceTooLongException e = assertThrows(SentenceSplitter.SentenceTooLongException.class,
                () -> SentenceSplitter.split("Short. This sentence is far too long to fit.", "en", CHARS, 20));
        assertEquals("This sentence is far too long to fit.".length() + 2, e.tokens());
    }

    @Test
    void joinsWithoutSpacesForJapaneseAndChinese() {
        assertEquals("A. B.", SentenceSplitter.join(List.of("A.", "B."), "en"));
        assertEquals("あ。い。", SentenceSplitter.join(List.of("あ。", "い。"), "ja"));
        assertEquals("你好。再见。", SentenceSplitter.join(List.of("你好。", "再见。"), "zh"));
    }
}
