package dev.m2m100.engine.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** Scaled dot-product attention of one query head over n key/value rows, in float32. */
final class CpuAttention {
    // 256-bit like every other kernel of the backend, not SPECIES_PREFERRED (512 on AVX-512 machines): a
    // second vector shape makes the JIT's type profiles of shared Vector API methods (fma, lanewise)
    // polymorphic, and the GEMV kernels compiled against such a profile fell back to boxed vectors (4x slower).
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    private static final int L = S.length();

    private CpuAttention() {}

    /** Floats of scratch {@link #attend} needs for {@code n} keys. */
    static int scratchSize(int n) {
        return n + L;
    }

    /**
     * out[outOff .. +hd) = softmax_j(q·k_j · scale) · v_j for j < n, where k_j starts at kOff + j·stride in
     * {@code k} (likewise v). {@code scratch} must hold {@link #scratchSize}{@code (n)} floats.
     */
    static void attend(float[] q, int qOff, float[] k, int kOff, float[] v, int vOff, int stride, int n, int hd,
                       float scale, float[] out, int outOff, float[] scratch) {
        float[] scores = scratch; // [0, n): the scores; [n, n + L): the lanes of a dot product
        for (int j = 0; j < n; j++) {
            scores[j] = dot(q, qOff, k, kOff + j * stride, hd, scratch, n) * scale;
        }
        float inv = expInPlace(scores, 0, n);
        java.util.Arrays.fill(out, outOff, outOff + hd, 0f);
        for (int j = 0; j < n; j++) {
            addScaled(v, vOff + j * stride, scores[j] * inv, out, outOff, hd);
        }
    }

    /** Floats of scratch {@link #attendAllHeads} needs for {@code heads} heads over {@code n} keys. */
    static int allHeadsScratchSize(int heads, int n) {
        return heads * n + heads + L;
    }

    /**
     * {@link #attend} for all {@code heads} heads of one query row at once: head h's query, keys, values and output
     * start {@code h·hd} after qOff, kOff + j·stride, vOff + j·stride and outOff. The same arithmetic per head (so
     * the same bits), in another order: key row j of every head is used before row j + 1, so the keys (then the
     * values) of a row are read front to back, one contiguous stream, where head by head the reads hop 4 KiB
     * (one row of the cache) per key and re-walk the same pages for every head. {@code scratch} must hold
     * {@link #allHeadsScratchSize}{@code (heads, n)} floats.
     */
    static void attendAllHeads(float[] q, int qOff, float[] k, int kOff, float[] v, int vOff, int stride, int n,
                               int heads, int hd, float scale, float[] out, int outOff, float[] scratch) {
        final int inv0 = heads * n; // [0, heads·n): scores by head; then the heads' 1/Σ; then dot-product lanes
        final int lanes = inv0 + heads;
        for (int j = 0; j < n; j++) {
            final int kj = kOff + j * stride;
            for (int h = 0; h < heads; h++) {
                scratch[h * n + j] = dot(q, qOff + h * hd, k, kj + h * hd, hd, scratch, lanes) * scale;
            }
        }
        for (int h = 0; h < heads; h++) {
            scratch[inv0 + h] = expInPlace(scratch, h * n, n);
        }
        java.util.Arrays.fill(out, outOff, outOff + heads * hd, 0f);
        for (int j = 0; j < n; j++) {
            final int vj = vOff + j * stride;
            for (int h = 0; h < heads; h++) {
                addScaled(v, vj + h * hd, scratch[h * n + j] * scratch[inv0 + h], out, outOff + h * hd, hd);
            }
        }
    }

    /** s[off .. +n) := exp(s − max) in place; returns 1 / Σ (the sum in double, in order) as a float. */
    private static float expInPlace(float[] s, int off, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            max = Math.max(max, s[off + j]);
        }
        double sum = 0;
        for (int j = 0; j < n; j++) {
            float e = SoftmaxMath.exp(s[off + j] - max);
            s[off + j] = e;
            sum += e;
        }
        return (float) (1.0 / sum);
    }

    /** out[oo .. +hd) = fma(v[vo .. +hd), p, out): one more step of each output value's chain over the keys. */
    private static void addScaled(float[] v, int vo, float p, float[] out, int oo, int hd) {
        final int upper = hd - hd % L;
        int d = 0;
        if (upper > 0) {
            FloatVector pv = FloatVector.broadcast(S, p);
            for (; d < upper; d += L) {
                FloatVector.fromArray(S, v, vo + d).fma(pv, FloatVector.fromArray(S, out, oo + d)).intoArray(out, oo + d);
            }
        }
        for (; d < hd; d++) {
            out[oo + d] = Math.fma(v[vo + d], p, out[oo + d]);
        }
    }

    /** q·k over hd values: one vector FMA chain, a fixed-order lane sum, a scalar FMA tail. */
    private static float dot(float[] a, int ao, float[] b, int bo, int n, float[] lanes, int lanesOff) {
        int upper = n - n % L;
        float s = 0f;
        if (upper > 0) {
            FloatVector acc = FloatVector.zero(S);
            for (int k = 0; k < upper; k += L) {
                acc = FloatVector.fromArray(S, a, ao + k).fma(FloatVector.fromArray(S, b, bo + k), acc);
            }
            acc.intoArray(lanes, lanesOff);
            for (int i = 0; i < L; i++) {
                s += lanes[lanesOff + i];
            }
        }
        for (int k = upper; k < n; k++) {
            s = Math.fma(a[ao + k], b[bo + k], s);
        }
        return s;
    }
}
