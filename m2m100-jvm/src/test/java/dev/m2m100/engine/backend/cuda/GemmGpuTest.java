package dev.m2m100.engine.backend.cuda;

import static dev.m2m100.engine.backend.cuda.GpuAssert.close;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import dev.m2m100.engine.backend.Epilogue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both GEMM implementations on the device (cuBLAS in fixed row chunks, and gemm.cu), each in every storage
 * combination: against a double-precision reference (shapes off every tile and chunk boundary, every epilogue ±
 * bias), and the batch-invariance contract bit for bit: each row computed alone and inside batches of 2 … 80 rows
 * (so across cuBLAS's 64-row chunks), at shuffled positions, gives the same bits.
 */
@Tag("gpu")
class GemmGpuTest {

    private static CudaTestDevice dev;

    @BeforeAll
    static void open() {
        dev = CudaTestDevice.tryOpen("GemmGpuTest");
    }

    @BeforeEach
    void requireDevice() {
        CudaTestDevice.assumeOpened(dev);
    }

    @AfterAll
    static void closeDevice() {
        if (dev != null) {
            dev.close();
        }
    }

    /** An implementation and the x, w, y storage types of a call. */
    record Types(GemmImplementation gemm, Precision x, Precision w, Precision y) {
        @Override
        public String toString() {
            return gemm + " " + x.suffix() + "_" + w.suffix() + "_" + y.suffix();
        }
    }

    static Stream<Types> variants() {
        return Stream.of(GemmImplementation.values()).flatMap(g -> GemmCall.VARIANTS.stream().sorted().map(v -> {
            String[] t = v.split("_");
            return new Types(g, of(t[0]), of(t[1]), of(t[2]));
        }));
    }

    private static Precision of(String suffix) {
        return suffix.equals("f32") ? Precision.FP32 : Precision.FP16;
    }

    private static float[] random(Random r, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * scale);
        }
        return v;
    }

    private static float[] run(Types t, float[] x, float[] w, float[] bias, float[] yInit, int m, int n, int k,
                               Epilogue e) {
        DeviceBuffer xd = dev.upload(t.x(), x, "x");
        DeviceBuffer wd = dev.upload(t.w(), w, "w");
        DeviceBuffer bd = bias == null ? null : dev.upload(bias, "bias");
        DeviceBuffer yd = dev.upload(t.y(), yInit, "y");
        try {
            dev.gemm(t.gemm()).linear(new GemmCall(t.x(), t.w(), t.y(), xd, wd, bd, yd, m, n, k, e));
            return dev.download(t.y(), yd, m * n);
        } finally {
            for (DeviceBuffer b : new DeviceBuffer[] {xd, wd, bd, yd}) {
                if (b != null) {
                    dev.pool.release(b);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void matchesADoublePrecisionReference(Types t) {
        Random r = new Random(31);
        int[][] shapes = {{1, 1, 1}, {1, 100, 37}, {5, 33, 16}, {16, 32, 17}, {17, 65, 1000}, {37, 1024, 4096},
                {64, 40, 24}, {65, 40, 24}, {130, 200, 64}};
        // What the products see: x in its storage type, rounded to the weight's where the GEMM takes one input type.
        Precision seen = dev.gemm(t.gemm()).productInput(t.x(), t.w());
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            float[] x = CudaTestDevice.stored(t.x(), random(r, m * k, 1.0));
            float[] xSeen = CudaTestDevice.stored(seen, x);
            float[] w = CudaTestDevice.stored(t.w(), random(r, n * k, 1.0 / Math.sqrt(k)));
            float[] bias = random(r, n, 0.5);
            float[] y0 = CudaTestDevice.stored(t.y(), random(r, m * n, 1.0));
            double[] product = new double[m * n];
            for (int i = 0; i < m; i++) {
                for (int o = 0; o < n; o++) {
                    double v = 0;
                    for (int c = 0; c < k; c++) {
                        v += (double) xSeen[i * k + c] * w[o * k + c];
                    }
                    product[i * n + o] = v;
                }
            }
            for (Epilogue e : Epilogue.values()) {
                if (e == Epilogue.RESIDUAL && t.y() != Precision.FP32) {
                    continue;
                }
                for (boolean withBias : new boolean[] {true, false}) {
                    double[] want = new double[m * n];
                    for (int i = 0; i < m * n; i++) {
                        double v = product[i] + (withBias ? bias[i % n] : 0);
                        want[i] = switch (e) {
                            case NONE -> v;
                            case RELU -> Math.max(v, 0);
                            case RESIDUAL -> y0[i] + v;
                        };
                    }
                    float[] got = run(t, x, w, withBias ? bias : null, y0, m, n, k, e);
                    // fp32 accumulation of k unit-variance terms; an fp16 output adds one rounding (2^-11 relative)
                    double abs = 2e-6 * Math.sqrt(k) + 1e-6;
                    double rel = t.y() == Precision.FP32 ? 1e-5 : 1e-3;
                    close(want, got, abs, rel, t + " m=" + m + " n=" + n + " k=" + k + " " + e
                            + (withBias ? " +bias" : ""));
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void aRowsBitsDoNotDependOnItsBatch(Types t) {
        Random r = new Random(32);
        int n = 300;
        int k = 1000;
        int rows = 80;
        float[] w = CudaTestDevice.stored(t.w(), random(r, n * k, 0.03));
        float[] bias = random(r, n, 0.5);
        float[] x = CudaTestDevice.stored(t.x(), random(r, rows * k, 1.0));
        float[] res = CudaTestDevice.stored(t.y(), random(r, rows * n, 1.0));
        Epilogue e = t.y() == Precision.FP32 ? Epilogue.RESIDUAL : Epilogue.RELU;
        int[][] alone = new int[rows][];
        for (int i = 0; i < rows; i++) {
            float[] row = run(t, slice(x, i, 1, k), w, bias, slice(res, i, 1, n), 1, n, k, e);
            alone[i] = bits(row);
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            order.add(i);
        }
        int compared = 0;
        for (int m = 2; m <= rows; m++) {
            Collections.shuffle(order, r);
            float[] bx = new float[m * k];
            float[] by = new float[m * n];
            for (int j = 0; j < m; j++) {
                System.arraycopy(x, order.get(j) * k, bx, j * k, k);
                System.arraycopy(res, order.get(j) * n, by, j * n, n);
            }
            float[] got = run(t, bx, w, bias, by, m, n, k, e);
            for (int j = 0; j < m; j++) {
                assertArrayEquals(alone[order.get(j)], bits(slice(got, j, 1, n)),
                        t + ": row " + order.get(j) + " at position " + j + " of a batch of " + m);
                compared++;
            }
        }
        assertEquals(rows * (rows + 1) / 2 - 1, compared);
    }

    private static float[] slice(float[] a, int row, int rows, int cols) {
        float[] out = new float[rows * cols];
        System.arraycopy(a, row * cols, out, 0, out.length);
        return out;
    }

    private static int[] bits(float[] v) {
        int[] b = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = Float.floatToRawIntBits(v[i]);
        }
        return b;
    }
}
