package dev.m2m100.tokenizer.sentencepiece;

import dev.m2m100.tokenizer.Fixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Normalizer and BPE on awkward input, with the m2m100-tiny model. Every expected segmentation was
 * produced by spm_encode 0.1.97 (the C++ library) for the same string.
 */
class TrickyInputTest {

    private static SentencePieceModel model;

    @BeforeAll
    static void load() throws IOException {
        model = SentencePieceModel.load(Fixtures.modelDir().resolve("sentencepiece.bpe.model"));
    }

    @Test
    void emptyAndWhitespaceOnlyGiveNothing() {
        assertEquals(List.of(), model.encodeAsPieces(""));
        assertEquals(List.of(), model.encodeAsPieces("     "));
        assertEquals(List.of(), model.encodeAsPieces("\t \u3000 \u00a0 "));
        assertEquals(List.of(), model.encodeAsPieces("\u200b"), "zero-width space normalizes to nothing");
        assertEquals("", model.normalizer().normalize("  \t "));
    }

    @Test
    void whitespaceIsCollapsedAndEscaped() {
        assertEquals("\u2581a\u2581b", model.normalizer().normalize("  a \t\u3000 b  "));
        assertEquals(List.of("\u2581ab"), model.encodeAsPieces("\u200bab\u200b"));
    }

    @Test
    void combiningCharactersComposeWhereNfkcDoes() {
        // e + U+0301 composes to é; the composed and decomposed spellings segment identically.
        assertEquals("\u2581\u00e9t\u00e9", model.normalizer().normalize("e\u0301te\u0301"));
        assertEquals(List.of("\u2581\u00e9", "t", "\u00e9"), model.encodeAsPieces("e\u0301te\u0301"));
        assertArrayEquals(new int[] {656, 2510, 2592}, model.encodeAsIds("\u00e9t\u00e9"));
        // a + U+0308 + U+0301: ä then an unknown lone combining acute; o + dot below + circumflex: ộ.
        assertEquals(List.of("\u2581", "\u00e4", "\u0301", "\u1ed9"), model.encodeAsPieces("a\u0308\u0301o\u0323\u0302"));
        assertArrayEquals(new int[] {2504, 2573, 0, 2897}, model.encodeAsIds("a\u0308\u0301o\u0323\u0302"));
        // Conjoining jamo compose to a Hangul syllable.
        assertEquals(List.of("\u2581", "\uac01"), model.encodeAsPieces("\u1100\u1161\u11a8"));
    }

    @Test
    void fullWidthAndCompatibilityForms() {
        assertEquals(List.of("\u2581A", "B", "C", "\u25811", "2", "3", "!", "?"),
                model.encodeAsPieces("\uff21\uff22\uff23\u3000\uff11\uff12\uff13\uff01\uff1f"));
        assertArrayEquals(new int[] {58, 2584, 2563, 208, 2594, 2698, 3002, 2876},
                model.encodeAsIds("\uff21\uff22\uff23\u3000\uff11\uff12\uff13\uff01\uff1f"));
        // Half-width katakana with voiced marks: two code points each become one full-width letter.
        assertEquals(List.of("\u2581", "\u30ac", "\u30ae"), model.encodeAsPieces("\uff76\uff9e\uff77\uff9e"));
        assertArrayEquals(new int[] {2504, 3594, 0}, model.encodeAsIds("\uff76\uff9e\uff77\uff9e"));
        assertEquals(List.of("\u25811", "2", "3"), model.encodeAsPieces("\u2460\u2461\u2462"));
        assertEquals(List.of("\u2581", "\u5e73", "\u6210"), model.encodeAsPieces("\u337b"));
        // One Arabic ligature expands to a whole phrase (a long replacement string).
        assertArrayEquals(new int[] {955, 1869, 83, 2567, 2902, 727, 2567, 2596, 2902, 1673, 2725, 2567, 2609},
                model.encodeAsIds("\ufdfa"));
    }

    @Test
    void charactersOutsideTheModelBecomeOneUnknownPerRun() {
        assertEquals(List.of("\u2581", "\ud83c\udf6b\ud83c\udf6b", "x", "\ud83c\udf6b"),
                model.encodeAsPieces("\ud83c\udf6b\ud83c\udf6bx\ud83c\udf6b"));
        assertArrayEquals(new int[] {2504, 0, 2561, 0}, model.encodeAsIds("\ud83c\udf6b\ud83c\udf6bx\ud83c\udf6b"));
        assertEquals(List.of("\u2581", "\ue000\ue001"), model.encodeAsPieces("\ue000\ue001"));
        assertEquals(List.of("\u2581a", "\u00ad", "b"), model.encodeAsPieces("a\u00adb"), "soft hyphen is kept, unknown");
        assertArrayEquals(new int[] {33, 0, 2524}, model.encodeAsIds("a\u00adb"));
    }

    @Test
    void unpairedSurrogateIsTreatedAsReplacementCharacter() {
        // Not representable in UTF-8: it is read as U+FFFD, which nmt_nfkc maps to a space (spm_encode
        // gives "▁a ▁b" for a literal U+FFFD too).
        assertEquals(List.of("\u2581a", "\u2581b"), model.encodeAsPieces("a\ud800b"));
        assertEquals(model.encodeAsPieces("a\ufffdb"), model.encodeAsPieces("a\ud800b"));
    }

    @Test
    void veryLongWords() {
        String xs = "x".repeat(300);
        List<String> pieces = model.encodeAsPieces(xs);
        assertEquals(300, pieces.size());
        assertEquals("\u2581x", pieces.get(0));
        assertEquals(Collections.nCopies(299, "x"), pieces.subList(1, 300));
        int[] ids = model.encodeAsIds(xs);
        assertEquals(693, ids[0]);
        assertEquals(2561, ids[299]);

        String word = "Donaudampfschiff".repeat(20);
        List<String> expected = new java.util.ArrayList<>(List.of("\u2581D", "on", "a", "ud", "amp", "f", "sch", "iff"));
        for (int i = 1; i < 20; i++) {
            expected.addAll(List.of("D", "on", "a", "ud", "amp", "f", "sch", "iff"));
        }
        assertEquals(expected, model.encodeAsPieces(word));
    }

    @Test
    void decodeRestoresSpacesAndDropsTheDummyPrefix() {
        assertEquals("Hello world", model.decodePieces(List.of("\u2581H", "ell", "o", "\u2581w", "or", "ld")));
        // Expected values from spm_decode 0.1.97: the dummy prefix is dropped until text appears.
        assertEquals("x", model.decodePieces(List.of("\u2581", "\u2581x")));
        assertEquals("x", model.decodePieces(List.of("\u2581", "\u2581", "\u2581x")));
        assertEquals("\ud83c\udf6b x", model.decodePieces(List.of("\u2581", "\ud83c\udf6b", "\u2581x")));
        assertEquals("", model.decodePieces(List.of()));
        assertEquals(" \u2047  a", model.decodePieces(List.of("<unk>", "\u2581a")), "the unk piece decodes to its surface");
        assertEquals("\ud83c\udf6b", model.decodePieces(List.of("\ud83c\udf6b")), "unknown strings decode verbatim");
        assertEquals("a", model.decodePieces(List.of("<s>", "\u2581a", "</s>")), "control pieces vanish");
    }
}
