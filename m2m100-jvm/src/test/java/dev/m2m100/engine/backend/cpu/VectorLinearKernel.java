package dev.m2m100.engine.backend.cpu;

import dev.m2m100.engine.backend.Epilogue;
import dev.m2m100.engine.backend.RawMatrix;
import dev.m2m100.engine.backend.WeightRole;
import dev.m2m100.engine.backend.cpu.gemm.WorkerPool;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The plain Vector API linear kernel: dot products of an input row with weight rows (both contiguous in k),
 * blocked 2 rows × 4 outputs to reuse loads, with output columns split across the worker pool. Every output
 * element is one vector FMA chain over k, a fixed-order sum of its lanes, then a scalar FMA tail, whatever the
 * block it falls in, so results do not depend on the batch or the thread count.
 */
public final class VectorLinearKernel implements LinearKernel {

    private final WorkerPool pool;

    public VectorLinearKernel(WorkerPool pool) {
        this.pool = pool;
    }

    // 256-bit like every other kernel of the backend, not SPECIES_PREFERRED (512 on AVX-512 machines): a
    // second vector shape makes the JIT's type profiles of shared Vector API methods (fma, lanewise)
    // polymorphic, and the GEMV kernels compiled against such a profile fell back to boxed vectors (4x slower).
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    private static final int L = S.length();

    private record Plain(float[] w, int outFeatures, int inFeatures) implements PackedWeight {
        @Override
        public void readRow(int row, float[] dst, int off) {
            System.arraycopy(w, row * inFeatures, dst, off, inFeatures);
        }
    }

    /** Float32 whatever the role: the reference kernel keeps a plain copy. */
    @Override
    public PackedWeight pack(WeightRole role, RawMatrix... rowBlocks) {
        return new Plain(RawMatrix.stackedToFloat(rowBlocks), RawMatrix.stackedRows(rowBlocks),
                RawMatrix.stackedCols(rowBlocks));
    }

    @Override
    public void apply(float[] x, int rows, PackedWeight packed, float[] bias, Epilogue epilogue, float[] out) {
        Plain p = (Plain) packed;
        int outs = p.outFeatures();
        int in = p.inFeatures();
        int threads = pool.parallelism();
        // Chunks of whole 4-output blocks, a few per thread for balance.
        int chunk = Math.max(4, ((outs + threads * 4 - 1) / (threads * 4) + 3) / 4 * 4);
        if ((long) rows * outs * in < 32_768) {
            chunk = outs; // too small to be worth waking the pool
        }
        int tasks = (outs + chunk - 1) / chunk;
        final int c = chunk;
        pool.parallelFor(tasks, 1, (worker, from, to) -> {
            for (int t = from; t < to; t++) {
                int o0 = t * c;
                int o1 = Math.min(outs, o0 + c);
                compute(x, rows, in, p.w(), o0, o1, outs, bias, epilogue, out);
            }
        });
    }

    /** Output columns per cache block: their weight rows stay in L2 while every input row passes over them. */
    private static final int BLOCK_BYTES = 128 * 1024;

    private static void compute(float[] x, int rows, int in, float[] w, int o0, int o1, int outs, float[] bias,
                                Epilogue ep, float[] out) {
        int block = Math.max(4, BLOCK_BYTES / (4 * in) / 4 * 4);
        for (int b = o0; b < o1; b += block) {
            computeBlock(x, rows, in, w, b, Math.min(o1, b + block), outs, bias, ep, out);
        }
    }

    private static void computeBlock(float[] x, int rows, int in, float[] w, int o0, int o1, int outs, float[] bias,
                                     Epilogue ep, float[] out) {
        float[] sums = new float[8];
        int r = 0;
        for (; r + 2 <= rows; r += 2) {
            int o = o0;
            for (; o + 4 <= o1; o += 4) {
                dot2x4(x, r * in, (r + 1) * in, w, o * in, in, sums);
                for (int j = 0; j < 4; j++) {
                    store(out, r * outs + o + j, sums[j], bias, o + j, ep);
                    store(out, (r + 1) * outs + o + j, sums[4 + j], bias, o + j, ep);
                }
            }
            for (; o < o1; o++) {
                store(out, r * outs + o, dot(x, r * in, w, o * in, in), bias, o, ep);
                store(out, (r + 1) * outs + o, dot(x, (r + 1) * in, w, o * in, in), bias, o, ep);
            }
        }
        for (; r < rows; r++) {
            int o = o0;
            for (; o + 4 <= o1; o += 4) {
                dot1x4(x, r * in, w, o * in, in, sums);
                for (int j = 0; j < 4; j++) {
                    store(out, r * outs + o + j, sums[j], bias, o + j, ep);
                }
            }
            for (; o < o1; o++) {
                store(out, r * outs + o, dot(x, r * in, w, o * in, in), bias, o, ep);
            }
        }
    }

    private static void store(float[] out, int idx, float dot, float[] bias, int o, Epilogue ep) {
        float y = bias == null ? dot : dot + bias[o];
        switch (ep) {
            case NONE -> out[idx] = y;
            case RELU -> out[idx] = Math.max(y, 0f);
            case RESIDUAL -> out[idx] = out[idx] + y;
        }
    }

