package dev.m2m100.engine.backend.cpu.gemm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Objects;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code out[m×n] = epilogue(x[m×k] · Wᵀ + bias) + residual} over {@link PackedWeights}.
 *
 * <p>Structure: the pool splits the output columns into {@link PackedWeights#NR}-wide panels (dynamically
 * claimed chunks). Each participant packs x once per call into row blocks of mr rows ({@link #MR}, or
 * {@link #ROWS_16_REGISTERS} where the JVM has 16 vector registers; [kk][row] order, so broadcasts read consecutive
 * floats). For each panel and each K block of {@link #KC} steps, register-blocked micro-kernels (mr rows × 16
 * columns, 2 × 8-lane FMA accumulators per row) sweep all row blocks.
 * GEMM (m > mr): f16 and int8 weights are first widened into a per-thread f32 block that stays in L1, reused by
 * every row block; bf16 weights are widened in registers in every row block (cheaper than the block).
 * GEMM at 512 bits (where the JVM has 512-bit vectors, {@link VectorWidth}): two panels per pass; compact formats are
 * widened per K block into two f32 blocks for the f32 kernels, so bf16, f16 and int8 get the wide FMAs too; f32
 * GEMVs of 2 rows or more take the 512-bit kernels as well ({@link #firstWideRows}).
 * GEMV (m ≤ mr, decode): a single row block, compact weights widened in registers straight
 * from the packed stream, so every weight byte is read from memory once for all rows. Bias, INT8 scale, ReLU
 * and residual are applied once per panel after its last K block.
 *
 * <p>Determinism: every output element is one FMA chain over k = 0..k-1 in order, starting from 0, with
 * the same epilogue arithmetic; no code path depends on m, on the row block a row falls in, or on the thread
 * split. A row's result is therefore bit-identical whatever else is in the batch.
 *
 * <p>This class is the hand-written core (API, validation, panel driver, epilogues, widening); the unrolled
 * micro-kernels are generated into {@link GemmKernels256} (and {@code GemmKernels512}) by
 * {@code kernels/cpu/gen_gemm_kernels.py}.
 *
 * <p>Requires the {@code jdk.incubator.vector} module. Fast on AVX2 (256-bit vectors) and wider.
 */
public final class Gemm {
    /**
     * Most rows per micro-kernel: 6 × 2 accumulators + 2 weight vectors + the broadcasts, which fits where the JVM
     * has 32 vector registers (AVX-512 encodings). With 16 (AVX2), C2 keeps three broadcasts live, runs out of
     * registers and spills two accumulators to the stack inside the k loop, which then waits on store-to-load
     * forwarding every step: 70-80 GFLOP/s against 150+ with 5-row blocks on a Zen 3 (docs/PERFORMANCE.md, "AVX2
     * machines"). {@link #ROWS_16_REGISTERS} rows fit there; see {@link VectorWidth#blockRowsFor}.
     */
    public static final int MR = 6;
    /** Rows per micro-kernel where the JVM has 16 vector registers: 5 × 2 accumulators + 2 + 3 broadcasts = 15. */
    public static final int ROWS_16_REGISTERS = 5;

    /**
     * Rows of the row block that starts with {@code left} rows still to go, for blocks of at most {@code mr} rows
     * ({@link #MR} or {@link #ROWS_16_REGISTERS}): the fewest blocks, as even as they can be (16 rows in 5-row blocks
     * are 4 + 4 + 4 + 4, not 5 + 5 + 5 + 1). A kernel of few rows has too few FMA chains to cover the FMA latency on
     * two pipes (8 needed): a 1- or 2-row block ran at half speed (3.7 % of case b's samples for 2.5 % of its FLOPs
     * at 80 rows), a 3-row one at three quarters. Rows are independent, so no result changes.
     */
    static int blockRows(int left, int mr) {
        final int blocks = (left + mr - 1) / mr;
        return (left + blocks - 1) / blocks;
    }

    /**
     * Most rows for which int8 weights are widened in registers in a GEMV. They need four widened vectors (two k
     * steps) beside the accumulators; with 16 vector registers C2 spilled accumulators from 4 rows on and converted
     * each widened vector once per row, so 4- and 5-row int8 GEMVs go through the f32 block there (m = 5: 86-96
     * against 62-69 GFLOP/s on a Zen 3; 2 and 3 rows stay faster in registers).
     */
    static int int8RegisterRows(int mr) {
        return mr == ROWS_16_REGISTERS ? 3 : mr;
    }

    /**
     * Whether a call of m rows widens its compact weights in registers, straight from the packed stream, per row
     * block (else f16 and int8 are widened once per K block into the f32 block). Always for bf16, also in GEMMs,
     * where a shift and an and are hidden by Zen 4's spare vector ports (198-202 GFLOP/s at M = 64 and 1,536 against
     * 174-196 through the f32 block). f16 and int8 only in a GEMV (one row block): f16's widening is twice bf16's
     * work and ran at 156-172 in registers in GEMMs; int8 only up to {@link #int8RegisterRows}.
     */
    static boolean widensInRegisters(WeightFormat format, int m, int mr) {
        return switch (format) {
            case F32 -> false;
            case BF16 -> true;
            case F16 -> m <= mr;
            case INT8 -> m <= int8RegisterRows(mr);
        };
    }

    /** K block: a panel block of KC × 16 f32 (16 KiB) stays in L1 across row blocks. */
    public static final int KC = 256;
    /**
     * K block of the 512-bit path: the whole K of a d_model = 1,024 layer in one block, so each row block's
     * accumulators are loaded and stored once per panel pair rather than 8 times. The two panel blocks (2 × 64 KiB)
     * then come from L2, which the 12-accumulator kernel hides: at M = 64 on a Zen 5, 1.25× / 1.46× OpenBLAS at
     * N = 4,096 / 128,112 against 1.08× / 1.39× with blocks of 128 (same run; docs/PERFORMANCE.md). Long k loops
     * first exposed the profile pollution that boxed the accumulators (see "width isolation" in
     * kernels/cpu/gen_gemm_kernels.py).
     */
    static final int KC_512 = 1024;

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
        linear(VectorWidth.processDefault(), pool, x, xOffset, m, w, bias, epilogue, residual,
                residualOffset, out, outOffset);
    }

    /** As below, with this process's rows per micro-kernel ({@link VectorWidth.Choice#blockRows()}). */
    public static void linear(VectorWidth width, WorkerPool pool, float[] x, int xOffset, int m, PackedWeights w,
                              float[] bias, Epilogue epilogue, float[] residual, int residualOffset, float[] out,
                              int outOffset) {
        linear(width, VectorWidth.processChoice().blockRows(), pool, x, xOffset, m, w, bias, epilogue, residual,
                residualOffset, out, outOffset);
    }

    /**
     * As above, with the multi-row kernels at {@code width} and row blocks of at most {@code blockRows} rows
     * ({@link #MR} or {@link #ROWS_16_REGISTERS}) instead of the process's choice (the result is the same bit for
     * bit; tests and benchmarks run them all).
     */
    public static void linear(VectorWidth width, int blockRows, WorkerPool pool, float[] x, int xOffset, int m,
                              PackedWeights w, float[] bias, Epilogue epilogue, float[] residual, int residualOffset,
                              float[] out, int outOffset) {
        Objects.requireNonNull(width, "width");
        if (blockRows != MR && blockRows != ROWS_16_REGISTERS) {
            throw new IllegalArgumentException("linear: blockRows must be " + MR + " or " + ROWS_16_REGISTERS
                    + ", got " + blockRows);
        }
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
        // Rows in chunks whose packed x stays in cache while every panel sweeps it (see A_CHUNK_BYTES).
        final int chunkRows = rowsPerChunk(m, k, blockRows);
        for (int r = 0; r < m; r += chunkRows) {
            final int rows = Math.min(chunkRows, m - r);
            dispatch(width, blockRows, pool, x, xOffset + r * k, rows, w, bias, epilogue, residual,
                    residual == null ? 0 : residualOffset + r * n, out, outOffset + r * n);
        }
    }

    /**
     * Most bytes of x one dispatch sweeps. Every panel re-reads all of its x block, so x must stay in the cache: on
     * the 256-bit path each participant packs its own copy (the 512-bit path reads x in place), and 2 × 4 MiB still
     * lives in a shared L3 of 32 MiB beside the weight stream. Unchunked, the encoder's FFN down-projection (1,536
     * rows × 4,096 = 25 MiB) ran from DRAM at 85 GFLOP/s against 180+ for 2–4 MiB chunks (Zen 4,
     * docs/PERFORMANCE.md); decoder batches stay one chunk.
     * Rows are independent (see the class comment), so chunking changes no result.
     */
    static final long A_CHUNK_BYTES = 4L << 20;

    /** Rows per dispatch for m rows of length k: all of them, or equal chunks of whole row blocks. */
    static int rowsPerChunk(int m, int k, int mr) {
        final long bytes = 4L * m * k;
        if (bytes <= A_CHUNK_BYTES) {
            return m;
        }
        final int chunks = (int) ((bytes + A_CHUNK_BYTES - 1) / A_CHUNK_BYTES);
        final int rows = (m + chunks - 1) / chunks;
        return (rows + mr - 1) / mr * mr;
    }

    /**
     * Fewest rows that take the 512-bit kernels. f32 from two rows: a 2–6-row GEMV on them ran 1.6–2× faster than on
     * the 256-bit ones on a Zen 5 (m = 5 at 1024×4096: 217–232 against 113–141 GFLOP/s). The compact formats keep the
     * 256-bit GEMV, which widens in registers: through the f32 block a 5-row bf16 GEMV at 1024×128112 fell from
     * 104–115 to 78–82 GFLOP/s.
     */
    static int firstWideRows(WeightFormat format, int mr) {
        return format == WeightFormat.F32 ? 2 : mr + 1;
    }

    private static void dispatch(VectorWidth width, int mr, WorkerPool pool, float[] x, int xOffset, int m,
                                 PackedWeights w, float[] bias, Epilogue epilogue, float[] residual, int residualOffset,
                                 float[] out, int outOffset) {
        final int n = w.n();
        final int k = w.k();
        int panels = w.panels();
        long work = (long) m * n * k;
        int grain = work < INLINE_WORK ? panels : Math.max(1, panels / (pool.parallelism() * 8));
        final boolean wide = width == VectorWidth.BITS_512 && m >= firstWideRows(w.format(), mr);
        if (m == 1) {
            grain = Math.min(panels, (grain + 3) & ~3); // the m = 1 kernels take panels in groups of 4 or 2
        } else if (wide) {
            grain = Math.min(panels, (grain + 1) & ~1); // the 512-bit kernels take panels in pairs
        }
        boolean relu = epilogue == Epilogue.RELU;
        // The argument holder is reused (no allocation per call); its monitor serialises callers of this pool.
        final LinearTask task = pool.scratch(0).linearTask();
        if (pool.isPoolThread() || Thread.holdsLock(task)) {
            throw new IllegalStateException("Gemm.linear called from inside a task of the same WorkerPool");
        }
        synchronized (task) {
            task.set(pool, x, xOffset, m, w, bias, relu, residual, residualOffset, out, outOffset, wide, mr);
            try {
                pool.parallelFor(panels, grain, task);
            } finally {
                task.clear();
            }
        }
    }

    /** The arguments of one {@code linear} call, handed to the pool as its task. */
    static final class LinearTask implements WorkerPool.RangeTask {
        private WorkerPool pool;
        private float[] x;
        private int xOffset;
        private int m;
        private PackedWeights w;
        private float[] bias;
        private boolean relu;
        private float[] residual;
        private int residualOffset;
        private float[] out;
        private int outOffset;
        private boolean wide;
        private int mr;

        void set(WorkerPool pool, float[] x, int xOffset, int m, PackedWeights w, float[] bias, boolean relu,
                 float[] residual, int residualOffset, float[] out, int outOffset, boolean wide, int mr) {
            this.pool = pool;
            this.x = x;
            this.xOffset = xOffset;
            this.m = m;
            this.w = w;
            this.bias = bias;
            this.relu = relu;
            this.residual = residual;
            this.residualOffset = residualOffset;
            this.out = out;
            this.outOffset = outOffset;
            this.wide = wide;
            this.mr = mr;
        }

        /** Drops the references so a finished call keeps no caller arrays alive. */
        void clear() {
            set(null, null, 0, 0, null, null, false, null, 0, null, 0, false, mr);
        }

        @Override
        public void run(int worker, int from, int to) {
            if (wide) {
                panelPairs512(pool.callSequence(), pool.scratch(worker), x, xOffset, m, mr, w, bias, relu, residual,
                        residualOffset, out, outOffset, from, to);
                return;
            }
            panels(pool.callSequence(), pool.scratch(worker), x, xOffset, m, mr, w, bias, relu, residual,
                    residualOffset, out, outOffset, from, to);
        }
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

    private static void panels(long call, WorkerScratch scratch, float[] x, int xOffset, int m, int mr, PackedWeights w,
                               float[] bias, boolean relu, float[] residual, int rOffset, float[] out, int oOffset,
                               int fromPanel, int toPanel) {
        final int k = w.k();
        final WeightFormat format = w.format();
        final MemorySegment data = w.data();
        final long bytesPerStep = (long) NR * format.bytesPerWeight();
        final int kStored = w.kStored();
        final float[] acc = scratch.accumulators(Math.max(m, 4) * NR);
        if (m == 1) {
            gemvRow(x, xOffset, w, acc, bias, relu, residual, rOffset, out, oOffset, fromPanel, toPanel);
            return;
        }
        final boolean inRegisters = widensInRegisters(format, m, mr);
        final boolean throughBlock = format != WeightFormat.F32 && !inRegisters;
        // f16 through the block: x packed times 2^112 where it can be, so the widening skips its multiply.
        final float[] a = scratch.packedA(call, x, xOffset, m, mr, k, throughBlock && format == WeightFormat.F16);
        final boolean scaledX = throughBlock && scratch.packedScaled();
        final MemorySegment wide = throughBlock ? scratch.segment((long) (KC + 1) * NR * 4) : null;
        for (int p = fromPanel; p < toPanel; p++) {
            for (int k0 = 0; k0 < k; k0 += KC) {
                final int kLen = Math.min(KC, k - k0);
                final long src = ((long) p * kStored + k0) * bytesPerStep;
                final boolean first = k0 == 0;
                if (inRegisters) {
                    for (int r = 0, rows; r < m; r += rows) {
                        rows = blockRows(m - r, mr);
                        compactRowBlock(format, rows, a, r * k + k0 * rows, data, src, kLen, acc, r * NR, first);
                    }
                    continue;
                }
                if (throughBlock) {
                    widen(format, data, src, kLen, wide, 0, scaledX, false);
                }
                final MemorySegment b = throughBlock ? wide : data;
                final long bOff = throughBlock ? 0 : src;
                for (int r = 0, rows; r < m; r += rows) {
                    rows = blockRows(m - r, mr);
                    final int ao = r * k + k0 * rows; // packed A: row block r..r+rows-1 stored as [kk][rows]
                    final int co = r * NR;
                    switch (rows) {
                        case 6 -> GemmKernels256.kernel6(a, ao, b, bOff, kLen, acc, co, first);
                        case 5 -> GemmKernels256.kernel5(a, ao, b, bOff, kLen, acc, co, first);
                        case 4 -> GemmKernels256.kernel4(a, ao, b, bOff, kLen, acc, co, first);
                        case 3 -> GemmKernels256.kernel3(a, ao, b, bOff, kLen, acc, co, first);
                        case 2 -> GemmKernels256.kernel2(a, ao, b, bOff, kLen, acc, co, first);
                        default -> throw rowBlockOutOfRange(rows);
                    }
                }
            }
            store(p, m, w, acc, 0, bias, relu, residual, rOffset, out, oOffset);
        }
    }

    /**
     * GEMM (m > mr) with the 512-bit f32 kernels: two adjacent panels per pass, one 16-lane accumulator per row
     * and panel (12 for a 6-row block), K blocks of {@link #KC_512}. bf16, f16 and int8 blocks are widened first
     * into two f32 blocks (exact: every compact value is an f32), once per K block for all row blocks; widening in
     * registers would repeat it per row block and needs a lane shuffle at 512 bits. Every element is the same FMA
     * chain as in the 256-bit kernels. The accumulators of panel p + 1 follow those of panel p (m × 16 floats each).
     *
     * <p>Every kernel here must be called often. A one-panel kernel for the odd last panel (the output projection
     * has 8,007 panels) ran once per decode step, too rarely for C2's invocation thresholds, so its k loop stayed
     * in the interpreter, allocating every vector (0.2-0.9 MB per beam-5 step); the odd panel now runs as a pair
     * with itself.
     */
    private static void panelPairs512(long call, WorkerScratch scratch, float[] x, int xOffset, int m, int mr,
                                      PackedWeights w,
                                      float[] bias, boolean relu, float[] residual, int rOffset, float[] out,
                                      int oOffset, int fromPanel, int toPanel) {
        final int k = w.k();
        final WeightFormat format = w.format();
        final MemorySegment data = w.data();
        final long bytesPerStep = (long) NR * format.bytesPerWeight();
        final long panelBytes = w.kStored() * bytesPerStep;
        // Compact formats: both panels' K blocks widened into two f32 blocks (one more step for int8's odd tail).
        final boolean widened = format != WeightFormat.F32;
        final long blockBytes = (long) (KC_512 + 1) * NR * 4;
        final MemorySegment wide = widened ? scratch.segment(2 * blockBytes) : null;
        // The kernels accumulate in a native segment (see GemmKernels512), staged for a group of panel pairs until
        // their epilogue; panel q of the group holds row i at float (q * m + i) * NR.
        final int groupPairs = stagedPairs(m);
        final int panelFloats = m * NR;
        final MemorySegment accSeg = scratch.accumulatorSegment(4L * 2 * groupPairs * panelFloats);
        // x is read in place (row r of a block at ao + r * k), unpacked: packing cost each participant 8-15 % of a
        // decoder GEMM at M = 64 on a Zen 5, and its copy of x was no faster to read (docs/PERFORMANCE.md).
        final float[] scaled = format == WeightFormat.F16 ? scratch.scaledRows(call, x, xOffset, m, k) : null;
        final boolean scaledX = scaled != null;
        final float[] a = scaledX ? scaled : x;
        final int aBase = scaledX ? 0 : xOffset;
        for (int g = fromPanel; g < toPanel; g += 2 * groupPairs) {
            final int groupEnd = Math.min(toPanel, g + 2 * groupPairs);
            for (int p = g; p < groupEnd; p += 2) {
                // An odd last panel runs as a pair with itself (its twin's result is dropped): one extra panel of
                // FMAs per call, against a one-panel kernel so rarely called that C2 never compiled it (see above).
                final boolean pair = p + 1 < groupEnd;
                final int c0 = (p - g) * panelFloats;
                final int c1 = c0 + panelFloats;
                for (int k0 = 0; k0 < k; k0 += KC_512) {
                    final int kLen = Math.min(KC_512, k - k0);
                    final long src = p * panelBytes + k0 * bytesPerStep;
                    final boolean first = k0 == 0;
                    if (widened) {
                        widen(format, data, src, kLen, wide, 0, scaledX, true);
                        if (pair) {
                            widen(format, data, src + panelBytes, kLen, wide, blockBytes, scaledX, true);
                        }
                    }
                    final MemorySegment b = widened ? wide : data;
                    final long b0 = widened ? 0 : src;
                    final long b1 = pair ? (widened ? blockBytes : src + panelBytes) : b0;
                    for (int r = 0, rows; r < m; r += rows) {
                        rows = blockRows(m - r, mr);
                        final int ao = aBase + r * k + k0;
                        final int co = c0 + r * NR;
                        final int co2 = c1 + r * NR;
                        switch (rows) {
                            case 6 -> GemmKernels512.kernel6x32(a, ao, k, b, b0, b1, kLen, accSeg, co, co2, first);
                            case 5 -> GemmKernels512.kernel5x32(a, ao, k, b, b0, b1, kLen, accSeg, co, co2, first);
                            case 4 -> GemmKernels512.kernel4x32(a, ao, k, b, b0, b1, kLen, accSeg, co, co2, first);
                            case 3 -> GemmKernels512.kernel3x32(a, ao, k, b, b0, b1, kLen, accSeg, co, co2, first);
                            case 2 -> GemmKernels512.kernel2x32(a, ao, k, b, b0, b1, kLen, accSeg, co, co2, first);
                            default -> throw rowBlockOutOfRange(rows);
                        }
                    }
                }
            }
            storeRows(g, groupEnd - g, m, w, accSeg, scratch, bias, relu, residual, rOffset, out, oOffset);
        }
    }

    /** Most bytes of accumulators staged per group of panel pairs in {@link #panelPairs512} (kept in L1/L2). */
    static final int STAGED_BYTES = 64 << 10;
    /** Most panel pairs per group: 8 pairs write 256 consecutive floats of each row. */
    static final int MAX_STAGED_PAIRS = 8;

    /** Panel pairs whose accumulators are staged before their epilogue, for m rows: 8 up to 64 rows, 1 from 512. */
    static int stagedPairs(int m) {
        return (int) Math.max(1, Math.min(MAX_STAGED_PAIRS, STAGED_BYTES / (2L * m * NR * 4)));
    }

    /**
     * Epilogue of {@code panels} consecutive panels from p0, staged in the kernels' segment (panel q's row i at float
     * (q * m + i) * NR): copied to a heap array once, then written row by row, each row's columns left to right.
     * Panel by panel, each store went to a row n floats from the last, and for n a multiple of 1,024 all m of them
     * fall into one L1 set: each store waited for its line (~0.5 ns per output float, up to 13 % of a decoder GEMM at
     * M = 64 on a Zen 5; docs/PERFORMANCE.md). Not read from the segment with 256-bit loads: the 512-bit kernels
     * load their accumulators from it with the same JDK method, and sharing it at two widths made K-blocked GEMMs
     * (k = 4,096) 25-40 % slower in most processes.
     */
    private static void storeRows(int p0, int panels, int m, PackedWeights w, MemorySegment staged,
                                  WorkerScratch scratch, float[] bias, boolean relu, float[] residual, int rOffset,
                                  float[] out, int oOffset) {
        final int panelFloats = m * NR;
        final float[] acc = scratch.accumulators(panels * panelFloats);
        MemorySegment.copy(staged, ValueLayout.JAVA_FLOAT, 0, acc, 0, panels * panelFloats);
        final int n = w.n();
        final float[] scales = w.scales();
        final int full = Math.min(panels, n / NR - p0); // the matrix's last panel may be partial (n % 16 != 0)
        for (int i = 0; i < m; i++) {
            final int o = oOffset + i * n;
            final int ro = rOffset + i * n;
            for (int q = 0; q < full; q++) {
                final int j0 = (p0 + q) * NR;
                final int a = q * panelFloats + i * NR;
                FloatVector v0 = FloatVector.fromArray(S, acc, a);
                FloatVector v1 = FloatVector.fromArray(S, acc, a + 8);
                if (scales != null) {
                    v0 = v0.mul(FloatVector.fromArray(S, scales, j0));
                    v1 = v1.mul(FloatVector.fromArray(S, scales, j0 + 8));
                }
                if (bias != null) {
                    v0 = v0.add(FloatVector.fromArray(S, bias, j0));
                    v1 = v1.add(FloatVector.fromArray(S, bias, j0 + 8));
                }
                finish(v0, v1, relu, residual, ro + j0, out, o + j0);
            }
        }
        if (full < panels) {
            storeTail((p0 + full) * NR, n, m, acc, full * panelFloats, scales, bias, relu, residual, rOffset, out,
                    oOffset);
        }
    }

    /** Row blocks have 2 to {@link #MR} rows ({@link #blockRows} never leaves one row; m = 1 is the GEMV). */
    private static IllegalStateException rowBlockOutOfRange(int rows) {
        return new IllegalStateException("no micro-kernel for a row block of " + rows + " rows");
    }

    private static void compactRowBlock(WeightFormat format, int m, float[] a, int ao, MemorySegment b, long bOff, int kLen,
                                    float[] acc, int co, boolean first) {
        switch (format) {
            case BF16 -> {
                switch (m) {
                    case 6 -> GemmKernels256.kernel6Bf16(a, ao, b, bOff, kLen, acc, co, first);
                    case 5 -> GemmKernels256.kernel5Bf16(a, ao, b, bOff, kLen, acc, co, first);
                    case 4 -> GemmKernels256.kernel4Bf16(a, ao, b, bOff, kLen, acc, co, first);
                    case 3 -> GemmKernels256.kernel3Bf16(a, ao, b, bOff, kLen, acc, co, first);
                    case 2 -> GemmKernels256.kernel2Bf16(a, ao, b, bOff, kLen, acc, co, first);
                    default -> throw rowBlockOutOfRange(m);
                }
            }
            case F16 -> {
                switch (m) {
                    case 6 -> GemmKernels256.kernel6F16(a, ao, b, bOff, kLen, acc, co, first);
                    case 5 -> GemmKernels256.kernel5F16(a, ao, b, bOff, kLen, acc, co, first);
                    case 4 -> GemmKernels256.kernel4F16(a, ao, b, bOff, kLen, acc, co, first);
                    case 3 -> GemmKernels256.kernel3F16(a, ao, b, bOff, kLen, acc, co, first);
                    case 2 -> GemmKernels256.kernel2F16(a, ao, b, bOff, kLen, acc, co, first);
                    default -> throw rowBlockOutOfRange(m);
                }
            }
            case INT8 -> {
                switch (m) {
                    case 6 -> GemmKernels256.kernel6Int8(a, ao, b, bOff, kLen, acc, co, first);
                    case 5 -> GemmKernels256.kernel5Int8(a, ao, b, bOff, kLen, acc, co, first);
                    case 4 -> GemmKernels256.kernel4Int8(a, ao, b, bOff, kLen, acc, co, first);
                    case 3 -> GemmKernels256.kernel3Int8(a, ao, b, bOff, kLen, acc, co, first);
                    case 2 -> GemmKernels256.kernel2Int8(a, ao, b, bOff, kLen, acc, co, first);
                    default -> throw rowBlockOutOfRange(m);
                }
            }
            default -> throw new IllegalStateException("no compact row-block kernel for " + format);
        }
    }

    /**
     * m = 1 (batch-1 decode): two panels at a time, so four independent FMA chains and two memory streams
     * hide FMA latency and keep more loads in flight. Each element's FMA chain is unchanged.
     */
    private static void gemvRow(float[] x, int xOffset, PackedWeights w, float[] acc, float[] bias, boolean relu,
                                float[] residual, int rOffset, float[] out, int oOffset, int fromPanel, int toPanel) {
        final int k = w.k();
        final WeightFormat format = w.format();
        final MemorySegment data = w.data();
        final long panelBytes = (long) w.kStored() * NR * format.bytesPerWeight();
        int p = fromPanel;
        if ((format == WeightFormat.BF16 || format == WeightFormat.F16) && toPanel - fromPanel >= 4) {
            // 16-bit weights: four panels per pass keep as many bytes in flight as the f32 pairs do. The
            // widening is written out inside these kernels: a helper that C2 declines to inline (it may, by
            // size) boxes every vector and made the f16 GEMV 4x slower. A last group short of four panels
            // starts earlier, over panels already stored, which it computes again but does not store (an
            // in-place residual must be added once), so no rarely called kernel is left to the interpreter.
            for (; p < toPanel; p += 4) {
                final int start = Math.min(p, toPanel - 4);
                if (format == WeightFormat.BF16) {
                    GemmKernels256.kernel1x4Bf16(x, xOffset, data, start * panelBytes, panelBytes, k, acc);
                } else {
                    GemmKernels256.kernel1x4F16(x, xOffset, data, start * panelBytes, panelBytes, k, acc);
                }
                for (int q = p - start; q < 4; q++) {
                    store(start + q, 1, w, acc, q * NR, bias, relu, residual, rOffset, out, oOffset);
                }
            }
        }
        for (; p < toPanel; p += 2) {
            // An odd last panel runs as a pair with itself, so no rarely called kernel is left to the interpreter
            // (see panelPairs512); its twin's result is dropped.
            final boolean pair = p + 1 < toPanel;
            final long b0 = p * panelBytes;
            final long b1 = pair ? b0 + panelBytes : b0;
            switch (format) {
                case F32 -> GemmKernels256.kernel1x2(x, xOffset, data, b0, b1, k, acc);
                case BF16 -> GemmKernels256.kernel1x2Bf16(x, xOffset, data, b0, b1, k, acc);
                case F16 -> GemmKernels256.kernel1x2F16(x, xOffset, data, b0, b1, k, acc);
                case INT8 -> GemmKernels256.kernel1x2Int8(x, xOffset, data, b0, b1, k, acc);
            }
            store(p, 1, w, acc, 0, bias, relu, residual, rOffset, out, oOffset);
            if (pair) {
                store(p + 1, 1, w, acc, NR, bias, relu, residual, rOffset, out, oOffset);
            }
        }
    }

    /**
     * Applies the epilogue to one finished panel of all m rows and writes it to out. Full panels go to one of
     * small specialised methods (scales × bias) that neither take nor return vectors (a call that is not
     * inlined would box them): a single method holding vectors that may be null made C2
     * bail out ("Bad graph detected in build_loop_late") once several epilogues had been seen. The order of
     * operations (scale, bias, ReLU, residual) is the same on every path.
     */
    private static void store(int p, int m, PackedWeights w, float[] acc, int accBase, float[] bias, boolean relu,
                              float[] residual, int rOffset, float[] out, int oOffset) {
        final int n = w.n();
        final int j0 = p * NR;
        final float[] scales = w.scales();
        if (j0 + NR <= n) {
            if (scales != null) {
                if (bias != null) {
                    storeScaledBias(j0, n, m, acc, accBase, scales, bias, relu, residual, rOffset, out, oOffset);
                } else {
                    storeScaled(j0, n, m, acc, accBase, scales, relu, residual, rOffset, out, oOffset);
                }
            } else if (bias != null) {
                storeBias(j0, n, m, acc, accBase, bias, relu, residual, rOffset, out, oOffset);
            } else {
                storePlain(j0, n, m, acc, accBase, relu, residual, rOffset, out, oOffset);
            }
        } else {
            storeTail(j0, n, m, acc, accBase, scales, bias, relu, residual, rOffset, out, oOffset);
        }
    }

    private static void storeScaledBias(int j0, int n, int m, float[] acc, int accBase, float[] scales, float[] bias,
                                        boolean relu, float[] residual, int rOffset, float[] out, int oOffset) {
        final FloatVector s0 = FloatVector.fromArray(S, scales, j0);
        final FloatVector s1 = FloatVector.fromArray(S, scales, j0 + 8);
        final FloatVector b0 = FloatVector.fromArray(S, bias, j0);
        final FloatVector b1 = FloatVector.fromArray(S, bias, j0 + 8);
        for (int i = 0; i < m; i++) {
            final int a = accBase + i * NR;
            final FloatVector v0 = FloatVector.fromArray(S, acc, a).mul(s0).add(b0);
            final FloatVector v1 = FloatVector.fromArray(S, acc, a + 8).mul(s1).add(b1);
            finish(v0, v1, relu, residual, rOffset + i * n + j0, out, oOffset + i * n + j0);
        }
    }

    private static void storeScaled(int j0, int n, int m, float[] acc, int accBase, float[] scales,
                                    boolean relu, float[] residual, int rOffset, float[] out, int oOffset) {
        final FloatVector s0 = FloatVector.fromArray(S, scales, j0);
        final FloatVector s1 = FloatVector.fromArray(S, scales, j0 + 8);
        for (int i = 0; i < m; i++) {
            final int a = accBase + i * NR;
            final FloatVector v0 = FloatVector.fromArray(S, acc, a).mul(s0);
            final FloatVector v1 = FloatVector.fromArray(S, acc, a + 8).mul(s1);
            finish(v0, v1, relu, residual, rOffset + i * n + j0, out, oOffset + i * n + j0);
        }
    }

    private static void storeBias(int j0, int n, int m, float[] acc, int accBase, float[] bias,
                                  boolean relu, float[] residual, int rOffset, float[] out, int oOffset) {
        final FloatVector b0 = FloatVector.fromArray(S, bias, j0);
        final FloatVector b1 = FloatVector.fromArray(S, bias, j0 + 8);
        for (int i = 0; i < m; i++) {
            final int a = accBase + i * NR;
            final FloatVector v0 = FloatVector.fromArray(S, acc, a).add(b0);
            final FloatVector v1 = FloatVector.fromArray(S, acc, a + 8).add(b1);
            finish(v0, v1, relu, residual, rOffset + i * n + j0, out, oOffset + i * n + j0);
        }
    }

    private static void storePlain(int j0, int n, int m, float[] acc, int accBase,
                                   boolean relu, float[] residual, int rOffset, float[] out, int oOffset) {
        for (int i = 0; i < m; i++) {
            final int a = accBase + i * NR;
            final FloatVector v0 = FloatVector.fromArray(S, acc, a);
            final FloatVector v1 = FloatVector.fromArray(S, acc, a + 8);
            finish(v0, v1, relu, residual, rOffset + i * n + j0, out, oOffset + i * n + j0);
        }
    }

    /**
     * The rest of every full-panel epilogue, for one row's 16 values: ReLU, the residual add, the store. Small, so C2
     * inlines it into the four store loops (a call would box the vectors).
     */
    private static void finish(FloatVector v0, FloatVector v1, boolean relu, float[] residual, int ro, float[] out,
                               int o) {
        if (relu) {
            v0 = v0.lanewise(VectorOperators.MAX, 0f);
            v1 = v1.lanewise(VectorOperators.MAX, 0f);
        }
        if (residual != null) {
            v0 = v0.add(FloatVector.fromArray(S, residual, ro));
            v1 = v1.add(FloatVector.fromArray(S, residual, ro + 8));
        }
        v0.intoArray(out, o);
        v1.intoArray(out, o + 8);
    }

    /** Tail panel (n not a multiple of 16): the same IEEE operations, one lane at a time. */
    private static void storeTail(int j0, int n, int m, float[] acc, int accBase, float[] scales, float[] bias,
                                  boolean relu, float[] residual, int rOffset, float[] out, int oOffset) {
        final int valid = n - j0;
        for (int i = 0; i < m; i++) {
            for (int jj = 0; jj < valid; jj++) {
                float v = acc[accBase + i * NR + jj];
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

    // ------------------------------------------------------------------------------ widening to f32 (exact)
    // 16-bit formats are stored so that int lane l of a k step holds columns l (low half) and l + 8 (high
    // half); INT8 stores two k steps per 32 bytes, int lane l holding bytes (kk, l), (kk, l+8), (kk+1, l),
    // (kk+1, l+8). Widening is then a few in-lane integer ops on one 256-bit load (no cross-lane shuffles).

    private static final VectorSpecies<Integer> SI = IntVector.SPECIES_256;

    // f16 → f32 exactly: with the half h in an int's top 16 bits, an arithmetic shift right by 3 puts h's
    // exponent and mantissa where a float's low exponent bits and mantissa are and copies the sign into bits
    // 31..28; masking with F16_BITS keeps the sign and clears the copies. That float is h × 2^-112 (subnormal h
    // included), and × 2^112 is exact. Inf/NaN never occur: packing rejects them. Small on purpose (bytecode
    // under the JIT's always-inline size), and the GEMV kernels spell it out in place.
    static final int F16_BITS = 0x8fff_e000;
    static final float F16_SCALE = 0x1p112f;

    /** Columns 0..7 of an f16 pair vector (the low halves). */
    static FloatVector f16Low(IntVector v) {
        return f16LowScaled(v).mul(F16_SCALE);
    }

    /** Columns 0..7 of an f16 pair vector times 2^-112 (exact). */
    static FloatVector f16LowScaled(IntVector v) {
        return f16LowScaledBits(v).reinterpretAsFloats();
    }

    /** {@link #f16LowScaled} as the floats' bits. */
    static IntVector f16LowScaledBits(IntVector v) {
        return v.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 3).and(F16_BITS);
    }

    /** Columns 8..15 of an f16 pair vector (the high halves). */
    static FloatVector f16High(IntVector v) {
        return f16HighScaled(v).mul(F16_SCALE);
    }

    /** Columns 8..15 of an f16 pair vector times 2^-112 (exact). */
    static FloatVector f16HighScaled(IntVector v) {
        return f16HighScaledBits(v).reinterpretAsFloats();
    }

    /** {@link #f16HighScaled} as the floats' bits. */
    static IntVector f16HighScaledBits(IntVector v) {
        return v.lanewise(VectorOperators.ASHR, 3).and(F16_BITS);
    }

    // The widening functions write the f32 blocks as int bits, stored as bytes (storeBits), except the 512-bit
    // int8 widening (widenInt8Wide), whose rows come from a 512-bit conversion and go through the 512-bit kernels'
    // own FloatVector store. FloatVector's intoMemorySegment is kept for 512-bit vectors on native segments, so C2's
    // profile inside it sees one vector class (see "width isolation" in kernels/cpu/gen_gemm_kernels.py).
    // IntVector's is what the JDK's reinterpret fallback calls on a heap segment whenever the 256-bit bf16/f16
    // kernels run uncompiled (IntVector.reinterpretAsFloats): beside native stores of the widening it made that
    // method's segment profile heap-and-native, the pattern that once slowed 512-bit bf16 GEMMs to half speed. Where
    // the bits are computed as ints they are stored as such: reinterpreting floats back to ints cost the f16 block
    // GEMM ~15 % (docs/PERFORMANCE.md, "Width isolation"). Only the 256-bit path's int8 widening (widenInt8) still
    // reinterprets a FloatVector and keeps IntVector's store: it runs only in processes without 512-bit kernels (one
    // width per process, VectorWidth); ReinterpretFallbackTest checks that nothing else does.

    /** Stores 8 ints of f32 bits at byte offset off of dst (little-endian), through ByteVector's store (see above). */
    private static void storeBits(IntVector bits, MemorySegment dst, long off) {
        bits.reinterpretAsBytes().intoMemorySegment(dst, off, LE);
    }

    /**
     * bf16 pair layout → f32 rows of 16 (64 bytes per k step) in dst from dstOff: the 512-bit GEMM's f32 blocks
     * (the 256-bit GEMM widens bf16 in the kernels' registers with the same shift and and).
     */
    static void widenBf16(MemorySegment src, long srcOff, int kLen, MemorySegment dst, long dstOff) {
        for (int kk = 0; kk < kLen; kk++) {
            IntVector v = IntVector.fromMemorySegment(SI, src, srcOff + 32L * kk, LE);
            storeBits(v.lanewise(VectorOperators.LSHL, 16), dst, dstOff + 64L * kk);
            storeBits(v.and(0xffff0000), dst, dstOff + 64L * kk + 32);
        }
    }

    /**
     * f16 pair layout → f32 rows of 16 in dst from dstOff. With {@code scaledX} (x packed times 2^112) the values
     * stay h × 2^-112, exact, and the multiply back is left out: x·2^112 · h·2^-112 is the same product, so the FMAs
     * round alike. The multiply (a subnormal input for f16's subnormals) cost f16 GEMMs ~8 % (bench-kernels at
     * 1024×128112: 168–175 with it, 185–189 without, f32 172–195).
     */
    static void widenF16(MemorySegment src, long srcOff, int kLen, MemorySegment dst, long dstOff, boolean scaledX) {
        if (scaledX) {
            for (int kk = 0; kk < kLen; kk++) {
                IntVector v = IntVector.fromMemorySegment(SI, src, srcOff + 32L * kk, LE);
                storeBits(f16LowScaledBits(v), dst, dstOff + 64L * kk);
                storeBits(f16HighScaledBits(v), dst, dstOff + 64L * kk + 32);
            }
            return;
        }
        // x too large to scale (some |x| >= 2^15): rare, so integer operations alone, no FloatVector to reinterpret
        // (its JDK fallback would store a 256-bit FloatVector through the 512-bit kernels' store; see storeBits).
        for (int kk = 0; kk < kLen; kk++) {
            IntVector v = IntVector.fromMemorySegment(SI, src, srcOff + 32L * kk, LE);
            storeBits(f16Bits(f16LowScaledBits(v)), dst, dstOff + 64L * kk);
            storeBits(f16Bits(f16HighScaledBits(v)), dst, dstOff + 64L * kk + 32);
        }
    }

    /**
     * The f32 bits of each half h from those of h × 2^-112 ({@link #f16LowScaledBits}), with integer operations
     * only: a normal h gets 112 added to its exponent. A subnormal one (mantissa m ≥ 1, value m × 2^-24) is
     * normalized: with lz leading zeros, m << lz has its leading one at bit 31, so (m << lz) >>> 8 is the
     * significand with that one at bit 23, which carries into the exponent field (133 - lz) << 23 to give
     * 2^(7 - lz), m's leading power of two times 2^-24. Zero stays zero.
     */
    static IntVector f16Bits(IntVector scaledBits) {
        IntVector magnitude = scaledBits.and(0x7fff_ffff);
        IntVector normal = magnitude.add(112 << 23);
        IntVector m = magnitude.lanewise(VectorOperators.LSHR, 13);
        IntVector lz = m.lanewise(VectorOperators.LEADING_ZEROS_COUNT);
        IntVector normalized = m.lanewise(VectorOperators.LSHL, lz); // m = 0: m << 32 is m << 0 = 0
        IntVector exponent = lz.neg().add(133).lanewise(VectorOperators.LSHL, 23)
                .and(normalized.lanewise(VectorOperators.ASHR, 31)); // 0 where m = 0
        IntVector subnormal = normalized.lanewise(VectorOperators.LSHR, 8).add(exponent);
        IntVector small = magnitude.sub(1 << 23).lanewise(VectorOperators.ASHR, 31); // all ones where h's exponent is 0
        return normal.and(small.not()).or(subnormal.and(small)).or(scaledBits.and(0x8000_0000));
    }

    /**
     * int8 (two k steps per 32 bytes) → f32 rows of 16 in dst from dstOff, for the 256-bit kernels; srcOff is at an
     * even k step. An odd kLen writes one more (padding) step.
     */
    static void widenInt8(MemorySegment src, long srcOff, int kLen, MemorySegment dst, long dstOff) {
        for (int pair = 0; 2 * pair < kLen; pair++) {
            IntVector v = IntVector.fromMemorySegment(SI, src, srcOff + 32L * pair, LE);
            long o = dstOff + 128L * pair;
            v.lanewise(VectorOperators.LSHL, 24).lanewise(VectorOperators.ASHR, 24)
                    .convert(VectorOperators.I2F, 0).reinterpretAsInts().intoMemorySegment(dst, o, LE);
            v.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 24)
                    .convert(VectorOperators.I2F, 0).reinterpretAsInts().intoMemorySegment(dst, o + 32, LE);
            v.lanewise(VectorOperators.LSHL, 8).lanewise(VectorOperators.ASHR, 24)
                    .convert(VectorOperators.I2F, 0).reinterpretAsInts().intoMemorySegment(dst, o + 64, LE);
            v.lanewise(VectorOperators.ASHR, 24)
                    .convert(VectorOperators.I2F, 0).reinterpretAsInts().intoMemorySegment(dst, o + 96, LE);
        }
    }

    /**
     * {@link #widenInt8} for the 512-bit kernels: per pair of k steps one 32-byte load, a byte permute that gathers
     * each k step's 16 bytes (byte q of the pair block: lane q / 4, k step q % 4 / 2, column half q % 2), and a
     * widening conversion straight to one 512-bit float row, stored with the 512-bit kernels' own store (the
     * method and vector class their accumulators use, on a native segment). widenInt8's {@code reinterpretAsInts}
     * would store a 256-bit FloatVector through that method from the JDK's fallback until C2 compiles it, which
     * boxed the kernels' accumulators in every int8 process at 512 bits (decoder step 4x slower;
     * docs/PERFORMANCE.md, "int8 at 512 bits"); rearrange and convert fall back on arrays, never on a store.
     */
    static void widenInt8Wide(MemorySegment src, long srcOff, int kLen, MemorySegment dst, long dstOff) {
        for (int pair = 0; 2 * pair < kLen; pair++) {
            ByteVector v = ByteVector.fromMemorySegment(SB, src, srcOff + 32L * pair, LE);
            long o = dstOff + 128L * pair;
            ((FloatVector) v.rearrange(INT8_EVEN_STEP).convertShape(VectorOperators.B2F, FloatVector.SPECIES_512, 0))
                    .intoMemorySegment(dst, o, LE);
            ((FloatVector) v.rearrange(INT8_ODD_STEP).convertShape(VectorOperators.B2F, FloatVector.SPECIES_512, 0))
                    .intoMemorySegment(dst, o + 64, LE);
        }
    }

    private static final VectorSpecies<Byte> SB = ByteVector.SPECIES_256;
    /** Bytes of a pair block's first k step in column order (columns 0-7, then 8-15), in the low 16 lanes. */
    private static final VectorShuffle<Byte> INT8_EVEN_STEP = int8StepShuffle(0);
    /** The same for the block's second k step. */
    private static final VectorShuffle<Byte> INT8_ODD_STEP = int8StepShuffle(2);

    /** Lane i < 16 takes byte 4 (i % 8) + first + i / 8; the upper 16 lanes repeat them (unused). */
    private static VectorShuffle<Byte> int8StepShuffle(int first) {
        int[] index = new int[32];
        for (int i = 0; i < 32; i++) {
            index[i] = 4 * (i % 8) + first + (i % 16) / 8;
        }
        return VectorShuffle.fromArray(SB, index, 0);
    }

    /**
     * A compact K block of one panel → f32 rows of 16 in dst from dstOff ({@code scaledX}: see widenF16), for the
     * 512-bit kernels if {@code forWideKernels}.
     */
    private static void widen(WeightFormat format, MemorySegment src, long srcOff, int kLen, MemorySegment dst,
                              long dstOff, boolean scaledX, boolean forWideKernels) {
        switch (format) {
            case BF16 -> widenBf16(src, srcOff, kLen, dst, dstOff);
            case F16 -> widenF16(src, srcOff, kLen, dst, dstOff, scaledX);
            case INT8 -> {
                if (forWideKernels) {
                    widenInt8Wide(src, srcOff, kLen, dst, dstOff);
                } else {
                    widenInt8(src, srcOff, kLen, dst, dstOff);
                }
            }
            default -> throw new IllegalStateException("no widening for " + format);
        }
    }
}
