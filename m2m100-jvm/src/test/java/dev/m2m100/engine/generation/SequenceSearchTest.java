package dev.m2m100.engine.generation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Hand-checked semantics of greedy and beam search on tiny vocabularies (ids: 0 &lt;s&gt;, 1 pad, 2 &lt;/s&gt;,
 * 3 A, 4 B, 5 C, 6 D, 7 E, 8 the target language token, 9..11 filler).
 */
class SequenceSearchTest {
    static final int V = 12;
    static final int START = 2, EOS = 2, A = 3, B = 4, C = 5, D = 6, LANG = 8;
    static final int[] SOURCE = {9, 10, 2};

    static SearchSettings settings(int beams, int maxLength, int minNewTokens, double lp, EarlyStopping es) {
        return new SearchSettings(beams, maxLength, 0, minNewTokens, lp, es, START, LANG, EOS);
    }

    /** Logits with {@code rest} everywhere except the listed (token, logit) pairs. */
    static float[] logits(float rest, float... pairs) {
        float[] l = new float[V];
        Arrays.fill(l, rest);
        for (int i = 0; i < pairs.length; i += 2) {
            l[(int) pairs[i]] = pairs[i + 1];
        }
        return l;
    }

    static int last(int[] h) {
        return h[h.length - 1];
    }

    @Test
    void greedyForcesTheLanguageThenTakesTheArgmaxUntilEos() {
        ToyStepModel toy = new ToyStepModel(V, 64, (src, h) -> switch (h.length) {
            case 1 -> logits(0, EOS, 9); // would win if the language were not forced
            case 2 -> logits(-5, A, 2, B, 1, EOS, 0);
            default -> logits(-5, EOS, 3, C, 2);
        });
        GeneratedSequence out = Decode.one(toy, settings(1, 20, 0, 1.0, EarlyStopping.TRUE));
        assertArrayEquals(new int[] {START, LANG, A, EOS}, out.tokens());
        assertTrue(Float.isNaN(out.score()), "greedy has no sequence score");
        assertEquals(0, toy.openRows());
        assertEquals(0, toy.openSources());
    }

    @Test
    void greedyIsCutAtTheLengthLimitWithoutEos() {
        ToyStepModel toy = new ToyStepModel(V, 64, (src, h) -> logits(-5, A, 2, EOS, 1));
        GeneratedSequence out = Decode.one(toy, settings(1, 6, 0, 1.0, EarlyStopping.TRUE));
        assertArrayEquals(new int[] {START, LANG, A, A, A, A}, out.tokens());
    }

    @Test
    void minNewTokensBansEosUntilEnoughTokensWereGenerated() {
        ToyStepModel.Lm lm = (src, h) -> logits(-5, EOS, 3, A, 2);
        assertArrayEquals(new int[] {START, LANG, EOS},
                Decode.one(new ToyStepModel(V, 64, lm), settings(1, 20, 0, 1.0, EarlyStopping.TRUE)).tokens());
        // The forced language token counts as generated: 3 new tokens = LANG, A, A; then </s> may come.
        assertArrayEquals(new int[] {START, LANG, A, A, EOS},
                Decode.one(new ToyStepModel(V, 64, lm), settings(1, 20, 3, 1.0, EarlyStopping.TRUE)).tokens());
        // The same ban applies to every beam.
        assertArrayEquals(new int[] {START, LANG, A, A, EOS},
                Decode.one(new ToyStepModel(V, 64, lm), settings(3, 20, 3, 1.0, EarlyStopping.TRUE)).tokens());
    }

    @Test
    void beamScoreIsTheLogProbSumOverTheGeneratedLengthWithEos() {
        ToyStepModel toy = new ToyStepModel(V, 64, (src, h) -> h.length == 2
                ? logits(-8, A, 3, B, 1)
                : logits(-8, EOS, 4));
        GeneratedSequence out = Decode.one(toy, settings(2, 20, 0, 1.0, EarlyStopping.TRUE));
        assertArrayEquals(new int[] {START, LANG, A, EOS}, out.tokens());
        float lpA = toy.processedLogProbs(SOURCE, new int[] {START, LANG}, LogitRule.NONE)[A];
        float lpEos = toy.processedLogProbs(SOURCE, new int[] {START, LANG, A}, LogitRule.NONE)[EOS];
        // Beam scores accumulate in float32 (the forced step adds 0); the division is in double.
        float sum = (0f + 0f + lpA) + lpEos;
        assertEquals((float) (sum / 3.0), out.score(), 0f);
    }

    @Test
    void beamHypothesesCutAtTheLimitHaveNoEosAndCountEveryGeneratedId() {
        ToyStepModel toy = new ToyStepModel(V, 64, (src, h) -> logits(-8, A, 3, B, 1));
        GeneratedSequence out = Decode.one(toy, settings(2, 6, 0, 1.0, EarlyStopping.TRUE));
        assertArrayEquals(new int[] {START, LANG, A, A, A, A}, out.tokens());
        float lpA = toy.processedLogProbs(SOURCE, new int[] {START, LANG}, LogitRule.NONE)[A];
        float sum = 0f + 0f;
        for (int i = 0; i < 4; i++) {
            sum += lpA;
        }
        assertEquals((float) (sum / 5.0), out.score(), 0f);
    }

