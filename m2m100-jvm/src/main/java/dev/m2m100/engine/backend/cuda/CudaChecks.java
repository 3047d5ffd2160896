package dev.m2m100.engine.backend.cuda;

import jcuda.driver.CUresult;

/** Turns CUDA driver status codes into exceptions that say what was being done. */
final class CudaChecks {

    private CudaChecks() {
    }

    /** Throws unless {@code result} is CUDA_SUCCESS; {@code what} names the call and its arguments. */
    static void check(int result, String what) {
        if (result != CUresult.CUDA_SUCCESS) {
            throw new CudaException(what + " failed: " + CUresult.stringFor(result));
        }
    }
}
