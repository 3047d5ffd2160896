package dev.m2m100.engine.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.m2m100.engine.generation.LogitRule;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Which element types each operation accepts, checked once in {@link CheckedBackend}: run on the CPU against a fake
 * backend whose activations are F16 (like the CUDA backend's fp16-activation mode), recording the calls that get
 * through.
 */
class ElementTypeRulesTest {

    record FakeTensor(int rows, int cols, ElementType elementType) implements Tensor {
        @Override
        public void close() {
        }
    }

    record FakeMatrix(int rows, int cols) implements WeightMatrix {}

    record FakeVector(int length) implements WeightVector {}

    record FakeCache(int layers, int width, int maxLength, ElementType elementType) implements KvCache {
        @Override
        public void release(int slot) {
        }

        @Override
        public void close() {
        }
    }

    /** Activations in F16; every do… method only records that it was reached. */
    static final class F16Backend extends CheckedBackend<FakeTensor, FakeMatrix, FakeVector, FakeCache> {
        final List<String> reached = new ArrayList<>();

        F16Backend() {
            super(FakeTensor.class, FakeMatrix.class, FakeVector.class, FakeCache.class);
        }

        @Override
        public String name() {
            return "fake";
        }

        @Override
        public ElementType activationType() {
            return ElementType.F16;
        }

        @Override
        public void close() {
        }

        @Override
        protected FakeMatrix doUpload(WeightRole role, RawMatrix... rowBlocks) {
            return new FakeMatrix(RawMatrix.stackedRows(rowBlocks), RawMatrix.stackedCols(rowBlocks));
        }

        @Override
        protected FakeVector doVector(float[] values) {
            return new FakeVector(values.length);
        }

        @Override
        protected FakeTensor doAllocate(int rows, int cols, ElementType type) {
            return new FakeTensor(rows, cols, type);
        }

        @Override
        protected FakeTensor doFirstRows(FakeTensor t, int rows) {
            return new FakeTensor(rows, t.cols(), t.elementType());
        }

        @Override
        protected float[] doDownload(FakeTensor t) {
            return new float[t.rows() * t.cols()];
        }

        @Override
        protected FakeCache doKvCache(int layers, int width, int maxLength, int slotHint) {
            return new FakeCache(layers, width, maxLength, activationType());
        }

        @Override
        protected void doEmbed(FakeMatrix table, int[] ids, float scale, FakeMatrix positions, int[] positionIds,
                               FakeTensor out) {
            reached.add("embed");
        }

        @Override
        protected void doLayerNorm(FakeTensor x, FakeVector gamma, FakeVector beta, float eps, FakeTensor out) {
            reached.add("layerNorm");
        }

        @Override
        protected void doLinear(FakeTensor x, FakeMatrix w, FakeVector bias, Epilogue epilogue, FakeTensor out) {
            reached.add("linear " + epilogue);
        }

        @Override
        protected void doSelfAttention(FakeTensor qkv, int[] seqStarts, int heads, float scale, FakeTensor out) {
            reached.add("selfAttention");
        }

        @Override
        protected void doCachedSelfAttention(FakeTensor qkv, FakeCache cache, int layer, int[] slots, int[] positions,
                                             int heads, float scale, FakeTensor out) {
            reached.add("cachedSelfAttention");
        }

        @Override
        protected void doStoreKv(FakeTensor kv, int[] seqStarts, FakeCache cache, int layer, int[] slots) {
            reached.add("storeKv");
        }

        @Override
        protected void doCrossAttention(FakeTensor q, FakeCache cache, int layer, int[] slots, int[] lengths, int heads,
                                        float scale, FakeTensor out) {
            reached.add("crossAttention");
        }

        @Override
        protected void doCopyKv(FakeCache cache, int[] from, int[] to, int[] lengths) {
            reached.add("copyKv");
        }

        @Override
        protected void doLogSoftmaxTopK(FakeTensor logits, LogitRule[] rules, int k, float[] outLogProbs,
                                        int[] outIds) {
            reached.add("logSoftmaxTopK");
        }
    }

    private static void rejects(String message, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertEquals(message, e.getMessage());
    }

    @Test
    void theResidualStreamAndLogitsAreF32AndAttentionStaysInItsCachesType() {
        F16Backend b = new F16Backend();
        WeightMatrix table = b.upload(WeightRole.EMBEDDING, RawMatrix.of(new float[40], 5, 8));
        WeightMatrix w = b.upload(WeightRole.LINEAR, RawMatrix.of(new float[64], 8, 8));
        WeightVector g = b.vector(new float[8]);
        KvCache cache = b.kvCache(1, 8, 4, 1);
        assertEquals(ElementType.F16, cache.elementType());
        Tensor x = b.allocate(2, 8);
        Tensor h = b.allocate(2, 8, ElementType.F16);
        Tensor qkv = b.allocate(2, 24, ElementType.F16);
        Tensor kv = b.allocate(2, 16, ElementType.F16);
        rejects("the fake backend stores tensors as F32 or F16, not BF16", () -> b.allocate(1, 1, ElementType.BF16));

        rejects("embed output (the residual stream) must be F32, not F16",
                () -> b.embed(table, new int[2], 1f, table, new int[2], h));
        b.embed(table, new int[2], 1f, table, new int[2], x);
        rejects("layerNorm input (the residual stream) must be F32, not F16", () -> b.layerNorm(h, g, g, 1e-5f, x));
        b.layerNorm(x, g, g, 1e-5f, h);
        b.layerNorm(x, g, g, 1e-5f, x);
        rejects("linear output with a residual epilogue (the residual stream) must be F32, not F16",
                () -> b.linear(x, w, null, Epilogue.RESIDUAL, h));
        b.linear(h, w, g, Epilogue.RESIDUAL, x);
        b.linear(x, w, g, Epilogue.RELU, h);
        rejects("selfAttention: input F16 and output F32 differ",
                () -> b.selfAttention(qkv, new int[] {0, 2}, 2, 1f, x));
        b.selfAttention(qkv, new int[] {0, 2}, 2, 1f, h);
        Tensor qkv32 = b.allocate(2, 24);
        Tensor out32 = b.allocate(2, 8);
        rejects("cachedSelfAttention: tensors are F32 but the cache holds F16",
                () -> b.cachedSelfAttention(qkv32, cache, 0, new int[] {0, 1}, new int[2], 2, 1f, out32));
        b.cachedSelfAttention(qkv, cache, 0, new int[] {0, 1}, new int[2], 2, 1f, h);
        rejects("storeKv: tensors are F32 but the cache holds F16",
                () -> b.storeKv(b.allocate(2, 16), new int[] {0, 2}, cache, 0, new int[1]));
        b.storeKv(kv, new int[] {0, 2}, cache, 0, new int[1]);
        rejects("crossAttention: input F16 and output F32 differ",
                () -> b.crossAttention(h, cache, 0, new int[2], new int[] {1, 1}, 2, 1f, out32));
        b.crossAttention(h, cache, 0, new int[2], new int[] {1, 1}, 2, 1f, b.allocate(2, 8, ElementType.F16));
        rejects("logits must be F32, not F16",
                () -> b.logSoftmaxTopK(h, new LogitRule[2], 1, new float[2], new int[2]));
        b.logSoftmaxTopK(x, new LogitRule[2], 1, new float[2], new int[2]);
        assertEquals(List.of("embed", "layerNorm", "layerNorm", "linear RESIDUAL", "linear RELU", "selfAttention",
                "cachedSelfAttention", "storeKv", "crossAttention", "logSoftmaxTopK"), b.reached);
        assertTrue(b.download(h).length == 16);
    }
}
