package dev.m2m100.engine.backend.cpu;

import dev.m2m100.engine.generation.LogitRule;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Log-softmax of one row of logits, a {@link LogitRule}, and the k best entries (ties to the lower id). */
final class CpuTopK {
    // 256-bit like the other kernels of this backend (see CpuAttention)
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    private static final int L = S.length();

    private CpuTopK() {}

    static void row(float[] logits, int off, int vocab, LogitRule rule, int k, float[] outLp, int[] outIds,
                    int outOff) {
        float max = SoftmaxMath.max(logits, off, vocab);
        float logZ = (float) Math.log(SoftmaxMath.sumExp(logits, off, vocab, max));
        int forced = rule instanceof LogitRule.Force f ? f.tokenId() : -1;
        int banned = rule instanceof LogitRule.Ban b ? b.tokenId() : -1;
        if (k <= 64) {
            // insertion into the row's own output slice (no scratch arrays per row)
            int count = 0;
            int j = 0;
            if (forced < 0) {
                // Once k entries are held, a vector of entries none of which beats the k-th best is skipped
                // whole. Its log-probabilities are computed with the same float operations as logProb, so
                // exactly the entries the scalar test would keep go on to it; a banned entry (−∞ there) can only
                // be in a vector that some other entry lets through, and then the scalar test sees −∞.
                FloatVector vmax = FloatVector.broadcast(S, max);
                FloatVector vlogZ = FloatVector.broadcast(S, logZ);
                for (; j + L <= vocab; j += L) {
                    if (count == k && !FloatVector.fromArray(S, logits, off + j).sub(vmax).sub(vlogZ)
                            .compare(VectorOperators.GT, outLp[outOff + k - 1]).anyTrue()) {
                        continue;
                    }
                    for (int i = j; i < j + L; i++) {
                        count = insert(logProb(logits, off, i, forced, banned, max, logZ), i, k, count, outLp, outIds,
                                outOff);
                    }
                }
            }
            for (; j < vocab; j++) {
                count = insert(logProb(logits, off, j, forced, banned, max, logZ), j, k, count, outLp, outIds, outOff);
            }
            return;
        }
        // large k: sort (value descending, id ascending) packed into longs
        long[] keys = new long[vocab];
        for (int j = 0; j < vocab; j++) {
            float lp = logProb(logits, off, j, forced, banned, max, logZ);
            int bits = Float.floatToIntBits(lp);
            int ordered = bits ^ ((bits >> 31) & 0x7fffffff); // ascending with the float
            keys[j] = ((long) ~ordered << 32) | j;
        }
        Arrays.sort(keys);
        for (int i = 0; i < k; i++) {
            int j = (int) (keys[i] & 0xffffffffL);
            int ordered = ~(int) (keys[i] >> 32);
            int bits = ordered ^ ((ordered >> 31) & 0x7fffffff);
            outLp[outOff + i] = Float.intBitsToFloat(bits);
            outIds[outOff + i] = j;
        }
    }

    /**
     * Offers entry j (ids arrive in ascending order, so an equal value never displaces an earlier, lower id) to
     * the best-first list of {@code count} ≤ k entries at outOff; returns the new count.
     */
    private static int insert(float lp, int j, int k, int count, float[] outLp, int[] outIds, int outOff) {
        int p;
        if (count < k) {
            p = count++;
        } else if (lp > outLp[outOff + k - 1]) {
            p = k - 1;
        } else {
            return count;
        }
        while (p > 0 && outLp[outOff + p - 1] < lp) {
            outLp[outOff + p] = outLp[outOff + p - 1];
            outIds[outOff + p] = outIds[outOff + p - 1];
            p--;
        }
        outLp[outOff + p] = lp;
        outIds[outOff + p] = j;
        return count;
    }

    /** Entry j after the rule: forced → 0 for the forced id, −∞ elsewhere; banned → −∞; else the log-softmax. */
    private static float logProb(float[] logits, int off, int j, int forced, int banned, float max, float logZ) {
        if (forced >= 0) {
            return j == forced ? 0f : Float.NEGATIVE_INFINITY;
        }
        if (j == banned) {
            return Float.NEGATIVE_INFINITY;
        }
        return (logits[off + j] - max) - logZ;
    }
}
