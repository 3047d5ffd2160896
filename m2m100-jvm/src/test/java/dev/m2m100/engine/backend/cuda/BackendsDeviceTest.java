package dev.m2m100.engine.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.m2m100.engine.backend.Backend;
import dev.m2m100.engine.backend.Backends;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** {@code --device} through {@link Backends} on a machine without a usable GPU (skipped where one exists). */
class BackendsDeviceTest {

    @Test
    void autoFallsBackToTheCpuAndExplicitCudaSaysWhyNot() {
        CudaAvailability a = CudaAvailability.probe(0);
        Assumptions.assumeFalse(a.available(), "a CUDA device is present; the GPU tests cover that case");
        try (Backend b = Backends.open("auto", "auto", 1)) {
            assertEquals("cpu", b.name());
        }
        CudaException e = assertThrows(CudaException.class, () -> Backends.open("cuda", "f32", 1));
        assertTrue(e.getMessage().contains("CUDA is unavailable"), e.getMessage());
        assertThrows(CudaException.class, () -> Backends.open("cuda:1", "f16", 1));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> Backends.open("tpu", "f32", 1));
        assertTrue(bad.getMessage().contains("'tpu'"), bad.getMessage());
    }

    @Test
    void cudaDtypesAreNamed() {
        assertEquals(Precision.FP32, Precision.parse("f32"));
        assertEquals(Precision.FP16, Precision.parse("auto"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Precision.parse("int8"));
        assertTrue(e.getMessage().contains("int8") && e.getMessage().contains("f32, f16"), e.getMessage());
    }
}
