package dev.m2m100.engine.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.m2m100.engine.backend.cpu.CpuBackend;
import dev.m2m100.engine.generation.LogitRule;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The checks every backend shares, exercised through the CPU backend (the CUDA backend inherits the same code): each
 * bad argument is an IllegalArgumentException naming the problem, raised before any work is done.
 */
class CheckedBackendTest {

    private static CpuBackend b;
    private static WeightMatrix table;
    private static WeightMatrix positions;
    private static WeightMatrix w;
    private static KvCache cache;

    @BeforeAll
    static void open() {
        b = new CpuBackend(1);
        table = b.upload(WeightRole.EMBEDDING, RawMatrix.of(new float[10 * 8], 10, 8));
        positions = b.upload(WeightRole.EXACT, RawMatrix.of(new float[6 * 8], 6, 8));
        w = b.upload(WeightRole.LINEAR, RawMatrix.of(new float[4 * 8], 4, 8));
        cache = b.kvCache(2, 8, 5, 2);
    }

    @AfterAll
    static void close() {
        cache.close();
        b.close();
    }

    private static void rejects(String fragment, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(fragment), "'" + e.getMessage() + "' should say '" + fragment + "'");
    }

    /** A tensor of another backend. */
    private record Foreign(int rows, int cols) implements Tensor {
        @Override
        public ElementType elementType() {
            return ElementType.F32;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void tokenAndPositionIdsAreCheckedAgainstTheirTables() {
        try (Tensor out = b.allocate(2, 8)) {
            rejects("token id 10 is outside the vocabulary [0, 10)",
                    () -> b.embed(table, new int[] {1, 10}, 1f, positions, new int[] {2, 3}, out));
            rejects("token id -1 is outside", () -> b.embed(table, new int[] {-1, 0}, 1f, positions, new int[2], out));
            rejects("position 6 is outside the table [0, 6)",
                    () -> b.embed(table, new int[] {1, 2}, 1f, positions, new int[] {2, 6}, out));
            rejects("embed: shapes do not match", () -> b.embed(table, new int[3], 1f, positions, new int[3], out));
        }
    }

    @Test
    void linearShapesAndForeignObjects() {
        try (Tensor x = b.allocate(3, 8); Tensor y = b.allocate(3, 4); Tensor wrong = b.allocate(2, 4)) {
            b.linear(x, w, null, Epilogue.NONE, y);
            rejects("linear: shapes do not match (x 3x8, W 4x8, bias none, out 2x4)",
                    () -> b.linear(x, w, null, Epilogue.NONE, wrong));
            rejects("bias 3", () -> b.linear(x, w, b.vector(new float[3]), Epilogue.NONE, y));
            rejects("out is x", () -> b.linear(y, b.upload(WeightRole.LINEAR, RawMatrix.of(new float[16], 4, 4)), null,
                    Epilogue.NONE, y));
            rejects("does not belong to the cpu backend", () -> b.linear(new Foreign(3, 8), w, null, Epilogue.NONE, y));
            rejects("does not belong to the cpu backend", () -> b.download(new Foreign(1, 1)));
            rejects("weight matrix", () -> b.linear(x, new WeightMatrix() {
                @Override
                public int rows() {
                    return 4;
                }

                @Override
                public int cols() {
                    return 8;
                }
            }, null, Epilogue.NONE, y));
        }
    }

    @Test
    void attentionLayoutsHeadsLayersSlotsAndLengths() {
        try (Tensor qkv = b.allocate(3, 24); Tensor out = b.allocate(3, 8); Tensor kv = b.allocate(3, 16)) {
            rejects("seqStarts must ascend from 0 to the 3 rows", () -> b.selfAttention(qkv, new int[] {0, 2, 1, 3}, 2,
                    1f, out));
            rejects("seqStarts must ascend", () -> b.selfAttention(qkv, new int[] {0, 2}, 2, 1f, out));
            rejects("3 heads do not divide the width 8", () -> b.selfAttention(qkv, new int[] {0, 3}, 3, 1f, out));
            rejects("layer 2 outside the cache's 2", () -> b.cachedSelfAttention(qkv, cache, 2, new int[] {0, 1, 2},
                    new int[3], 2, 1f, out));
            rejects("row 1 has slot 1, position 5", () -> b.cachedSelfAttention(qkv, cache, 0, new int[] {0, 1, 2},
                    new int[] {0, 5, 0}, 2, 1f, out));
            rejects("row 0 has slot -1", () -> b.cachedSelfAttention(qkv, cache, 0, new int[] {-1, 1, 2}, new int[3],
                    2, 1f, out));
            rejects("storeKv: sequence 0 of 3 positions into slot -4", () -> b.storeKv(kv, new int[] {0, 3}, cache, 0,
                    new int[] {-4}));
            rejects("storeKv: shapes do not match", () -> b.storeKv(kv, new int[] {0, 3}, cache, 0, new int[2]));
            try (Tensor q = b.allocate(3, 8)) {
                rejects("crossAttention: row 2 attends to 0 positions of slot 0", () -> b.crossAttention(q, cache, 0,
                        new int[3], new int[] {1, 1, 0}, 2, 1f, out));
                rejects("crossAttention: row 0 attends to 6 positions", () -> b.crossAttention(q, cache, 0,
                        new int[3], new int[] {6, 1, 1}, 2, 1f, out));
            }
            rejects("copyKv: array lengths differ", () -> b.copyKv(cache, new int[2], new int[2], new int[1]));
            rejects("copyKv: pair 0 copies 6 positions", () -> b.copyKv(cache, new int[1], new int[] {1},
                    new int[] {6}));
        }
    }

    @Test
    void logitRulesAndTopKShapes() {
        try (Tensor logits = b.allocate(2, 10)) {
            Consumer<LogitRule[]> topK = rules -> b.logSoftmaxTopK(logits, rules, 3, new float[6], new int[6]);
            rejects("names a token outside [0, 10)", () -> topK.accept(new LogitRule[] {LogitRule.force(10), null}));
            rejects("names a token outside [0, 10)", () -> topK.accept(new LogitRule[] {null, LogitRule.ban(-1)}));
            rejects("logSoftmaxTopK: shapes do not match", () -> b.logSoftmaxTopK(logits, new LogitRule[2], 11,
                    new float[22], new int[22]));
            rejects("logSoftmaxTopK: shapes do not match", () -> b.logSoftmaxTopK(logits, new LogitRule[2], 3,
                    new float[5], new int[6]));
            topK.accept(new LogitRule[] {LogitRule.force(9), LogitRule.ban(0)});
        }
    }

    @Test
    void uploadsAllocationsAndCaches() {
        rejects("cannot upload an empty 0 x 8 matrix", () -> b.upload(WeightRole.LINEAR, RawMatrix.of(new float[0], 0,
                8)));
        rejects("empty weight vector", () -> b.vector(new float[0]));
        rejects("cannot allocate a -1 x 4 tensor", () -> b.allocate(-1, 4));
        rejects("bad cache shape: 0 layers", () -> b.kvCache(0, 8, 4, 1));
        assertEquals(0, b.allocate(0, 8).rows());
        rejects("the cpu backend stores tensors as F32, not F16", () -> b.allocate(2, 8, ElementType.F16));
        assertEquals(ElementType.F32, b.activationType());
        assertEquals(ElementType.F32, cache.elementType());
    }
}
