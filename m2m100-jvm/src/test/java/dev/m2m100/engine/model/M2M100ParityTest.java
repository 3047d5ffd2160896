package dev.m2m100.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.m2m100.engine.testing.Fixtures;
import dev.m2m100.engine.testing.ReferenceCases;
import dev.m2m100.engine.testing.ReferenceComparison;
import dev.m2m100.engine.testing.ReferenceCases.Case;
import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CPU model against Hugging Face's outputs in testdata/m2m100-tiny/reference/model.json, at DESIGN.md's
 * tolerances: encoder states (real tokens) within 1e-4, teacher-forced logits within 5e-4 absolute.
 */
class M2M100ParityTest {

    static final double STATE_TOLERANCE = 1e-4;
    static final double LOGIT_TOLERANCE = 5e-4;

    private static M2M100Model model;
    private static M2M100Model fp16Model;

    @BeforeAll
    static void load() throws IOException {
        model = M2M100Model.load(Fixtures.tinyModel(), ModelOptions.DEFAULTS.withThreads(2));
        fp16Model = M2M100Model.load(Fixtures.tinyModel().resolve("fp16"), ModelOptions.DEFAULTS.withThreads(2));
    }

    @AfterAll
    static void close() {
        if (model != null) {
            model.close();
        }
        if (fp16Model != null) {
            fp16Model.close();
        }
    }

    static Stream<Case> cases() {
        return ReferenceCases.load().stream();
    }

    @Test
    void everyReferenceCaseIsCovered() {
        assertEquals(12, ReferenceCases.load().size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void encoderStatesMatchOnRealTokens(Case c) {
        double worst = ReferenceComparison.encoderStates(c, model.encoderHiddenStates(c.sources()), STATE_TOLERANCE);
        System.out.printf("%s: encoder max |diff| %.3g%n", c.id(), worst);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void teacherForcedLogitsMatch(Case c) {
        float[][][] logits = model.decoderLogits(c.sources(), List.of(c.decoderIds()));
        double worst = ReferenceComparison.logits(c, logits, LOGIT_TOLERANCE);
        System.out.printf("%s: logits max |diff| %.3g%n", c.id(), worst);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void batchEqualsSingle(Case c) {
        List<float[][]> batched = model.encoderHiddenStates(c.sources());
        float[][][] batchedLogits = model.decoderLogits(c.sources(), List.of(c.decoderIds()));
        for (int b = 0; b < c.batch(); b++) {
            float[][] alone = model.encoderHiddenStates(List.of(c.source(b))).getFirst();
            for (int t = 0; t < alone.length; t++) {
                assertArrayEquals(alone[t], batched.get(b)[t], 0f, c.id() + " encoder row " + b + " token " + t);
            }
            float[][] aloneLogits = model.decoderLogits(c.source(b), c.decoderIds()[b]);
            for (int p = 0; p < aloneLogits.length; p++) {
                assertArrayEquals(aloneLogits[p], batchedLogits[b][p], 0f, c.id() + " logits row " + b + " pos " + p);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void teacherForcedArgmaxIsTheGreedyTokenInFp32AndFp16(Case c) {
        float[][][] f32 = model.decoderLogits(c.sources(), List.of(c.decoderIds()));
        float[][][] f16 = fp16Model.decoderLogits(c.sources(), List.of(c.decoderIds()));
        int checked = 0;
        for (int b = 0; b < c.batch(); b++) {
            int[] seq = c.greedy()[b];
            for (int pos : c.logitPositions()) {
                int input = c.decoderIds()[b][pos];
                if (pos + 1 >= seq.length || input == 2 || input == 1) {
                    continue; // the row has finished: nothing was generated from here
                }
                assertEquals(seq[pos + 1], argmax(f32[b][pos]), c.id() + " fp32 row " + b + " position " + pos);
                assertEquals(seq[pos + 1], argmax(f16[b][pos]), c.id() + " fp16 row " + b + " position " + pos);
                checked++;
            }
        }
        assertTrue(checked > 0, "no position checked in " + c.id());
    }

    static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
