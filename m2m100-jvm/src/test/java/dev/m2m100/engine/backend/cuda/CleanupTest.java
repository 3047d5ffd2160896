package dev.m2m100.engine.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Releasing device resources after a failure, on the CPU with fake resources. */
class CleanupTest {

    private final List<String> ran = new ArrayList<>();

    private Cleanup.Step ok(String name) {
        return () -> ran.add(name);
    }

    private Cleanup.Step failing(String name, Exception e) {
        return () -> {
            ran.add(name);
            throw e;
        };
    }

    @Test
    void everyStepRunsAndTheFirstFailureCarriesTheOthers() {
        CudaException sticky = new CudaException("cuCtxSetCurrent failed: CUDA_ERROR_ILLEGAL_ADDRESS");
        IllegalStateException second = new IllegalStateException("pool");
        IOException third = new IOException("modules");
        CudaException thrown = assertThrows(CudaException.class, () -> Cleanup.all(failing("makeCurrent", sticky),
                failing("pool", second), ok("gemm"), failing("modules", third), ok("stream"), ok("context")));
        assertSame(sticky, thrown);
        assertEquals(List.of("makeCurrent", "pool", "gemm", "modules", "stream", "context"), ran);
        assertEquals(List.of(second, third), List.of(thrown.getSuppressed()));
    }

    @Test
    void aCheckedFirstFailureIsWrapped() {
        IOException io = new IOException("disk");
        CudaException thrown = assertThrows(CudaException.class, () -> Cleanup.all(failing("a", io), ok("b")));
        assertSame(io, thrown.getCause());
        assertEquals(List.of("a", "b"), ran);
    }

    @Test
    void nothingIsThrownWhenAllStepsSucceedAndNullResourcesAreSkipped() {
        AutoCloseable stream = () -> ran.add("stream");
        Cleanup.all(Cleanup.closing(null), Cleanup.closing(stream), ok("context"));
        assertEquals(List.of("stream", "context"), ran);
    }

    @Test
    void afterAFailedOpenTheReleasesAttachToTheOpeningFailure() {
        RuntimeException opening = new CudaException("cublasCreate failed");
        CudaException release = new CudaException("cuStreamDestroy failed");
        Cleanup.afterFailure(opening, ok("modules"), failing("stream", release), ok("context"));
        assertEquals(List.of("modules", "stream", "context"), ran);
        assertEquals(List.of(release), List.of(opening.getSuppressed()));
    }
}
