package dev.m2m100.engine.backend.cpu;

import dev.m2m100.engine.backend.CheckedBackend;
import dev.m2m100.engine.backend.ElementType;
import dev.m2m100.engine.backend.Epilogue;
import dev.m2m100.engine.backend.RawMatrix;
import dev.m2m100.engine.backend.WeightRole;
import dev.m2m100.engine.backend.cpu.gemm.WeightFormat;
import dev.m2m100.engine.backend.cpu.gemm.VectorWidth;
import dev.m2m100.engine.backend.cpu.gemm.WorkerPool;
import dev.m2m100.engine.backend.cpu.gemm.WorkerScratch;
import dev.m2m100.engine.generation.LogitRule;
import java.util.function.Function;

/**
 * The CPU backend: float32 activations on the heap, weights packed once by a {@link LinearKernel} (by default
 * the optimized {@link GemmLinearKernel}, storing f32, or bf16/f16/int8 widened to f32 in registers), every
 * loop spread over one fixed {@link WorkerPool}.
 */
public final class CpuBackend extends CheckedBackend<CpuTensor, CpuMatrix, CpuVector, CpuKvCache> {

    private final WorkerPool pool;
    private final LinearKernel kernel;
    private final ArrayPool arrays = new ArrayPool();
    private final NormTask normTask = new NormTask();

    /** {@code threads} workers (0 = one per available processor), the optimized kernel, f32 weights. */
    public CpuBackend(int threads) {
        this(threads, WeightFormat.F32);
    }

    /** {@code threads} workers (0 = one per available processor), the optimized kernel, weights stored as {@code format}. */
    public CpuBackend(int threads, WeightFormat format) {
        this(threads, pool -> new GemmLinearKernel(pool, format));
    }

    /** As above, with the GEMM's multi-row kernels at {@code width} for every format instead of the process's choice. */
    public CpuBackend(int threads, WeightFormat format, VectorWidth width) {
        this(threads, pool -> new GemmLinearKernel(pool, format, width));
    }

