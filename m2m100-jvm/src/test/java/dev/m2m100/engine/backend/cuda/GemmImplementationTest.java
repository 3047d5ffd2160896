package dev.m2m100.engine.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** {@code CUDA_GEMM}: cuBLAS unless it says {@code kernel}; anything else is refused by name. */
class GemmImplementationTest {

    @Test
    void cublasIsTheDefault() {
        assertEquals(GemmImplementation.CUBLAS, GemmImplementation.fromEnvironment(Map.of()));
        assertEquals(GemmImplementation.CUBLAS, GemmImplementation.fromEnvironment(Map.of("CUDA_GEMM", "  ")));
        assertEquals(GemmImplementation.CUBLAS, GemmImplementation.parse(null));
    }

    @Test
    void bothImplementationsAreNamedAsTheVariableSpellsThem() {
        assertEquals(GemmImplementation.KERNEL, GemmImplementation.fromEnvironment(Map.of("CUDA_GEMM", "kernel")));
        assertEquals(GemmImplementation.KERNEL, GemmImplementation.parse(" Kernel "));
        assertEquals(GemmImplementation.CUBLAS, GemmImplementation.parse("CUBLAS"));
        for (GemmImplementation g : GemmImplementation.values()) {
            assertEquals(g, GemmImplementation.parse(g.toString()));
        }
    }

    @Test
    void anythingElseIsRefusedNamingTheVariableAndTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GemmImplementation.fromEnvironment(Map.of("CUDA_GEMM", "cutlass")));
        assertTrue(e.getMessage().contains("CUDA_GEMM='cutlass'") && e.getMessage().contains("cublas or kernel"),
                e.getMessage());
    }
}
