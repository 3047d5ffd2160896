package dev.m2m100.engine.backend.cpu;

import dev.m2m100.engine.backend.Backend;
import dev.m2m100.engine.backend.Epilogue;
import dev.m2m100.engine.backend.KvCache;
import dev.m2m100.engine.backend.Tensor;
import dev.m2m100.engine.backend.RawMatrix;
import dev.m2m100.engine.backend.WeightMatrix;
import dev.m2m100.engine.backend.WeightRole;
import dev.m2m100.engine.backend.WeightVector;
import dev.m2m100.engine.backend.cpu.gemm.WeightFormat;
import dev.m2m100.engine.backend.cpu.gemm.WorkerPool;
import dev.m2m100.engine.backend.cpu.gemm.WorkerScratch;
import dev.m2m100.engine.generation.LogitRule;
import java.util.function.Function;

/**
 * The CPU backend: float32 activations on the heap, weights packed once by a {@link LinearKernel} (by default
 * the optimized {@link GemmLinearKernel}, storing f32, or bf16/f16/int8 widened to f32 in registers), every
 * loop spread over one fixed {@link WorkerPool}.
 */
public final class CpuBackend implements Backend {

    private final WorkerPool pool;
    private final LinearKernel kernel;
    private final ArrayPool arrays = new ArrayPool();

    /** {@code threads} workers (0 = one per available processor), the optimized kernel, f32 weights. */
    public CpuBackend(int threads) {
        this(threads, WeightFormat.F32);
    }

    /** {@code threads} workers (0 = one per available processor), the optimized kernel, weights stored as {@code format}. */
    public CpuBackend(int threads, WeightFormat format) {
        this(threads, pool -> new GemmLinearKernel(pool, format));
    }

