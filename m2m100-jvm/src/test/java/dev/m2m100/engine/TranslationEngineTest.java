package dev.m2m100.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.m2m100.engine.config.GenerationConfig;
import dev.m2m100.engine.generation.EarlyStopping;
import dev.m2m100.engine.generation.GeneratedSequence;
import dev.m2m100.engine.generation.ToyLms;
import dev.m2m100.engine.generation.ToyStepModel;
import dev.m2m100.engine.language.LanguageTable;
import dev.m2m100.tokenizer.UnsupportedLanguageException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The translator facade over a toy model and a toy codec: text handling around the scheduler. */
class TranslationEngineTest {
    static final int V = 16;
    static final GenerationConfig CONFIG = new GenerationConfig(3, 12, null, 0, EarlyStopping.TRUE, 1.0, 2, 0, 2, 1);

    /** Languages en (id 6) and fr (id 8); each character becomes one id in 9..15; ids print as letters. */
    static final class ToyCodec implements TextCodec {
        @Override
        public int[] encode(String text, String lang) {
            int[] ids = new int[text.length() + 2];
            ids[0] = languageId(lang);
            for (int i = 0; i < text.length(); i++) {
                ids[i + 1] = 9 + text.charAt(i) % 7;
            }
            ids[ids.length - 1] = 2;
            return ids;
        }

        @Override
        public String decode(int[] ids) {
            StringBuilder sb = new StringBuilder();
            for (int id : ids) {
                if (id >= 9) {
                    sb.append((char) ('a' + id - 9));
                }
            }
            return sb.toString();
        }

        @Override
        public int languageId(String lang) {
            return switch (lang) {
                case "en" -> 6;
                case "fr" -> 8;
                default -> throw new UnsupportedLanguageException(lang, languages());
            };
        }

        @Override
        public String decodeWithSpecial(int[] ids) {
            return decode(ids);
        }

        @Override
        public LanguageTable languageTable() {
            return LanguageTable.of(List.of(new LanguageTable.Language("en", "English"),
                    new LanguageTable.Language("fr", "French")));
        }

        private List<String> languages() {
            return languageTable().codes();
        }

        @Override
        public int vocabularySize() {
            return V;
        }

        @Override
        public String family() {
            return "toy";
        }
    }

    static TranslationEngine engine(ToyStepModel toy) {
        return TranslationEngine.create(toy, new ToyCodec(), CONFIG, EngineSettings.DEFAULTS);
    }

    static Throwable failure(CompletableFuture<?> f) {
        return assertThrows(CompletionException.class, () -> f.orTimeout(30, TimeUnit.SECONDS).join()).getCause();
    }

    @Test
    void translationsAreTheDecodedIdResultsInOrder() {
        ToyStepModel toy = new ToyStepModel(V, 32, ToyLms.hashed(V, 3, 0.3));
        try (TranslationEngine engine = engine(toy)) {
            List<String> texts = List.of("abc", "hello there", "x");
            GenerationOptions greedy = GenerationOptions.DEFAULTS.withNumBeams(1);
            List<String> got = engine.translateNow(texts, "en", "fr", greedy);
            List<int[]> sources = new ArrayList<>();
            texts.forEach(t -> sources.add(engine.codec().encode(t, "en")));
            List<GeneratedSequence> ids = engine.generate(sources, 8, greedy);
            for (int i = 0; i < texts.size(); i++) {
                assertEquals(new ToyCodec().decode(ids.get(i).tokens()), got.get(i));
                assertEquals(8, ids.get(i).tokens()[1], "the target language is forced");
            }
            // Defaults come from the generation config: 3 beams, so scores are present.
            assertTrue(!Float.isNaN(engine.generate(sources, 8, GenerationOptions.DEFAULTS).get(0).score()));
        }
    }

    /** Texts with their own source languages in one submission equal each language's texts translated alone. */
    @Test
    void perTextSourceLanguagesInOneSubmission() {
        ToyStepModel toy = new ToyStepModel(V, 32, ToyLms.hashed(V, 3, 0.3));
        try (TranslationEngine engine = engine(toy)) {
            GenerationOptions greedy = GenerationOptions.DEFAULTS.withNumBeams(1);
            List<String> mixed = engine.translate(List.of("abc", "abc", "hello"), List.of("en", "fr", "fr"), "en", greedy).join();
            assertEquals(engine.translateNow(List.of("abc"), "en", "en", greedy).getFirst(), mixed.get(0));
            assertEquals(engine.translateNow(List.of("abc", "hello"), "fr", "en", greedy), mixed.subList(1, 3));
            Throwable mismatch = failure(engine.translate(List.of("a", "b"), List.of("en"), "fr", greedy));
            assertTrue(mismatch instanceof IllegalArgumentException && mismatch.getMessage().contains("2 texts but 1"),
                    mismatch.toString());
        }
    }

