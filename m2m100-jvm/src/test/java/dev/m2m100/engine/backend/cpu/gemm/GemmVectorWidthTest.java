package dev.m2m100.engine.backend.cpu.gemm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The 512-bit GEMM path against the 256-bit one, and 5-row blocks (JVMs with 16 vector registers) against 6-row
 * ones, called directly whatever this machine's default is, in every weight format (f32 straight from the panels,
 * bf16/f16/int8 through widened f32 blocks or in registers): the same bits for every shape (odd panel counts, tails,
 * K across several blocks, every epilogue), and a row's result at 512 bits does not depend on the rest of the batch.
 */
class GemmVectorWidthTest extends GemmPoolTest {
    @ParameterizedTest
    @EnumSource(WeightFormat.class)
    void bothWidthsGiveTheSameBits(WeightFormat format) {
        Random r = new Random(15 + format.ordinal());
        int[] ms = {2, 5, 6, 7, 8, 12, 13, 19, 64}; // 2..6: f32 GEMVs take the 512-bit kernels, compact formats the 256-bit GEMV
        int[] ns = {16, 17, 32, 40, 48, 77, 160};
        // K around both widths' blocks (256 and Gemm.KC_512) and across two 512-bit blocks.
        int[] ks = {1, 3, 129, 255, 257, 600, Gemm.KC_512 - 1, Gemm.KC_512, Gemm.KC_512 + 1, 2 * Gemm.KC_512 + 52};
        for (int c = 0; c < 80; c++) {
            Case t = Case.draw(r, format, c, ms[c % ms.length], ns, ks);
            assertSameBits(t, t.run(VectorWidth.BITS_256, Gemm.MR), t.run(VectorWidth.BITS_512, Gemm.MR),
                    "at 512 bits");
        }
    }

    @ParameterizedTest
    @EnumSource(WeightFormat.class)
    void fiveAndSixRowBlocksGiveTheSameBits(WeightFormat format) {
        Random r = new Random(55 + format.ordinal());
        // 6: one 6-row GEMV block against two 3-row GEMM blocks; 5, 7, 8, 16, 64, 80: the tails of both heights.
        int[] ms = {2, 5, 6, 7, 8, 11, 16, 64, 80};
        int[] ns = {16, 17, 40, 77};
        int[] ks = {3, 129, 300};
        for (int c = 0; c < 36; c++) {
            Case t = Case.draw(r, format, c, ms[c % ms.length], ns, ks);
            float[] six = t.run(VectorWidth.BITS_256, Gemm.MR);
            for (VectorWidth width : VectorWidth.values()) {
                assertSameBits(t, six, t.run(width, Gemm.ROWS_16_REGISTERS),
                        "with 5-row blocks at " + width.bits() + " bits");
            }
        }
    }

    /** One GEMM call's inputs: epilogue, bias and residual chosen by the case number c. */
    private record Case(WeightFormat format, int m, int n, int k, Epilogue ep, float[] bias, float[] residual,
                        PackedWeights w, float[] x) {
        static Case draw(Random r, WeightFormat format, int c, int m, int[] ns, int[] ks) {
            int n = ns[r.nextInt(ns.length)];
            int k = ks[r.nextInt(ks.length)];
            float[] bias = (c / 2) % 2 == 0 ? random(r, n, 0.5f) : null;
            float[] residual = (c / 4) % 2 == 0 ? random(r, m * n, 1f) : null;
            PackedWeights w = PackedWeights.pack(random(r, n * k, 0.05f), 0, n, k, format, arena, null);
            return new Case(format, m, n, k, Epilogue.values()[c % 2], bias, residual, w, random(r, m * k, 1f));
        }

        float[] run(VectorWidth width, int blockRows) {
            float[] out = new float[m * n];
            Gemm.linear(width, blockRows, pool, x, 0, m, w, bias, ep, residual, 0, out, 0);
            return out;
        }
    }

    private static void assertSameBits(Case t, float[] expected, float[] actual, String how) {
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                fail(t.format() + " m=" + t.m() + " n=" + t.n() + " k=" + t.k() + " " + t.ep() + ": element " + i
                        + " is " + actual[i] + " " + how + ", " + expected[i] + " with 6-row blocks at 256 bits");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(WeightFormat.class)
    void aRowIsTheSameAloneAndInABatchAt512Bits(WeightFormat format) {
        Random r = new Random(16);
        int m = 29;
        int n = 112;
        int k = 300;
        PackedWeights w = PackedWeights.pack(random(r, n * k, 0.05f), 0, n, k, format, arena, null);
        float[] x = random(r, m * k, 1f);
        float[] bias = random(r, n, 0.5f);
        float[] batch = new float[m * n];
        Gemm.linear(VectorWidth.BITS_512, pool, x, 0, m, w, bias, Epilogue.RELU, null, 0, batch, 0);
        for (int rows : new int[] {1, 2, 5, 7, 8, 13}) { // 1: GEMV; 2, 5: 512-bit in f32 only; 7+: 512-bit path
            for (int start = 0; start + rows <= m; start += 11) {
                float[] part = new float[rows * n];
                Gemm.linear(VectorWidth.BITS_512, pool, x, start * k, rows, w, bias, Epilogue.RELU, null, 0, part, 0);
                assertArrayEquals(Arrays.copyOfRange(batch, start * n, (start + rows) * n), part, 0f,
                        format + ": rows " + start + ".." + (start + rows - 1));
            }
        }
    }
}