    @Test
    void lengthPenaltyDecidesBetweenAShortAndALongHypothesis() {
        // A and B tie after the language token; A ends at once, B goes on with D and then ends.
        ToyStepModel.Lm lm = (src, h) -> {
            if (h.length == 2) {
                return logits(-8, A, 1, B, 1);
            }
            int t = last(h);
            return t == A || t == D ? logits(-8, EOS, 5) : t == B ? logits(-8, D, 5) : logits(-8, C, 5);
        };
        ToyStepModel toy = new ToyStepModel(V, 64, lm);
        GeneratedSequence normalised = Decode.one(toy, settings(2, 20, 0, 1.0, EarlyStopping.TRUE));
        GeneratedSequence sumOnly = Decode.one(new ToyStepModel(V, 64, lm), settings(2, 20, 0, 0.0, EarlyStopping.TRUE));
        assertArrayEquals(new int[] {START, LANG, B, D, EOS}, normalised.tokens());
        assertArrayEquals(new int[] {START, LANG, A, EOS}, sumOnly.tokens());
        // Same two finished hypotheses either way; only the normalisation differs: sum/4 beats sum/3 for the
        // long one, while its raw sum is (slightly) lower than the short one's.
        float lpFirst = toy.processedLogProbs(SOURCE, new int[] {START, LANG}, LogitRule.NONE)[A];
        float lpEnd = toy.processedLogProbs(SOURCE, new int[] {START, LANG, A}, LogitRule.NONE)[EOS];
        assertEquals((float) ((0f + 0f + lpFirst) + lpEnd), sumOnly.score(), 0f);
    }

    @Test
    void earlyStoppingModesAgreeWithTheOracleAndCanDiffer() {
        // Over hashed toy models: all modes match the plain oracle, and at least one case shows that the
        // mode matters (so the comparison is not vacuous).
        int differing = 0;
        for (long seed = 0; seed < 40; seed++) {
            GeneratedSequence[] byMode = new GeneratedSequence[3];
            for (EarlyStopping mode : EarlyStopping.values()) {
                ToyStepModel toy = new ToyStepModel(16, 64, ToyLms.hashed(16, seed, 0.25));
                SearchSettings s = new SearchSettings(3, 16, 0, 0, 1.0, mode, START, LANG, EOS);
                GeneratedSequence got = Decode.run(toy, java.util.List.of(SOURCE), s).get(0);
                GeneratedSequence want = new HfOracle(toy).beam(SOURCE, s);
                assertEquals(want, got, "seed " + seed + " mode " + mode);
                byMode[mode.ordinal()] = got;
            }
            if (!byMode[0].equals(byMode[2]) || !byMode[0].equals(byMode[1])) {
                differing++;
            }
        }
        assertNotEquals(0, differing, "no case where early_stopping changed the result");
    }

    @Test
    void beamsAreTwinsUntilTheyTakeDifferentTokens() {
        SequenceSearch search = SequenceSearch.start(settings(3, 20, 0, 1.0, EarlyStopping.TRUE));
        int k = search.candidatesPerRow();
        assertArrayEquals(new int[] {0, 0, 0}, representatives(search), "every beam starts on the start token");
        // the forced language token: every beam's candidates are the same, so every beam takes it
        float[] lp = new float[3 * k];
        int[] ids = new int[3 * k];
        for (int row = 0; row < 3; row++) {
            ((LogitRule.Force) search.rule()).topK(k, lp, ids, row * k);
        }
        search.advance(lp, ids, 0, k);
        assertArrayEquals(new int[] {0, 0, 0}, representatives(search), "all beams are START, LANG");
        // twins return the same candidates; beam 0 (score 0) outranks the others (-1e9), so all three continue it
        for (int row = 0; row < 3; row++) {
            System.arraycopy(new float[] {-0.1f, -1f, -2f, -3f, -4f, -5f}, 0, lp, row * k, k);
            System.arraycopy(new int[] {A, B, C, D, 7, 9}, 0, ids, row * k, k);
        }
        assertArrayEquals(new int[] {0, 0, 0}, search.advance(lp, ids, 0, k));
        assertArrayEquals(new int[] {0, 1, 2}, representatives(search), "START LANG A, B and C differ");
        assertArrayEquals(new int[] {A, B, C}, new int[] {search.inputToken(0), search.inputToken(1),
                search.inputToken(2)});
        // greedy has one row
        assertEquals(0, SequenceSearch.start(settings(1, 20, 0, 1.0, EarlyStopping.TRUE)).representative(0));
    }

    static int[] representatives(SequenceSearch search) {
        int[] out = new int[search.rowCount()];
        for (int row = 0; row < out.length; row++) {
            out[row] = search.representative(row);
        }
        return out;
    }

    @Test
    void forceTopKListsTheForcedIdThenTheLowestOthers() {
        float[] lp = new float[2 + 4];
        int[] ids = new int[2 + 4];
        new LogitRule.Force(1).topK(4, lp, ids, 2);
        assertArrayEquals(new int[] {1, 0, 2, 3}, Arrays.copyOfRange(ids, 2, 6));
        assertArrayEquals(new float[] {0f, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY},
                Arrays.copyOfRange(lp, 2, 6));
        new LogitRule.Force(0).topK(2, lp, ids, 0);
        assertArrayEquals(new int[] {0, 1}, Arrays.copyOf(ids, 2));
    }
}
