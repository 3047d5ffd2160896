package dev.m2m100.engine.backend.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The sums behind a log-softmax over a large vocabulary: max and Σ exp(x − max). exp is a range-reduced
 * degree-7 polynomial built from IEEE add/mul/fma only (relative error below 2e-7), so results are the same in
 * every JIT tier (unlike {@code VectorOperators.EXP}, whose intrinsic and fallback may differ in the last bit);
 * the sum is accumulated in double.
 */
final class SoftmaxMath {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_256;
    private static final int L = F.length();

    private static final float LOG2E = 1.44269504f;
    private static final float LN2_HI = 0.693145752f; // exactly representable head of ln 2
    private static final float LN2_LO = 1.42860677e-6f;
    private static final float MAGIC = 12582912f; // 1.5 * 2^23: adding it rounds to an integer
    private static final float MIN_ARG = -87.3f; // exp below this is under 2^-126: treated as 2^-126 scale
    private static final float C2 = 1f / 2, C3 = 1f / 6, C4 = 1f / 24, C5 = 1f / 120, C6 = 1f / 720, C7 = 1f / 5040;

    private SoftmaxMath() {}

    static float max(float[] a, int off, int n) {
        int i = 0;
        float m = Float.NEGATIVE_INFINITY;
        if (n >= L) {
            FloatVector acc = FloatVector.fromArray(F, a, off);
            for (i = L; i + L <= n; i += L) {
                acc = acc.max(FloatVector.fromArray(F, a, off + i));
            }
            m = acc.reduceLanes(VectorOperators.MAX);
        }
        for (; i < n; i++) {
            m = Math.max(m, a[off + i]);
        }
        return m;
    }

    /** Σ exp(a[i] − max) over n entries (max must be the maximum, so every argument is ≤ 0). */
    static double sumExp(float[] a, int off, int n, float max) {
        FloatVector vmax = FloatVector.broadcast(F, max);
        DoubleVector acc0 = DoubleVector.zero(D);
        DoubleVector acc1 = DoubleVector.zero(D);
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector e = exp(FloatVector.fromArray(F, a, off + i).sub(vmax));
            acc0 = acc0.add(e.convertShape(VectorOperators.F2D, D, 0));
            acc1 = acc1.add(e.convertShape(VectorOperators.F2D, D, 1));
        }
        double[] lanes = new double[D.length()];
        double sum = 0;
        acc0.add(acc1).intoArray(lanes, 0);
        for (double v : lanes) {
            sum += v;
        }
        for (; i < n; i++) {
            sum += exp(a[off + i] - max);
        }
        return sum;
    }

    private static FloatVector exp(FloatVector x) {
        FloatVector y = x.max(MIN_ARG);
        FloatVector t = y.fma(FloatVector.broadcast(F, LOG2E), FloatVector.broadcast(F, MAGIC));
        FloatVector k = t.sub(MAGIC);
        FloatVector r = k.fma(FloatVector.broadcast(F, -LN2_HI), y);
        r = k.fma(FloatVector.broadcast(F, -LN2_LO), r);
        FloatVector p = r.fma(FloatVector.broadcast(F, C7), FloatVector.broadcast(F, C6));
        p = p.fma(r, FloatVector.broadcast(F, C5));
        p = p.fma(r, FloatVector.broadcast(F, C4));
        p = p.fma(r, FloatVector.broadcast(F, C3));
        p = p.fma(r, FloatVector.broadcast(F, C2));
        p = p.fma(r, FloatVector.broadcast(F, 1f));
        p = p.fma(r, FloatVector.broadcast(F, 1f));
        // 2^k built in an int's exponent bits. k is an exact integer (t's low mantissa bits), so converting it equals
        // reinterpreting t and subtracting MAGIC's bits. Not reinterpretAsInts: until C2 compiles this method, the
        // JDK's fallback for a float-to-int reinterpret stores the 256-bit vector with FloatVector.intoMemorySegment
        // into a heap segment, and that profile is the 512-bit GEMM kernels' accumulator store: C2 then compiled
        // them to box every accumulator (case a 2-8x slower for the rest of the process; docs/PERFORMANCE.md).
        var bits = ((IntVector) k.convert(VectorOperators.F2I, 0)).add(127).lanewise(VectorOperators.LSHL, 23);
        return p.mul(bits.reinterpretAsFloats());
    }

    /** The same arithmetic as the vector path, one value at a time. */
    static float exp(float x) {
        float y = Math.max(x, MIN_ARG);
        float t = Math.fma(y, LOG2E, MAGIC);
        float k = t - MAGIC;
        float r = Math.fma(k, -LN2_HI, y);
        r = Math.fma(k, -LN2_LO, r);
        float p = Math.fma(r, C7, C6);
        p = Math.fma(p, r, C5);
        p = Math.fma(p, r, C4);
        p = Math.fma(p, r, C3);
        p = Math.fma(p, r, C2);
        p = Math.fma(p, r, 1f);
        p = Math.fma(p, r, 1f);
        int bits = ((int) k + 127) << 23;
        return p * Float.intBitsToFloat(bits);
    }
}
