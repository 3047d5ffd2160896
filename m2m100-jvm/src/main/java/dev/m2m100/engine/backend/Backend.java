package dev.m2m100.engine.backend;

import dev.m2m100.engine.generation.LogitRule;

/**
 * The coarse operations an encoder-decoder transformer is made of, so that the model is written once and runs
 * on any device. Activations are {@link Tensor}s stored as float32 or as the backend's narrower
 * {@link #activationType()} (the residual stream and logits always float32); weights are uploaded once as
 * {@link WeightMatrix}/{@link WeightVector}s (a backend may store matrices in a narrower format, chosen by their
 * {@link WeightRole}). Host arrays passed per call ({@code int[]} ids, lengths, slots) are small.
 *
 * <p>Layouts. A batch of sequences of different lengths is <em>packed</em>: their rows follow one another in a
 * tensor, and {@code seqStarts} ({@code count + 1} entries, {@code seqStarts[0] = 0}, ascending) gives where each
 * one begins; there is no padding, so a padding mask is implicit. Fused projections put the parts side by side
 * in columns: {@code qkv} is {@code [rows × 3·width]} = (query | key | value), {@code kv} is
 * {@code [rows × 2·width]} = (key | value). Heads are contiguous column blocks of {@code width / heads}.
 *
 * <p>Every operation treats rows independently: a row's result must not depend on which other rows share the
 * call (per-row reductions in an order that does not depend on the batch size).
 *
 * <p>Not thread-safe: one caller thread at a time (the backend may use its own worker threads inside).
 */
public interface Backend extends AutoCloseable {

    /** Short name for logs: "cpu", "cuda:0", … */
    String name();

    // ---- memory --------------------------------------------------------------------------------------------

    /**
     * Uploads the matrix whose rows are the blocks' rows in order (one block, or a fused projection such as
     * q|k|v) straight from their bytes (as a checkpoint stores them; {@link RawMatrix#of} wraps host floats) into
     * the storage format the backend uses for {@code role}. The bytes are not used afterwards.
     */
    WeightMatrix upload(WeightRole role, RawMatrix... rowBlocks);

    /** Uploads a vector. The array must not be modified afterwards. */
    WeightVector vector(float[] values);

    /**
     * Working memory for {@code rows × cols} values stored as {@code type}; contents undefined until written. A
     * backend stores the types it lists in {@link #activationType()} and F32, and rejects others.
     */
    Tensor allocate(int rows, int cols, ElementType type);

    /** {@link #allocate(int, int, ElementType)} in F32: the residual stream, logits. */
    default Tensor allocate(int rows, int cols) {
        return allocate(rows, cols, ElementType.F32);
    }

    /**
     * The first {@code rows} rows of {@code t}, sharing its memory (no copy), e.g. to project only the rows that need
     * logits. Closing the view frees nothing; it must not be used after {@code t} is closed.
     */
    Tensor firstRows(Tensor t, int rows);

    /**
     * The storage type the backend wants for activations that feed a GEMM or attention (layer-norm outputs,
     * projections, attention outputs, the FFN's hidden layer) and for its KV caches. F32 by default; a backend may
     * narrow it (the CUDA backend's fp16 activations). The residual stream and the logits stay F32.
     */
    ElementType activationType();

    /** Copies a tensor to the host, row-major, widened to float32. */
    float[] download(Tensor t);

    /**
     * A key/value cache for {@code layers} layers of {@code width} values per position, at most {@code maxLength}
     * positions per slot, stored as {@link #activationType()}.
     */
    KvCache kvCache(int layers, int width, int maxLength, int slotHint);

    // ---- element-wise and row-wise ------------------------------------------------------------------------

    /**
     * {@code out[i] = table[ids[i]] · scale + positions[positionIds[i]]} for every row {@code i}: token embedding
     * plus positional embedding, into the F32 residual stream.
     */
    void embed(WeightMatrix table, int[] ids, float scale, WeightMatrix positions, int[] positionIds, Tensor out);

    /**
     * {@code out = (x − mean) / sqrt(var + eps) · gamma + beta}, per row (biased variance), from the F32 residual
     * stream {@code x} into {@code out} of any stored type. {@code out} may be {@code x}.
     */
    void layerNorm(Tensor x, WeightVector gamma, WeightVector beta, float eps, Tensor out);

    /**
     * {@code y = x · Wᵀ + bias} for {@code x [rows × in]}, {@code W [out × in]}, optional bias (null = none), then
     * the epilogue into {@code out [rows × out]}. {@code out} must not be {@code x}; with
     * {@link Epilogue#RESIDUAL} it is the F32 residual stream. x and out may be stored as any type.
     */
    void linear(Tensor x, WeightMatrix w, WeightVector bias, Epilogue epilogue, Tensor out);

    // ---- attention ---------------------------------------------------------------------------------------
    // The query, key/value and output tensors of an attention are stored as the cache's element type.

    /**
     * Bidirectional self-attention within each packed sequence (encoder): for each sequence, each head,
     * {@code softmax(q·kᵀ · scale) · v} over the sequence's own rows. {@code qkv [rows × 3·width]} →
     * {@code out [rows × width]}.
     */
    void selfAttention(Tensor qkv, int[] seqStarts, int heads, float scale, Tensor out);

    /**
     * Causal self-attention of one new position per row over its cache (decoder step). For every row {@code i}:
     * its key and value (from {@code qkv}) are stored in slot {@code slots[i]} of layer {@code layer} at position
     * {@code positions[i]}, then its query attends to positions {@code 0 .. positions[i]} of that slot.
     * Slots are distinct within a call.
     */
    void cachedSelfAttention(Tensor qkv, KvCache cache, int layer, int[] slots, int[] positions, int heads,
                             float scale, Tensor out);

    /**
     * Stores packed keys and values: sequence {@code j} (rows {@code seqStarts[j] .. seqStarts[j+1]}) of
     * {@code kv [rows × 2·width]} goes to positions {@code 0 ..} of slot {@code slots[j]}, layer {@code layer}.
     */
    void storeKv(Tensor kv, int[] seqStarts, KvCache cache, int layer, int[] slots);

    /**
     * Cross-attention: query row {@code i} of {@code q [rows × width]} attends to positions
     * {@code 0 .. lengths[i]-1} of slot {@code slots[i]} (several rows may share a slot) in layer {@code layer}.
     */
    void crossAttention(Tensor q, KvCache cache, int layer, int[] slots, int[] lengths, int heads, float scale,
                        Tensor out);

    /**
     * For every i, slot {@code to[i]} gets positions {@code 0 .. lengths[i]-1} of slot {@code from[i]}, in every
     * layer, as if all reads happened before any write (beam reordering).
     */
    void copyKv(KvCache cache, int[] from, int[] to, int[] lengths);

    // ---- output -------------------------------------------------------------------------------------------

    /**
     * Per row of {@code logits [rows × vocab]}: log-softmax over the row, then {@code rules[i]} (null = none;
     * see {@link LogitRule}), then the {@code k} best (log-probability descending, ties to the lower id), written
     * to {@code outLogProbs[i·k ..]} and {@code outIds[i·k ..]}. Banned entries come last with −∞. Logits are
     * F32.
     */
    void logSoftmaxTopK(Tensor logits, LogitRule[] rules, int k, float[] outLogProbs, int[] outIds);

    /** Frees the backend's threads and memory. */
    @Override
    void close();
}
