package dev.m2m100.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.m2m100.engine.generation.GeneratedSequence;
import dev.m2m100.engine.model.M2M100Model;
import dev.m2m100.engine.model.ModelOptions;
import dev.m2m100.engine.testing.Fixtures;
import dev.m2m100.engine.testing.ReferenceCases;
import dev.m2m100.engine.testing.ReferenceCases.Case;
import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole id-level path (scheduler + greedy/beam search + M2M100 on the CPU backend) against Hugging Face's
 * generate() outputs in model.json: ids identical, beam scores close.
 */
class EndToEndParityTest {

    private static TranslationEngine engine;

    /** Ids only: the tests never go through text. */
    private static final TextCodec NO_TEXT = new TextCodec() {
        @Override
        public int[] encode(String text, String lang) {
            throw new UnsupportedOperationException("id-level test");
        }

        @Override
        public String decode(int[] ids) {
            throw new UnsupportedOperationException("id-level test");
        }

        @Override
        public int languageId(String lang) {
            throw new UnsupportedOperationException("id-level test");
        }

        @Override
        public List<String> languages() {
            return List.of();
        }
    };

    @BeforeAll
    static void start() throws IOException {
        M2M100Model model = M2M100Model.load(Fixtures.tinyModel(), ModelOptions.DEFAULTS.withThreads(2));
        engine = TranslationEngine.create(model, NO_TEXT, model.config().generation(), EngineSettings.DEFAULTS);
    }

    @AfterAll
    static void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    static Stream<Case> cases() {
        return ReferenceCases.load().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void greedyIdsEqualHuggingFace(Case c) {
        List<GeneratedSequence> got = engine.generate(c.sources(), c.forcedBos(),
                GenerationOptions.DEFAULTS.withNumBeams(1).withMaxNewTokens(24));
        for (int b = 0; b < c.batch(); b++) {
            assertArrayEquals(Case.unpadded(c.greedy()[b]), got.get(b).tokens(), c.id() + " row " + b);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void beamIdsAndScoresEqualHuggingFace(Case c) {
        List<GeneratedSequence> got = engine.generate(c.sources(), c.forcedBos(),
                GenerationOptions.DEFAULTS.withNumBeams(5).withMaxNewTokens(24));
        for (int b = 0; b < c.batch(); b++) {
            assertArrayEquals(Case.unpadded(c.beam()[b]), got.get(b).tokens(), c.id() + " row " + b);
            assertEquals(c.beamScores()[b], got.get(b).score(), 1e-5, c.id() + " row " + b + " score");
        }
    }
}
