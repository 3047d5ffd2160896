package dev.m2m100.engine.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.m2m100.engine.backend.BackendChoice.Target;
import dev.m2m100.engine.backend.cpu.CpuBackend;
import dev.m2m100.engine.backend.cuda.CudaAvailability;
import dev.m2m100.engine.backend.cuda.CudaException;
import dev.m2m100.engine.backend.cuda.Precision;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * The device/dtype decision with fake CUDA probes, so that the GPU-host cases are proven on a machine without a
 * GPU: every (device, dtype) pair either picks a backend that stores that format, falls back to the CPU with a
 * reason, or fails with a message naming both.
 */
class BackendChoiceTest {

    /** Two usable CUDA devices. */
    private static final IntFunction<CudaAvailability> TWO_GPUS = n -> n < 2
            ? new CudaAvailability(true, 2, "2 CUDA device(s), driver API 12.6")
            : new CudaAvailability(false, 2, "CUDA device " + n + " does not exist (2 device(s) present)");
    private static final IntFunction<CudaAvailability> NO_GPU = n -> new CudaAvailability(false, 0, "no libcuda.so.1");
    private static final IntFunction<CudaAvailability> MUST_NOT_PROBE = n -> {
        throw new AssertionError("CUDA was probed");
    };
    private static final BiFunction<Integer, Precision, Backend> MUST_NOT_OPEN_CUDA = (n, p) -> {
        throw new AssertionError("the CUDA backend was opened");
    };

    @Test
    void autoOnAGpuHostTakesCudaForFormatsCudaStoresAndTheCpuForTheRest() {
        BackendChoice c = BackendChoice.choose(DeviceSpec.AUTO, WeightDType.AUTO, TWO_GPUS);
        assertEquals(new BackendChoice(Target.CUDA, 0, WeightDType.F16, c.reason()), c);
        assertTrue(c.reason().contains("driver API 12.6"), c.reason());
        assertEquals(WeightDType.F32, BackendChoice.choose(DeviceSpec.AUTO, WeightDType.F32, TWO_GPUS).dtype());
        assertEquals(Target.CUDA, BackendChoice.choose(DeviceSpec.AUTO, WeightDType.F16, TWO_GPUS).target());
        // The bug of issue #13/#14: DTYPE=bf16 or int8 with DEVICE=auto on a GPU host threw instead of using the CPU.
        for (WeightDType cpuOnly : new WeightDType[] {WeightDType.BF16, WeightDType.INT8}) {
            BackendChoice cpu = BackendChoice.choose(DeviceSpec.AUTO, cpuOnly, MUST_NOT_PROBE);
            assertEquals(Target.CPU, cpu.target(), cpuOnly.toString());
            assertEquals(cpuOnly, cpu.dtype());
            assertTrue(cpu.reason().contains("does not store " + cpuOnly), cpu.reason());
        }
    }

    @Test
    void autoWithoutAGpuTakesTheCpuAndItsDefaultFormat() {
        BackendChoice c = BackendChoice.choose(DeviceSpec.AUTO, WeightDType.AUTO, NO_GPU);
        assertEquals(Target.CPU, c.target());
        assertEquals(WeightDType.F32, c.dtype(), "auto means each device's serving default: f32 on the CPU");
        assertTrue(c.reason().contains("no libcuda.so.1"), c.reason());
        assertEquals(WeightDType.F16, BackendChoice.choose(DeviceSpec.AUTO, WeightDType.F16, NO_GPU).dtype());
    }

