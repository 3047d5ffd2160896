package dev.m2m100.engine.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.IntFunction;

import org.junit.jupiter.api.Test;

class DeviceSelectionTest {

    private static final IntFunction<CudaAvailability> NONE =
            n -> new CudaAvailability(false, 0, "no libcuda.so.1");
    private static final IntFunction<CudaAvailability> TWO = n -> n < 2
            ? new CudaAvailability(true, 2, "2 CUDA device(s)")
            : new CudaAvailability(false, 2, "CUDA device " + n + " does not exist");

    @Test
    void autoFallsBackToTheCpuAndSaysWhy() {
        DeviceSelection s = DeviceSelection.resolve("auto", NONE);
        assertFalse(s.cuda());
        assertTrue(s.reason().contains("no libcuda.so.1"), s.reason());
        DeviceSelection g = DeviceSelection.resolve("AUTO", TWO);
        assertTrue(g.cuda());
        assertEquals(0, g.ordinal());
    }

    @Test
    void explicitCudaNeedsAUsableDevice() {
        assertEquals(1, DeviceSelection.resolve("cuda:1", TWO).ordinal());
        assertEquals(0, DeviceSelection.resolve("cuda", TWO).ordinal());
        CudaException e = assertThrows(CudaException.class, () -> DeviceSelection.resolve("cuda:2", TWO));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        assertThrows(CudaException.class, () -> DeviceSelection.resolve("cuda", NONE));
    }

    @Test
    void cpuNeverProbesAndBadSpecsAreRejected() {
        DeviceSelection s = DeviceSelection.resolve("cpu", n -> {
            throw new AssertionError("probed");
        });
        assertFalse(s.cuda());
        for (String bad : new String[] {"gpu", "cuda:", "cuda:x", "cuda:-1", "", "tpu:0"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> DeviceSelection.resolve(bad, TWO), bad);
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
    }

    @Test
    void theRealProbeNeverThrowsAndExplainsItself() {
        CudaAvailability a = CudaAvailability.probe();
        System.out.println("CUDA probe: " + a);
        assertFalse(a.reason().isBlank());
        assertEquals(a.available(), a.deviceCount() > 0);
        // A second probe takes the NoClassDefFoundError path when the native library is missing.
        CudaAvailability again = CudaAvailability.probe();
        System.out.println("CUDA probe again: " + again);
        assertEquals(a.available(), again.available());
    }
}
