package dev.m2m100.engine.backend.cuda;

import java.util.Set;

/**
 * Typed entry points to our PTX kernels. Each method validates its arguments on the host (sizes against the
 * buffers, limits of the kernel) before launching, so a shape mistake is an exception naming the operation
 * rather than a device fault. Row-major, packed rows unless a layout says otherwise; the fp32 residual
 * stream is always {@code float}, storage-typed tensors follow the {@link Precision}.
 */
public final class CudaKernels {

    /** Threads per attention block; also the largest supported head dimension. */
    static final int ATTENTION_THREADS = 128;
    /** Largest k of {@link #logSoftmaxTopK}. */
    public static final int MAX_TOP_K = 32;
    private static final int TOPK_THREADS = 256;
    /** Threads per block of the GEMM and of the cuBLAS path's element-wise kernels. */
    private static final int ELEMENT_THREADS = 256;
    /** The x_a conversions epilogue.cu's stage_rows instantiates (a is cuBLAS's input type, the weight's). */
    static final Set<String> STAGE_VARIANTS = Set.of("f32_f32", "f32_f16", "f16_f16");
    private static final int MAX_STATIC_SHARED = 48 * 1024;

    private final KernelLaunch launcher;

    public CudaKernels(KernelLaunch launcher) {
        this.launcher = launcher;
    }

    /**
     * out[t, :] = table[ids[t], :] * scale + posTable[positionIds[t], :], fp32 out [tokens, d]; both tables in
     * the storage type ({@code vocab × d} and {@code posRows × d}); ids and positionIds int32 [tokens],
     * validated by the caller (an out-of-range entry yields NaN rows, never an out-of-bounds read).
     */
    public void embed(Precision p, DeviceBuffer ids, DeviceBuffer positionIds, DeviceBuffer table, int vocab, int d,
                      float scale, DeviceBuffer posTable, int posRows, DeviceBuffer out, int tokens) {
        String shapes = "tokens=" + tokens + " vocab=" + vocab + " d=" + d + " posRows=" + posRows;
        positive(tokens, "tokens", shapes);
        positive(d, "d", shapes);
        requireBytes(ids, 4L * tokens, "ids", shapes);
        requireBytes(positionIds, 4L * tokens, "positionIds", shapes);
        requireBytes(table, (long) vocab * d * p.bytes(), "embedding table", shapes);
        requireBytes(posTable, (long) posRows * d * p.bytes(), "position table", shapes);
        requireBytes(out, 4L * tokens * d, "output", shapes);
        launcher.launch("embed_" + p.suffix(), Dim3.of(tokens), Dim3.of(rowThreads(d)), 0, shapes,
                KernelArgs.of().ptr(ids).ptr(positionIds).ptr(table).i32(vocab).f32(scale).i32(d).ptr(posTable)
                        .i32(posRows).ptr(out).i32(d));
    }

    /** y = LayerNorm(x) with fp32 gamma/beta; x fp32 [rows, d], y storage-typed [rows, d]. */
    public void layerNorm(Precision p, DeviceBuffer x, DeviceBuffer gamma, DeviceBuffer beta, DeviceBuffer y,
                          int rows, int d, float eps) {
        String shapes = "rows=" + rows + " d=" + d;
        checkLayerNorm(p, x, gamma, beta, y, rows, d, shapes);
        launcher.launch("layernorm_" + p.suffix(), Dim3.of(rows), Dim3.of(rowThreads(d)), 0, shapes,
                KernelArgs.of().ptr(x).i32(d).ptr(gamma).ptr(beta).ptr(y).i32(d).i32(d).f32(eps));
    }

    /** x += delta + bias (bias storage-typed, may be null), then y = LayerNorm(x); delta fp32 [rows, d]. */
    public void residualLayerNorm(Precision p, DeviceBuffer x, DeviceBuffer delta, DeviceBuffer bias,
                                  DeviceBuffer gamma, DeviceBuffer beta, DeviceBuffer y, int rows, int d, float eps) {
        String shapes = "rows=" + rows + " d=" + d;
        checkLayerNorm(p, x, gamma, beta, y, rows, d, shapes);
        requireBytes(delta, 4L * rows * d, "delta", shapes);
        if (bias != null) {
            requireBytes(bias, (long) d * p.bytes(), "bias", shapes);
        }
        launcher.launch("residual_layernorm_" + p.suffix(), Dim3.of(rows), Dim3.of(rowThreads(d)), 0, shapes,
                KernelArgs.of().ptr(x).i32(d).ptr(delta).i32(d).ptrOrNull(bias).ptr(gamma).ptr(beta).ptr(y).i32(d)
                        .i32(d).f32(eps));
    }

