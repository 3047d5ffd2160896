package dev.m2m100.server.text;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SentenceSpacingTest {

    @Test
    void scriptsDecideWhetherSentencesAreSpaced() {
        for (String unspaced : List.of("ja", "zh", "zh-Hant", "yue", "jpn_Jpan", "zho_Hans", "zho_Hant")) {
            assertFalse(SentenceSpacing.spacesBetweenSentences(unspaced), unspaced);
        }
        for (String spaced : List.of("en", "fr", "ko", "th", "ru", "ar", "hi", "eng_Latn", "kor_Hang")) {
            assertTrue(SentenceSpacing.spacesBetweenSentences(spaced), spaced);
        }
    }

    @Test
    void separators() {
        // Spaced target: spaces kept, none becomes one.
        assertEquals(" ", SentenceSpacing.separator(" ", true));
        assertEquals("  ", SentenceSpacing.separator("  ", true));
        assertEquals(" ", SentenceSpacing.separator("", true));
        // Unspaced target: spaces dropped.
        assertEquals("", SentenceSpacing.separator(" ", false));
        assertEquals("", SentenceSpacing.separator("\u3000", false));
        assertEquals("", SentenceSpacing.separator("", false));
        // Line breaks and tabs always stay exactly.
        for (boolean spaced : new boolean[] {true, false}) {
            assertEquals("\n\n", SentenceSpacing.separator("\n\n", spaced));
            assertEquals(" \n", SentenceSpacing.separator(" \n", spaced));
            assertEquals("\t", SentenceSpacing.separator("\t", spaced));
        }
    }

    @Test
    void joinKeepsLeadAndTrail() {
        Segments s = new Segments(" ", List.of("a", "b", "c"), List.of("", "\n"), "\n");
        assertEquals(" A B\nC\n", SentenceSpacing.join(s, List.of("A", "B", "C"), true));
        assertEquals(" AB\nC\n", SentenceSpacing.join(s, List.of("A", "B", "C"), false));
    }
}
