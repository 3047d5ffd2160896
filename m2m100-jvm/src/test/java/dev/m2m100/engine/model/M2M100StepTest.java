package dev.m2m100.engine.model;

import dev.m2m100.engine.backend.WeightDType;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.m2m100.engine.generation.LogitRule;
import dev.m2m100.engine.testing.Fixtures;
import dev.m2m100.engine.testing.ReferenceCases;
import dev.m2m100.engine.testing.ReferenceCases.Case;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The {@link dev.m2m100.engine.generation.StepModel} contract on the tiny model. */
class M2M100StepTest {

    private static M2M100Model model;
    private static M2M100Model fp16Model;

    @BeforeAll
    static void load() throws IOException {
        model = M2M100Model.load(Fixtures.tinyModel(), ModelOptions.DEFAULTS.withThreads(2));
        fp16Model = M2M100Model.load(Fixtures.tinyModel().resolve("fp16"), ModelOptions.DEFAULTS.withThreads(2));
    }

    @AfterAll
    static void close() {
        model.close();
        fp16Model.close();
    }

    static double[] logSoftmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (float v : logits) {
            sum += Math.exp(v - max);
        }
        double lse = max + Math.log(sum);
        double[] out = new double[logits.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = logits[i] - lse;
        }
        return out;
    }

    /**
     * Every row of every reference case in ONE batch of steps, fed the reference greedy tokens (teacher forcing
     * through step): the top-1 at each generated position is the next greedy token, in fp32 and from the fp16
     * file, and the forced language step returns the forced token with log-probability 0.
     */
    @Test
    void stepReproducesGreedyIdsForAllCasesBatchedTogether() {
        for (M2M100Model m : List.of(model, fp16Model)) {
            greedyViaStep(m);
        }
    }

    /** The checkpoint's F16 copy as CPU storage format (widened in the kernel): same ids as the fp16 upcast. */
    @Test
    void f16WeightStorageReproducesGreedyIds() throws IOException {
        try (M2M100Model m = M2M100Model.load(Fixtures.tinyModel(), ModelOptions.DEFAULTS.withThreads(2).withDtype(WeightDType.F16))) {
            greedyViaStep(m);
        }
    }

    static void greedyViaStep(M2M100Model m) {
        {
            List<int[]> sources = new ArrayList<>();
            List<int[]> sequences = new ArrayList<>();
            for (Case c : ReferenceCases.load()) {
                for (int b = 0; b < c.batch(); b++) {
                    sources.add(c.source(b));
                    sequences.add(c.greedy()[b]);
                }
            }
            int[] src = m.encode(sources);
            int[] rows = new int[src.length];
            for (int i = 0; i < src.length; i++) {
                rows[i] = m.openRow(src[i]);
            }
            int k = 3;
            int checked = 0;
            for (int t = 0; ; t++) {
                List<Integer> active = new ArrayList<>();
                for (int i = 0; i < rows.length; i++) {
                    int[] seq = sequences.get(i);
                    // feed position t while a next token exists and the row has not ended
                    if (t + 1 < seq.length && !(t > 0 && (seq[t] == 2 || seq[t] == 1))) {
                        active.add(i);
                    }
                }
                if (active.isEmpty()) {
                    break;
                }
                int n = active.size();
                int[] stepRows = new int[n];
                int[] tokens = new int[n];
                LogitRule[] rules = new LogitRule[n];
                for (int j = 0; j < n; j++) {
                    int i = active.get(j);
                    stepRows[j] = rows[i];
                    tokens[j] = sequences.get(i)[t];
                    rules[j] = t == 0 ? LogitRule.force(sequences.get(i)[1]) : LogitRule.NONE;
                }
                float[] lp = new float[n * k];
                int[] ids = new int[n * k];
                m.step(stepRows, tokens, rules, k, lp, ids);
                for (int j = 0; j < n; j++) {
                    int[] seq = sequences.get(active.get(j));
                    assertEquals(seq[t + 1], ids[j * k], "row " + active.get(j) + " position " + t);
                    if (t == 0) {
                        assertEquals(0f, lp[j * k]);
                        assertEquals(Float.NEGATIVE_INFINITY, lp[j * k + 1]);
                    } else {
                        assertTrue(lp[j * k] < 0 && lp[j * k] >= lp[j * k + 1] && lp[j * k + 1] >= lp[j * k + 2]);
                    }
                    checked++;
                }
            }
            for (int i = 0; i < rows.length; i++) {
                m.releaseRow(rows[i]);
                m.releaseSource(src[i]);
            }
            assertTrue(checked > 200, "checked " + checked);
        }
    }

    @Test
    void stepLogProbsAreLogSoftmaxOfTheLogits() {
        int[] source = ReferenceCases.load().get(2).source(1);
        int[] dec = {2, 4017, 1878, 45};
        float[][] logits = model.decoderLogits(source, dec);
        int s = model.encode(List.of(source))[0];
        int r = model.openRow(s);
        int k = 10;
        for (int t = 0; t < dec.length; t++) {
            float[] lp = new float[k];
            int[] ids = new int[k];
            model.step(new int[] {r}, new int[] {dec[t]}, new LogitRule[] {LogitRule.NONE}, k, lp, ids);
            double[] ref = logSoftmax(logits[t]);
            for (int j = 0; j < k; j++) {
                assertEquals(ref[ids[j]], lp[j], 2e-5, "position " + t + " rank " + j);
                if (j > 0) {
                    assertTrue(lp[j] < lp[j - 1] || (lp[j] == lp[j - 1] && ids[j] > ids[j - 1]));
                }
            }
            // the k-th best really is the k-th best of the full distribution
            long better = java.util.Arrays.stream(ref).filter(v -> v > ref[ids[k - 1]] + 1e-5).count();
            assertTrue(better <= k - 1);
        }
        model.releaseRow(r);
        model.releaseSource(s);
    }

    @Test
    void forcedAndBannedTokens() {
        int s = model.encode(List.of(new int[] {4011, 118, 2}))[0];
        int a = model.openRow(s);
        int b = model.openRow(s);
        float[] lp = new float[2 * 4];
        int[] ids = new int[2 * 4];
        model.step(new int[] {a, b}, new int[] {2, 2}, new LogitRule[] {LogitRule.force(4017), LogitRule.NONE}, 4, lp, ids);
        assertArrayEquals(new int[] {4017, 0, 1, 2}, java.util.Arrays.copyOf(ids, 4), "forced, then -inf by id");
        assertArrayEquals(new float[] {0f, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY},
                java.util.Arrays.copyOf(lp, 4));
        int best = ids[4];
        // same history on both rows, then ban row b's favourite
        model.copyRows(new int[] {a}, new int[] {b});
        model.step(new int[] {a, b}, new int[] {4017, 4017}, new LogitRule[] {LogitRule.NONE, LogitRule.ban(best)}, 4,
                lp, ids);
        int aBest = ids[0];
        model.releaseRow(a);
        model.releaseRow(b);
        // compare against a fresh row without the ban
        int c = model.openRow(s);
        model.step(new int[] {c}, new int[] {2}, new LogitRule[] {LogitRule.NONE}, 1, new float[1], new int[1]);
        float[] lp2 = new float[4];
        int[] ids2 = new int[4];
        model.step(new int[] {c}, new int[] {4017}, new LogitRule[] {LogitRule.ban(aBest)}, 4, lp2, ids2);
        for (int j = 0; j < 4; j++) {
            assertTrue(ids2[j] != aBest);
        }
        assertEquals(ids[1], ids2[0]);
        model.releaseRow(c);
        model.releaseSource(s);
    }

    /**
     * Forced rows skip the logits and are reordered behind the others inside the step: every row's output, and the
     * cache the forced rows go on with, must be what each row gets stepped alone.
     */
    @Test
    void forcedRowsInAMixedStepChangeNothing() {
        int[] source = {4011, 62, 1968, 104, 2};
        int s = model.encode(List.of(source))[0];
        int k = 5;
        int started = model.openRow(s);
        model.step(new int[] {started}, new int[] {2}, new LogitRule[] {LogitRule.force(4017)}, 1, new float[1],
                new int[1]);
        int forced = model.openRow(s);
        int free = model.openRow(s);
        float[] lp = new float[3 * k];
        int[] ids = new int[3 * k];
        // the forced row first, so the step must move it behind the others
        model.step(new int[] {forced, started, free}, new int[] {2, 4017, 2},
                new LogitRule[] {LogitRule.force(4017), LogitRule.NONE, LogitRule.NONE}, k, lp, ids);
        float[] lpWant = new float[k];
        int[] idsWant = new int[k];
        new LogitRule.Force(4017).topK(k, lpWant, idsWant, 0);
        assertArrayEquals(idsWant, java.util.Arrays.copyOfRange(ids, 0, k));
        assertArrayEquals(lpWant, java.util.Arrays.copyOfRange(lp, 0, k), 0f);
        float[][] logits = model.decoderLogits(source, new int[] {2, 4017, 45});
        assertTopK(logits[1], java.util.Arrays.copyOfRange(lp, k, 2 * k), java.util.Arrays.copyOfRange(ids, k, 2 * k),
                "the started row");
        assertTopK(logits[0], java.util.Arrays.copyOfRange(lp, 2 * k, 3 * k),
                java.util.Arrays.copyOfRange(ids, 2 * k, 3 * k), "the free row");
        // the forced row's cache holds its first position: its next step is teacher forcing's second
        float[] lpNext = new float[k];
        int[] idsNext = new int[k];
        model.step(new int[] {forced}, new int[] {4017}, new LogitRule[] {LogitRule.NONE}, k, lpNext, idsNext);
        assertTopK(logits[1], lpNext, idsNext, "the forced row, one step on");
        model.releaseRow(started);
        model.releaseRow(forced);
        model.releaseRow(free);
        model.releaseSource(s);
    }

    /** The step's k best are those of the log-softmax of these logits (within float rounding of the two paths). */
    private static void assertTopK(float[] logits, float[] lp, int[] ids, String what) {
        double[] ref = logSoftmax(logits);
        Integer[] order = new Integer[ref.length];
        for (int j = 0; j < order.length; j++) {
            order[j] = j;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(ref[b], ref[a]));
        for (int j = 0; j < ids.length; j++) {
            assertEquals(order[j], ids[j], what + ": rank " + j);
            assertEquals(ref[ids[j]], lp[j], 2e-5, what + ": rank " + j);
        }
    }

    @Test
    void copyRowsReadsBeforeWritingAndReordersCaches() {
        int[] source = {4011, 62, 1968, 104, 2};
        int s = model.encode(List.of(source))[0];
        int a = model.openRow(s);
        int b = model.openRow(s);
        int k = 5;
        float[] lp = new float[2 * k];
        int[] ids = new int[2 * k];
        // row a sees 2, 4017, 100; row b sees 2, 4017, 200
        model.step(new int[] {a, b}, new int[] {2, 2}, new LogitRule[] {LogitRule.NONE, LogitRule.NONE}, k, lp, ids);
        model.step(new int[] {a, b}, new int[] {4017, 4017}, new LogitRule[] {LogitRule.NONE, LogitRule.NONE}, k, lp, ids);
        model.step(new int[] {a, b}, new int[] {100, 200}, new LogitRule[] {LogitRule.NONE, LogitRule.NONE}, k, lp, ids);
        // swap: a gets b's history and b gets a's
        model.copyRows(new int[] {b, a}, new int[] {a, b});
        model.step(new int[] {a, b}, new int[] {7, 7}, new LogitRule[] {LogitRule.NONE, LogitRule.NONE}, k, lp, ids);
        float[][] viaA = model.decoderLogits(source, new int[] {2, 4017, 200, 7});
        float[][] viaB = model.decoderLogits(source, new int[] {2, 4017, 100, 7});
        assertEquals(topId(viaA[3]), ids[0]);
        assertEquals(topId(viaB[3]), ids[k]);
        assertEquals(logSoftmax(viaA[3])[ids[0]], lp[0], 2e-5);
        assertEquals(logSoftmax(viaB[3])[ids[k]], lp[k], 2e-5);
        model.releaseRow(a);
        model.releaseRow(b);
        model.releaseSource(s);
    }

    @Test
    void slotsAreReusedAndMisuseIsAClearError() {
        int s = model.encode(List.of(new int[] {4011, 2}))[0];
        int r = model.openRow(s);
        IllegalStateException busy = assertThrows(IllegalStateException.class, () -> model.releaseSource(s));
        assertTrue(busy.getMessage().contains("open row"));
        model.releaseRow(r);
        assertThrows(IllegalArgumentException.class, () -> model.releaseRow(r));
        IllegalArgumentException closedRow = assertThrows(IllegalArgumentException.class, () -> model.step(
                new int[] {r}, new int[] {2}, new LogitRule[] {LogitRule.NONE}, 1, new float[1], new int[1]));
        assertTrue(closedRow.getMessage().contains("not open"), closedRow.getMessage());
        int r2 = model.openRow(s);
        assertEquals(r, r2, "lowest free row is reused");
        IllegalArgumentException badToken = assertThrows(IllegalArgumentException.class, () -> model.step(
                new int[] {r2}, new int[] {99999}, new LogitRule[] {LogitRule.NONE}, 1, new float[1], new int[1]));
        assertTrue(badToken.getMessage().contains("99999"), badToken.getMessage());
        model.releaseRow(r2);
        model.releaseSource(s);
        assertEquals(s, model.encode(List.of(new int[] {4011, 2}))[0], "lowest free source slot is reused");
        model.releaseSource(s);
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> model.encode(List.of(new int[model.maxPositions() + 1])));
        assertTrue(tooLong.getMessage().contains("at most " + model.maxPositions()), tooLong.getMessage());
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() throws IOException {
        Case c = ReferenceCases.load().get(5);
        float[][][] two = model.decoderLogits(c.sources(), List.of(c.decoderIds()));
        try (M2M100Model one = M2M100Model.load(Fixtures.tinyModel(), ModelOptions.DEFAULTS.withThreads(1));
             M2M100Model three = M2M100Model.load(Fixtures.tinyModel(), ModelOptions.DEFAULTS.withThreads(3))) {
            for (M2M100Model other : List.of(one, three)) {
                float[][][] got = other.decoderLogits(c.sources(), List.of(c.decoderIds()));
                for (int b = 0; b < got.length; b++) {
                    for (int p = 0; p < got[b].length; p++) {
                        assertArrayEquals(two[b][p], got[b][p], 0f);
                    }
                }
            }
        }
    }

    static int topId(float[] v) {
        return M2M100ParityTest.argmax(v);
    }
}
