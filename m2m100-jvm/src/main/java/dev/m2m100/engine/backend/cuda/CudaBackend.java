package dev.m2m100.engine.backend.cuda;

import java.util.Arrays;

import dev.m2m100.engine.backend.Backend;
import dev.m2m100.engine.backend.CheckedBackend;
import dev.m2m100.engine.backend.ElementType;
import dev.m2m100.engine.backend.Epilogue;
import dev.m2m100.engine.backend.RawMatrix;
import dev.m2m100.engine.backend.Tensor;
import dev.m2m100.engine.backend.WeightRole;
import dev.m2m100.engine.generation.LogitRule;

/**
 * The CUDA backend: weight matrices uploaded once in the {@link Precision} (fp32 = the parity mode, fp16 =
 * serving), biases and layernorm parameters in fp32, the residual stream and logits in fp32. Activations that
 * feed a GEMM or attention, and the KV caches, are stored as the {@link #activationType()}: F32 by default, or
 * F16 (fp16 weights only) — fp16 storage, fp32 arithmetic everywhere (GEMM accumulation, layer-norm statistics,
 * softmax). The F16 activations have not run on a GPU yet (docs/GPU.md), so nothing turns them on by default. Every
 * operation runs on one stream: the linear layers through the {@link GemmImplementation} chosen at open (cuBLAS in
 * fixed row chunks by default, or our gemm.cu; both keep a row's result independent of its batch), everything else
 * as our PTX kernels. Per-call index arrays (ids, slots, lengths) go through pinned staging with asynchronous copies
 * on that stream; only the k best (log-prob, id) pairs per row come back, the same way.
 *
 * <p>Not thread-safe, like every {@link Backend}; the context is made current at each entry point, so the
 * calling thread may change between calls.
 */
public final class CudaBackend extends CheckedBackend<CudaTensor, CudaMatrix, CudaVector, CudaKvCache> {

    private static final System.Logger LOG = System.getLogger(CudaBackend.class.getName());

    private final CudaDevice device;
    private final CudaKernels kernels;
    private final CudaGemm gemm;
    private final DeviceMemoryPool pool;
    private final PinnedStaging staging;
    private final Precision precision;
    private final ElementType activations;

    private CudaBackend(CudaDevice device, ElementType activations) {
        super(CudaTensor.class, CudaMatrix.class, CudaVector.class, CudaKvCache.class);
        this.device = device;
        this.kernels = device.kernels();
        this.gemm = device.gemm();
        this.pool = device.pool();
        this.staging = device.staging();
        this.precision = device.precision();
        this.activations = activations;
    }

    /**
     * Opens CUDA device {@code ordinal} with weights in {@code precision} and the GEMM the environment names
     * ({@link GemmImplementation#VARIABLE}, read now). Device memory is reserved as the model and its caches need
     * it; when the device runs out, the failing call throws {@link DeviceOutOfMemoryException}.
     *
     * @param checkEachLaunch synchronise after every kernel so that a fault names its kernel (tests, debugging)
     * @throws CudaException when the device or the GEMM (cuBLAS missing, say) cannot be opened
     */
    public static CudaBackend open(int ordinal, Precision precision, boolean checkEachLaunch) {
        return open(ordinal, precision, ElementType.F32, checkEachLaunch);
    }

    /**
     * Like {@link #open(int, Precision, boolean)}, with activations and KV caches stored as {@code activations}:
     * F32, or F16 with fp16 weights (the GEMM has no fp16 × fp32 variant).
     */
    public static CudaBackend open(int ordinal, Precision precision, ElementType activations,
                                   boolean checkEachLaunch) {
        return open(ordinal, precision, activations, GemmImplementation.fromEnvironment(System.getenv()),
                checkEachLaunch);
    }

