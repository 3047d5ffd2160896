package dev.m2m100.engine.backend.cpu;

import dev.m2m100.engine.backend.WeightRole;
import dev.m2m100.engine.backend.RawMatrix;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.m2m100.engine.backend.Epilogue;
import dev.m2m100.engine.backend.KvCache;
import dev.m2m100.engine.backend.Tensor;
import dev.m2m100.engine.backend.WeightMatrix;
import dev.m2m100.engine.generation.LogitRule;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CpuBackendTest {

    private static CpuBackend backend;
    private static CpuBackend plain;

    @BeforeAll
    static void start() {
        backend = new CpuBackend(2);
        plain = new CpuBackend(2, VectorLinearKernel::new);
    }

    @AfterAll
    static void stop() {
        backend.close();
        plain.close();
    }

    static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }

    static Tensor tensor(float[] values, int rows, int cols) {
        return new CpuTensor(values.clone(), rows, cols);
    }

    @Test
    void linearMatchesADoublePrecisionReferenceOnAwkwardShapes() {
        for (CpuBackend backend : List.of(CpuBackendTest.backend, plain)) {
            linearMatchesReference(backend);
        }
    }

    private static void linearMatchesReference(CpuBackend backend) {
        Random r = new Random(7);
        int[][] shapes = {{1, 1, 1}, {3, 5, 7}, {5, 13, 37}, {2, 4, 8}, {7, 9, 64}, {4, 70, 130}, {13, 33, 300}};
        for (int[] s : shapes) {
            int rows = s[0], outs = s[1], in = s[2];
            float[] x = random(r, rows * in);
            float[] w = random(r, outs * in);
            float[] b = random(r, outs);
            float[] residual = random(r, rows * outs);
            WeightMatrix m = backend.upload(WeightRole.LINEAR, RawMatrix.of(w, outs, in));
            for (Epilogue ep : Epilogue.values()) {
                Tensor out = tensor(residual, rows, outs);
                backend.linear(tensor(x, rows, in), m, backend.vector(b), ep, out);
                float[] got = backend.download(out);
                for (int i = 0; i < rows; i++) {
                    for (int o = 0; o < outs; o++) {
                        double y = b[o];
                        for (int k = 0; k < in; k++) {
                            y += (double) x[i * in + k] * w[o * in + k];
                        }
                        double expected = switch (ep) {
                            case NONE -> y;
                            case RELU -> Math.max(y, 0);
                            case RESIDUAL -> residual[i * outs + o] + y;
                        };
                        assertEquals(expected, got[i * outs + o], 1e-4 * Math.sqrt(in),
                                Arrays.toString(s) + " " + ep + " [" + i + "][" + o + "]");
                    }
                }
            }
        }
    }

    @Test
    void aRowsResultDoesNotDependOnItsBatch() {
        for (CpuBackend backend : List.of(CpuBackendTest.backend, plain)) {
            rowIndependence(backend);
        }
    }

    private static void rowIndependence(CpuBackend backend) {
        Random r = new Random(11);
        int in = 300, outs = 37;
        int rows = 13;
        WeightMatrix m = backend.upload(WeightRole.LINEAR, RawMatrix.of(random(r, outs * in), outs, in));
        float[] x = random(r, rows * in);
        Tensor all = backend.allocate(rows, outs);
        backend.linear(tensor(x, rows, in), m, null, Epilogue.NONE, all);
        float[] batched = backend.download(all);
        for (int i = 0; i < rows; i++) {
            Tensor one = backend.allocate(1, outs);
            backend.linear(tensor(Arrays.copyOfRange(x, i * in, (i + 1) * in), 1, in), m, null, Epilogue.NONE, one);
            assertArrayEquals(Arrays.copyOfRange(batched, i * outs, (i + 1) * outs), backend.download(one), 0f);
        }
    }

    @Test
    void layerNormMatchesDefinitionAndARowsResultDoesNotDependOnItsBatch() {
        Random r = new Random(3);
        // Widths with and without an 8-float tail; batches below and above the pool split (16 rows).
        for (int d : new int[] {1, 3, 8, 19, 64, 1024, 1031}) {
            for (int rows : new int[] {1, 2, 15, 16, 40}) {
                float[] x = random(r, rows * d);
                for (int i = 0; i < x.length; i++) {
                    x[i] = x[i] * 3 + (i / d) * 0.5f; // rows with different means and scales
                }
                float[] g = random(r, d);
                float[] b = random(r, d);
                Tensor out = backend.allocate(rows, d);
                backend.layerNorm(tensor(x, rows, d), backend.vector(g), backend.vector(b), 1e-5f, out);
                float[] got = backend.download(out);
                for (int row = 0; row < rows; row++) {
                    double mean = 0, var = 0;
                    for (int c = 0; c < d; c++) {
                        mean += x[row * d + c];
                    }
                    mean /= d;
                    for (int c = 0; c < d; c++) {
                        double dv = x[row * d + c] - mean;
                        var += dv * dv;
                    }
                    var /= d;
                    // The documented arithmetic: sequential double sums, then four rounded float operations.
                    float m = (float) mean;
                    float inv = (float) (1.0 / Math.sqrt(var + 1e-5f));
                    for (int c = 0; c < d; c++) {
                        double e = (x[row * d + c] - mean) / Math.sqrt(var + 1e-5) * g[c] + b[c];
                        String where = "d=" + d + " rows=" + rows + " row " + row + " col " + c;
                        assertEquals(e, got[row * d + c], 1e-5, where);
                        assertEquals((x[row * d + c] - m) * inv * g[c] + b[c], got[row * d + c], 0f, where);
                    }
                }
                // The last row alone gives the same bits as inside the batch.
                int last = rows - 1;
                Tensor one = backend.allocate(1, d);
                backend.layerNorm(tensor(Arrays.copyOfRange(x, last * d, rows * d), 1, d), backend.vector(g),
                        backend.vector(b), 1e-5f, one);
                assertArrayEquals(Arrays.copyOfRange(got, last * d, rows * d), backend.download(one), 0f,
                        "d=" + d + " rows=" + rows);
            }
        }
    }

    @Test
    void attentionGivesARowTheSameBitsAloneAndInABatch() {
        // From 8 rows (or sequences) on, attention runs all heads of a row in one task; fewer split by head.
        Random r = new Random(9);
        int width = 48, heads = 3, rows = 11, len = 7;
        KvCache self = backend.kvCache(1, width, 32, rows);
        KvCache cross = backend.kvCache(1, width, 32, rows);
        int[] slots = new int[rows];
        int[] seqStarts = new int[rows + 1];
        for (int i = 0; i < rows; i++) {
            slots[i] = i;
            seqStarts[i + 1] = (i + 1) * len;
        }
        float[] encoded = random(r, rows * len * 3 * width);
        Tensor encoderOut = backend.allocate(rows * len, width);
        backend.selfAttention(tensor(encoded, rows * len, 3 * width), seqStarts, heads, 0.3f, encoderOut);
        float[] kv = random(r, rows * len * 2 * width);
        backend.storeKv(tensor(kv, rows * len, 2 * width), seqStarts, cross, 0, slots);
        int[] lengths = new int[rows];
        Arrays.fill(lengths, len);
        float[] qkv = new float[0];
        float[] selfAll = new float[0];
        for (int p = 0; p < 4; p++) { // a few decoder positions, so the self cache holds more than one
            int[] positions = new int[rows];
            Arrays.fill(positions, p);
            qkv = random(r, rows * 3 * width);
            Tensor out = backend.allocate(rows, width);
            backend.cachedSelfAttention(tensor(qkv, rows, 3 * width), self, 0, slots, positions, heads, 0.3f, out);
            selfAll = backend.download(out);
        }
        float[] q = random(r, rows * width);
        Tensor crossOut = backend.allocate(rows, width);
        backend.crossAttention(tensor(q, rows, width), cross, 0, slots, lengths, heads, 0.3f, crossOut);
        float[] crossAll = backend.download(crossOut);
        float[] encoderAll = backend.download(encoderOut);
        for (int i = 0; i < rows; i++) {
            String row = "row " + i;
            Tensor one = backend.allocate(1, width);
            backend.crossAttention(tensor(Arrays.copyOfRange(q, i * width, (i + 1) * width), 1, width), cross, 0,
                    new int[] {i}, new int[] {len}, heads, 0.3f, one);
            assertArrayEquals(Arrays.copyOfRange(crossAll, i * width, (i + 1) * width), backend.download(one), 0f,
                    "cross attention, " + row);
            Tensor seq = backend.allocate(len, width);
            backend.selfAttention(tensor(Arrays.copyOfRange(encoded, i * len * 3 * width, (i + 1) * len * 3 * width),
                    len, 3 * width), new int[] {0, len}, heads, 0.3f, seq);
            assertArrayEquals(Arrays.copyOfRange(encoderAll, i * len * width, (i + 1) * len * width),
                    backend.download(seq), 0f, "encoder self-attention, sequence " + i);
        }
        // The last position again for row 5 alone: its cache already holds positions 0..3 (position 3 rewritten
        // with the same values).
        Tensor one = backend.allocate(1, width);
        backend.cachedSelfAttention(tensor(Arrays.copyOfRange(qkv, 5 * 3 * width, 6 * 3 * width), 1, 3 * width), self,
                0, new int[] {5}, new int[] {3}, heads, 0.3f, one);
        assertArrayEquals(Arrays.copyOfRange(selfAll, 5 * width, 6 * width), backend.download(one), 0f,
                "cached self-attention, row 5");
    }

    @Test
    void attentionOverCacheMatchesPackedSelfAttentionCausally() {
        // decoder-style causal attention one position at a time must equal attention over the prefix
        Random r = new Random(5);
        int width = 16, heads = 2, n = 6;
        float[] qkv = random(r, n * 3 * width);
        KvCache cache = backend.kvCache(1, width, 32, 1);
        float[] stepped = new float[n * width];
        for (int p = 0; p < n; p++) {
            Tensor out = backend.allocate(1, width);
            backend.cachedSelfAttention(tensor(Arrays.copyOfRange(qkv, p * 3 * width, (p + 1) * 3 * width), 1, 3 * width),
                    cache, 0, new int[] {3}, new int[] {p}, heads, 0.5f, out);
            System.arraycopy(backend.download(out), 0, stepped, p * width, width);
        }
        for (int p = 0; p < n; p++) {
            Tensor out = backend.allocate(p + 1, width);
            backend.selfAttention(tensor(Arrays.copyOf(qkv, (p + 1) * 3 * width), p + 1, 3 * width),
                    new int[] {0, p + 1}, heads, 0.5f, out);
            float[] full = backend.download(out);
            assertArrayEquals(Arrays.copyOfRange(full, p * width, (p + 1) * width),
                    Arrays.copyOfRange(stepped, p * width, (p + 1) * width), 1e-6f, "position " + p);
        }
    }

    @Test
    void topKBreaksTiesByLowerIdAndHandlesLargeK() {
        float[] logits = {1f, 3f, 3f, 0f, 3f, -1f};
        for (int k : new int[] {4, 6}) {
            float[] lp = new float[k];
            int[] ids = new int[k];
            backend.logSoftmaxTopK(tensor(logits, 1, 6), new LogitRule[] {LogitRule.ban(2)}, k, lp, ids);
            int[] expected = {1, 4, 0, 3, 5, 2};
            assertArrayEquals(Arrays.copyOf(expected, k), ids);
            assertEquals(lp[0], lp[1]);
            if (k == 6) {
                assertEquals(Float.NEGATIVE_INFINITY, lp[5]);
            }
        }
        // the sorting path for k > 64
        Random r = new Random(9);
        float[] big = random(r, 500);
        big[10] = big[20] = 9f;
        float[] lpSmall = new float[64], lpLarge = new float[100];
        int[] idSmall = new int[64], idLarge = new int[100];
        backend.logSoftmaxTopK(tensor(big, 1, 500), new LogitRule[] {null}, 64, lpSmall, idSmall);
        backend.logSoftmaxTopK(tensor(big, 1, 500), new LogitRule[] {LogitRule.NONE}, 100, lpLarge, idLarge);
        assertArrayEquals(idSmall, Arrays.copyOf(idLarge, 64));
        assertArrayEquals(lpSmall, Arrays.copyOf(lpLarge, 64), 0f);
        assertEquals(10, idLarge[0]);
        assertEquals(20, idLarge[1]);
        assertThrows(IllegalArgumentException.class, () -> backend.logSoftmaxTopK(tensor(big, 1, 500),
                new LogitRule[] {LogitRule.force(500)}, 1, new float[1], new int[1]));
        // several rows write their own slices (the insertion path works in the output arrays themselves)
        float[] three = random(r, 3 * 500);
        LogitRule[] rules = {LogitRule.NONE, LogitRule.ban(7), LogitRule.force(42)};
        float[] lpRows = new float[3 * 5];
        int[] idRows = new int[3 * 5];
        backend.logSoftmaxTopK(tensor(three, 3, 500), rules, 5, lpRows, idRows);
        for (int row = 0; row < 3; row++) {
            float[] lpOne = new float[5];
            int[] idOne = new int[5];
            backend.logSoftmaxTopK(tensor(Arrays.copyOfRange(three, row * 500, (row + 1) * 500), 1, 500),
                    new LogitRule[] {rules[row]}, 5, lpOne, idOne);
            assertArrayEquals(idOne, Arrays.copyOfRange(idRows, row * 5, row * 5 + 5), "row " + row);
            assertArrayEquals(lpOne, Arrays.copyOfRange(lpRows, row * 5, row * 5 + 5), 0f, "row " + row);
        }
        assertEquals(42, idRows[10]);
        assertEquals(0f, lpRows[10]);
    }

    /** The model skips the logits of forced rows and fills their output with Force.topK: it must be the same. */
    @Test
    void aForcedRowsOutputIsForceTopKWhateverTheLogits() {
        Random r = new Random(17);
        for (int vocab : new int[] {9, 500}) {
            for (int k : new int[] {1, 4, 9, vocab}) {
                if (k > vocab) {
                    continue;
                }
                for (int forced : new int[] {0, 3, vocab - 1}) {
                    float[] lp = new float[k];
                    int[] ids = new int[k];
                    backend.logSoftmaxTopK(tensor(random(r, vocab), 1, vocab),
                            new LogitRule[] {LogitRule.force(forced)}, k, lp, ids);
                    float[] lpWant = new float[k];
                    int[] idsWant = new int[k];
                    new LogitRule.Force(forced).topK(k, lpWant, idsWant, 0);
                    String what = "vocab " + vocab + ", k " + k + ", forced " + forced;
                    assertArrayEquals(idsWant, ids, what);
                    assertArrayEquals(lpWant, lp, 0f, what);
                }
            }
        }
    }

    @Test
    void copyKvSwapsSlots() {
        KvCache cache = backend.kvCache(2, 4, 8, 2);
        float[] kvA = new float[2 * 8];
        float[] kvB = new float[2 * 8];
        Arrays.fill(kvA, 1f);
        Arrays.fill(kvB, 2f);
        for (int l = 0; l < 2; l++) {
            backend.storeKv(tensor(kvA, 2, 8), new int[] {0, 2}, cache, l, new int[] {0});
            backend.storeKv(tensor(kvB, 2, 8), new int[] {0, 2}, cache, l, new int[] {1});
        }
        backend.copyKv(cache, new int[] {1, 0}, new int[] {0, 1}, new int[] {2, 2});
        CpuKvCache c = (CpuKvCache) cache;
        for (int l = 0; l < 2; l++) {
            assertEquals(2f, c.keys(0, l)[7]);
            assertEquals(1f, c.values(1, l)[0]);
        }
    }

    @Test
    void copyKvWithRepeatedSourcesAndChainsReadsBeforeWriting() {
        KvCache cache = backend.kvCache(2, 4, 64, 4);
        CpuKvCache c = (CpuKvCache) cache;
        int[] lengths = {3, 5, 2, 4};
        for (int slot = 0; slot < 4; slot++) {
            float[] kv = new float[lengths[slot] * 8];
            for (int p = 0; p < lengths[slot]; p++) {
                for (int j = 0; j < 8; j++) {
                    kv[p * 8 + j] = slot * 1000 + p * 10 + (j < 4 ? 1 : 2); // key cols end in 1, value cols in 2
                }
            }
            for (int l = 0; l < 2; l++) {
                backend.storeKv(tensor(kv, lengths[slot], 8), new int[] {0, lengths[slot]}, cache, l, new int[] {slot});
            }
        }
        // 1 <- 0, 2 <- 0, 3 <- 2 (old contents of 2), 0 <- 0 (kept); slot 3's own storage is unread
        backend.copyKv(cache, new int[] {0, 0, 2, 0}, new int[] {1, 2, 3, 0}, new int[] {3, 3, 2, 3});
        int[] expectedSource = {0, 0, 0, 2};
        int[] expectedLength = {3, 3, 3, 2};
        for (int slot = 0; slot < 4; slot++) {
            for (int l = 0; l < 2; l++) {
                for (int p = 0; p < expectedLength[slot]; p++) {
                    float base = expectedSource[slot] * 1000 + p * 10;
                    assertEquals(base + 1, c.keys(slot, l)[p * 4 + 3], "slot " + slot + " layer " + l + " pos " + p);
                    assertEquals(base + 2, c.values(slot, l)[p * 4], "slot " + slot + " layer " + l + " pos " + p);
                }
            }
        }
        // the slots do not share storage: writing one leaves the others alone
        c.keys(1, 0)[0] = -7f;
        assertEquals(1f, c.keys(0, 0)[0]);
        assertEquals(1f, c.keys(2, 0)[0]);
    }
}
