package dev.m2m100.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.m2m100.engine.testing.Fixtures;
import dev.m2m100.engine.testing.ReferenceCases;
import dev.m2m100.engine.testing.ReferenceCases.Case;
import dev.m2m100.engine.testing.ReferenceComparison;
import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CPU model on the NLLB-200 layout (testdata/nllb-tiny: same network, vocabulary 4204, tied embedding in
 * model.shared only) against Hugging Face, at the same tolerances as {@link M2M100ParityTest}: encoder states
 * within 1e-4, teacher-forced logits within 5e-4 absolute (this fixture's logits reach ~800).
 */
class NllbParityTest {

    private static M2M100Model model;

    @BeforeAll
    static void load() throws IOException {
        model = M2M100Model.load(Fixtures.nllbTiny(), ModelOptions.DEFAULTS.withThreads(2));
    }

    @AfterAll
    static void close() {
        if (model != null) {
            model.close();
        }
    }

    static Stream<Case> cases() {
        return ReferenceCases.load(Fixtures.nllbTiny()).stream();
    }

    @Test
    void everyReferenceCaseIsCovered() {
        assertEquals(11, ReferenceCases.load(Fixtures.nllbTiny()).size());
        assertEquals(4204, model.vocabSize());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void encoderStatesMatchOnRealTokens(Case c) {
        double worst = ReferenceComparison.encoderStates(c, model.encoderHiddenStates(c.sources()),
                M2M100ParityTest.STATE_TOLERANCE);
        System.out.printf("nllb %s: encoder max |diff| %.3g%n", c.id(), worst);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void teacherForcedLogitsMatch(Case c) {
        float[][][] logits = model.decoderLogits(c.sources(), List.of(c.decoderIds()));
        double worst = ReferenceComparison.logits(c, logits, M2M100ParityTest.LOGIT_TOLERANCE);
        System.out.printf("nllb %s: logits max |diff| %.3g%n", c.id(), worst);
    }
}
