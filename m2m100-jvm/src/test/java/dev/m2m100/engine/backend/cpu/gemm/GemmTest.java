package dev.m2m100.engine.backend.cpu.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class GemmTest extends GemmPoolTest {
    /**
     * Double-precision reference over the weights as stored (decoded independently of the kernels by
     * readRow, whose fidelity to W is checked in PackedWeightsTest), with the f32 error bound of a k-term
     * dot product: |err| ≤ 2·(k+4)·2^-24 · Σ|terms|.
     */
    private static void checkAgainstReference(String what, float[] x, int xOff, int m, PackedWeights w, float[] bias,
                                              Epilogue ep, float[] residual, int rOff, float[] out, int oOff) {
        int n = w.n();
        int k = w.k();
        float[] row = new float[k];
        for (int j = 0; j < n; j++) {
            w.readRow(j, row, 0);
            for (int i = 0; i < m; i++) {
                double s = 0;
                double mag = 0;
                for (int kk = 0; kk < k; kk++) {
                    double t = (double) x[xOff + i * k + kk] * row[kk];
                    s += t;
                    mag += Math.abs(t);
                }
                if (bias != null) {
                    s += bias[j];
                    mag += Math.abs(bias[j]);
                }
                if (ep == Epilogue.RELU) {
                    s = Math.max(s, 0);
                }
                if (residual != null) {
                    s += residual[rOff + i * n + j];
                    mag += Math.abs(residual[rOff + i * n + j]);
                }
                double tol = 2.0 * (k + 4) * 0x1p-24 * mag + 1e-30;
                float got = out[oOff + i * n + j];
                if (!(Math.abs(got - s) <= tol)) {
                    fail(what + ": out[" + i + "][" + j + "] = " + got + ", reference " + s + " (tolerance " + tol + ")");
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(WeightFormat.class)
    void matchesDoubleReferenceOnRandomShapes(WeightFormat format) {
        Random r = new Random(42 + format.ordinal());
        int[] ms = {1, 2, 3, 4, 5, 6, 7, 8, 13, 19};
        int[] ns = {1, 5, 16, 17, 31, 48, 77};
        int[] ks = {1, 3, 8, 255, 256, 257, 300, 600};
        int cases = 0;
        for (int c = 0; c < 60; c++) {
            int m = ms[c % ms.length];
            int n = ns[r.nextInt(ns.length)];
            int k = ks[r.nextInt(ks.length)];
            Epilogue ep = Epilogue.values()[c % 2];
            boolean withBias = (c / 2) % 2 == 0;
            boolean withResidual = (c / 4) % 2 == 0;
            float[] wf = random(r, n * k, 0.05f);
            PackedWeights w = PackedWeights.pack(wf, 0, n, k, format, arena, null);
            int xOff = r.nextInt(5);
            int oOff = r.nextInt(5);
            float[] x = random(r, xOff + m * k + 3, 1f);
            float[] bias = withBias ? random(r, n, 0.5f) : null;
            float[] residual = withResidual ? random(r, m * n + 2, 1f) : null;
            float[] out = new float[oOff + m * n + 4];
            java.util.Arrays.fill(out, Float.NaN);
            Gemm.linear(pool, x, xOff, m, w, bias, ep, residual, 1, out, oOff);
            String what = format + " m=" + m + " n=" + n + " k=" + k + " " + ep + " bias=" + withBias + " residual="
                    + withResidual;
            checkAgainstReference(what, x, xOff, m, w, bias, ep, residual, 1, out, oOff);
            for (int i = 0; i < oOff; i++) {
                assertTrue(Float.isNaN(out[i]), what + ": wrote before outOffset");
            }
            for (int i = oOff + m * n; i < out.length; i++) {
                assertTrue(Float.isNaN(out[i]), what + ": wrote past the output");
            }
            cases++;
        }
        assertEquals(60, cases);
    }

    /**
     * The m = 1 GEMV takes panels in groups of four (16-bit formats) or pairs; a short last group starts over panels
     * already stored, or pairs the last panel with itself. Every panel must still be stored once: an in-place
     * residual (out holds it) is added exactly once. Panel counts 1 to 9 cover every remainder.
     */
    @ParameterizedTest
    @EnumSource(WeightFormat.class)
    void gemvShortLastGroupStoresEveryPanelOnce(WeightFormat format) {
        Random r = new Random(5 + format.ordinal());
        int k = 70;
        for (int n = 1; n <= 9 * 16; n += 11) {
            PackedWeights w = PackedWeights.pack(random(r, n * k, 0.05f), 0, n, k, format, arena, null);
            float[] x = random(r, k, 1f);
            float[] bias = random(r, n, 0.5f);
            float[] residual = random(r, n, 1f);
            float[] out = residual.clone();
            Gemm.linear(pool, x, 0, 1, w, bias, Epilogue.NONE, out, out, 0);
            checkAgainstReference(format + " m=1 n=" + n + " in-place residual", x, 0, 1, w, bias, Epilogue.NONE,
                    residual, 0, out, 0);
        }
    }

    /**
     * The 512-bit path stages the accumulators of up to {@link Gemm#MAX_STAGED_PAIRS} panel pairs and writes them row
     * by row. Wide outputs (a worker's chunk then spans several groups) with a partial last panel, every epilogue, an
     * in-place residual and offsets: each element against the reference, and nothing written outside the output.
     */
    @ParameterizedTest
    @EnumSource(WeightFormat.class)
    void stagedPanelGroupsStoreEveryElementOnceAt512Bits(WeightFormat format) {
        Random r = new Random(17 + format.ordinal());
        int k = 37;
        int n = 16 * 300 + 9; // 301 panels, the last with 9 columns: chunks of 18+ panels, several groups each
        PackedWeights w = PackedWeights.pack(random(r, n * k, 0.05f), 0, n, k, format, arena, null);
        int c = 0;
        for (int m : new int[] {7, 40, 130}) { // 8 pairs per group at 7 and 40 rows, 1 at 130 rows
            for (Epilogue ep : Epilogue.values()) {
                boolean withBias = c % 2 == 0;
                c++;
                int xOff = 3;
                int oOff = 5;
                float[] x = random(r, xOff + m * k, 1f);
                float[] bias = withBias ? random(r, n, 0.5f) : null;
                float[] out = new float[oOff + m * n + 7];
                java.util.Arrays.fill(out, Float.NaN);
                float[] residual = random(r, m * n, 1f);
                System.arraycopy(residual, 0, out, oOff, m * n); // in place: out holds the residual
                Gemm.linear(VectorWidth.BITS_512, pool, x, xOff, m, w, bias, ep, out, oOff, out, oOff);
                String what = format + " m=" + m + " n=" + n + " " + ep + " bias=" + withBias;
                checkAgainstReference(what, x, xOff, m, w, bias, ep, residual, 0, out, oOff);
                for (int i = 0; i < oOff; i++) {
                    assertTrue(Float.isNaN(out[i]), what + ": wrote before outOffset");
                }
                for (int i = oOff + m * n; i < out.length; i++) {
                    assertTrue(Float.isNaN(out[i]), what + ": wrote past the output");
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(WeightFormat.class)
    void largerShapeWithManyRowBlocksAndKBlocks(WeightFormat format) {
        Random r = new Random(7);
        int m = 19, n = 75, k = 601;
        PackedWeights w = PackedWeights.pack(random(r, n * k, 0.03f), 0, n, k, format, arena, pool);
        float[] x = random(r, m * k, 1f);
        float[] bias = random(r, n, 0.1f);
        float[] out = new float[m * n];
        Gemm.linear(pool, x, 0, m, w, bias, Epilogue.RELU, null, out, 0);
        checkAgainstReference(format + " 19x75x601", x, 0, m, w, bias, Epilogue.RELU, null, 0, out, 0);
    }

    @ParameterizedTest
    @EnumSource(WeightFormat.class)
    void rowResultsAreBitIdenticalWhateverTheBatchAndThreadSplit(WeightFormat format) {
        Random r = new Random(11);
        int m = 23, n = 133, k = 777;
        PackedWeights w = PackedWeights.pack(random(r, n * k, 0.05f), 0, n, k, format, arena, null);
        float[] x = random(r, m * k, 1f);
        float[] bias = random(r, n, 0.2f);
        float[] residual = random(r, m * n, 1f);
        float[] full = new float[m * n];
        Gemm.linear(pool, x, 0, m, w, bias, Epilogue.RELU, residual, full, 0);

        // Every row alone, every contiguous sub-batch of a few sizes, on pools of 1, 2 and 3 participants.
        for (int threads = 1; threads <= 3; threads++) {
            try (WorkerPool p = new WorkerPool(threads)) {
                for (int size : new int[] {1, 2, 3, 5, 6, 7, 8, 12, 17}) {
                    for (int start = 0; start + size <= m; start += Math.max(1, size / 2)) {
                        float[] part = new float[size * n];
                        Gemm.linear(p, x, start * k, size, w, bias, Epilogue.RELU, residual, start * n, part, 0);
                        for (int i = 0; i < size * n; i++) {
                            if (Float.floatToRawIntBits(part[i]) != Float.floatToRawIntBits(full[start * n + i])) {
                                fail(format + ": row " + (start + i / n) + " col " + (i % n) + " differs in a batch of "
                                        + size + " at row " + (i / n) + " on " + threads + " threads: " + part[i] + " vs "
                                        + full[start * n + i]);
                            }
                        }
                    }
                }
            }
        }
        // A row among different neighbours: row 4 of x placed at position 2 of a batch with other rows.
        float[] mixed = new float[6 * k];
        float[] mixedRes = new float[6 * n];
        int[] rows = {9, 0, 4, 22, 13, 4};
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(x, rows[i] * k, mixed, i * k, k);
            System.arraycopy(residual, rows[i] * n, mixedRes, i * n, n);
        }
        float[] out = new float[6 * n];
        Gemm.linear(pool, mixed, 0, 6, w, bias, Epilogue.RELU, mixedRes, out, 0);
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < n; j++) {
                assertEquals(Float.floatToRawIntBits(full[rows[i] * n + j]), Float.floatToRawIntBits(out[i * n + j]),
                        format + ": row " + rows[i] + " col " + j + " differs among other neighbours");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(WeightFormat.class)
    void batchesOverTheCacheBudgetAreSplitInRowChunksWithoutChangingAnyRow(WeightFormat format) {
        Random r = new Random(5);
        int k = 1024, n = 40; // 3 panels: an odd one for the 512-bit pairs
        int m = (int) (Gemm.A_CHUNK_BYTES / (4L * k)) + 77; // just over the budget: two chunks
        int chunk = Gemm.rowsPerChunk(m, k, Gemm.MR);
        assertTrue(chunk < m && chunk % Gemm.MR == 0, "expected whole-row-block chunks, got " + chunk + " of " + m);
        PackedWeights w = PackedWeights.pack(random(r, n * k, 0.03f), 0, n, k, format, arena, null);
        int xOff = 3, oOff = 5;
        float[] x = random(r, xOff + m * k, 1f);
        float[] bias = random(r, n, 0.2f);
        float[] residual = random(r, m * n, 1f);
        // In place (residual is the output), at offsets: the chunks must shift x, out and residual alike.
        float[] out = new float[oOff + m * n];
        System.arraycopy(residual, 0, out, oOff, m * n);
        Gemm.linear(VectorWidth.BITS_256, Gemm.MR, pool, x, xOff, m, w, bias, Epilogue.RELU, out, oOff, out, oOff);
        // Rows alone and in small batches straddling the chunk boundary, the first and the last rows.
        for (int[] batch : new int[][] {{0, 1}, {chunk - 4, 9}, {chunk - 1, 1}, {chunk, 1}, {m - 7, 7}}) {
            int start = batch[0], size = batch[1];
            float[] part = new float[size * n];
            Gemm.linear(VectorWidth.BITS_256, Gemm.MR, pool, x, xOff + start * k, size, w, bias, Epilogue.RELU,
                    residual, start * n, part, 0);
            for (int i = 0; i < size * n; i++) {
                assertEquals(Float.floatToRawIntBits(part[i]), Float.floatToRawIntBits(out[oOff + start * n + i]),
                        format + ": row " + (start + i / n) + " col " + (i % n) + " of a " + m + "-row batch (chunks of "
                                + chunk + ") differs from a batch of " + size);
            }
        }
        checkAgainstReference(format + " chunked", x, xOff, m, w, bias, Epilogue.RELU, residual, 0, out, oOff);
    }

    @Test
    void f16GemmsGiveTheGemvBitsWithXScaledAndWithXTooLargeToScale() {
        // Batches of more than 6 rows pack x times 2^112 for f16 (unless some |x| >= 2^15); rows alone take the
        // GEMV, which multiplies the weights instead. Both must give the same bits.
        Random r = new Random(112);
        int m = 9, n = 40, k = 300;
        PackedWeights w = PackedWeights.pack(random(r, n * k, 0.05f), 0, n, k, WeightFormat.F16, arena, null);
        for (float big : new float[] {0f, 0x1p15f, Float.POSITIVE_INFINITY}) {
            float[] x = random(r, m * k, 1f);
            x[3 * k + 7] = 3e-42f; // a subnormal input
            if (big != 0f) {
                x[5 * k + 11] = -big;
            }
            float[] bias = random(r, n, 0.2f);
            float[] batch = new float[m * n];
            Gemm.linear(pool, x, 0, m, w, bias, Epilogue.NONE, null, batch, 0);
            for (int row = 0; row < m; row++) {
                float[] one = new float[n];
                Gemm.linear(pool, x, row * k, 1, w, bias, Epilogue.NONE, null, one, 0);
                for (int j = 0; j < n; j++) {
                    assertEquals(Float.floatToRawIntBits(one[j]), Float.floatToRawIntBits(batch[row * n + j]),
                            "largest |x| " + big + ": row " + row + " col " + j);
                }
            }
            if (big != Float.POSITIVE_INFINITY) {
                checkAgainstReference("f16, largest |x| " + big, x, 0, m, w, bias, Epilogue.NONE, null, 0, batch, 0);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {Gemm.MR, Gemm.ROWS_16_REGISTERS})
    void rowBlocksCoverTheBatchInTheFewestBlocksAsEvenAsTheyCanBe(int mr) {
        for (int m = 1; m <= 200; m++) {
            StringBuilder blocks = new StringBuilder();
            int covered = 0;
            int count = 0;
            int largest = 0;
            int smallest = Integer.MAX_VALUE;
            for (int r = 0, rows; r < m; r += rows) {
                rows = Gemm.blockRows(m - r, mr);
                blocks.append(rows).append(' ');
                assertTrue(rows >= 1 && rows <= mr, "m=" + m + ": blocks " + blocks);
                assertTrue(rows <= Math.min(largest == 0 ? mr : largest, mr), "m=" + m + ": blocks grow: " + blocks);
                largest = Math.max(largest, rows);
                smallest = Math.min(smallest, rows);
                covered += rows;
                count++;
            }
            assertEquals(m, covered, "m=" + m + ": blocks " + blocks);
            assertEquals((m + mr - 1) / mr, count, "m=" + m + ": not the fewest blocks: " + blocks);
            assertTrue(largest - smallest <= 1, "m=" + m + ": uneven blocks " + blocks);
        }
        // The cases that matter: no 1- or 2-row block behind full ones, and the decode batches of cases c and b.
        assertEquals(4, Gemm.blockRows(16, Gemm.ROWS_16_REGISTERS)); // 4 + 4 + 4 + 4, not 5 + 5 + 5 + 1
        assertEquals(4, Gemm.blockRows(7, Gemm.MR)); // 4 + 3, not 6 + 1
        assertEquals(5, Gemm.blockRows(80, Gemm.ROWS_16_REGISTERS));
        assertEquals(5, Gemm.blockRows(64, Gemm.ROWS_16_REGISTERS)); // 12 × 5 + 4
    }

    @ParameterizedTest
    @ValueSource(ints = {Gemm.MR, Gemm.ROWS_16_REGISTERS})
    void rowChunksCoverTheBatchInWholeRowBlocksWithinTheBudget(int mr) {
        for (int k : new int[] {64, 1024, 4096}) {
            for (int m : new int[] {1, 6, 64, 320, 1000, 1536, 4099, 20000}) {
                int rows = Gemm.rowsPerChunk(m, k, mr);
                if (4L * m * k <= Gemm.A_CHUNK_BYTES) {
                    assertEquals(m, rows, "m=" + m + " k=" + k + " fits: one chunk");
                    continue;
                }
                assertEquals(0, rows % mr, "m=" + m + " k=" + k);
                int chunks = (m + rows - 1) / rows;
                // Equal chunks: at most one row block per chunk over the budget.
                assertTrue(4L * (rows - mr) * k <= Gemm.A_CHUNK_BYTES, "m=" + m + " k=" + k + " rows " + rows);
                assertTrue(chunks >= 2 && (chunks - 1) * rows < m, "m=" + m + " k=" + k + " rows " + rows);
            }
        }
    }

    @Test
    void inPlaceResidualAdd() {
        Random r = new Random(3);
        int m = 9, n = 40, k = 64;
        PackedWeights w = PackedWeights.pack(random(r, n * k, 0.1f), 0, n, k, WeightFormat.F32, arena, null);
        float[] x = random(r, m * k, 1f);
        float[] hidden = random(r, m * n, 1f);
        float[] copy = hidden.clone();
        float[] expected = new float[m * n];
        Gemm.linear(pool, x, 0, m, w, null, Epilogue.NONE, copy, expected, 0);
        Gemm.linear(pool, x, 0, m, w, null, Epilogue.NONE, hidden, hidden, 0);
        for (int i = 0; i < m * n; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(hidden[i]), "element " + i);
        }
    }

    @Test
    void nestedCallsFromATaskAreRejected() {
        PackedWeights w = PackedWeights.pack(new float[6], 0, 2, 3, WeightFormat.F32, arena, null);
        float[] x = new float[3];
        try (WorkerPool p = new WorkerPool(2)) {
            java.util.concurrent.atomic.AtomicInteger rejected = new java.util.concurrent.atomic.AtomicInteger();
            p.parallelFor(2, 1, (worker, from, to) -> {
                try {
                    Gemm.linear(p, x, 0, 1, w, null, Epilogue.NONE, null, new float[2], 0);
                } catch (IllegalStateException e) {
                    rejected.incrementAndGet();
                }
            });
            assertEquals(2, rejected.get(), "both participants must be refused");
            float[] out = new float[2];
            Gemm.linear(p, new float[] {1, 2, 3}, 0, 1, w, new float[] {5, 6}, Epilogue.NONE, null, out, 0);
            assertEquals(5f, out[0]);
            assertEquals(6f, out[1]);
        }
    }

    @Test
    void rejectsBadArguments() {
        PackedWeights w = PackedWeights.pack(new float[6], 0, 2, 3, WeightFormat.F32, arena, null);
        float[] x = new float[6];
        float[] out = new float[4];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.linear(pool, x, 1, 2, w, null, Epilogue.NONE, null, out, 0));
        assertTrue(e.getMessage().contains("x has 6 elements"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.linear(pool, x, 0, 2, w, null, Epilogue.NONE, null, new float[3], 0));
        assertTrue(e.getMessage().contains("out"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.linear(pool, x, 0, 2, w, new float[1], Epilogue.NONE, null, out, 0));
        assertTrue(e.getMessage().contains("bias"), e.getMessage());
        float[] shared = new float[10];
        e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.linear(pool, shared, 0, 2, w, null, Epilogue.NONE, null, shared, 4));
        assertTrue(e.getMessage().contains("overlap"), e.getMessage());
    }
}