    /** Like {@link #open(int, Precision, ElementType, boolean)}, with the GEMM given. */
    public static CudaBackend open(int ordinal, Precision precision, ElementType activations, GemmImplementation gemm,
                                   boolean checkEachLaunch) {
        if (activations == ElementType.BF16 || (activations == ElementType.F16 && precision != Precision.FP16)) {
            throw new IllegalArgumentException("the CUDA backend stores activations as F32, or as F16 with f16 "
                    + "weights; not " + activations + " with " + precision + " weights");
        }
        CudaAvailability availability = CudaAvailability.probe(ordinal);
        if (!availability.available()) {
            throw new CudaException("CUDA device " + ordinal + " is unavailable: " + availability.reason());
        }
        CudaBackend backend = new CudaBackend(CudaDevice.open(ordinal, precision, gemm, Long.MAX_VALUE,
                checkEachLaunch), activations);
        LOG.log(System.Logger.Level.INFO, backend.name() + ": " + precision + " weights, " + activations
                + " activations, GEMM " + gemm + " (" + GemmImplementation.VARIABLE + ")");
        return backend;
    }

    /** The device, for logs and tests. */
    public CudaDevice device() {
        return device;
    }

    @Override
    public String name() {
        return "cuda:" + device.context().ordinal();
    }

    @Override
    public ElementType activationType() {
        return activations;
    }

    // ---- memory ------------------------------------------------------------------------------------------

    /**
     * Every role is stored in the precision (the kernels read one storage type), straight from the blocks' bytes:
     * see {@link WeightUploader}.
     */
    @Override
    protected CudaMatrix doUpload(WeightRole role, RawMatrix... rowBlocks) {
        int rows = RawMatrix.stackedRows(rowBlocks);
        int cols = RawMatrix.stackedCols(rowBlocks);
        bind();
        DeviceBuffer b = pool.allocate(WeightUploader.deviceBytes(precision, rowBlocks),
                role + " matrix " + rows + " x " + cols + " " + precision);
        try {
            WeightUploader.upload(precision, b, rowBlocks);
        } catch (RuntimeException e) {
            pool.release(b);
            throw e;
        }
        return new CudaMatrix(b, rows, cols, precision);
    }

    @Override
    protected CudaVector doVector(float[] values) {
        bind();
        DeviceBuffer b = pool.allocate(4L * values.length, "weight vector " + values.length);
        b.upload(values);
        return new CudaVector(b, values.length);
    }

    @Override
    protected CudaTensor doAllocate(int rows, int cols, ElementType type) {
        bind();
        Precision storage = CudaTensor.storage(type);
        long bytes = Math.max(4L, (long) storage.bytes() * rows * cols);
        return new CudaTensor(pool.allocate(bytes, "tensor " + rows + " x " + cols + " " + type), rows, cols, storage,
                pool);
    }

    @Override
    protected CudaTensor doFirstRows(CudaTensor t, int rows) {
        return t.firstRows(rows);
    }

    /** Waits for the stream, then copies (F16 widened exactly); for tests and teacher forcing, not the step loop. */
    @Override
    protected float[] doDownload(CudaTensor c) {
        bind();
        int n = c.rows() * c.cols();
        float[] out = new float[n];
        if (n > 0) {
            staging.synchronize("download of " + c);
            if (c.storage() == Precision.FP32) {
                c.buffer().download(out);
            } else {
                short[] half = new short[n];
                c.buffer().download(half);
                for (int i = 0; i < n; i++) {
                    out[i] = Float.float16ToFloat(half[i]);
                }
            }
        }
        return out;
    }

    /**
     * Writes host values into a tensor (row-major, exactly rows × cols of them, rounded to nearest even for an F16
     * tensor); for tests and tools.
     */
    void upload(Tensor t, float[] values) {
        CudaTensor c = tensor(t);
        check(values.length == c.rows() * c.cols(), "upload: " + values.length + " values for " + c);
        bind();
        if (values.length == 0) {
            return;
        }
        if (c.storage() == Precision.FP32) {
            c.buffer().upload(values);
        } else {
            short[] half = new short[values.length];
            for (int i = 0; i < values.length; i++) {
                half[i] = Float.floatToFloat16(values[i]);
            }
            c.buffer().upload(half);
        }
    }