    private static void checkLayerNorm(Precision p, DeviceBuffer x, DeviceBuffer gamma, DeviceBuffer beta,
                                       DeviceBuffer y, int rows, int d, String shapes) {
        positive(rows, "rows", shapes);
        positive(d, "d", shapes);
        requireBytes(x, 4L * rows * d, "x", shapes);
        requireBytes(gamma, 4L * d, "gamma", shapes);
        requireBytes(beta, 4L * d, "beta", shapes);
        requireBytes(y, (long) rows * d * p.bytes(), "y", shapes);
    }

    /**
     * gemm.cu, our SIMT GEMM: each output element one fp32 FMA chain over k in order whatever the tile (16 x 32
     * when m ≤ 16, else 64 x 64), so a row's result does not depend on m; the epilogue fused.
     */
    void gemm(GemmCall c) {
        boolean small = c.m() <= 16;
        int bm = small ? 16 : 64;
        int bn = small ? 32 : 64;
        long rowTiles = (c.m() + bm - 1L) / bm;
        if (rowTiles > 65535) {
            throw new IllegalArgumentException("gemm [" + c.shapes() + "]: more than " + 65535 * bm + " rows in one call");
        }
        launcher.launch("gemm_" + c.variant() + "_" + bm + "x" + bn, Dim3.of((c.n() + bn - 1) / bn, (int) rowTiles),
                Dim3.of(ELEMENT_THREADS), 0, c.shapes(),
                KernelArgs.of().ptr(c.x()).ptr(c.w()).ptr(c.y()).ptrOrNull(c.bias()).i32(c.m()).i32(c.n()).i32(c.k())
                        .i32(c.epilogueCode()));
    }

    /**
     * The cuBLAS path's input chunk: {@code a[r, :] = x[r, :]} in a's type for r < rows (fp32 → fp16 rounds to
     * nearest even, same-type copies are exact) and 0 for rows ≤ r < chunkRows; x [rows, k], a [chunkRows, k].
     */
    void stageRows(Precision xType, Precision aType, DeviceBuffer x, DeviceBuffer a, int rows, int chunkRows, int k) {
        String variant = xType.suffix() + "_" + aType.suffix();
        String shapes = "rows=" + rows + " of " + chunkRows + " k=" + k + " " + variant;
        positive(rows, "rows", shapes);
        positive(k, "k", shapes);
        if (rows > chunkRows || chunkRows > 65535) {
            throw new IllegalArgumentException("stageRows [" + shapes + "]: rows must be 1.." + chunkRows + " ≤ 65535");
        }
        if (!STAGE_VARIANTS.contains(variant)) {
            throw new IllegalArgumentException("stageRows [" + shapes + "]: no kernel for " + variant);
        }
        requireBytes(x, (long) rows * k * xType.bytes(), "x", shapes);
        requireBytes(a, (long) chunkRows * k * aType.bytes(), "a", shapes);
        launcher.launch("stage_rows_" + variant, Dim3.of((k + ELEMENT_THREADS - 1) / ELEMENT_THREADS, chunkRows),
                Dim3.of(ELEMENT_THREADS), 0, shapes, KernelArgs.of().ptr(x).ptr(a).i32(rows).i32(k));
    }

    /**
     * The cuBLAS path's epilogue, the one gemm.cu fuses: {@code y[r, :] = epilogue(d[r, :] + bias)} for r < rows;
     * d is the fp32 product [rows, n] (at least), y [rows, n] in its storage type, bias fp32 (may be null).
     */
    void gemmEpilogue(GemmCall c, DeviceBuffer d, DeviceBuffer y, int rows) {
        String shapes = "rows=" + rows + " of [" + c.shapes() + "]";
        positive(rows, "rows", shapes);
        if (rows > 65535) {
            throw new IllegalArgumentException("gemmEpilogue [" + shapes + "]: more than 65535 rows in one launch");
        }
        requireBytes(d, 4L * rows * c.n(), "d", shapes);
        requireBytes(y, (long) rows * c.n() * c.yType().bytes(), "y", shapes);
        launcher.launch("gemm_epilogue_" + c.yType().suffix(),
                Dim3.of((c.n() + ELEMENT_THREADS - 1) / ELEMENT_THREADS, rows), Dim3.of(ELEMENT_THREADS), 0, shapes,
                KernelArgs.of().ptr(d).ptr(y).ptrOrNull(c.bias()).i32(c.n()).i32(c.epilogueCode()));
    }

