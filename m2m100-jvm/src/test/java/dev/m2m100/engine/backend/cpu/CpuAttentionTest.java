package dev.m2m100.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link CpuAttention#attend} against two oracles: its arithmetic written out one key and one output value at a
 * time (bit for bit: a faster grouping of keys or head chunks must keep every result, so the fixtures' ids and
 * batch invariance hold), and a double-precision softmax attention (closeness).
 */
class CpuAttentionTest {

    @Test
    void matchesTheDocumentedArithmeticBitForBitAndADoubleReference() {
        Random r = new Random(2026);
        int cases = 0;
        for (int hd : new int[] {1, 3, 4, 8, 12, 16, 31, 32, 33, 40, 64, 72, 128}) {
            for (int n : new int[] {1, 2, 3, 4, 5, 7, 8, 9, 24, 25, 61}) {
                int stride = hd * (1 + r.nextInt(3)) + r.nextInt(3);
                int kOff = r.nextInt(5);
                int vOff = r.nextInt(5);
                int qOff = r.nextInt(5);
                int outOff = r.nextInt(5);
                float[] q = random(r, qOff + hd, 1.5f);
                float[] k = random(r, kOff + (n - 1) * stride + hd, 1.5f);
                float[] v = random(r, vOff + (n - 1) * stride + hd, 1f);
                float scale = (float) (1 / Math.sqrt(hd));
                float[] out = new float[outOff + hd + 3];
                Arrays.fill(out, Float.NaN);
                CpuAttention.attend(q, qOff, k, kOff, v, vOff, stride, n, hd, scale, out, outOff,
                        new float[CpuAttention.scratchSize(n)]);
                float[] expected = sequential(q, qOff, k, kOff, v, vOff, stride, n, hd, scale);
                double[] exact = exact(q, qOff, k, kOff, v, vOff, stride, n, hd, scale);
                String what = "hd=" + hd + " n=" + n + " stride=" + stride;
                for (int d = 0; d < hd; d++) {
                    if (Float.floatToRawIntBits(expected[d]) != Float.floatToRawIntBits(out[outOff + d])) {
                        fail(what + ": out[" + d + "] = " + out[outOff + d] + ", one key at a time gives " + expected[d]);
                    }
                    assertEquals(exact[d], out[outOff + d], 1e-5 * (1 + Math.abs(exact[d])), what + " d=" + d);
                }
                for (int i = 0; i < outOff; i++) {
                    assertTrue(Float.isNaN(out[i]), what + ": wrote before outOff");
                }
                for (int i = outOff + hd; i < out.length; i++) {
                    assertTrue(Float.isNaN(out[i]), what + ": wrote past the head");
                }
                cases++;
            }
        }
        assertEquals(13 * 11, cases);
    }

    @Test
    void allHeadsAtOnceGiveTheSameBitsAsHeadByHead() {
        Random r = new Random(77);
        int cases = 0;
        for (int heads : new int[] {1, 2, 3, 16}) {
            for (int hd : new int[] {1, 4, 8, 12, 64}) {
                for (int n : new int[] {1, 5, 25}) {
                    int width = heads * hd;
                    int stride = width * (1 + r.nextInt(3)) + r.nextInt(3);
                    int qOff = r.nextInt(4), kOff = r.nextInt(4), vOff = r.nextInt(4), outOff = r.nextInt(4);
                    float[] q = random(r, qOff + width, 1.5f);
                    float[] k = random(r, kOff + (n - 1) * stride + width, 1.5f);
                    float[] v = random(r, vOff + (n - 1) * stride + width, 1f);
                    float scale = (float) (1 / Math.sqrt(hd));
                    float[] together = new float[outOff + width + 2];
                    Arrays.fill(together, Float.NaN);
                    CpuAttention.attendAllHeads(q, qOff, k, kOff, v, vOff, stride, n, heads, hd, scale, together, outOff,
                            new float[CpuAttention.allHeadsScratchSize(heads, n)]);
                    float[] apart = new float[outOff + width + 2];
                    Arrays.fill(apart, Float.NaN);
                    for (int h = 0; h < heads; h++) {
                        CpuAttention.attend(q, qOff + h * hd, k, kOff + h * hd, v, vOff + h * hd, stride, n, hd, scale,
                                apart, outOff + h * hd, new float[CpuAttention.scratchSize(n)]);
                    }
                    for (int i = 0; i < together.length; i++) {
                        assertEquals(Float.floatToRawIntBits(apart[i]), Float.floatToRawIntBits(together[i]),
                                "heads=" + heads + " hd=" + hd + " n=" + n + " element " + i);
                    }
                    cases++;
                }
            }
        }
        assertEquals(4 * 5 * 3, cases);
    }

    /** The documented arithmetic, one key and one output value at a time. */
    private static float[] sequential(float[] q, int qOff, float[] k, int kOff, float[] v, int vOff, int stride, int n,
                                      int hd, float scale) {
        final int lanes = 8;
        int upper = hd - hd % lanes;
        float[] s = new float[n];
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            float[] lane = new float[lanes];
            for (int d = 0; d < upper; d++) {
                lane[d % lanes] = Math.fma(q[qOff + d], k[kOff + j * stride + d], lane[d % lanes]);
            }
            float dot = 0f;
            if (upper > 0) {
                for (float x : lane) {
                    dot += x;
                }
            }
            for (int d = upper; d < hd; d++) {
                dot = Math.fma(q[qOff + d], k[kOff + j * stride + d], dot);
            }
            s[j] = dot * scale;
            max = Math.max(max, s[j]);
        }
        double sum = 0;
        for (int j = 0; j < n; j++) {
            s[j] = SoftmaxMath.exp(s[j] - max);
            sum += s[j];
        }
        float inv = (float) (1.0 / sum);
        float[] out = new float[hd];
        for (int j = 0; j < n; j++) {
            float p = s[j] * inv;
            for (int d = 0; d < hd; d++) {
                out[d] = Math.fma(v[vOff + j * stride + d], p, out[d]);
            }
        }
        return out;
    }

    private static double[] exact(float[] q, int qOff, float[] k, int kOff, float[] v, int vOff, int stride, int n,
                                  int hd, float scale) {
        double[] s = new double[n];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            double dot = 0;
            for (int d = 0; d < hd; d++) {
                dot += (double) q[qOff + d] * k[kOff + j * stride + d];
            }
            s[j] = dot * scale;
            max = Math.max(max, s[j]);
        }
        double sum = 0;
        for (int j = 0; j < n; j++) {
            s[j] = Math.exp(s[j] - max);
            sum += s[j];
        }
        double[] out = new double[hd];
        for (int j = 0; j < n; j++) {
            for (int d = 0; d < hd; d++) {
                out[d] += v[vOff + j * stride + d] * s[j] / sum;
            }
        }
        return out;
    }

    private static float[] random(Random r, int n, float scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (r.nextFloat() * 2 - 1) * scale;
        }
        return a;
    }
}
