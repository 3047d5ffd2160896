package dev.m2m100.engine.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import dev.m2m100.engine.backend.Epilogue;
import dev.m2m100.kernels.KernelSources;
import jcuda.driver.CUdeviceptr;

import org.junit.jupiter.api.Test;

/**
 * The Java side of every launch against the PTX it calls, without a GPU: each {@link CudaKernels} method is
 * run against a recording launcher, and the parameter list it builds must match the PTX entry's declared
 * parameter types one for one (a swapped int/long or a missing argument would otherwise be a silent
 * garbage launch on the device).
 */
class KernelAbiTest {

    record Launch(String kernel, Dim3 grid, Dim3 block, int shared, KernelArgs args) {}

    private static final class Recorder implements KernelLaunch {
        final List<Launch> launches = new ArrayList<>();

        @Override
        public void launch(String kernel, Dim3 grid, Dim3 block, int sharedBytes, String shapes, KernelArgs args) {
            launches.add(new Launch(kernel, grid, block, sharedBytes, args));
        }
    }

    private static DeviceBuffer buf(long bytes) {
        return new DeviceBuffer(new CUdeviceptr(), bytes, "test buffer");
    }

    private static List<Launch> exerciseEveryKernel() {
        Recorder r = new Recorder();
        CudaKernels k = new CudaKernels(r);
        DeviceBuffer big = buf(1L << 30);
        for (Precision p : Precision.values()) {
            k.embed(p, big, big, big, 4101, 64, 8f, big, 258, big, 10);
            k.layerNorm(p, big, big, big, big, 10, 64, 1e-5f);
            k.residualLayerNorm(p, big, big, big, big, big, big, 10, 64, 1e-5f);
            k.residualLayerNorm(p, big, big, null, big, big, big, 10, 64, 1e-5f);
            k.attention(p, big, big, big, big, big, big, 10, 2 * 7 * 64, 7, AttentionLayout.dense(4, 16, 7), 0.25f);
            k.scatterRows(p, big, 64, big, 7 * 64, 64, big, big, 10, 64, 2, 7);
            k.copyCacheRows(p, big, CudaKvCache.layoutOf(2, 64, 2, 7), buf(1L << 30), CudaKvCache.layoutOf(2, 64, 3, 14),
                    big, big, big, 3, 64);
        }
        k.logSoftmaxTopK(big, 5, 4101, big, null, 10, big, big);
        k.logSoftmaxTopK(big, 5, 128112, null, null, 32, big, big);
        for (String variant : GemmCall.VARIANTS) {
            String[] t = variant.split("_");
            for (int m : new int[] {1, 16, 17, 200}) {
                GemmCall withBias = call(t, big, big, m, t[2].equals("f32") ? Epilogue.RESIDUAL : Epilogue.RELU);
                k.gemm(withBias);
                k.gemm(call(t, big, null, m, Epilogue.NONE));
                // the cuBLAS path: its input chunk in the weight's type, and the epilogue on its product
                k.stageRows(withBias.xType(), withBias.wType(), big, big, Math.min(m, 64), 64, 64);
                k.gemmEpilogue(withBias, big, big, Math.min(m, 64));
            }
        }
        return r.launches;
    }

    private static Precision precision(String suffix) {
        return suffix.equals("f32") ? Precision.FP32 : Precision.FP16;
    }

    /** An m x 96 x 64 call of the storage types {@code t} (x, w, y suffixes). */
    private static GemmCall call(String[] t, DeviceBuffer big, DeviceBuffer bias, int m, Epilogue e) {
        return new GemmCall(precision(t[0]), precision(t[1]), precision(t[2]), big, big, bias, big, m, 96, 64, e);
    }

    @Test
    void everyLaunchMatchesThePtxSignatureOfItsKernel() {
        Set<String> launched = new TreeSet<>();
        for (Launch l : exerciseEveryKernel()) {
            launched.add(l.kernel());
            List<String> declared = PtxEntries.parameterTypes(ptxDeclaring(l.kernel()), l.kernel());
            assertEquals(declared, l.args().ptxTypes(), l.kernel() + " (" + l.args().signature() + ")");
            assertTrue(l.block().x() % 32 == 0 && l.block().x() <= 1024, l.kernel() + " block " + l.block());
        }
        Set<String> all = new TreeSet<>();
        for (String module : KernelSources.MODULES) {
            all.addAll(PtxEntries.of(KernelSources.ptx(module)));
        }
        assertEquals(all, launched, "every shipped kernel has a typed Java entry point, and no other is called");
    }

    @Test
    void shapesAreCheckedAgainstBuffersBeforeAnyLaunch() {
        Recorder r = new Recorder();
        CudaKernels k = new CudaKernels(r);
        DeviceBuffer small = buf(100);
        DeviceBuffer big = buf(1 << 20);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> k.layerNorm(Precision.FP32, small, big, big, big, 10, 64, 1e-5f));
        assertTrue(e.getMessage().contains("x (test buffer) has 100 bytes, needs 2560"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> k.logSoftmaxTopK(big, 1, 100, null, null, 33, big, big));
        assertThrows(IllegalArgumentException.class,
                () -> k.attention(Precision.FP16, big, big, big, big, big, big, 1, 1024, 20000,
                        AttentionLayout.dense(16, 64, 20000), 0.125f));
        assertThrows(IllegalArgumentException.class,
                () -> k.attention(Precision.FP32, big, small, big, big, big, big, 1, 1024, 8,
                        AttentionLayout.dense(16, 64, 8), 0.125f));
        assertThrows(IllegalArgumentException.class, () -> AttentionLayout.dense(2, 256, 10));
        assertThrows(IllegalArgumentException.class,
                () -> k.copyCacheRows(Precision.FP32, small, CudaKvCache.layoutOf(1, 64, 1, 1), big,
                        CudaKvCache.layoutOf(1, 64, 1, 1), big, big, big, 1, 64));
        assertThrows(IllegalArgumentException.class,
                () -> k.copyCacheRows(Precision.FP32, big, CudaKvCache.layoutOf(1, 64, 1, 4), big,
                        CudaKvCache.layoutOf(2, 64, 1, 4), big, big, big, 1, 64));
        assertTrue(r.launches.isEmpty());
    }