    /**
     * Attention for {@code queries} query rows: query i attends to the first {@code kvLen[i]} positions of
     * key/value sequence {@code kvSeq[i]} (both int32 [queries]); no length may exceed {@code maxLen}.
     * {@code kvExtent} is how many elements from the start of k (and of v) the host has checked that those
     * positions lie within — see {@link AttentionLayout#extent}; it must fit the buffers.
     */
    public void attention(Precision p, DeviceBuffer q, DeviceBuffer k, DeviceBuffer v, DeviceBuffer kvSeq,
                          DeviceBuffer kvLen, DeviceBuffer out, int queries, long kvExtent, int maxLen,
                          AttentionLayout layout, float scale) {
        String shapes = "queries=" + queries + " heads=" + layout.heads() + " headDim=" + layout.headDim()
                + " maxLen=" + maxLen + " kvExtent=" + kvExtent;
        positive(queries, "queries", shapes);
        positive(maxLen, "maxLen", shapes);
        positive(kvExtent, "kvExtent", shapes);
        if (layout.heads() > 65535) {
            throw new IllegalArgumentException("attention [" + shapes + "]: too many heads");
        }
        long width = (long) layout.heads() * layout.headDim();
        requireBytes(q, ((long) (queries - 1) * layout.ldq() + width) * p.bytes(), "q", shapes);
        requireBytes(out, ((long) (queries - 1) * layout.ldo() + width) * p.bytes(), "out", shapes);
        requireBytes(k, kvExtent * p.bytes(), "k", shapes);
        requireBytes(v, kvExtent * p.bytes(), "v", shapes);
        requireBytes(kvSeq, 4L * queries, "kvSeq", shapes);
        requireBytes(kvLen, 4L * queries, "kvLen", shapes);
        long shared = 4L * (32 + layout.headDim() + ATTENTION_THREADS + maxLen);
        if (shared > MAX_STATIC_SHARED) {
            throw new IllegalArgumentException("attention [" + shapes + "]: maxLen needs " + shared
                    + " bytes of shared memory, above " + MAX_STATIC_SHARED);
        }
        launcher.launch("attention_" + p.suffix(), Dim3.of(queries, layout.heads()), Dim3.of(ATTENTION_THREADS),
                (int) shared, shapes,
                KernelArgs.of().ptr(q).i32(layout.ldq()).ptr(k).ptr(v).i64(layout.seqStride()).i32(layout.tokStride())
                        .ptr(kvSeq).ptr(kvLen).ptr(out).i32(layout.ldo()).i32(layout.headDim()).f32(scale).i32(maxLen));
    }

    /**
     * Row i of {@code src} ([rows, width], leading dimension {@code lds}) goes to
     * {@code dst + dstSeq[i]*seqStride + dstPos[i]*tokStride} (elements). The host guarantees the targets
     * lie inside {@code dst}: {@code dstSequences} sequences of {@code maxLen} positions.
     */
    public void scatterRows(Precision p, DeviceBuffer src, int lds, DeviceBuffer dst, long seqStride, int tokStride,
                            DeviceBuffer dstSeq, DeviceBuffer dstPos, int rows, int width, int dstSequences,
                            int maxLen) {
        String shapes = "rows=" + rows + " width=" + width + " dstSequences=" + dstSequences + " maxLen=" + maxLen;
        positive(rows, "rows", shapes);
        positive(width, "width", shapes);
        requireBytes(src, ((long) (rows - 1) * lds + width) * p.bytes(), "src", shapes);
        requireBytes(dst, ((dstSequences - 1) * seqStride + (long) (maxLen - 1) * tokStride + width) * p.bytes(),
                "dst", shapes);
        requireBytes(dstSeq, 4L * rows, "dstSeq", shapes);
        requireBytes(dstPos, 4L * rows, "dstPos", shapes);
        launcher.launch("scatter_rows_" + p.suffix(), Dim3.of(rows), Dim3.of(rowThreads(width)), 0, shapes,
                KernelArgs.of().ptr(src).i32(lds).ptr(dst).i64(seqStride).i32(tokStride).ptr(dstSeq).ptr(dstPos)
                        .i32(width));
    }

