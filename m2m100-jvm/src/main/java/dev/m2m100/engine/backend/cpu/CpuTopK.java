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
            float[] topV = new float[k];
            int[] topI = new int[k];
            int count = 0;
            for (int j = 0; j < vocab; j++) {
                float lp;
                if (forced >= 0) {
                    lp = j == forced ? 0f : Float.NEGATIVE_INFINITY;
                } else if (j == banned) {
                    lp = Float.NEGATIVE_INFINITY;
                } else {
                    lp = (logits[off + j] - max) - logZ;
                }
                // ids arrive in ascending order, so an equal value never displaces an earlier (lower) id
                if (count < k) {
                    int p = count++;
                    while (p > 0 && topV[p - 1] < lp) {
                        topV[p] = topV[p - 1];
                        topI[p] = topI[p - 1];
                        p--;
                    }
                    topV[p] = lp;
                    topI[p] = j;
                } else if (lp > topV[k - 1]) {
                    int p = k - 1;
                    while (p > 0 && topV[p - 1] < lp) {
                        topV[p] = topV[p - 1];
                        topI[p] = topI[p - 1];
                        p--;
                    }
                    topV[p] = lp;
                    topI[p] = j;
                }
            }
            System.arraycopy(topV, 0, outLp, outOff, k);
            System.arraycopy(topI, 0, outIds, outOff, k);
            return;
        }
        // large k: sort (value descending, id ascending) packed into longs
        long[] keys = new long[vocab];
        for (int j = 0; j < vocab; j++) {
            float lp;
            if (forced >= 0) {
                lp = j == forced ? 0f : Float.NEGATIVE_INFINITY;
            } else if (j == banned) {
                lp = Float.NEGATIVE_INFINITY;
            } else {
                lp = (logits[off + j] - max) - logZ;
            }
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
}
