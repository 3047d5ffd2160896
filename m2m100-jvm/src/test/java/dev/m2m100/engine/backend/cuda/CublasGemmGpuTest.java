package dev.m2m100.engine.backend.cuda;

import static dev.m2m100.engine.backend.cuda.GpuAssert.close;

import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Row-major linear layers through cublasGemmEx against a double-precision reference. */
@Tag("gpu")
class CublasGemmGpuTest {

    private static CudaTestDevice dev;

    @BeforeAll
    static void open() {
        dev = CudaTestDevice.tryOpen("CublasGemmGpuTest");
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

    @ParameterizedTest
    @EnumSource(Precision.class)
    void linearMatchesTheReference(Precision p) {
        Random r = new Random(10);
        try (CublasGemm gemm = CublasGemm.create(dev.context, dev.stream, p)) {
            for (int[] mnk : new int[][] {{1, 64, 64}, {5, 4101, 64}, {37, 1024, 4096}, {13, 301, 77}}) {
                int m = mnk[0];
                int n = mnk[1];
                int k = mnk[2];
                float[] x = CudaTestDevice.stored(p, gaussian(r, m * k));
                float[] w = CudaTestDevice.stored(p, gaussian(r, n * k));
                float[] y0 = gaussian(r, m * n);
                double[] want = new double[m * n];
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double acc = 0;
                        for (int t = 0; t < k; t++) {
                            acc += (double) x[i * k + t] * w[j * k + t];
                        }
                        want[i * n + j] = acc + y0[i * n + j];
                    }
                }
                DeviceBuffer y = dev.upload(y0, "y");
                gemm.linear(m, n, k, dev.upload(p, x, "x"), dev.upload(p, w, "w"), y, true, 1.0f);
                // fp32 without TF32: float accumulation error ~ sqrt(k) ulps of the partial sums.
                double abs = p == Precision.FP32 ? 2e-5 * Math.sqrt(k) : 2e-4 * Math.sqrt(k);
                close(want, dev.downloadFloats(y, m * n), abs, 1e-5, "gemm " + p + " " + m + "x" + n + "x" + k);
            }
        }
    }

    private static float[] gaussian(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }
}