    /**
     * For each pair i and each plane: copies the first len[i] positions of sequence from[i] of {@code src} to
     * sequence to[i] of {@code dst}, each block in its own layout (same planes and position stride; the caller has
     * checked from/to/len against the layouts on the host). src may be dst only when no sequence is both a source
     * and a target.
     */
    public void copyCacheRows(Precision p, DeviceBuffer src, CacheLayout srcLayout, DeviceBuffer dst,
                              CacheLayout dstLayout, DeviceBuffer from, DeviceBuffer to, DeviceBuffer len, int pairs,
                              int width) {
        String shapes = "pairs=" + pairs + " " + srcLayout + " -> " + dstLayout + " width=" + width;
        positive(pairs, "pairs", shapes);
        positive(width, "width", shapes);
        if (srcLayout.planes() != dstLayout.planes() || srcLayout.tokStride() != dstLayout.tokStride()) {
            throw new IllegalArgumentException("copyCacheRows [" + shapes + "]: layouts differ in planes or position"
                    + " stride");
        }
        if (srcLayout.planes() > 65535) {
            throw new IllegalArgumentException("copyCacheRows [" + shapes + "]: more than 65535 planes");
        }
        requireBytes(src, srcLayout.extent(width) * p.bytes(), "src", shapes);
        requireBytes(dst, dstLayout.extent(width) * p.bytes(), "dst", shapes);
        requireBytes(from, 4L * pairs, "from", shapes);
        requireBytes(to, 4L * pairs, "to", shapes);
        requireBytes(len, 4L * pairs, "len", shapes);
        launcher.launch("copy_cache_rows_" + p.suffix(), Dim3.of(pairs, srcLayout.planes()), Dim3.of(256), 0, shapes,
                KernelArgs.of().ptr(src).i64(srcLayout.planeStride()).i64(srcLayout.seqStride()).ptr(dst)
                        .i64(dstLayout.planeStride()).i64(dstLayout.seqStride()).i32(srcLayout.tokStride()).ptr(from)
                        .ptr(to).ptr(len).i32(width));
    }

    /**
     * Log-softmax of each fp32 logits row ([rows, vocab]), then the row's rule (forceTok / banTok int32
     * [rows], -1 = none, either buffer may be null), then the best k (log-prob descending, id ascending)
     * into outLogProbs (fp32 [rows, k]) and outIds (int32 [rows, k]).
     */
    public void logSoftmaxTopK(DeviceBuffer logits, int rows, int vocab, DeviceBuffer forceTok, DeviceBuffer banTok,
                               int k, DeviceBuffer outLogProbs, DeviceBuffer outIds) {
        String shapes = "rows=" + rows + " vocab=" + vocab + " k=" + k;
        positive(rows, "rows", shapes);
        positive(vocab, "vocab", shapes);
        if (k < 1 || k > MAX_TOP_K || k > vocab) {
            throw new IllegalArgumentException("logSoftmaxTopK [" + shapes + "]: k must be in 1.."
                    + Math.min(MAX_TOP_K, vocab));
        }
        requireBytes(logits, 4L * rows * vocab, "logits", shapes);
        if (forceTok != null) {
            requireBytes(forceTok, 4L * rows, "forceTok", shapes);
        }
        if (banTok != null) {
            requireBytes(banTok, 4L * rows, "banTok", shapes);
        }
        requireBytes(outLogProbs, 4L * rows * k, "outLogProbs", shapes);
        requireBytes(outIds, 4L * rows * k, "outIds", shapes);
        String kernel = k <= 16 ? "logsoftmax_topk16" : "logsoftmax_topk32";
        launcher.launch(kernel, Dim3.of(rows), Dim3.of(TOPK_THREADS), 0, shapes,
                KernelArgs.of().ptr(logits).i64(vocab).i32(vocab).ptrOrNull(forceTok).ptrOrNull(banTok).i32(k)
                        .ptr(outLogProbs).ptr(outIds));
    }

    /** Threads for a one-block-per-row kernel: about four elements per thread, a warp multiple, 32..1024. */
    static int rowThreads(int width) {
        int t = (width / 4 + 31) / 32 * 32;
        return Math.max(32, Math.min(1024, t));
    }

    static void positive(long value, String name, String shapes) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be positive [" + shapes + "]");
        }
    }

    static void requireBytes(DeviceBuffer buffer, long needed, String what, String shapes) {
        if (buffer == null) {
            throw new IllegalArgumentException(what + " buffer is missing [" + shapes + "]");
        }
        if (buffer.bytes() < needed) {
            throw new IllegalArgumentException(what + " (" + buffer.label() + ") has " + buffer.bytes()
                    + " bytes, needs " + needed + " [" + shapes + "]");
        }
    }
}