    @Test
    void emptyTextsBecomeEmptyWithoutTouchingTheModel() {
        ToyStepModel toy = new ToyStepModel(V, 32, ToyLms.hashed(V, 3, 0.3));
        try (TranslationEngine engine = engine(toy)) {
            assertEquals(List.of("", ""), engine.translateNow(List.of("", ""), "en", "fr", GenerationOptions.DEFAULTS));
            assertTrue(toy.stepRowCounts.isEmpty() && toy.encodeBatchSizes.isEmpty(), "the model was used");
            List<String> mixed = engine.translateNow(List.of("", "ab", ""), "en", "fr", GenerationOptions.DEFAULTS);
            assertEquals("", mixed.get(0));
            assertEquals("", mixed.get(2));
            assertEquals(List.of(1), toy.encodeBatchSizes, "only the non-empty text is encoded");
        }
    }

    @Test
    void badRequestsFailTheFutureWithClearErrors() {
        ToyStepModel toy = new ToyStepModel(V, 32, ToyLms.hashed(V, 3, 0.3));
        try (TranslationEngine engine = engine(toy)) {
            Throwable tooLong = failure(engine.translate(List.of("ok", "x".repeat(40)), "en", "fr", GenerationOptions.DEFAULTS));
            assertInstanceOf(IllegalArgumentException.class, tooLong);
            assertTrue(tooLong.getMessage().contains("text 1 is 42 tokens") && tooLong.getMessage().contains("at most 32"),
                    tooLong.getMessage());
            assertEquals(32, engine.maxSourceTokens());
            assertEquals(5, engine.countSourceTokens("abc", "en"));

            Throwable lang = failure(engine.translate(List.of("ok"), "en", "zz", GenerationOptions.DEFAULTS));
            assertInstanceOf(UnsupportedLanguageException.class, lang);
            assertTrue(lang.getMessage().contains("en, fr"), lang.getMessage());
            assertInstanceOf(UnsupportedLanguageException.class,
                    failure(engine.translate(List.of("ok"), "zz", "fr", GenerationOptions.DEFAULTS)));

            Throwable beams = failure(engine.translate(List.of("ok"), "en", "fr", GenerationOptions.DEFAULTS.withNumBeams(0)));
            assertTrue(beams.getMessage().contains("numBeams"), beams.getMessage());
            Throwable length = failure(engine.translate(List.of("ok"), "en", "fr",
                    GenerationOptions.DEFAULTS.withMaxNewTokens(40)));
            assertTrue(length.getMessage().contains("32 positions"), length.getMessage());
        }
    }

    @Test
    void cancellingATranslationReleasesItsWork() throws Exception {
        ToyStepModel toy = new ToyStepModel(V, 300, (src, h) -> new float[V]); // never ends by itself
        toy.delaySteps(5);
        try (TranslationEngine engine = engine(toy)) {
            CompletableFuture<List<String>> f = engine.translate(List.of("abc"), "en", "fr",
                    new GenerationOptions(2, 250, null, null, null, null));
            Thread.sleep(50);
            f.cancel(false);
            // rows are given back just before the active count is published: wait for both
            for (int i = 0; i < 200 && (toy.openRows() > 0 || engine.stats().activeSequences() > 0); i++) {
                Thread.sleep(10);
            }
            assertEquals(0, toy.openRows());
            assertEquals(0, engine.stats().activeSequences());
        }
    }

    @Test
    void closeDrainsThenRefuses() {
        ToyStepModel toy = new ToyStepModel(V, 32, ToyLms.hashed(V, 8, 0.3));
        TranslationEngine engine = engine(toy);
        List<CompletableFuture<List<String>>> pending = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            pending.add(engine.translate(List.of("text " + i), "en", "fr", GenerationOptions.DEFAULTS));
        }
        engine.close();
        pending.forEach(f -> assertEquals(1, f.join().size()));
        assertTrue(toy.closed);
        assertInstanceOf(IllegalStateException.class,
                failure(engine.translate(List.of("late"), "en", "fr", GenerationOptions.DEFAULTS)));
    }
}
