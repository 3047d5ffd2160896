package dev.m2m100.tools.bench;

import dev.m2m100.engine.backend.Backend;
import dev.m2m100.engine.backend.ElementType;
import dev.m2m100.engine.backend.Epilogue;
import dev.m2m100.engine.backend.KvCache;
import dev.m2m100.engine.backend.RawMatrix;
import dev.m2m100.engine.backend.Tensor;
import dev.m2m100.engine.backend.WeightMatrix;
import dev.m2m100.engine.backend.WeightRole;
import dev.m2m100.engine.backend.WeightVector;
import dev.m2m100.engine.generation.LogitRule;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A {@link Backend} that forwards every call to another and adds up the wall time of the compute operations by
 * kind and shape ({@code linear 1024x4096 m=64}, {@code crossAttention m=64}, …), so the benchmark can say
 * where a decoder step's time goes. Only meaningful over a backend whose operations have finished when they
 * return, so it takes the CPU backend only. Keys are built per call, so a timed run allocates a
 * little more than an untimed one.
 */
public final class OpTimingBackend implements Backend {

    /** The calls of one kind of operation and their summed wall time. */
    public record OpTime(long calls, long nanos) {

        public double millis() {
            return nanos / 1e6;
        }
    }

    private final Backend backend;
    private final Map<WeightMatrix, String> weightNames = new IdentityHashMap<>();
    private final Map<String, long[]> totals = new HashMap<>();

    /** Wraps the CPU backend; any other is refused, since its operations return before they finish. */
    public OpTimingBackend(Backend backend) {
        if (!backend.name().equals("cpu")) {
            throw new UnsupportedOperationException("timing operations needs the CPU backend (the model would run on "
                    + backend.name() + ", whose operations return before they finish)");
        }
        this.backend = backend;
    }

    /** The totals since the last {@link #reset()}, by operation, longest first. */
    public Map<String, OpTime> snapshot() {
        Map<String, OpTime> out = new LinkedHashMap<>();
        totals.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]))
                .forEach(e -> out.put(e.getKey(), new OpTime(e.getValue()[0], e.getValue()[1])));
        return out;
    }

    public void reset() {
        totals.clear();
    }

    private void add(String op, long startNanos) {
        long[] t = totals.computeIfAbsent(op, k -> new long[2]);
        t[0]++;
        t[1] += System.nanoTime() - startNanos;
    }

    // ---- timed ----------------------------------------------------------------------------------------------

    @Override
    public void embed(WeightMatrix table, int[] ids, float scale, WeightMatrix positions, int[] positionIds,
                      Tensor out) {
        long t0 = System.nanoTime();
        backend.embed(table, ids, scale, positions, positionIds, out);
        add("embed m=" + ids.length, t0);
    }

    @Override
    public void layerNorm(Tensor x, WeightVector gamma, WeightVector beta, float eps, Tensor out) {
        long t0 = System.nanoTime();
        backend.layerNorm(x, gamma, beta, eps, out);
        add("layerNorm m=" + x.rows(), t0);
    }

    @Override
    public void linear(Tensor x, WeightMatrix w, WeightVector bias, Epilogue epilogue, Tensor out) {
        long t0 = System.nanoTime();
        backend.linear(x, w, bias, epilogue, out);
        add(weightNames.getOrDefault(w, "linear") + " m=" + x.rows(), t0);
    }

    @Override
    public void selfAttention(Tensor qkv, int[] seqStarts, int heads, float scale, Tensor out) {
        long t0 = System.nanoTime();
        backend.selfAttention(qkv, seqStarts, heads, scale, out);
        add("selfAttention m=" + qkv.rows(), t0);
    }

    @Override
    public void cachedSelfAttention(Tensor qkv, KvCache cache, int layer, int[] slots, int[] positions, int heads,
                                    float scale, Tensor out) {
        long t0 = System.nanoTime();
        backend.cachedSelfAttention(qkv, cache, layer, slots, positions, heads, scale, out);
        add("cachedSelfAttention m=" + qkv.rows(), t0);
    }

    @Override
    public void storeKv(Tensor kv, int[] seqStarts, KvCache cache, int layer, int[] slots) {
        long t0 = System.nanoTime();
        backend.storeKv(kv, seqStarts, cache, layer, slots);
        add("storeKv m=" + kv.rows(), t0);
    }

    @Override
    public void crossAttention(Tensor q, KvCache cache, int layer, int[] slots, int[] lengths, int heads, float scale,
                               Tensor out) {
        long t0 = System.nanoTime();
        backend.crossAttention(q, cache, layer, slots, lengths, heads, scale, out);
        add("crossAttention m=" + q.rows(), t0);
    }

    @Override
    public void copyKv(KvCache cache, int[] from, int[] to, int[] lengths) {
        long t0 = System.nanoTime();
        backend.copyKv(cache, from, to, lengths);
        add("copyKv", t0);
    }

    @Override
    public void logSoftmaxTopK(Tensor logits, LogitRule[] rules, int k, float[] outLogProbs, int[] outIds) {
        long t0 = System.nanoTime();
        backend.logSoftmaxTopK(logits, rules, k, outLogProbs, outIds);
        add("logSoftmaxTopK m=" + logits.rows() + " k=" + k, t0);
    }

    @Override
    public float[] download(Tensor t) {
        long t0 = System.nanoTime();
        float[] values = backend.download(t);
        add("download m=" + t.rows(), t0);
        return values;
    }

    // ---- forwarded untimed (load time and memory management) --------------------------------------------------

    /** Names the matrix for the linear keys: input × output width, and its role where it is not a plain layer. */
    @Override
    public WeightMatrix upload(WeightRole role, RawMatrix... rowBlocks) {
        WeightMatrix w = backend.upload(role, rowBlocks);
        weightNames.put(w, "linear " + w.cols() + "x" + w.rows()
                + (role == WeightRole.LINEAR ? "" : " " + role.name().toLowerCase(Locale.ROOT)));
        return w;
    }

    @Override
    public String name() {
        return backend.name();
    }

    @Override
    public WeightVector vector(float[] values) {
        return backend.vector(values);
    }

    @Override
    public Tensor allocate(int rows, int cols, ElementType type) {
        return backend.allocate(rows, cols, type);
    }

    @Override
    public Tensor firstRows(Tensor t, int rows) {
        return backend.firstRows(t, rows);
    }

    @Override
    public ElementType activationType() {
        return backend.activationType();
    }

    @Override
    public KvCache kvCache(int layers, int width, int maxLength, int slotHint) {
        return backend.kvCache(layers, width, maxLength, slotHint);
    }

    @Override
    public void close() {
        backend.close();
    }
}
