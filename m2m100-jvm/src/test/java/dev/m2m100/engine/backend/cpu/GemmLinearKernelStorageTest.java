package dev.m2m100.engine.backend.cpu;

import dev.m2m100.engine.backend.WeightRole;
import dev.m2m100.engine.backend.RawMatrix;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.m2m100.engine.backend.cpu.gemm.WeightFormat;
import dev.m2m100.engine.backend.cpu.gemm.WorkerPool;
import org.junit.jupiter.api.Test;

/** Which storage the kernel picks for the precision-critical matrices (position table, tied embedding). */
class GemmLinearKernelStorageTest {

    /** Values whose bf16, f16 and f32 roundings all differ. */
    static float[] values(int n, int k, float big) {
        float[] w = new float[n * k];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) Math.sin(0.37 * i + 0.1) * 0.3f + 1e-3f * i;
        }
        w[w.length / 2] = big;
        return w;
    }

    static float[] row(PackedWeight p, int r) {
        float[] out = new float[p.inFeatures()];
        p.readRow(r, out, 0);
        return out;
    }

    /** Round to nearest even to bf16 (the values here are finite). */
    static float bf16(float v) {
        int bits = Float.floatToRawIntBits(v);
        return Float.intBitsToFloat(((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16) << 16);
    }

    static float f16(float v) {
        return Float.float16ToFloat(Float.floatToFloat16(v));
    }

    @Test
    void bf16StoresTheEmbeddingAsF16AndTheF32MatrixExactly() {
        int n = 20;
        int k = 12;
        float[] w = values(n, k, 2.5f);
        try (WorkerPool pool = new WorkerPool(2);
             GemmLinearKernel kernel = new GemmLinearKernel(pool, WeightFormat.BF16)) {
            PackedWeight plain = kernel.pack(WeightRole.LINEAR, RawMatrix.of(w, n, k));
            PackedWeight embedding = kernel.pack(WeightRole.EMBEDDING, RawMatrix.of(w, n, k));
            PackedWeight exact = kernel.pack(WeightRole.EXACT, RawMatrix.of(w, n, k));
            int differ = 0;
            for (int r = 0; r < n; r++) {
                float[] a = row(plain, r);
                float[] e = row(embedding, r);
                float[] x = row(exact, r);
                for (int c = 0; c < k; c++) {
                    float v = w[r * k + c];
                    assertEquals(bf16(v), a[c], 0f);
                    assertEquals(f16(v), e[c], 0f);
                    assertEquals(v, x[c], 0f);
                    differ += bf16(v) != f16(v) ? 1 : 0;
                }
            }
            org.junit.jupiter.api.Assertions.assertTrue(differ > n * k / 2, "the values must tell bf16 from f16");
        }
    }

    @Test
    void bf16KeepsAnEmbeddingBeyondF16RangeInF32() {
        int n = 4;
        int k = 8;
        float[] w = values(n, k, 1e5f);
        try (WorkerPool pool = new WorkerPool(1);
             GemmLinearKernel kernel = new GemmLinearKernel(pool, WeightFormat.BF16)) {
            PackedWeight embedding = kernel.pack(WeightRole.EMBEDDING, RawMatrix.of(w, n, k));
            for (int r = 0; r < n; r++) {
                float[] e = row(embedding, r);
                for (int c = 0; c < k; c++) {
                    assertEquals(w[r * k + c], e[c], 0f);
                }
            }
        }
    }

    @Test
    void otherFormatsStoreTheEmbeddingLikeAnyWeight() {
        int n = 20;
        int k = 12;
        float[] w = values(n, k, 2.5f);
        for (WeightFormat f : new WeightFormat[] {WeightFormat.F32, WeightFormat.F16, WeightFormat.INT8}) {
            try (WorkerPool pool = new WorkerPool(1); GemmLinearKernel kernel = new GemmLinearKernel(pool, f)) {
                PackedWeight plain = kernel.pack(WeightRole.LINEAR, RawMatrix.of(w, n, k));
                PackedWeight embedding = kernel.pack(WeightRole.EMBEDDING, RawMatrix.of(w, n, k));
                for (int r = 0; r < n; r++) {
                    assertEquals(java.util.Arrays.toString(row(plain, r)), java.util.Arrays.toString(row(embedding, r)),
                            f + " row " + r);
                }
            }
        }
    }
}
