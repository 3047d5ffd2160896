package dev.m2m100.engine.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Where cuBLAS cannot be used (no {@code libcublas.so.12}, or no GPU), opening it is a {@link CudaException} — the
 * exception {@code --device auto} falls back to the CPU on — never the {@link LinkageError} JCublas throws when its
 * native library does not load. Runs for real on a machine without cuBLAS (this project's CPU machines).
 */
class CublasLoadingTest {

    @Test
    void aMissingCublasIsACudaExceptionThatSaysWhatToDo() {
        CudaException e = null;
        try {
            cublasHandle handle = CublasGemm.newHandle();
            JCublas2.cublasDestroy(handle);
        } catch (CudaException thrown) {
            e = thrown;
        }
        Assumptions.assumeTrue(e != null, "cuBLAS loads and initialises here; the failure path cannot be exercised");
        if (e.getCause() instanceof LinkageError) {
            assertTrue(e.getMessage().contains("libcublas.so.12") && e.getMessage().contains("CUDA_GEMM=kernel"),
                    e.getMessage());
            // A second attempt (JCublas2's class failed to initialise) is the same kind of failure, not an Error.
            CudaException again = assertThrows(CudaException.class, CublasGemm::newHandle);
            assertInstanceOf(LinkageError.class, again.getCause());
        } else {
            // cuBLAS loaded but cannot initialise (a CUDA toolkit without a GPU): cublasCreate's status, named.
            assertTrue(e.getMessage().startsWith("cublasCreate failed"), e.getMessage());
        }
    }
}