    @Test
    void explicitCudaNeedsAUsableDeviceAndAFormatCudaStores() {
        assertEquals(1, BackendChoice.choose(DeviceSpec.cuda(1), WeightDType.F32, TWO_GPUS).ordinal());
        CudaException missing = assertThrows(CudaException.class,
                () -> BackendChoice.choose(DeviceSpec.cuda(2), WeightDType.AUTO, TWO_GPUS));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        assertThrows(CudaException.class, () -> BackendChoice.choose(DeviceSpec.cuda(0), WeightDType.AUTO, NO_GPU));
        for (WeightDType cpuOnly : new WeightDType[] {WeightDType.BF16, WeightDType.INT8}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> BackendChoice.choose(DeviceSpec.cuda(0), cpuOnly, MUST_NOT_PROBE));
            assertTrue(e.getMessage().contains("cuda:0") && e.getMessage().contains(cpuOnly.toString())
                    && e.getMessage().contains("f32, f16"), e.getMessage());
        }
    }

    @Test
    void cpuNeverProbesAndStoresEveryFormat() {
        for (WeightDType d : WeightDType.values()) {
            BackendChoice c = BackendChoice.choose(DeviceSpec.CPU, d, MUST_NOT_PROBE);
            assertEquals(Target.CPU, c.target());
            assertEquals(d == WeightDType.AUTO ? WeightDType.F32 : d, c.dtype());
        }
    }

    @Test
    void openFollowsTheChoiceAndAutoFallsBackWhenTheCudaBackendFailsToStart() {
        // auto + bf16 on a GPU host: a CPU backend storing bf16, CUDA never opened.
        Backends.Opened bf16 = Backends.open(DeviceSpec.AUTO, WeightDType.BF16, 1, TWO_GPUS, MUST_NOT_OPEN_CUDA);
        try (Backend b = bf16.backend()) {
            assertInstanceOf(CpuBackend.class, b);
            assertEquals(new Placement("cpu", WeightDType.BF16, 1, bf16.placement().reason()), bf16.placement());
        }
        // auto on a GPU host whose CUDA backend fails to start: the CPU, saying why.
        List<Precision> asked = new ArrayList<>();
        BiFunction<Integer, Precision, Backend> failing = (n, p) -> {
            asked.add(p);
            throw new CudaException("cuCtxCreate failed: CUDA_ERROR_OUT_OF_MEMORY");
        };
        Backends.Opened fallback = Backends.open(DeviceSpec.AUTO, WeightDType.AUTO, 1, TWO_GPUS, failing);
        try (Backend b = fallback.backend()) {
            assertInstanceOf(CpuBackend.class, b);
            assertEquals(List.of(Precision.FP16), asked, "auto on CUDA means f16");
            assertEquals(WeightDType.F32, fallback.placement().dtype(), "auto on the CPU means f32");
            assertTrue(fallback.placement().reason().contains("CUDA_ERROR_OUT_OF_MEMORY"), fallback.placement().reason());
        }
        // An explicit cuda passes the failure on.
        CudaException e = assertThrows(CudaException.class,
                () -> Backends.open(DeviceSpec.cuda(0), WeightDType.F32, 1, TWO_GPUS, failing));
        assertTrue(e.getMessage().contains("CUDA_ERROR_OUT_OF_MEMORY"), e.getMessage());
        assertEquals(List.of(Precision.FP16, Precision.FP32), asked);
    }

    @Test
    void settingsParseOnceWithAliasesAndNameTheChoicesWhenWrong() {
        assertEquals(DeviceSpec.cuda(3), DeviceSpec.parse(" CUDA:3 "));
        assertEquals(DeviceSpec.cuda(0), DeviceSpec.parse("cuda"));
        assertEquals("cuda:3", DeviceSpec.cuda(3).toString());
        assertEquals(DeviceSpec.AUTO, DeviceSpec.parse(DeviceSpec.AUTO.toString()));
        for (String bad : new String[] {"gpu", "cuda:", "cuda:x", "cuda:-1", "", "tpu:0"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DeviceSpec.parse(bad), bad);
            assertTrue(e.getMessage().contains("'" + bad + "'") && e.getMessage().contains(DeviceSpec.CHOICES),
                    e.getMessage());
        }
        assertEquals(WeightDType.INT8, WeightDType.parse("i8"));
        assertEquals(WeightDType.F16, WeightDType.parse("FP16"));
        assertEquals(WeightDType.BF16, WeightDType.parse("bfloat16"));
        for (WeightDType d : WeightDType.values()) {
            assertEquals(d, WeightDType.parse(d.toString()));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WeightDType.parse("fp8"));
        assertTrue(e.getMessage().contains("'fp8'") && e.getMessage().contains(WeightDType.CHOICES), e.getMessage());
    }
}
