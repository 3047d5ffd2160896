package dev.m2m100.tokenizer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** M2M100Tokenizer behaviour beyond the reference cases: ids, languages, decode corners, errors, threads. */
class M2M100TokenizerTest {

    private final M2M100Tokenizer tok = Fixtures.tokenizer();

    @Test
    void specialIdsAndSize() {
        assertEquals(0, tok.bosId());
        assertEquals(1, tok.padId());
        assertEquals(2, tok.eosId());
        assertEquals(3, tok.unkId());
        assertEquals(4093, tok.size());
    }

    @Test
    void emptyAndBlankTextEncodeToLanguageAndEos() {
        assertArrayEquals(new int[] {4011, 2}, tok.encode("", "en"));
        assertArrayEquals(new int[] {4017, 2}, tok.encode(" \t\u3000 ", "fr"));
        assertArrayEquals(new int[] {}, tok.encodeTextOnly(""));
        assertEquals(List.of(), tok.tokenize("   "));
    }

    @Test
    void languages() {
        assertEquals(100, tok.languages().size());
        assertEquals("af", tok.languages().get(0));
        assertEquals("zu", tok.languages().get(99));
        assertEquals(4035, tok.languageId("ja"));
        assertEquals("ja", tok.languageOfId(4035));
        assertNull(tok.languageOfId(5));
        assertNull(tok.languageOfId(4093));
        assertEquals("Japanese", tok.languageName("ja"));
        for (String code : tok.languages()) {
            assertTrue(!tok.languageName(code).isBlank(), code);
        }
        UnsupportedLanguageException e = assertThrows(UnsupportedLanguageException.class, () -> tok.encode("x", "xx"));
        assertEquals("xx", e.code());
        assertTrue(e.getMessage().contains("af, am, ar"), e.getMessage());
        assertThrows(UnsupportedLanguageException.class, () -> tok.languageId(null));
        assertThrows(UnsupportedLanguageException.class, () -> tok.languageName("klingon"));
    }

    @Test
    void literalSpecialTokensAreMatchedBeforeSentencePiece() {
        assertEquals(List.of("__de__", "\u2581x", "<pad>", "<s>"), tok.tokenize("__de__x<pad><s>"));
        assertArrayEquals(new int[] {4011, 4009, 1, 0, 2}, tok.encode("__de__<pad><s>", "en"));
        // Not a language token: plain text for SentencePiece.
        assertTrue(tok.tokenize("__xx__").stream().noneMatch(t -> t.equals("__xx__")));
    }

    @Test
    void decodeCorners() {
        assertEquals("", tok.decode(new int[] {}));
        assertEquals("", tok.decode(new int[] {2, 4017, 2, 1, 1}));
        assertEquals("</s> __fr__ </s><pad><pad>", tok.decodeWithSpecial(new int[] {2, 4017, 2, 1, 1}));
        // Ids past len(tokenizer) (the model's 8 "madeup words") and negative ids are <unk> tokens. HF 4.43's
        // skip check compares token strings with ids, so with skip_special_tokens they stay as literal "<unk>".
        assertEquals("<unk>", tok.decodeWithSpecial(new int[] {4093}));
        assertEquals("a<unk>", tok.decode(new int[] {4011, 62, 4100, 2}));
        // Language tokens split the text into runs joined by one space.
        assertEquals("__en__ a __fr__ b", tok.decodeWithSpecial(new int[] {4011, 62, 4017, 48}));
        assertEquals("a b", tok.decode(new int[] {62, 4017, 48}));
    }

    @Test
    void batchPadsOnTheRight() {
        BatchEncoding b = tok.encodeBatch(List.of("Hello world.", ""), "en");
        assertEquals(2, b.batchSize());
        assertEquals(9, b.sequenceLength());
        assertArrayEquals(new int[] {4011, 259, 416, 17, 143, 76, 473, 10, 2}, b.inputIds()[0]);
        assertArrayEquals(new int[] {4011, 2, 1, 1, 1, 1, 1, 1, 1}, b.inputIds()[1]);
        assertArrayEquals(new int[] {1, 1, 0, 0, 0, 0, 0, 0, 0}, b.attentionMask()[1]);
        BatchEncoding empty = tok.encodeBatch(List.of(), "en");
        assertEquals(0, empty.batchSize());
        assertEquals(0, empty.sequenceLength());
    }

