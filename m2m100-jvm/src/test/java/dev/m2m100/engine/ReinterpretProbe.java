package dev.m2m100.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.m2m100.engine.backend.DeviceSpec;
import dev.m2m100.engine.backend.WeightDType;
import dev.m2m100.engine.backend.cpu.gemm.Epilogue;
import dev.m2m100.engine.backend.cpu.gemm.Gemm;
import dev.m2m100.engine.backend.cpu.gemm.PackedWeights;
import dev.m2m100.engine.backend.cpu.gemm.VectorWidth;
import dev.m2m100.engine.backend.cpu.gemm.WeightFormat;
import dev.m2m100.engine.backend.cpu.gemm.WorkerPool;
import dev.m2m100.engine.testing.Fixtures;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.List;
import jdk.incubator.vector.FloatVector;

/**
 * Run interpreted ({@code -Xint}) by {@link ReinterpretFallbackTest} under a JFR method trace of
 * {@code FloatVector.intoMemorySegment}: translates one fixture sentence greedily and with beams in f32 and bf16
 * (and int8 and f16 where this process runs the 512-bit kernels, plus one f16 GEMM whose x is too large to scale) on
 * the CPU, so every CPU operation of a decode runs through the JDK's interpreter fallbacks, then stores one 256-bit
 * vector directly (the canary that shows the trace works).
 */
final class ReinterpretProbe {
    private ReinterpretProbe() {
    }

    public static void main(String[] args) throws Exception {
        JsonNode c = new ObjectMapper().readTree(Fixtures.tinyModel().resolve("reference/model.json").toFile())
                .get("cases").get(0);
        int[] source = new int[c.get("input_ids").get(0).size()];
        for (int i = 0; i < source.length; i++) {
            source[i] = c.get("input_ids").get(0).get(i).asInt();
        }
        int lang = c.get("forced_bos_token_id").asInt();
        // int8 and f16 where the 512-bit kernels run: their blocks must be widened without a reinterpret
        // (Gemm.widenInt8Wide; at 512 bits widenInt8's reinterpret fallback boxed the kernels' accumulators). The
        // 256-bit path's widenInt8 still reinterprets, and runs only in processes without 512-bit kernels (one width
        // per process: VectorWidth).
        boolean wideKernels = VectorWidth.processDefault() == VectorWidth.BITS_512;
        List<WeightDType> dtypes = wideKernels
                ? List.of(WeightDType.F32, WeightDType.BF16, WeightDType.INT8, WeightDType.F16)
                : List.of(WeightDType.F32, WeightDType.BF16);
        for (WeightDType dtype : dtypes) {
            EngineSettings settings = EngineSettings.DEFAULTS.withDevice(DeviceSpec.CPU).withDtype(dtype).withThreads(1);
            try (TranslationEngine engine = TranslationEngine.open(Fixtures.tinyModel(), settings)) {
                for (int beams : new int[] {1, 3}) {
                    GenerationOptions options = new GenerationOptions(beams, 4, null, null, null, null);
                    engine.generate(List.of(source), lang, options);
                }
            }
        }
        if (wideKernels) {
            unscaledF16Gemm();
        }
        canary();
        System.out.println("probe done");
    }

    /**
     * An f16 GEMM at 512 bits whose x holds a value too large to scale by 2^112 (|x| >= 2^15), so its blocks take
     * the unscaled f16 widening, which the fixture's decodes never reach.
     */
    static void unscaledF16Gemm() {
        int m = 8;
        int n = 32;
        int k = 16;
        float[] w = new float[n * k];
        float[] x = new float[m * k];
        for (int i = 0; i < w.length; i++) {
            w[i] = (i % 7 - 3) * 0.25f;
        }
        for (int i = 0; i < x.length; i++) {
            x[i] = i % 5 - 2;
        }
        x[3] = 40_000f;
        try (Arena arena = Arena.ofShared(); WorkerPool pool = new WorkerPool(1)) {
            PackedWeights packed = PackedWeights.pack(w, 0, n, k, WeightFormat.F16, arena, null);
            float[] out = new float[m * n];
            Gemm.linear(VectorWidth.BITS_512, pool, x, 0, m, packed, null, Epilogue.NONE, null, 0, out, 0);
            for (int i = 0; i < m; i++) { // quarters times integers below 2^16: every sum is exact in any order
                for (int j = 0; j < n; j++) {
                    double expected = 0;
                    for (int kk = 0; kk < k; kk++) {
                        expected += (double) x[i * k + kk] * w[j * k + kk];
                    }
                    if (out[i * n + j] != expected) {
                        throw new AssertionError("unscaled f16 GEMM: out[" + i + "][" + j + "] = " + out[i * n + j]
                                + ", expected " + expected);
                    }
                }
            }
        }
    }

    static void canary() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(64, 64);
            FloatVector.zero(FloatVector.SPECIES_256).intoMemorySegment(s, 0, ByteOrder.LITTLE_ENDIAN);
        }
    }
}
