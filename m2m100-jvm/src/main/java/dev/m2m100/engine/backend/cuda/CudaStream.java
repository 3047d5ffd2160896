package dev.m2m100.engine.backend.cuda;

import static dev.m2m100.engine.backend.cuda.CudaChecks.check;

import jcuda.driver.CUstream;
import jcuda.driver.CUstream_flags;
import jcuda.driver.JCudaDriver;

/**
 * A CUDA stream. Created as a blocking stream (CU_STREAM_DEFAULT), so the synchronous host/device copies of
 * {@link DeviceBuffer} (which run on the legacy default stream) are ordered after the work queued here.
 */
public final class CudaStream implements AutoCloseable {

    private final CUstream stream;
    private boolean closed;

    private CudaStream(CUstream stream) {
        this.stream = stream;
    }

    static CudaStream create() {
        CUstream s = new CUstream();
        check(JCudaDriver.cuStreamCreate(s, CUstream_flags.CU_STREAM_DEFAULT), "cuStreamCreate");
        return new CudaStream(s);
    }

    CUstream handle() {
        return stream;
    }

    /** Waits for all queued work; an asynchronous kernel fault surfaces here, with {@code after} in the message. */
    public void synchronize(String after) {
        check(JCudaDriver.cuStreamSynchronize(stream), "cuStreamSynchronize after " + after);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            check(JCudaDriver.cuStreamDestroy(stream), "cuStreamDestroy");
        }
    }
}
