package dev.m2m100.engine.backend.cpu;

import dev.m2m100.engine.generation.LogitRule;
import java.util.Arrays;

/** Log-softmax of one row of logits, a {@link LogitRule}, and the k best entries (ties to the lower id). */
final class CpuTopK {
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
            for (int j = 0; j < vocab; j++) {
                float lp = logProb(logits, off, j, forced, banned, max, logZ);
                // ids arrive in ascending order, so an equal value never displaces an earlier (lower) id
                int p;
                if (count < k) {
                    p = count++;
                } else if (lp > outLp[outOff + k - 1]) {
                    p = k - 1;
                } else {
                    continue;
                }
                while (p > 0 && outLp[outOff + p - 1] < lp) {
                    outLp[outOff + p] = outLp[outOff + p - 1];
                    outIds[outOff + p] = outIds[outOff + p - 1];
                    p--;
                }
                outLp[outOff + p] = lp;
                outIds[outOff + p] = j;
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