    /** Fixed-order sum of a vector's lanes (the Vector API's reduceLanes leaves the order open). */
    static float laneSum(FloatVector v, float[] tmp) {
        v.intoArray(tmp, 0);
        float s = 0f;
        for (int i = 0; i < L; i++) {
            s += tmp[i];
        }
        return s;
    }

    /** One output element: the reference sequence every blocked path reproduces. */
    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        int upper = n - n % L;
        FloatVector acc = FloatVector.zero(S);
        for (int k = 0; k < upper; k += L) {
            acc = FloatVector.fromArray(S, a, ao + k).fma(FloatVector.fromArray(S, b, bo + k), acc);
        }
        float s = laneSum(acc, new float[L]);
        for (int k = upper; k < n; k++) {
            s = Math.fma(a[ao + k], b[bo + k], s);
        }
        return s;
    }

    private static void dot1x4(float[] x, int xo, float[] w, int wo, int n, float[] sums) {
        int upper = n - n % L;
        FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S), a2 = FloatVector.zero(S),
                a3 = FloatVector.zero(S);
        int w1 = wo + n, w2 = wo + 2 * n, w3 = wo + 3 * n;
        for (int k = 0; k < upper; k += L) {
            FloatVector xv = FloatVector.fromArray(S, x, xo + k);
            a0 = xv.fma(FloatVector.fromArray(S, w, wo + k), a0);
            a1 = xv.fma(FloatVector.fromArray(S, w, w1 + k), a1);
            a2 = xv.fma(FloatVector.fromArray(S, w, w2 + k), a2);
            a3 = xv.fma(FloatVector.fromArray(S, w, w3 + k), a3);
        }
        float[] tmp = new float[L];
        float s0 = laneSum(a0, tmp), s1 = laneSum(a1, tmp), s2 = laneSum(a2, tmp), s3 = laneSum(a3, tmp);
        for (int k = upper; k < n; k++) {
            float xk = x[xo + k];
            s0 = Math.fma(xk, w[wo + k], s0);
            s1 = Math.fma(xk, w[w1 + k], s1);
            s2 = Math.fma(xk, w[w2 + k], s2);
            s3 = Math.fma(xk, w[w3 + k], s3);
        }
        sums[0] = s0;
        sums[1] = s1;
        sums[2] = s2;
        sums[3] = s3;
    }

    private static void dot2x4(float[] x, int xo0, int xo1, float[] w, int wo, int n, float[] sums) {
        int upper = n - n % L;
        FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S), a2 = FloatVector.zero(S),
                a3 = FloatVector.zero(S);
        FloatVector b0 = FloatVector.zero(S), b1 = FloatVector.zero(S), b2 = FloatVector.zero(S),
                b3 = FloatVector.zero(S);
        int w1 = wo + n, w2 = wo + 2 * n, w3 = wo + 3 * n;
        for (int k = 0; k < upper; k += L) {
            FloatVector x0 = FloatVector.fromArray(S, x, xo0 + k);
            FloatVector x1 = FloatVector.fromArray(S, x, xo1 + k);
            FloatVector v0 = FloatVector.fromArray(S, w, wo + k);
            a0 = x0.fma(v0, a0);
            b0 = x1.fma(v0, b0);
            FloatVector v1 = FloatVector.fromArray(S, w, w1 + k);
            a1 = x0.fma(v1, a1);
            b1 = x1.fma(v1, b1);
            FloatVector v2 = FloatVector.fromArray(S, w, w2 + k);
            a2 = x0.fma(v2, a2);
            b2 = x1.fma(v2, b2);
            FloatVector v3 = FloatVector.fromArray(S, w, w3 + k);
            a3 = x0.fma(v3, a3);
            b3 = x1.fma(v3, b3);
        }
        float[] tmp = new float[L];
        float s0 = laneSum(a0, tmp), s1 = laneSum(a1, tmp), s2 = laneSum(a2, tmp), s3 = laneSum(a3, tmp);
        float t0 = laneSum(b0, tmp), t1 = laneSum(b1, tmp), t2 = laneSum(b2, tmp), t3 = laneSum(b3, tmp);
        for (int k = upper; k < n; k++) {
            float xk = x[xo0 + k];
            float yk = x[xo1 + k];
            s0 = Math.fma(xk, w[wo + k], s0);
            s1 = Math.fma(xk, w[w1 + k], s1);
            s2 = Math.fma(xk, w[w2 + k], s2);
            s3 = Math.fma(xk, w[w3 + k], s3);
            t0 = Math.fma(yk, w[wo + k], t0);
            t1 = Math.fma(yk, w[w1 + k], t1);
            t2 = Math.fma(yk, w[w2 + k], t2);
            t3 = Math.fma(yk, w[w3 + k], t3);
        }
        sums[0] = s0;
        sums[1] = s1;
        sums[2] = s2;
        sums[3] = s3;
        sums[4] = t0;
        sums[5] = t1;
        sums[6] = t2;
        sums[7] = t3;
    }
}