    /** {@code threads} workers and the kernel the factory makes over the backend's pool. */
    public CpuBackend(int threads, Function<WorkerPool, LinearKernel> kernelFactory) {
        super(CpuTensor.class, CpuMatrix.class, CpuVector.class, CpuKvCache.class);
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0 (0 = all cores), got " + threads);
        }
        this.pool = new WorkerPool(threads == 0 ? Runtime.getRuntime().availableProcessors() : threads);
        this.kernel = kernelFactory.apply(pool);
    }

    @Override
    public String name() {
        return "cpu";
    }

    public int threads() {
        return pool.parallelism();
    }

    // ---- memory ------------------------------------------------------------------------------------------

    @Override
    protected CpuMatrix doUpload(WeightRole role, RawMatrix... rowBlocks) {
        return new CpuMatrix(kernel.pack(role, rowBlocks));
    }

    @Override
    protected CpuVector doVector(float[] values) {
        return new CpuVector(values);
    }

    /** Activations stay float32 on the CPU (compact formats are for weights, widened in registers). */
    @Override
    public ElementType activationType() {
        return ElementType.F32;
    }

    @Override
    protected CpuTensor doAllocate(int rows, int cols, ElementType type) {
        return new CpuTensor(arrays.take(rows * cols), rows, cols, arrays);
    }

    @Override
    protected CpuTensor doFirstRows(CpuTensor t, int rows) {
        return new CpuTensor(t.data(), rows, t.cols());
    }

    @Override
    protected float[] doDownload(CpuTensor c) {
        return java.util.Arrays.copyOf(c.data(), c.rows() * c.cols());
    }

    @Override
    protected CpuKvCache doKvCache(int layers, int width, int maxLength, int slotHint) {
        return new CpuKvCache(layers, width, maxLength);
    }

    // ---- element-wise and row-wise ------------------------------------------------------------------------

    @Override
    protected void doEmbed(CpuMatrix tab, int[] ids, float scale, CpuMatrix pos, int[] positionIds, CpuTensor o) {
        int d = tab.cols();
        float[] row = arrays.take(d);
        for (int i = 0; i < ids.length; i++) {
            int oo = i * d;
            tab.packed.readRow(ids[i], o.data(), oo);
            pos.packed.readRow(positionIds[i], row, 0);
            for (int c = 0; c < d; c++) {
                o.data()[oo + c] = o.data()[oo + c] * scale + row[c];
            }
        }
        arrays.give(row);
    }

    /** Rows from which a layer norm is split across the pool: below it, the hand-off costs more than it saves. */
    private static final int PARALLEL_NORM_ROWS = 16;

    @Override
    protected void doLayerNorm(CpuTensor in, CpuVector gamma, CpuVector beta, float eps, CpuTensor o) {
        float[] g = gamma.data();
        float[] b = beta.data();
        int d = in.cols();
        float[] xs = in.data();
        float[] os = o.data();
        int rows = in.rows();
        if (rows < PARALLEL_NORM_ROWS) {
            CpuLayerNorm.rows(xs, d, g, b, eps, os, 0, rows);
            return;
        }
        int groups = (rows + CpuLayerNorm.GROUP - 1) / CpuLayerNorm.GROUP;
        synchronized (normTask) { // one reused argument holder: no allocation per call
            normTask.set(xs, d, g, b, eps, os, rows);
            try {
                pool.parallelFor(groups, 1, normTask);
            } finally {
                normTask.set(null, 0, null, null, 0f, null, 0);
            }
        }
    }

    /** The arguments of one split layer norm, handed to the pool: groups of {@link CpuLayerNorm#GROUP} rows. */
    private static final class NormTask implements WorkerPool.RangeTask {
        private float[] x;
        private int d;
        private float[] g;
        private float[] b;
        private float eps;
        private float[] out;
        private int rows;

        void set(float[] x, int d, float[] g, float[] b, float eps, float[] out, int rows) {
            this.x = x;
            this.d = d;
            this.g = g;
            this.b = b;
            this.eps = eps;
            this.out = out;
            this.rows = rows;
        }

        @Override
        public void run(int worker, int from, int to) {
            CpuLayerNorm.rows(x, d, g, b, eps, out, from * CpuLayerNorm.GROUP, Math.min(rows, to * CpuLayerNorm.GROUP));
        }
    }

    @Override
    protected void doLinear(CpuTensor in, CpuMatrix m, CpuVector bias, Epilogue epilogue, CpuTensor o) {
        float[] b = bias == null ? null : bias.data();
        kernel.apply(in.data(), in.rows(), m.packed, b, epilogue, o.data());
    }

    // ---- attention ----------------------------------------------------------------------------------------

    /**
     * From this many rows (or sequences) on, attention runs one task per row with all its heads (reading each cached
     * key and value row front to back, see {@link CpuAttention#attendAllHeads}); fewer rows split by head as well,
     * so both threads get work. Both orders give the same bits.
     */
    private static final int ALL_HEADS_MIN_ROWS = 8;

    @Override
    protected void doSelfAttention(CpuTensor in, int[] seqStarts, int heads, float scale, CpuTensor o) {
        int width = o.cols();
        int hd = width / heads;
        int seqs = seqStarts.length - 1;
        float[] a = in.data();
        if (seqs >= ALL_HEADS_MIN_ROWS) {
            parallelFor(seqs, (s, scratch) -> {
                int start = seqStarts[s];
                int n = seqStarts[s + 1] - start;
                float[] buffer = scratch.floats(CpuAttention.allHeadsScratchSize(heads, n));
                for (int i = 0; i < n; i++) {
                    CpuAttention.attendAllHeads(a, (start + i) * 3 * width, a, start * 3 * width + width,
                            a, start * 3 * width + 2 * width, 3 * width, n, heads, hd, scale,
                            o.data(), (start + i) * width, buffer);
                }
            });
            return;
        }
        parallelFor(seqs * heads, (t, scratch) -> {
            int s = t / heads;
            int h = t % heads;
            int start = seqStarts[s];
            int n = seqStarts[s + 1] - start;
            float[] scores = scratch.floats(CpuAttention.scratchSize(n));
            for (int i = 0; i < n; i++) {
                int row = (start + i) * 3 * width;
                CpuAttention.attend(a, row + h * hd, a, start * 3 * width + width + h * hd,
                        a, start * 3 * width + 2 * width + h * hd, 3 * width, n, hd, scale,
                        o.data(), (start + i) * width + h * hd, scores);
            }
        });
    }

    @Override
    protected void doCachedSelfAttention(CpuTensor in, CpuKvCache c, int layer, int[] slots, int[] positions,
                                         int heads, float scale, CpuTensor o) {
        int width = c.width();
        float[] a = in.data();
        for (int i = 0; i < slots.length; i++) {
            c.ensure(slots[i], positions[i] + 1);
            int src = i * 3 * width;
            System.arraycopy(a, src + width, c.keys(slots[i], layer), positions[i] * width, width);
            System.arraycopy(a, src + 2 * width, c.values(slots[i], layer), positions[i] * width, width);
        }
        // Row i's query is the first third of its qkv row; it sees positions 0..positions[i].
        attendOverCache(a, 3 * width, c, layer, slots, positions, 1, heads, scale, o);
    }

    @Override
    protected void doStoreKv(CpuTensor in, int[] seqStarts, CpuKvCache c, int layer, int[] slots) {
        int width = c.width();
        for (int j = 0; j < slots.length; j++) {
            int start = seqStarts[j];
            int n = seqStarts[j + 1] - start;
            c.ensure(slots[j], n);
            float[] k = c.keys(slots[j], layer);
            float[] v = c.values(slots[j], layer);
            for (int p = 0; p < n; p++) {
                int src = (start + p) * 2 * width;
                System.arraycopy(in.data(), src, k, p * width, width);
                System.arraycopy(in.data(), src + width, v, p * width, width);
            }
        }
    }

    @Override
    protected void doCrossAttention(CpuTensor in, CpuKvCache c, int layer, int[] slots, int[] lengths, int heads,
                                    float scale, CpuTensor o) {
        int width = c.width();
        for (int i = 0; i < slots.length; i++) {
            if (lengths[i] > c.capacity(slots[i])) {
                throw new IllegalArgumentException("crossAttention: slot " + slots[i] + " holds fewer than " + lengths[i]
                        + " positions");
            }
        }
        attendOverCache(in.data(), width, c, layer, slots, lengths, 0, heads, scale, o);
    }

    /**
     * Attention of query row i (at {@code i · qStride} in q) over the first {@code counts[i] + extra} cached
     * positions of slot {@code slots[i]}: one task per row with all its heads from {@link #ALL_HEADS_MIN_ROWS} rows
     * on, else one per (row, head).
     */
    private void attendOverCache(float[] q, int qStride, CpuKvCache c, int layer, int[] slots, int[] counts, int extra,
                                 int heads, float scale, CpuTensor o) {
        int width = c.width();
        int hd = width / heads;
        if (slots.length >= ALL_HEADS_MIN_ROWS) {
            parallelFor(slots.length, (i, scratch) -> {
                int n = counts[i] + extra;
                CpuAttention.attendAllHeads(q, i * qStride, c.keys(slots[i], layer), 0, c.values(slots[i], layer), 0,
                        width, n, heads, hd, scale, o.data(), i * width,
                        scratch.floats(CpuAttention.allHeadsScratchSize(heads, n)));
            });
            return;
        }
        parallelFor(slots.length * heads, (t, scratch) -> {
            int i = t / heads;
            int h = t % heads;
            int n = counts[i] + extra;
            CpuAttention.attend(q, i * qStride + h * hd, c.keys(slots[i], layer), h * hd, c.values(slots[i], layer),
                    h * hd, width, n, hd, scale, o.data(), i * width + h * hd, scratch.floats(CpuAttention.scratchSize(n)));
        });
    }

    @Override
    protected void doCopyKv(CpuKvCache cache, int[] from, int[] to, int[] lengths) {
        cache.reorder(from, to, lengths);
    }

    // ---- output -------------------------------------------------------------------------------------------

    @Override
    protected void doLogSoftmaxTopK(CpuTensor in, LogitRule[] rules, int k, float[] outLogProbs, int[] outIds) {
        int vocab = in.cols();
        int rows = in.rows();
        parallelFor(rows, (r, scratch) -> CpuTopK.row(in.data(), r * vocab, vocab, rules[r] == null ? LogitRule.NONE : rules[r],
                k, outLogProbs, outIds, r * k));
    }

    /** One index of a {@link #parallelFor} loop, with the running participant's reusable buffers. */
    @FunctionalInterface
    private interface IndexTask {
        void run(int index, WorkerScratch scratch);
    }

    private void parallelFor(int tasks, IndexTask body) {
        pool.parallelFor(tasks, 1, (worker, from, to) -> {
            WorkerScratch scratch = pool.scratch(worker);
            for (int t = from; t < to; t++) {
                body.run(t, scratch);
            }
        });
    }

    @Override
    public void close() {
        kernel.close();
        pool.close();
    }
}
