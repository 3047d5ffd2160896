package dev.m2m100.engine.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Layer normalisation: per row, the mean and the variance summed in double one element at a time in column order
 * (the order the fixtures' greedy and beam ids were matched with: a lane-wise double sum moved a float mean or
 * scale by one ulp and flipped a near-tie of the tiny fixture), then {@code (x − mean) · inv · γ + β} in float,
 * vectorised with the same four rounded operations per element as the scalar expression. Sequential sums are a
 * chain of dependent adds (≈ 2 µs per 1,024-wide row), so rows go four at a time with one chain each: the same
 * arithmetic per row, four chains in flight.
 */
final class CpuLayerNorm {
    // 256-bit like every other kernel of the backend (see CpuAttention).
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    private static final int L = F.length();
    /** Rows whose sums run side by side. */
    static final int GROUP = 4;

    private CpuLayerNorm() {}

    /**
     * Rows {@code [from, to)} of x (rows of d floats from offset 0) normalised into the same rows of out, with gain
     * {@code g} and bias {@code b} (length d). x and out may be the same array.
     */
    static void rows(float[] x, int d, float[] g, float[] b, float eps, float[] out, int from, int to) {
        int r = from;
        for (; r + GROUP <= to; r += GROUP) {
            final int o0 = r * d;
            final int o1 = o0 + d;
            final int o2 = o1 + d;
            final int o3 = o2 + d;
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            for (int c = 0; c < d; c++) {
                s0 += x[o0 + c];
                s1 += x[o1 + c];
                s2 += x[o2 + c];
                s3 += x[o3 + c];
            }
            final double m0 = s0 / d, m1 = s1 / d, m2 = s2 / d, m3 = s3 / d;
            double q0 = 0, q1 = 0, q2 = 0, q3 = 0;
            for (int c = 0; c < d; c++) {
                double v0 = x[o0 + c] - m0;
                double v1 = x[o1 + c] - m1;
                double v2 = x[o2 + c] - m2;
                double v3 = x[o3 + c] - m3;
                q0 += v0 * v0;
                q1 += v1 * v1;
                q2 += v2 * v2;
                q3 += v3 * v3;
            }
            normalize(x, o0, d, m0, q0, g, b, eps, out);
            normalize(x, o1, d, m1, q1, g, b, eps, out);
            normalize(x, o2, d, m2, q2, g, b, eps, out);
            normalize(x, o3, d, m3, q3, g, b, eps, out);
        }
        for (; r < to; r++) {
            final int o = r * d;
            double s = 0;
            for (int c = 0; c < d; c++) {
                s += x[o + c];
            }
            final double m = s / d;
            double q = 0;
            for (int c = 0; c < d; c++) {
                double v = x[o + c] - m;
                q += v * v;
            }
            normalize(x, o, d, m, q, g, b, eps, out);
        }
    }

    /** out[o .. +d) = (x − mean) · inv · g + b with inv = 1 / √(sq / d + eps), in float. */
    private static void normalize(float[] x, int o, int d, double mean, double sq, float[] g, float[] b, float eps,
                                  float[] out) {
        final float inv = (float) (1.0 / Math.sqrt(sq / d + eps));
        final float m = (float) mean;
        final int upper = d - d % L;
        int c = 0;
        for (; c < upper; c += L) {
            FloatVector.fromArray(F, x, o + c).sub(m).mul(inv).mul(FloatVector.fromArray(F, g, c))
                    .add(FloatVector.fromArray(F, b, c)).intoArray(out, o + c);
        }
        for (; c < d; c++) {
            out[o + c] = (x[o + c] - m) * inv * g[c] + b[c];
        }
    }
}