    @Test
    void concurrentEncodingGivesTheSameResults() throws Exception {
        Random rnd = new Random(7);
        List<String> texts = new ArrayList<>();
        String[] words = {"Life", "is", "like", "a", "box", "of", "chocolates.", "人生は", "Не", "удалось", "🍫", "ﬁnance",
                "ＨＥＬＬＯ", "café", "__fr__", "</s>", "  "};
        for (int i = 0; i < 400; i++) {
            StringBuilder sb = new StringBuilder();
            for (int w = rnd.nextInt(30); w >= 0; w--) {
                sb.append(words[rnd.nextInt(words.length)]).append(rnd.nextBoolean() ? " " : "");
            }
            texts.add(sb.toString());
        }
        List<int[]> expected = new ArrayList<>();
        List<String> expectedText = new ArrayList<>();
        for (String t : texts) {
            int[] ids = tok.encode(t, "en");
            expected.add(ids);
            expectedText.add(tok.decode(ids));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int th = 0; th < 8; th++) {
                int seed = th;
                futures.add(pool.submit(() -> {
                    for (int round = 0; round < 5; round++) {
                        for (int k = 0; k < texts.size(); k++) {
                            int i = (k * 31 + seed * 17 + round) % texts.size();
                            assertArrayEquals(expected.get(i), tok.encode(texts.get(i), "en"), texts.get(i));
                            assertEquals(expectedText.get(i), tok.decode(expected.get(i)), texts.get(i));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void missingAndCorruptFilesGiveClearErrors(@TempDir Path tmp) throws IOException {
        Path src = Fixtures.modelDir();
        IOException noDir = assertThrows(NoSuchFileException.class, () -> M2M100Tokenizer.load(tmp.resolve("nope")));
        assertTrue(noDir.getMessage().contains("nope"), noDir.getMessage());

        for (String f : List.of(M2M100Tokenizer.SPM_FILE, M2M100Tokenizer.VOCAB_FILE, M2M100Tokenizer.CONFIG_FILE,
                M2M100Tokenizer.SPECIAL_TOKENS_FILE)) {
            Path dir = copy(src, tmp.resolve("missing-" + f));
            Files.delete(dir.resolve(f));
            IOException e = assertThrows(NoSuchFileException.class, () -> M2M100Tokenizer.load(dir));
            assertTrue(e.getMessage().contains(f), e.getMessage());
        }

        Path badModel = copy(src, tmp.resolve("bad-model"));
        Files.write(badModel.resolve(M2M100Tokenizer.SPM_FILE), new byte[] {1, 2, 3, 4, 5, 6, 7});
        IOException e1 = assertThrows(IOException.class, () -> M2M100Tokenizer.load(badModel));
        assertTrue(e1.getMessage().contains(M2M100Tokenizer.SPM_FILE), e1.getMessage());

        Path badVocab = copy(src, tmp.resolve("bad-vocab"));
        Files.writeString(badVocab.resolve(M2M100Tokenizer.VOCAB_FILE), "{\"<s>\": 0, \"<pad>\": \"one\"}");
        IOException e2 = assertThrows(IOException.class, () -> M2M100Tokenizer.load(badVocab));
        assertTrue(e2.getMessage().contains("vocab.json") && e2.getMessage().contains("<pad>"), e2.getMessage());

        Path badJson = copy(src, tmp.resolve("bad-json"));
        Files.writeString(badJson.resolve(M2M100Tokenizer.CONFIG_FILE), "{\"src_lang\": ");
        IOException e3 = assertThrows(IOException.class, () -> M2M100Tokenizer.load(badJson));
        assertTrue(e3.getMessage().contains("tokenizer_config.json") && e3.getMessage().contains("invalid JSON"),
                e3.getMessage());
    }

    private static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        for (String f : List.of(M2M100Tokenizer.SPM_FILE, M2M100Tokenizer.VOCAB_FILE, M2M100Tokenizer.CONFIG_FILE,
                M2M100Tokenizer.SPECIAL_TOKENS_FILE)) {
            Files.copy(from.resolve(f), to.resolve(f));
        }
        return to;
    }
}