    @Test
    void theGemmTileIsChosenByRowsAndResidualsStayFp32() {
        Recorder r = new Recorder();
        CudaKernels k = new CudaKernels(r);
        DeviceBuffer big = buf(1 << 24);
        k.gemm(new GemmCall(Precision.FP32, Precision.FP16, Precision.FP32, big, big, null, big, 16, 100, 64,
                Epilogue.NONE));
        k.gemm(new GemmCall(Precision.FP32, Precision.FP16, Precision.FP32, big, big, null, big, 17, 100, 64,
                Epilogue.NONE));
        assertEquals("gemm_f32_f16_f32_16x32", r.launches.get(0).kernel());
        assertEquals(new Dim3(4, 1, 1), r.launches.get(0).grid());
        assertEquals("gemm_f32_f16_f32_64x64", r.launches.get(1).kernel());
        assertEquals(new Dim3(2, 1, 1), r.launches.get(1).grid());
        // Every GEMM implementation gets its calls through GemmCall, which refuses these before any launch.
        assertThrows(IllegalArgumentException.class, () -> new GemmCall(Precision.FP16, Precision.FP16, Precision.FP16,
                big, big, null, big, 4, 8, 8, Epilogue.RESIDUAL));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GemmCall(Precision.FP16,
                Precision.FP32, Precision.FP32, big, big, null, big, 4, 8, 8, Epilogue.NONE));
        assertTrue(e.getMessage().contains("no GEMM for f16_f32_f32"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new GemmCall(Precision.FP32, Precision.FP32,
                Precision.FP32, buf(100), big, null, big, 4, 8, 8, Epilogue.NONE));
        assertTrue(e.getMessage().contains("x (test buffer) has 100 bytes, needs 128"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new GemmCall(Precision.FP32, Precision.FP32,
                Precision.FP32, big, big, buf(12), big, 4, 8, 8, Epilogue.NONE));
        assertThrows(IllegalArgumentException.class, () -> new GemmCall(Precision.FP32, Precision.FP32,
                Precision.FP32, big, big, null, big, 0, 8, 8, Epilogue.NONE));
        assertEquals(2, r.launches.size());
    }

    @Test
    void theCublasPathStagesWholeChunksAndFinishesOnlyTheRealRows() {
        Recorder r = new Recorder();
        CudaKernels k = new CudaKernels(r);
        DeviceBuffer big = buf(1 << 24);
        k.stageRows(Precision.FP32, Precision.FP16, big, big, 3, 64, 1000);
        Launch stage = r.launches.getFirst();
        assertEquals("stage_rows_f32_f16", stage.kernel());
        assertEquals(new Dim3(4, 64, 1), stage.grid(), "every row of the chunk is written, the padding as zeros");
        GemmCall c = new GemmCall(Precision.FP16, Precision.FP16, Precision.FP32, big, big, big, big, 70, 300, 64,
                Epilogue.RESIDUAL);
        k.gemmEpilogue(c, big, big, 6);
        assertEquals("gemm_epilogue_f32", r.launches.get(1).kernel());
        assertEquals(new Dim3(2, 6, 1), r.launches.get(1).grid(), "only the chunk's real rows reach y");
        assertThrows(IllegalArgumentException.class, () -> k.stageRows(Precision.FP16, Precision.FP32, big, big, 3,
                64, 8));
        assertThrows(IllegalArgumentException.class, () -> k.stageRows(Precision.FP32, Precision.FP32, big, big, 65,
                64, 8));
        assertThrows(IllegalArgumentException.class, () -> k.stageRows(Precision.FP32, Precision.FP32, big, buf(100),
                1, 64, 8));
        assertThrows(IllegalArgumentException.class, () -> k.gemmEpilogue(c, buf(100), big, 6));
        assertEquals(2, r.launches.size());
    }

    @Test
    void attentionReservesSharedMemoryForItsScores() {
        Recorder r = new Recorder();
        new CudaKernels(r).attention(Precision.FP16, buf(1 << 24), buf(1 << 24), buf(1 << 24), buf(1 << 12),
                buf(1 << 12), buf(1 << 24), 3, 3 * 1024 * 1024, 1024, AttentionLayout.dense(16, 64, 1024), 0.125f);
        Launch l = r.launches.getFirst();
        assertEquals(4 * (32 + 64 + 128 + 1024), l.shared());
        assertEquals(new Dim3(3, 16, 1), l.grid());
    }

    @Test
    void attentionExtentCoversTheFarthestKey() {
        AttentionLayout l = AttentionLayout.dense(2, 8, 10);    // width 16, seqStride 160
        assertEquals(16, l.extent(new int[] {0}, new int[] {1}));
        assertEquals(2 * 160 + 9 * 16 + 16, l.extent(new int[] {0, 2, 1}, new int[] {3, 10, 0}));
        assertThrows(IllegalArgumentException.class, () -> l.extent(new int[] {-1}, new int[] {1}));
    }

    private static String ptxDeclaring(String kernel) {
        for (String module : KernelSources.MODULES) {
            String ptx = KernelSources.ptx(module);
            if (PtxEntries.of(ptx).contains(kernel)) {
                return ptx;
            }
        }
        throw new AssertionError("no shipped PTX declares " + kernel);
    }
}
