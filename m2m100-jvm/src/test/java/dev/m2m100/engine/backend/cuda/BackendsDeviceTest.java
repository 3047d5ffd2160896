package dev.m2m100.engine.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.m2m100.engine.backend.Backend;
import dev.m2m100.engine.backend.Backends;
import dev.m2m100.engine.backend.DeviceSpec;
import dev.m2m100.engine.backend.WeightDType;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** {@code --device} through {@link Backends} with the real driver probe (BackendChoiceTest fakes the probe). */
class BackendsDeviceTest {

    @Test
    void autoFallsBackToTheCpuAndExplicitCudaSaysWhyNot() {
        CudaAvailability a = CudaAvailability.probe(0);
        Assumptions.assumeFalse(a.available(), "a CUDA device is present; the GPU tests cover that case");
        try (Backend b = Backends.open(DeviceSpec.AUTO, WeightDType.AUTO, 1).backend()) {
            assertEquals("cpu", b.name());
        }
        CudaException e = assertThrows(CudaException.class, () -> Backends.open(DeviceSpec.cuda(0), WeightDType.F32, 1));
        assertTrue(e.getMessage().contains("CUDA is unavailable"), e.getMessage());
        assertThrows(CudaException.class, () -> Backends.open(DeviceSpec.cuda(1), WeightDType.F16, 1));
    }

    @Test
    void cudaStoresF32AndF16() {
        assertEquals(Optional.of(Precision.FP32), Precision.of(WeightDType.F32));
        assertEquals(Optional.of(Precision.FP16), Precision.of(WeightDType.F16));
        assertEquals(Optional.empty(), Precision.of(WeightDType.INT8));
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
