package dev.m2m100.engine.backend.cpu.gemm;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.Objects;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code out[m×n] = epilogue(x[m×k] · Wᵀ + bias) + residual} over {@link PackedWeights}.
 *
 * <p>Structure: the pool splits the output columns into {@link PackedWeights#NR}-wide panels (dynamically
 * claimed chunks). For each panel and each K block of {@link #KC} steps, compact formats are first widened
 * into a small per-thread f32 buffer that stays in L1 (exact conversions), then register-blocked micro-kernels
 * ({@link #MR} rows × 16 columns, 2 × 8-lane FMA accumulators per row) sweep all row blocks over that block.
 * For m ≤ {@link #MR} (decode: GEMV) there is a single row block, so every weight byte is streamed from
 * memory exactly once for all rows. Bias, INT8 scale, ReLU and residual are applied once per panel when its
 * last K block is done.
 *
 * <p>Determinism: every output element is one FMA chain over k = 0..k-1 in order, starting from 0, with
 * the same epilogue arithmetic; no code path depends on m, on the row block a row falls in, or on the thread
 * split. A row's result is therefore bit-identical whatever else is in the batch.
 *
 * <p>Requires the {@code jdk.incubator.vector} module. Fast on AVX2 (256-bit vectors) and wider.
 */
public final class Gemm {
    /** Rows per micro-kernel (6 × 2 accumulators + 2 weight vectors + 1 broadcast = 15 of 16 ymm registers). */
    public static final int MR = 6;
    /** K block: a panel block of KC × 16 f32 (16 KiB) stays in L1 across row blocks. */
    public static final int KC = 256;

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final int NR = PackedWeights.NR;
    /** Below this many multiply-adds a call runs on the caller alone: waking a worker costs more. */
    private static final long INLINE_WORK = 1L << 16;

    private Gemm() {
    }

    /**
     * Same as {@link #linear(WorkerPool, float[], int, int, PackedWeights, float[], Epilogue, float[], int,
     * float[], int)} with the residual read at the same offsets as the output (so {@code residual == out}
     * means an in-place residual add).
     */
    public static void linear(WorkerPool pool, float[] x, int xOffset, int m, PackedWeights w, float[] bias,
                              Epilogue epilogue, float[] residual, float[] out, int outOffset) {
        linear(pool, x, xOffset, m, w, bias, epilogue, residual, outOffset, out, outOffset);
    }

    /**
     * Computes, for i in [0, m) and j in [0, n): {@code out[outOffset + i*n + j] =
     * act(Σ_kk x[xOffset + i*k + kk] · W[j][kk] + bias[j]) + residual[residualOffset + i*n + j]}.
     *
     * @param x        row-major activations, rows of length k; must not overlap the output range
     * @param bias     length ≥ n, or null
     * @param epilogue NONE or RELU (applied before the residual add)
     * @param residual row-major m×n added last, or null; may be the output itself (same offset)
     */
    public static void linear(WorkerPool pool, float[] x, int xOffset, int m, PackedWeights w, float[] bias,
                              Epilogue epilogue, float[] residual, int residualOffset, float[] out, int outOffset) {
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(w, "w");
        Objects.requireNonNull(epilogue, "epilogue");
        Objects.requireNonNull(out, "out");
        int n = w.n();
        int k = w.k();
        if (m < 0) {
            throw new IllegalArgumentException("linear: m must be >= 0, got " + m);
        }
        checkRange("x", x.length, xOffset, (long) m * k);
        checkRange("out", out.length, outOffset, (long) m * n);
        if (bias != null && bias.length < n) {
            throw new IllegalArgumentException("linear: bias has " + bias.length + " elements, weights have n=" + n);
        }
        if (residual != null) {
            checkRange("residual", residual.length, residualOffset, (long) m * n);
            if (residual == out && residualOffset != outOffset
                    && overlaps(residualOffset, (long) m * n, outOffset, (long) m * n)) {
                throw new IllegalArgumentException("linear: residual overlaps out at a different offset");
            }
        }
        if (x == out && overlaps(xOffset, (long) m * k, outOffset, (long) m * n)) {
            throw new IllegalArgumentException("linear: x and out overlap");
        }
        if (m == 0) {
            return;
        }
        int panels = w.panels();
        long work = (long) m * n * k;
        int grain = work < INLINE_WORK ? panels : Math.max(1, panels / (pool.parallelism() * 8));
        boolean relu = epilogue == Epilogue.RELU;
        pool.parallelFor(panels, grain, (worker, from, to) -> panels(pool.scratch(worker), x, xOffset, m, w, bias,
                relu, residual, residualOffset, out, outOffset, from, to));
    }

    private static void checkRange(String what, int length, int offset, long size) {
        if (offset < 0 || offset + size > length) {
            throw new IllegalArgumentException("linear: " + what + " has " + length + " elements, needs " + size
                    + " from offset " + offset);
        }
    }

    private static boolean overlaps(long a, long aLen, long b, long bLen) {
        return a < b + bLen && b < a + aLen;
    }

    private static void panels(WorkerScratch scratch, float[] x, int xOffset, int m, PackedWeights w, float[] bias,
                               boolean relu, float[] residual, int rOffset, float[] out, int oOffset,
                               int fromPanel, int toPanel) {
        final int k = w.k();
        final WeightFormat format = w.format();
        final MemorySegment data = w.data();
        final long bytesPerStep = (long) NR * format.bytesPerWeight();
        final float[] acc = scratch.floats(m * NR);
        final MemorySegment wide = format == WeightFormat.F32 ? null : scratch.segment((long) KC * NR * 4);
        for (int p = fromPanel; p < toPanel; p++) {
            for (int k0 = 0; k0 < k; k0 += KC) {
                final int kLen = Math.min(KC, k - k0);
                final long src = ((long) p * k + k0) * bytesPerStep;
                final MemorySegment b;
                final long bOff;
                switch (format) {
                    case F32 -> {
                        b = data;
                        bOff = src;
                    }
                    case BF16 -> {
                        widenBf16(data, src, kLen, wide);
                        b = wide;
                        bOff = 0;
                    }
                    case F16 -> {
                        widenF16(data, src, kLen, wide);
                        b = wide;
                        bOff = 0;
                    }
                    case INT8 -> {
                        widenInt8(data, src, kLen, wide);
                        b = wide;
                        bOff = 0;
                    }
                    default -> throw new IllegalStateException("unknown format " + format);
                }
                final boolean first = k0 == 0;
                for (int r = 0; r < m; r += MR) {
                    final int xo = xOffset + r * k + k0;
                    final int ao = r * NR;
                    switch (Math.min(MR, m - r)) {
                        case 6 -> kernel6(x, xo, k, b, bOff, kLen, acc, ao, first);
                        case 5 -> kernel5(x, xo, k, b, bOff, kLen, acc, ao, first);
                        case 4 -> kernel4(x, xo, k, b, bOff, kLen, acc, ao, first);
                        case 3 -> kernel3(x, xo, k, b, bOff, kLen, acc, ao, first);
                        case 2 -> kernel2(x, xo, k, b, bOff, kLen, acc, ao, first);
                        default -> kernel1(x, xo, k, b, bOff, kLen, acc, ao, first);
                    }
                }
            }
            store(p, m, w, acc, bias, relu, residual, rOffset, out, oOffset);
        }
    }

    /** Applies the epilogue to one finished panel of all m rows and writes it to out. */
    private static void store(int p, int m, PackedWeights w, float[] acc, float[] bias, boolean relu,
                              float[] residual, int rOffset, float[] out, int oOffset) {
        final int n = w.n();
        final int j0 = p * NR;
        final float[] scales = w.scales();
        if (j0 + NR <= n) {
            FloatVector s0 = null, s1 = null, b0 = null, b1 = null;
            if (scales != null) {
                s0 = FloatVector.fromArray(S, scales, j0);
                s1 = FloatVector.fromArray(S, scales, j0 + 8);
            }
            if (bias != null) {
                b0 = FloatVector.fromArray(S, bias, j0);
                b1 = FloatVector.fromArray(S, bias, j0 + 8);
            }
            for (int i = 0; i < m; i++) {
                FloatVector v0 = FloatVector.fromArray(S, acc, i * NR);
                FloatVector v1 = FloatVector.fromArray(S, acc, i * NR + 8);
                if (scales != null) {
                    v0 = v0.mul(s0);
                    v1 = v1.mul(s1);
                }
                if (bias != null) {
                    v0 = v0.add(b0);
                    v1 = v1.add(b1);
                }
                if (relu) {
                    v0 = v0.lanewise(VectorOperators.MAX, 0f);
                    v1 = v1.lanewise(VectorOperators.MAX, 0f);
                }
                if (residual != null) {
                    int ro = rOffset + i * n + j0;
                    v0 = v0.add(FloatVector.fromArray(S, residual, ro));
                    v1 = v1.add(FloatVector.fromArray(S, residual, ro + 8));
                }
                int o = oOffset + i * n + j0;
                v0.intoArray(out, o);
                v1.intoArray(out, o + 8);
            }
        } else {
            // Tail panel: the same IEEE operations, one lane at a time.
            final int valid = n - j0;
            for (int i = 0; i < m; i++) {
                for (int jj = 0; jj < valid; jj++) {
                    float v = acc[i * NR + jj];
                    if (scales != null) {
                        v = v * scales[j0 + jj];
                    }
                    if (bias != null) {
                        v = v + bias[j0 + jj];
                    }
                    if (relu) {
                        v = Math.max(v, 0f);
                    }
                    if (residual != null) {
                        v = v + residual[rOffset + i * n + j0 + jj];
                    }
                    out[oOffset + i * n + j0 + jj] = v;
                }
            }
        }
    }

    // ------------------------------------------------------------------------------ widening to f32 (exact)

    private static final VectorSpecies<Short> S16 = ShortVector.SPECIES_128;
    private static final VectorSpecies<Byte> S8 = ByteVector.SPECIES_64;
    private static final VectorSpecies<Integer> SI = IntVector.SPECIES_256;

    /** bf16 → f32: sign-extend to int, shift into the upper half. */
    static void widenBf16(MemorySegment src, long srcOff, int kLen, MemorySegment dst) {
        final int vectors = kLen * (NR / 8);
        for (int v = 0; v < vectors; v++) {
            IntVector i = (IntVector) ShortVector.fromMemorySegment(S16, src, srcOff + 16L * v, LE)
                    .convertShape(VectorOperators.S2I, SI, 0);
            i.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().intoMemorySegment(dst, 32L * v, LE);
        }
    }

    /**
     * f16 → f32 without a per-element call: put exponent+mantissa at float bit 13, which is the value
     * scaled by 2^-112 (also exact for subnormals), multiply by 2^112, then restore the sign. Inf/NaN never
     * occur: packing rejects them.
     */
    static void widenF16(MemorySegment src, long srcOff, int kLen, MemorySegment dst) {
        final int vectors = kLen * (NR / 8);
        for (int v = 0; v < vectors; v++) {
            IntVector i = (IntVector) ShortVector.fromMemorySegment(S16, src, srcOff + 16L * v, LE)
                    .convertShape(VectorOperators.S2I, SI, 0);
            FloatVector magnitude = i.and(0x7fff).lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f);
            magnitude.reinterpretAsInts().or(i.and(0x8000_0000)).reinterpretAsFloats().intoMemorySegment(dst, 32L * v, LE);
        }
    }

    /** int8 → f32 (the per-channel scale is applied in the epilogue). */
    static void widenInt8(MemorySegment src, long srcOff, int kLen, MemorySegment dst) {
        final int vectors = kLen * (NR / 8);
        for (int v = 0; v < vectors; v++) {
            ByteVector.fromMemorySegment(S8, src, srcOff + 8L * v, LE)
                    .convertShape(VectorOperators.B2F, S, 0).reinterpretAsFloats().intoMemorySegment(dst, 32L * v, LE);
        }
    }

    // -------------------------------------------------------------------------------- micro-kernels
    // Generated shape: R rows × 16 columns; c{r}{0,1} accumulate row r. Each step broadcasts x[r][kk] and does
    // one FMA per accumulator, so every element's sum runs over kk in the same order in every kernel.

    /** Accumulates 1 row(s) × 16 columns over kLen steps of k; B rows are 64 bytes apart. */
    private static void kernel1(float[] x, int xo, int ldx, MemorySegment b, long bOff, int kLen, float[] acc, int ao, boolean first) {
        FloatVector c00, c01;
        if (first) {
            c00 = FloatVector.zero(S);
            c01 = FloatVector.zero(S);
        } else {
            c00 = FloatVector.fromArray(S, acc, ao + 0);
            c01 = FloatVector.fromArray(S, acc, ao + 8);
        }
        final int x0 = xo;
        long off = bOff;
        for (int kk = 0; kk < kLen; kk++, off += 64) {
            FloatVector b0 = FloatVector.fromMemorySegment(S, b, off, LE);
            FloatVector b1 = FloatVector.fromMemorySegment(S, b, off + 32, LE);
            FloatVector a0 = FloatVector.broadcast(S, x[x0 + kk]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
        }
        c00.intoArray(acc, ao + 0);
        c01.intoArray(acc, ao + 8);
    }

    /** Accumulates 2 row(s) × 16 columns over kLen steps of k; B rows are 64 bytes apart. */
    private static void kernel2(float[] x, int xo, int ldx, MemorySegment b, long bOff, int kLen, float[] acc, int ao, boolean first) {
        FloatVector c00, c01;
        FloatVector c10, c11;
        if (first) {
            c00 = FloatVector.zero(S);
            c01 = FloatVector.zero(S);
            c10 = FloatVector.zero(S);
            c11 = FloatVector.zero(S);
        } else {
            c00 = FloatVector.fromArray(S, acc, ao + 0);
            c01 = FloatVector.fromArray(S, acc, ao + 8);
            c10 = FloatVector.fromArray(S, acc, ao + 16);
            c11 = FloatVector.fromArray(S, acc, ao + 24);
        }
        final int x0 = xo;
        final int x1 = xo + 1 * ldx;
        long off = bOff;
        for (int kk = 0; kk < kLen; kk++, off += 64) {
            FloatVector b0 = FloatVector.fromMemorySegment(S, b, off, LE);
            FloatVector b1 = FloatVector.fromMemorySegment(S, b, off + 32, LE);
            FloatVector a0 = FloatVector.broadcast(S, x[x0 + kk]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, x[x1 + kk]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
        }
        c00.intoArray(acc, ao + 0);
        c01.intoArray(acc, ao + 8);
        c10.intoArray(acc, ao + 16);
        c11.intoArray(acc, ao + 24);
    }

    /** Accumulates 3 row(s) × 16 columns over kLen steps of k; B rows are 64 bytes apart. */
    private static void kernel3(float[] x, int xo, int ldx, MemorySegment b, long bOff, int kLen, float[] acc, int ao, boolean first) {
        FloatVector c00, c01;
        FloatVector c10, c11;
        FloatVector c20, c21;
        if (first) {
            c00 = FloatVector.zero(S);
            c01 = FloatVector.zero(S);
            c10 = FloatVector.zero(S);
            c11 = FloatVector.zero(S);
            c20 = FloatVector.zero(S);
            c21 = FloatVector.zero(S);
        } else {
            c00 = FloatVector.fromArray(S, acc, ao + 0);
            c01 = FloatVector.fromArray(S, acc, ao + 8);
            c10 = FloatVector.fromArray(S, acc, ao + 16);
            c11 = FloatVector.fromArray(S, acc, ao + 24);
            c20 = FloatVector.fromArray(S, acc, ao + 32);
            c21 = FloatVector.fromArray(S, acc, ao + 40);
        }
        final int x0 = xo;
        final int x1 = xo + 1 * ldx;
        final int x2 = xo + 2 * ldx;
        long off = bOff;
        for (int kk = 0; kk < kLen; kk++, off += 64) {
            FloatVector b0 = FloatVector.fromMemorySegment(S, b, off, LE);
            FloatVector b1 = FloatVector.fromMemorySegment(S, b, off + 32, LE);
            FloatVector a0 = FloatVector.broadcast(S, x[x0 + kk]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, x[x1 + kk]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, x[x2 + kk]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
        }
        c00.intoArray(acc, ao + 0);
        c01.intoArray(acc, ao + 8);
        c10.intoArray(acc, ao + 16);
        c11.intoArray(acc, ao + 24);
        c20.intoArray(acc, ao + 32);
        c21.intoArray(acc, ao + 40);
    }

    /** Accumulates 4 row(s) × 16 columns over kLen steps of k; B rows are 64 bytes apart. */
    private static void kernel4(float[] x, int xo, int ldx, MemorySegment b, long bOff, int kLen, float[] acc, int ao, boolean first) {
        FloatVector c00, c01;
        FloatVector c10, c11;
        FloatVector c20, c21;
        FloatVector c30, c31;
        if (first) {
            c00 = FloatVector.zero(S);
            c01 = FloatVector.zero(S);
            c10 = FloatVector.zero(S);
            c11 = FloatVector.zero(S);
            c20 = FloatVector.zero(S);
            c21 = FloatVector.zero(S);
            c30 = FloatVector.zero(S);
            c31 = FloatVector.zero(S);
        } else {
            c00 = FloatVector.fromArray(S, acc, ao + 0);
            c01 = FloatVector.fromArray(S, acc, ao + 8);
            c10 = FloatVector.fromArray(S, acc, ao + 16);
            c11 = FloatVector.fromArray(S, acc, ao + 24);
            c20 = FloatVector.fromArray(S, acc, ao + 32);
            c21 = FloatVector.fromArray(S, acc, ao + 40);
            c30 = FloatVector.fromArray(S, acc, ao + 48);
            c31 = FloatVector.fromArray(S, acc, ao + 56);
        }
        final int x0 = xo;
        final int x1 = xo + 1 * ldx;
        final int x2 = xo + 2 * ldx;
        final int x3 = xo + 3 * ldx;
        long off = bOff;
        for (int kk = 0; kk < kLen; kk++, off += 64) {
            FloatVector b0 = FloatVector.fromMemorySegment(S, b, off, LE);
            FloatVector b1 = FloatVector.fromMemorySegment(S, b, off + 32, LE);
            FloatVector a0 = FloatVector.broadcast(S, x[x0 + kk]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, x[x1 + kk]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, x[x2 + kk]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, x[x3 + kk]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
        }
        c00.intoArray(acc, ao + 0);
        c01.intoArray(acc, ao + 8);
        c10.intoArray(acc, ao + 16);
        c11.intoArray(acc, ao + 24);
        c20.intoArray(acc, ao + 32);
        c21.intoArray(acc, ao + 40);
        c30.intoArray(acc, ao + 48);
        c31.intoArray(acc, ao + 56);
    }

    /** Accumulates 5 row(s) × 16 columns over kLen steps of k; B rows are 64 bytes apart. */
    private static void kernel5(float[] x, int xo, int ldx, MemorySegment b, long bOff, int kLen, float[] acc, int ao, boolean first) {
        FloatVector c00, c01;
        FloatVector c10, c11;
        FloatVector c20, c21;
        FloatVector c30, c31;
        FloatVector c40, c41;
        if (first) {
            c00 = FloatVector.zero(S);
            c01 = FloatVector.zero(S);
            c10 = FloatVector.zero(S);
            c11 = FloatVector.zero(S);
            c20 = FloatVector.zero(S);
            c21 = FloatVector.zero(S);
            c30 = FloatVector.zero(S);
            c31 = FloatVector.zero(S);
            c40 = FloatVector.zero(S);
            c41 = FloatVector.zero(S);
        } else {
            c00 = FloatVector.fromArray(S, acc, ao + 0);
            c01 = FloatVector.fromArray(S, acc, ao + 8);
            c10 = FloatVector.fromArray(S, acc, ao + 16);
            c11 = FloatVector.fromArray(S, acc, ao + 24);
            c20 = FloatVector.fromArray(S, acc, ao + 32);
            c21 = FloatVector.fromArray(S, acc, ao + 40);
            c30 = FloatVector.fromArray(S, acc, ao + 48);
            c31 = FloatVector.fromArray(S, acc, ao + 56);
            c40 = FloatVector.fromArray(S, acc, ao + 64);
            c41 = FloatVector.fromArray(S, acc, ao + 72);
        }
        final int x0 = xo;
        final int x1 = xo + 1 * ldx;
        final int x2 = xo + 2 * ldx;
        final int x3 = xo + 3 * ldx;
        final int x4 = xo + 4 * ldx;
        long off = bOff;
        for (int kk = 0; kk < kLen; kk++, off += 64) {
            FloatVector b0 = FloatVector.fromMemorySegment(S, b, off, LE);
            FloatVector b1 = FloatVector.fromMemorySegment(S, b, off + 32, LE);
            FloatVector a0 = FloatVector.broadcast(S, x[x0 + kk]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, x[x1 + kk]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, x[x2 + kk]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, x[x3 + kk]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(S, x[x4 + kk]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
        }
        c00.intoArray(acc, ao + 0);
        c01.intoArray(acc, ao + 8);
        c10.intoArray(acc, ao + 16);
        c11.intoArray(acc, ao + 24);
        c20.intoArray(acc, ao + 32);
        c21.intoArray(acc, ao + 40);
        c30.intoArray(acc, ao + 48);
        c31.intoArray(acc, ao + 56);
        c40.intoArray(acc, ao + 64);
        c41.intoArray(acc, ao + 72);
    }

    /** Accumulates 6 row(s) × 16 columns over kLen steps of k; B rows are 64 bytes apart. */
    private static void kernel6(float[] x, int xo, int ldx, MemorySegment b, long bOff, int kLen, float[] acc, int ao, boolean first) {
        FloatVector c00, c01;
        FloatVector c10, c11;
        FloatVector c20, c21;
        FloatVector c30, c31;
        FloatVector c40, c41;
        FloatVector c50, c51;
        if (first) {
            c00 = FloatVector.zero(S);
            c01 = FloatVector.zero(S);
            c10 = FloatVector.zero(S);
            c11 = FloatVector.zero(S);
            c20 = FloatVector.zero(S);
            c21 = FloatVector.zero(S);
            c30 = FloatVector.zero(S);
            c31 = FloatVector.zero(S);
            c40 = FloatVector.zero(S);
            c41 = FloatVector.zero(S);
            c50 = FloatVector.zero(S);
            c51 = FloatVector.zero(S);
        } else {
            c00 = FloatVector.fromArray(S, acc, ao + 0);
            c01 = FloatVector.fromArray(S, acc, ao + 8);
            c10 = FloatVector.fromArray(S, acc, ao + 16);
            c11 = FloatVector.fromArray(S, acc, ao + 24);
            c20 = FloatVector.fromArray(S, acc, ao + 32);
            c21 = FloatVector.fromArray(S, acc, ao + 40);
            c30 = FloatVector.fromArray(S, acc, ao + 48);
            c31 = FloatVector.fromArray(S, acc, ao + 56);
            c40 = FloatVector.fromArray(S, acc, ao + 64);
            c41 = FloatVector.fromArray(S, acc, ao + 72);
            c50 = FloatVector.fromArray(S, acc, ao + 80);
            c51 = FloatVector.fromArray(S, acc, ao + 88);
        }
        final int x0 = xo;
        final int x1 = xo + 1 * ldx;
        final int x2 = xo + 2 * ldx;
        final int x3 = xo + 3 * ldx;
        final int x4 = xo + 4 * ldx;
        final int x5 = xo + 5 * ldx;
        long off = bOff;
        for (int kk = 0; kk < kLen; kk++, off += 64) {
            FloatVector b0 = FloatVector.fromMemorySegment(S, b, off, LE);
            FloatVector b1 = FloatVector.fromMemorySegment(S, b, off + 32, LE);
            FloatVector a0 = FloatVector.broadcast(S, x[x0 + kk]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, x[x1 + kk]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, x[x2 + kk]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, x[x3 + kk]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(S, x[x4 + kk]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(S, x[x5 + kk]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
        }
        c00.intoArray(acc, ao + 0);
        c01.intoArray(acc, ao + 8);
        c10.intoArray(acc, ao + 16);
        c11.intoArray(acc, ao + 24);
        c20.intoArray(acc, ao + 32);
        c21.intoArray(acc, ao + 40);
        c30.intoArray(acc, ao + 48);
        c31.intoArray(acc, ao + 56);
        c40.intoArray(acc, ao + 64);
        c41.intoArray(acc, ao + 72);
        c50.intoArray(acc, ao + 80);
        c51.intoArray(acc, ao + 88);
    }
}