    @Override
    protected CudaKvCache doKvCache(int layers, int width, int maxLength, int slotHint) {
        return new CudaKvCache(layers, width, maxLength, slotHint, CudaTensor.storage(activations), pool,
                this::relayout);
    }

    /** A growing cache's contents into its new layout: every sequence's first {@code positions} positions. */
    private void relayout(Precision storage, DeviceBuffer src, CacheLayout from, DeviceBuffer dst, CacheLayout to,
                          int sequences, int positions, int width) {
        int[] ids = new int[sequences];
        Arrays.setAll(ids, i -> i);
        int[] lengths = new int[sequences];
        Arrays.fill(lengths, positions);
        DeviceBuffer[] meta = staging.upload("KV cache growth", ids, lengths);
        kernels.copyCacheRows(storage, src, from, dst, to, meta[0], meta[0], meta[1], sequences, width);
    }

    // ---- element-wise and row-wise ------------------------------------------------------------------------

    @Override
    protected void doEmbed(CudaMatrix tab, int[] ids, float scale, CudaMatrix pos, int[] positionIds, CudaTensor o) {
        int d = tab.cols();
        if (ids.length == 0) {
            return;
        }
        bind();
        DeviceBuffer[] meta = staging.upload("token and position ids", ids, positionIds);
        kernels.embed(precision, meta[0], meta[1], tab.buffer(), tab.rows(), d, scale, pos.buffer(), pos.rows(),
                o.buffer(), ids.length);
    }

    @Override
    protected void doLayerNorm(CudaTensor in, CudaVector g, CudaVector b, float eps, CudaTensor o) {
        int d = in.cols();
        if (in.rows() == 0) {
            return;
        }
        bind();
        // The kernel reads each element before writing it, so out may be x.
        kernels.layerNorm(o.storage(), in.buffer(), g.buffer(), b.buffer(), o.buffer(), in.rows(), d, eps);
    }

    @Override
    protected void doLinear(CudaTensor in, CudaMatrix m, CudaVector b, Epilogue epilogue, CudaTensor o) {
        int rows = in.rows();
        if (rows == 0) {
            return;
        }
        bind();
        gemm.linear(new GemmCall(in.storage(), m.precision(), o.storage(), in.buffer(), m.buffer(),
                b == null ? null : b.buffer(), o.buffer(), rows, m.rows(), m.cols(), epilogue));
    }

    // ---- attention ----------------------------------------------------------------------------------------

    @Override
    protected void doSelfAttention(CudaTensor in, int[] seqStarts, int heads, float scale, CudaTensor o) {
        int width = o.cols();
        int rows = in.rows();
        if (rows == 0) {
            return;
        }
        // Packed sequences: a "sequence" index is the row its sequence starts at, one row (3·width) apart.
        int[] kvSeq = new int[rows];
        int[] kvLen = new int[rows];
        int maxLen = 1;
        for (int s = 0; s + 1 < seqStarts.length; s++) {
            int start = seqStarts[s];
            int n = seqStarts[s + 1] - start;
            maxLen = Math.max(maxLen, n);
            for (int i = start; i < start + n; i++) {
                kvSeq[i] = start;
                kvLen[i] = n;
            }
        }
        AttentionLayout layout = new AttentionLayout(heads, width / heads, 3 * width, 3L * width, 3 * width, width);
        bind();
        DeviceBuffer[] meta = staging.upload("attention sequence starts and lengths", kvSeq, kvLen);
        kernels.attention(in.storage(), in.buffer(), in.columnsFrom(width), in.columnsFrom(2 * width), meta[0],
                meta[1], o.buffer(), rows, layout.extent(kvSeq, kvLen), maxLen, layout, scale);
    }

