package dev.m2m100.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.m2m100.engine.generation.LogitRule;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * CpuTopK (with its vector skip of entries that cannot enter the list) against a plain reference: every entry's
 * log-probability by the definition, all of them sorted (value descending, id ascending), the first k kept.
 */
class CpuTopKTest {

    private static void reference(float[] logits, int vocab, LogitRule rule, int k, float[] lp, int[] ids) {
        float max = SoftmaxMath.max(logits, 0, vocab);
        float logZ = (float) Math.log(SoftmaxMath.sumExp(logits, 0, vocab, max));
        Integer[] order = new Integer[vocab];
        float[] all = new float[vocab];
        for (int j = 0; j < vocab; j++) {
            order[j] = j;
            if (rule instanceof LogitRule.Force f) {
                all[j] = j == f.tokenId() ? 0f : Float.NEGATIVE_INFINITY;
            } else if (rule instanceof LogitRule.Ban b && j == b.tokenId()) {
                all[j] = Float.NEGATIVE_INFINITY;
            } else {
                all[j] = (logits[j] - max) - logZ;
            }
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer j) -> -all[j]).thenComparingInt(j -> j));
        for (int i = 0; i < k; i++) {
            lp[i] = all[order[i]];
            ids[i] = order[i];
        }
    }

    @Test
    void keepsExactlyTheReferenceEntriesOnRandomRowsFullOfTies() {
        Random r = new Random(2024);
        int rows = 0;
        for (int vocab : new int[] {1, 7, 8, 9, 64, 1000, 1003, 4099}) {
            for (int k : new int[] {1, 2, 5, 10, 64}) {
                if (k > vocab) {
                    continue;
                }
                for (int trial = 0; trial < 12; trial++) {
                    float[] logits = new float[vocab];
                    int levels = 1 + r.nextInt(trial < 4 ? 3 : 400); // few levels: ties across vectors
                    for (int j = 0; j < vocab; j++) {
                        logits[j] = r.nextInt(levels) * 0.25f - 30f;
                    }
                    if (trial % 5 == 4 && vocab > 1) { // one entry that can never be chosen
                        logits[r.nextInt(vocab)] = Float.NEGATIVE_INFINITY;
                    }
                    int top = 0;
                    for (int j = 1; j < vocab; j++) {
                        top = logits[j] > logits[top] ? j : top;
                    }
                    LogitRule rule = switch (trial % 4) {
                        case 0 -> LogitRule.NONE;
                        case 1 -> LogitRule.ban(top); // the best entry banned: the list must skip it
                        case 2 -> LogitRule.ban(r.nextInt(vocab));
                        default -> trial == 3 ? LogitRule.force(r.nextInt(vocab)) : LogitRule.NONE;
                    };
                    // the row at an offset, with garbage around it that must not be read
                    int off = 3 + r.nextInt(8);
                    float[] padded = new float[off + vocab + 5];
                    Arrays.fill(padded, 1e30f);
                    System.arraycopy(logits, 0, padded, off, vocab);
                    float[] lp = new float[k + 2];
                    int[] ids = new int[k + 2];
                    CpuTopK.row(padded, off, vocab, rule, k, lp, ids, 2);
                    float[] refLp = new float[k];
                    int[] refIds = new int[k];
                    reference(logits, vocab, rule, k, refLp, refIds);
                    String what = "vocab " + vocab + " k " + k + " trial " + trial + " rule " + rule;
                    assertEquals(Arrays.toString(refIds), Arrays.toString(Arrays.copyOfRange(ids, 2, k + 2)), what);
                    for (int i = 0; i < k; i++) {
                        assertEquals(Float.floatToRawIntBits(refLp[i]), Float.floatToRawIntBits(lp[2 + i]),
                                what + " entry " + i);
                    }
                    rows++;
                }
            }
        }
        assertEquals(12 + 3 * 3 * 12 + 4 * 5 * 12, rows); // k ≤ vocab: 1, 3, 3, 3, 5, 5, 5, 5 values of k
    }
}
