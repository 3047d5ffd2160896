package dev.m2m100.server.text;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SentenceSegmenterTest {
    private final SentenceSegmenter segmenter = new SentenceSegmenter();

    private static Segments segments(String lead, List<String> pieces, List<String> separators, String trail) {
        return new Segments(lead, pieces, separators, trail);
    }

    @Test
    void sentencesWithTheWhitespaceBetweenThem() {
        assertEquals(segments("", List.of("A.", "B."), List.of(" "), ""), segmenter.segment("A. B.", "en"));
        assertEquals(segments("", List.of("Para one.", "Para two."), List.of("\n\n"), ""),
                segmenter.segment("Para one.\n\nPara two.", "en"));
        assertEquals(segments("  ", List.of("Hello.", "How are you?"), List.of("   "), " \n"),
                segmenter.segment("  Hello.   How are you? \n", "en"));
    }

    @Test
    void aLineBreakEndsASentence() {
        assertEquals(segments("", List.of("line one", "line two"), List.of("\n"), ""),
                segmenter.segment("line one\nline two", "en"));
    }

    @Test
    void languagesWithoutSpacesBetweenSentences() {
        assertEquals(segments("", List.of("今日は晴れ。", "明日は雨。"), List.of(""), ""),
                segmenter.segment("今日は晴れ。明日は雨。", "ja"));
        assertEquals(segments("", List.of("你好。", "我很好！", "谢谢？"), List.of("", ""), ""),
                segmenter.segment("你好。我很好！谢谢？", "zh"));
    }

    @Test
    void commonAbbreviationsDoNotEndASentence() {
        assertEquals(List.of("Mr. Smith met Mrs. Brown.", "They talked."),
                segmenter.segment("Mr. Smith met Mrs. Brown. They talked.", "en").pieces());
    }

    @Test
    void blankTextsHaveNoPieces() {
        for (String blank : List.of("", " ", "\n\n", "\t \u3000")) {
            assertEquals(segments(blank, List.of(), List.of(), ""), segmenter.segment(blank, "en"));
        }
    }

    @Test
    void nllbStyleCodesWork() {
        assertEquals(List.of("A.", "B."), segmenter.segment("A. B.", "eng_Latn").pieces());
        assertEquals(List.of("今日は晴れ。", "明日は雨。"), segmenter.segment("今日は晴れ。明日は雨。", "jpn_Jpan").pieces());
    }

    /** Whatever the text, the pieces and the whitespace around them give the text back, and pieces are trimmed. */
    @Test
    void segmentsAlwaysReassembleToTheText() {
        Random random = new Random(11);
        String alphabet = "ab .!?。\n\t\u3000「」xyz、";
        for (int n = 0; n < 2000; n++) {
            StringBuilder sb = new StringBuilder();
            for (int i = random.nextInt(40); i > 0; i--) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String text = sb.toString();
            for (String lang : List.of("en", "ja")) {
                Segments s = segmenter.segment(text, lang);
                assertEquals(text, s.text(), () -> "text " + text.replace("\n", "\\n"));
                for (String piece : s.pieces()) {
                    assertTrue(!piece.isEmpty() && piece.strip().equals(piece), () -> "piece '" + piece + "' of " + text);
                }
            }
        }
    }
}