    @Override
    protected void doCachedSelfAttention(CudaTensor in, CudaKvCache c, int layer, int[] slots, int[] positions,
                                         int heads, float scale, CudaTensor o) {
        int width = c.width();
        int rows = slots.length;
        if (rows == 0) {
            return;
        }
        int maxSlot = 0;
        int maxLen = 1;
        int[] lengths = new int[rows];
        for (int i = 0; i < rows; i++) {
            maxSlot = Math.max(maxSlot, slots[i]);
            lengths[i] = positions[i] + 1;
            maxLen = Math.max(maxLen, lengths[i]);
        }
        bind();
        c.ensure(maxSlot, maxLen);
        AttentionLayout layout = new AttentionLayout(heads, width / heads, 3 * width, c.slotStride(), width, width);
        DeviceBuffer[] meta = staging.upload("cache slots, positions and lengths", slots, positions, lengths);
        int slotsHeld = c.slotCapacity();
        Precision p = c.storage();
        kernels.scatterRows(p, in.columnsFrom(width), 3 * width, c.keys(layer), c.slotStride(), width,
                meta[0], meta[1], rows, width, slotsHeld, c.lengthCapacity());
        kernels.scatterRows(p, in.columnsFrom(2 * width), 3 * width, c.values(layer), c.slotStride(),
                width, meta[0], meta[1], rows, width, slotsHeld, c.lengthCapacity());
        kernels.attention(p, in.buffer(), c.keys(layer), c.values(layer), meta[0], meta[2], o.buffer(),
                rows, layout.extent(slots, lengths), maxLen, layout, scale);
    }

    @Override
    protected void doStoreKv(CudaTensor in, int[] seqStarts, CudaKvCache c, int layer, int[] slots) {
        int width = c.width();
        int rows = in.rows();
        if (rows == 0) {
            return;
        }
        int[] dstSeq = new int[rows];
        int[] dstPos = new int[rows];
        int maxSlot = 0;
        int maxLen = 1;
        for (int j = 0; j < slots.length; j++) {
            int start = seqStarts[j];
            int n = seqStarts[j + 1] - start;
            maxSlot = Math.max(maxSlot, slots[j]);
            maxLen = Math.max(maxLen, n);
            for (int p = 0; p < n; p++) {
                dstSeq[start + p] = slots[j];
                dstPos[start + p] = p;
            }
        }
        bind();
        c.ensure(maxSlot, maxLen);
        DeviceBuffer[] meta = staging.upload("cache slots and positions", dstSeq, dstPos);
        kernels.scatterRows(c.storage(), in.buffer(), 2 * width, c.keys(layer), c.slotStride(), width, meta[0],
                meta[1], rows, width, c.slotCapacity(), c.lengthCapacity());
        kernels.scatterRows(c.storage(), in.columnsFrom(width), 2 * width, c.values(layer), c.slotStride(), width,
                meta[0], meta[1], rows, width, c.slotCapacity(), c.lengthCapacity());
    }

    @Override
    protected void doCrossAttention(CudaTensor in, CudaKvCache c, int layer, int[] slots, int[] lengths, int heads,
                                    float scale, CudaTensor o) {
        int width = c.width();
        int rows = slots.length;
        if (rows == 0) {
            return;
        }
        int maxLen = 1;
        for (int i = 0; i < rows; i++) {
            if (slots[i] >= c.slotCapacity() || lengths[i] > c.lengthCapacity()) {
                throw new IllegalArgumentException("crossAttention: slot " + slots[i] + " holds fewer than "
                        + lengths[i] + " positions");
            }
            maxLen = Math.max(maxLen, lengths[i]);
        }
        bind();
        AttentionLayout layout = new AttentionLayout(heads, width / heads, width, c.slotStride(), width, width);
        DeviceBuffer[] meta = staging.upload("cache slots and lengths", slots, lengths);
        kernels.attention(c.storage(), in.buffer(), c.keys(layer), c.values(layer), meta[0], meta[1], o.buffer(),
                rows, layout.extent(slots, lengths), maxLen, layout, scale);
    }