    /** {@code threads} workers and the kernel the factory makes over the backend's pool. */
    public CpuBackend(int threads, Function<WorkerPool, LinearKernel> kernelFactory) {
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
    public WeightMatrix upload(WeightRole role, RawMatrix... rowBlocks) {
        return new CpuMatrix(kernel.pack(role, rowBlocks));
    }

    @Override
    public WeightVector vector(float[] values) {
        return new CpuVector(values);
    }

    @Override
    public Tensor allocate(int rows, int cols) {
        if (rows < 0 || cols < 0 || (long) rows * cols > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("cannot allocate a " + rows + " x " + cols + " tensor");
        }
        return new CpuTensor(arrays.take(rows * cols), rows, cols, arrays);
    }

    @Override
    public float[] download(Tensor t) {
        CpuTensor c = cpu(t);
        return java.util.Arrays.copyOf(c.data(), c.rows() * c.cols());
    }

    @Override
    public KvCache kvCache(int layers, int width, int maxLength, int slotHint) {
        return new CpuKvCache(layers, width, maxLength);
    }

    // ---- element-wise and row-wise ------------------------------------------------------------------------

    @Override
    public void embed(WeightMatrix table, int[] ids, float scale, WeightMatrix positions, int[] positionIds,
                      Tensor out) {
        CpuMatrix tab = (CpuMatrix) table;
        CpuMatrix pos = (CpuMatrix) positions;
        CpuTensor o = cpu(out);
        int d = tab.cols();
        check(pos.cols() == d && o.cols() == d && ids.length == o.rows() && positionIds.length == ids.length,
                "embed: shapes do not match");
        float[] row = arrays.take(d);
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= tab.rows()) {
                throw new IllegalArgumentException("token id " + ids[i] + " is outside the vocabulary [0, "
                        + tab.rows() + ")");
            }
            if (positionIds[i] < 0 || positionIds[i] >= pos.rows()) {
                throw new IllegalArgumentException("position " + positionIds[i] + " is outside the table [0, "
                        + pos.rows() + ")");
            }
            int oo = i * d;
            tab.packed.readRow(ids[i], o.data(), oo);
            pos.packed.readRow(positionIds[i], row, 0);
            for (int c = 0; c < d; c++) {
                o.data()[oo + c] = o.data()[oo + c] * scale + row[c];
            }
        }
        arrays.give(row);
    }

    @Override
    public void layerNorm(Tensor x, WeightVector gamma, WeightVector beta, float eps, Tensor out) {
        CpuTensor in = cpu(x);
        CpuTensor o = cpu(out);
        float[] g = ((CpuVector) gamma).data();
        float[] b = ((CpuVector) beta).data();
        int d = in.cols();
        check(o.cols() == d && o.rows() == in.rows() && g.length == d && b.length == d, "layerNorm: shapes do not match");
        float[] xs = in.data();
        float[] os = o.data();
        for (int r = 0; r < in.rows(); r++) {
            int off = r * d;
            double sum = 0;
            for (int c = 0; c < d; c++) {
                sum += xs[off + c];
            }
            double mean = sum / d;
            double sq = 0;
            for (int c = 0; c < d; c++) {
                double dv = xs[off + c] - mean;
                sq += dv * dv;
            }
            float inv = (float) (1.0 / Math.sqrt(sq / d + eps));
            float m = (float) mean;
            for (int c = 0; c < d; c++) {
                os[off + c] = (xs[off + c] - m) * inv * g[c] + b[c];
            }
        }
    }

    @Override
    public void linear(Tensor x, WeightMatrix w, WeightVector bias, Epilogue epilogue, Tensor out) {
        CpuTensor in = cpu(x);
        CpuTensor o = cpu(out);
        CpuMatrix m = (CpuMatrix) w;
        float[] b = bias == null ? null : ((CpuVector) bias).data();
        if (!(in.cols() == m.cols() && o.cols() == m.rows() && o.rows() == in.rows()
                && (b == null || b.length == m.rows()) && in.data() != o.data())) { // message built only on failure
            throw new IllegalArgumentException("linear: shapes do not match (x " + in.rows() + "x" + in.cols() + ", W "
                    + m.rows() + "x" + m.cols() + ", out " + o.rows() + "x" + o.cols() + ")");
        }
        kernel.apply(in.data(), in.rows(), m.packed, b, epilogue, o.data());
    }

    // ---- attention ----------------------------------------------------------------------------------------

    @Override
    public void selfAttention(Tensor qkv, int[] seqStarts, int heads, float scale, Tensor out) {
        CpuTensor in = cpu(qkv);
        CpuTensor o = cpu(out);
        int width = o.cols();
        check(in.cols() == 3 * width && in.rows() == o.rows() && width % heads == 0
                && seqStarts[seqStarts.length - 1] == in.rows(), "selfAttention: shapes do not match");
        int hd = width / heads;
        int seqs = seqStarts.length - 1;
        float[] a = in.data();
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
    public void cachedSelfAttention(Tensor qkv, KvCache cache, int layer, int[] slots, int[] positions, int heads,
                                    float scale, Tensor out) {
        CpuTensor in = cpu(qkv);
        CpuTensor o = cpu(out);
        CpuKvCache c = (CpuKvCache) cache;
        int width = c.width();
        check(in.cols() == 3 * width && o.cols() == width && in.rows() == slots.length && o.rows() == slots.length
                && positions.length == slots.length && width % heads == 0, "cachedSelfAttention: shapes do not match");
        float[] a = in.data();
        for (int i = 0; i < slots.length; i++) {
            c.ensure(slots[i], positions[i] + 1);
            int src = i * 3 * width;
            System.arraycopy(a, src + width, c.keys(slots[i], layer), positions[i] * width, width);
            System.arraycopy(a, src + 2 * width, c.values(slots[i], layer), positions[i] * width, width);
        }
        int hd = width / heads;
        parallelFor(slots.length * heads, (t, scratch) -> {
            int i = t / heads;
            int h = t % heads;
            int n = positions[i] + 1;
            CpuAttention.attend(a, i * 3 * width + h * hd, c.keys(slots[i], layer), h * hd,
                    c.values(slots[i], layer), h * hd, width, n, hd, scale, o.data(), i * width + h * hd,
                    scratch.floats(CpuAttention.scratchSize(n)));
        });
    }

    @Override
    public void storeKv(Tensor kv, int[] seqStarts, KvCache cache, int layer, int[] slots) {
        CpuTensor in = cpu(kv);
        CpuKvCache c = (CpuKvCache) cache;
        int width = c.width();
        check(in.cols() == 2 * width && seqStarts.length == slots.length + 1
                && seqStarts[slots.length] == in.rows(), "storeKv: shapes do not match");
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
    public void crossAttention(Tensor q, KvCache cache, int layer, int[] slots, int[] lengths, int heads, float scale,
                               Tensor out) {
        CpuTensor in = cpu(q);
        CpuTensor o = cpu(out);
        CpuKvCache c = (CpuKvCache) cache;
        int width = c.width();
        check(in.cols() == width && o.cols() == width && in.rows() == slots.length && o.rows() == slots.length
                && lengths.length == slots.length && width % heads == 0, "crossAttention: shapes do not match");
        for (int i = 0; i < slots.length; i++) {
            if (lengths[i] < 1 || lengths[i] > c.capacity(slots[i])) {
                throw new IllegalArgumentException("crossAttention: slot " + slots[i] + " holds fewer than " + lengths[i]
                        + " positions");
            }
        }
        int hd = width / heads;
        parallelFor(slots.length * heads, (t, scratch) -> {
            int i = t / heads;
            int h = t % heads;
            int n = lengths[i];
            CpuAttention.attend(in.data(), i * width + h * hd, c.keys(slots[i], layer), h * hd,
                    c.values(slots[i], layer), h * hd, width, n, hd, scale, o.data(), i * width + h * hd,
                    scratch.floats(CpuAttention.scratchSize(n)));
        });
    }

    @Override
    public void copyKv(KvCache cache, int[] from, int[] to, int[] lengths) {
        check(from.length == to.length && lengths.length == to.length, "copyKv: array lengths differ");
        ((CpuKvCache) cache).reorder(from, to, lengths);
    }

    // ---- output -------------------------------------------------------------------------------------------

    @Override
    public void logSoftmaxTopK(Tensor logits, LogitRule[] rules, int k, float[] outLogProbs, int[] outIds) {
        CpuTensor in = cpu(logits);
        int vocab = in.cols();
        int rows = in.rows();
        check(rules.length == rows && k >= 1 && k <= vocab && outLogProbs.length >= rows * k
                && outIds.length >= rows * k, "logSoftmaxTopK: shapes do not match");
        for (LogitRule r : rules) {
            int id = r instanceof LogitRule.Force f ? f.tokenId() : r instanceof LogitRule.Ban b ? b.tokenId() : 0;
            if (id < 0 || id >= vocab) {
                throw new IllegalArgumentException("logit rule " + r + " names a token outside [0, " + vocab + ")");
            }
        }
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

    private static CpuTensor cpu(Tensor t) {
        if (t instanceof CpuTensor c) {
            return c;
        }
        throw new IllegalArgumentException("tensor " + t + " does not belong to the CPU backend");
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
