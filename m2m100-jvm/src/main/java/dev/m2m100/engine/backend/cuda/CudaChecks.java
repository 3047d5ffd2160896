package dev.m2m100.engine.backend.cuda;

import jcuda.driver.CUresult;
import jcuda.jcublas.cublasStatus;

/** Turns CUDA driver and cuBLAS status codes into exceptions that say what was being done. */
final class CudaChecks {

    private CudaChecks() {
    }

    /** Throws unless {@code result} is CUDA_SUCCESS; {@code what} names the call and its arguments. */
    static void check(int result, String what) {
        if (result != CUresult.CUDA_SUCCESS) {
            throw new CudaException(what + " failed: " + CUresult.stringFor(result));
        }
    }

    /** Throws unless {@code status} is CUBLAS_STATUS_SUCCESS. */
    static void checkCublas(int status, String what) {
        if (status != cublasStatus.CUBLAS_STATUS_SUCCESS) {
            throw new CudaException(what + " failed: " + cublasStatus.stringFor(status));
        }
    }
}