    @Override
    protected void doCopyKv(CudaKvCache c, int[] from, int[] to, int[] lengths) {
        int pairs = 0;
        int maxSlot = 0;
        int maxLen = 1;
        for (int i = 0; i < from.length; i++) {
            if (from[i] != to[i] && lengths[i] > 0) {
                if (from[i] >= c.slotCapacity() || lengths[i] > c.lengthCapacity()) {
                    throw new IllegalArgumentException("copyKv: slot " + from[i] + " holds fewer than " + lengths[i]
                            + " positions");
                }
                pairs++;
                maxSlot = Math.max(maxSlot, to[i]);
                maxLen = Math.max(maxLen, lengths[i]);
            }
        }
        if (pairs == 0) {
            return;
        }
        int[] src = new int[pairs];
        int[] dst = new int[pairs];
        int[] len = new int[pairs];
        int j = 0;
        for (int i = 0; i < from.length; i++) {
            if (from[i] != to[i] && lengths[i] > 0) {
                src[j] = from[i];
                dst[j] = to[i];
                len[j] = lengths[i];
                j++;
            }
        }
        bind();
        c.ensure(maxSlot, maxLen);
        boolean overlap = Arrays.stream(dst).anyMatch(t -> Arrays.stream(src).anyMatch(f -> f == t));
        int[] staged = new int[overlap ? pairs : 0];
        Arrays.setAll(staged, i -> i);
        DeviceBuffer[] meta = staging.upload("copy sources, targets, lengths and staging slots", src, dst, len, staged);
        CacheLayout layout = c.layout();
        if (!overlap) {
            kernels.copyCacheRows(c.storage(), c.buffer(), layout, c.buffer(), layout, meta[0], meta[1], meta[2],
                    pairs, c.width());
            return;
        }
        // Some slot is read and written: stage every source in a scratch block of the same layout first.
        CacheLayout scratchLayout = CudaKvCache.layoutOf(c.layers(), c.width(), pairs, c.lengthCapacity());
        DeviceBuffer scratch = pool.allocate((long) c.storage().bytes() * pairs * c.slotStride(), "KV copy staging");
        try {
            kernels.copyCacheRows(c.storage(), c.buffer(), layout, scratch, scratchLayout, meta[0], meta[3],
                    meta[2], pairs, c.width());
            kernels.copyCacheRows(c.storage(), scratch, scratchLayout, c.buffer(), layout, meta[3], meta[1],
                    meta[2], pairs, c.width());
        } finally {
            pool.release(scratch);
        }
    }

    // ---- output -------------------------------------------------------------------------------------------

    @Override
    protected void doLogSoftmaxTopK(CudaTensor in, LogitRule[] rules, int k, float[] outLogProbs, int[] outIds) {
        int vocab = in.cols();
        int rows = in.rows();
        if (k > CudaKernels.MAX_TOP_K) {
            throw new IllegalArgumentException("logSoftmaxTopK: k = " + k + " exceeds the CUDA kernel's limit of "
                    + CudaKernels.MAX_TOP_K + " (beam search needs 2 x beams)");
        }
        int[] force = new int[rows];
        int[] ban = new int[rows];
        for (int r = 0; r < rows; r++) {
            LogitRule rule = rules[r] == null ? LogitRule.NONE : rules[r];
            force[r] = rule instanceof LogitRule.Force f ? f.tokenId() : -1;
            ban[r] = rule instanceof LogitRule.Ban b ? b.tokenId() : -1;
        }
        if (rows == 0) {
            return;
        }
        bind();
        DeviceBuffer lp = pool.allocate(4L * rows * k, "top-k log-probs");
        DeviceBuffer ids = pool.allocate(4L * rows * k, "top-k ids");
        try {
            DeviceBuffer[] rule = staging.upload("forced and banned tokens", force, ban);
            kernels.logSoftmaxTopK(in.buffer(), rows, vocab, rule[0], rule[1], k, lp, ids);
            float[] lpHost = new float[rows * k];
            int[] idHost = new int[rows * k];
            staging.download("logsoftmax_topk rows=" + rows + " vocab=" + vocab + " k=" + k, lp, lpHost, ids, idHost);
            System.arraycopy(lpHost, 0, outLogProbs, 0, rows * k);
            System.arraycopy(idHost, 0, outIds, 0, rows * k);
        } finally {
            pool.release(lp);
            pool.release(ids);
        }
    }

    @Override
    public void close() {
        device.close();
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    private void bind() {
        device.context().makeCurrent();
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
