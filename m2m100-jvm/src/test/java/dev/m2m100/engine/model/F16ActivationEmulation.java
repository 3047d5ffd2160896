package dev.m2m100.engine.model;

import dev.m2m100.engine.backend.Backend;
import dev.m2m100.engine.backend.ElementType;
import dev.m2m100.engine.backend.Epilogue;
import dev.m2m100.engine.backend.KvCache;
import dev.m2m100.engine.backend.RawMatrix;
import dev.m2m100.engine.backend.Tensor;
import dev.m2m100.engine.backend.WeightMatrix;
import dev.m2m100.engine.backend.WeightRole;
import dev.m2m100.engine.backend.WeightVector;
import dev.m2m100.engine.backend.cpu.CpuBackend;
import dev.m2m100.engine.backend.cpu.CpuTensor;
import dev.m2m100.engine.backend.cpu.gemm.WeightFormat;
import dev.m2m100.engine.generation.LogitRule;

/**
 * The CUDA backend's fp16-activation mode emulated on the CPU, to see what its numbers do without a GPU: every
 * weight stored as fp16 (the CUDA fp16 mode stores all roles in fp16, the position table included), and every
 * activation-typed tensor rounded to fp16 (nearest even) after each operation that writes it, so the next
 * operation reads fp16 values as the device does; the KV caches then hold fp16 values too. The residual stream,
 * logits and all arithmetic stay fp32, as on the device. It checks the design's precision, not the kernels.
 */
final class F16ActivationEmulation implements Backend {

    /** An F16 tensor: an F32 CPU tensor whose values are kept fp16-representable. */
    private record Half(CpuTensor inner) implements Tensor {
        @Override
        public int rows() {
            return inner.rows();
        }

        @Override
        public int cols() {
            return inner.cols();
        }

        @Override
        public ElementType elementType() {
            return ElementType.F16;
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    /** A cache that only ever receives fp16-representable keys and values. */
    private record HalfCache(KvCache inner) implements KvCache {
        @Override
        public int layers() {
            return inner.layers();
        }

        @Override
        public int width() {
            return inner.width();
        }

        @Override
        public int maxLength() {
            return inner.maxLength();
        }

        @Override
        public ElementType elementType() {
            return ElementType.F16;
        }

        @Override
        public void release(int slot) {
            inner.release(slot);
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    private final CpuBackend cpu = new CpuBackend(2, WeightFormat.F16);

    private static Tensor plain(Tensor t) {
        return t instanceof Half h ? h.inner() : t;
    }

    private static KvCache plain(KvCache c) {
        return ((HalfCache) c).inner();
    }

    /** Rounds an F16 tensor's values to fp16 in place (F32 tensors are left alone). */
    private static void store(Tensor t) {
        if (t instanceof Half h) {
            float[] v = h.inner().data();
            int n = h.rows() * h.cols();
            for (int i = 0; i < n; i++) {
                v[i] = Float.float16ToFloat(Float.floatToFloat16(v[i]));
            }
        }
    }

    @Override
    public String name() {
        return "cpu emulating cuda f16 activations";
    }

    @Override
    public WeightMatrix upload(WeightRole role, RawMatrix... rowBlocks) {
        return cpu.upload(WeightRole.LINEAR, rowBlocks);
    }

    @Override
    public WeightVector vector(float[] values) {
        return cpu.vector(values);
    }

    @Override
    public Tensor allocate(int rows, int cols, ElementType type) {
        Tensor t = cpu.allocate(rows, cols);
        return type == ElementType.F16 ? new Half((CpuTensor) t) : t;
    }

    @Override
    public Tensor firstRows(Tensor t, int rows) {
        Tensor head = cpu.firstRows(plain(t), rows);
        return t instanceof Half ? new Half((CpuTensor) head) : head;
    }

    @Override
    public ElementType activationType() {
        return ElementType.F16;
    }

    @Override
    public float[] download(Tensor t) {
        return cpu.download(plain(t));
    }

    @Override
    public KvCache kvCache(int layers, int width, int maxLength, int slotHint) {
        return new HalfCache(cpu.kvCache(layers, width, maxLength, slotHint));
    }

    @Override
    public void embed(WeightMatrix table, int[] ids, float scale, WeightMatrix positions, int[] positionIds,
                      Tensor out) {
        cpu.embed(table, ids, scale, positions, positionIds, plain(out));
    }

    @Override
    public void layerNorm(Tensor x, WeightVector gamma, WeightVector beta, float eps, Tensor out) {
        cpu.layerNorm(plain(x), gamma, beta, eps, plain(out));
        store(out);
    }

    @Override
    public void linear(Tensor x, WeightMatrix w, WeightVector bias, Epilogue epilogue, Tensor out) {
        cpu.linear(plain(x), w, bias, epilogue, plain(out));
        store(out);
    }

    @Override
    public void selfAttention(Tensor qkv, int[] seqStarts, int heads, float scale, Tensor out) {
        cpu.selfAttention(plain(qkv), seqStarts, heads, scale, plain(out));
        store(out);
    }

    @Override
    public void cachedSelfAttention(Tensor qkv, KvCache cache, int layer, int[] slots, int[] positions, int heads,
                                    float scale, Tensor out) {
        cpu.cachedSelfAttention(plain(qkv), plain(cache), layer, slots, positions, heads, scale, plain(out));
        store(out);
    }

    @Override
    public void storeKv(Tensor kv, int[] seqStarts, KvCache cache, int layer, int[] slots) {
        cpu.storeKv(plain(kv), seqStarts, plain(cache), layer, slots);
    }

    @Override
    public void crossAttention(Tensor q, KvCache cache, int layer, int[] slots, int[] lengths, int heads, float scale,
                               Tensor out) {
        cpu.crossAttention(plain(q), plain(cache), layer, slots, lengths, heads, scale, plain(out));
        store(out);
    }

    @Override
    public void copyKv(KvCache cache, int[] from, int[] to, int[] lengths) {
        cpu.copyKv(plain(cache), from, to, lengths);
    }

    @Override
    public void logSoftmaxTopK(Tensor logits, LogitRule[] rules, int k, float[] outLogProbs, int[] outIds) {
        cpu.logSoftmaxTopK(plain(logits), rules, k, outLogProbs, outIds);
    }

    @Override
    public void close() {
        cpu.close();
    }
}
