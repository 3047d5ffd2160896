package dev.m2m100.engine.backend.cuda;

import static dev.m2m100.engine.backend.cuda.CudaChecks.checkCublas;

import jcuda.Pointer;
import jcuda.cudaDataType;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasComputeType;
import jcuda.jcublas.cublasGemmAlgo;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasMath;
import jcuda.jcublas.cublasOperation;
import jcuda.jcublas.cublasPointerMode;
import jcuda.runtime.cudaStream_t;

/**
 * cuBLAS GEMMs for linear layers, on the backend's stream: {@code cublasGemmEx} with fp32 accumulation
 * ({@code CUBLAS_COMPUTE_32F}). FP32 mode uses the default math mode, which never uses TF32 (the parity
 * mode); FP16 mode takes fp16 inputs on tensor cores and forbids reduced-precision split-K reductions.
 */
public final class CublasGemm implements AutoCloseable {

    private final cublasHandle handle;
    private final Precision precision;
    private boolean closed;

    private CublasGemm(cublasHandle handle, Precision precision) {
        this.handle = handle;
        this.precision = precision;
    }

    /**
     * @throws CudaException when cuBLAS cannot be loaded (JCublas 12.6 needs {@code libcublas.so.12}; a
     *                       CUDA 13 installation alone does not provide it, see docs/GPU.md) or initialised
     */
    public static CublasGemm create(CudaContext context, CudaStream stream, Precision precision) {
        context.makeCurrent();
        cublasHandle handle = new cublasHandle();
        try {
            checkCublas(JCublas2.cublasCreate(handle), "cublasCreate");
        } catch (LinkageError e) {
            throw new CudaException("cuBLAS is unavailable: JCublas 12.6 needs libcublas.so.12 (CUDA 12) on the "
                    + "library path (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
        }
        try {
            checkCublas(JCublas2.cublasSetStream(handle, new cudaStream_t(stream.handle())), "cublasSetStream");
            checkCublas(JCublas2.cublasSetPointerMode(handle, cublasPointerMode.CUBLAS_POINTER_MODE_HOST),
                    "cublasSetPointerMode");
            int math = precision == Precision.FP32
                    ? cublasMath.CUBLAS_DEFAULT_MATH
                    : cublasMath.CUBLAS_DEFAULT_MATH | cublasMath.CUBLAS_MATH_DISALLOW_REDUCED_PRECISION_REDUCTION;
            checkCublas(JCublas2.cublasSetMathMode(handle, math), "cublasSetMathMode");
        } catch (RuntimeException e) {
            JCublas2.cublasDestroy(handle);
            throw e;
        }
        return new CublasGemm(handle, precision);
    }

    /**
     * Row-major {@code y[m, n] = x[m, k] · w[n, k]^T + beta * y} — a linear layer without bias, the weight in
     * PyTorch's [out, in] layout. x and w are in the storage precision; y is fp32 when {@code yFloat32}
     * (residual deltas, logits) and storage-typed otherwise (inputs of the next GEMM or attention).
     */
    public void linear(int m, int n, int k, DeviceBuffer x, DeviceBuffer w, DeviceBuffer y, boolean yFloat32,
                       float beta) {
        String shapes = "m=" + m + " n=" + n + " k=" + k + " " + precision + (yFloat32 ? " -> f32" : "");
        if (m < 1 || n < 1 || k < 1) {
            throw new IllegalArgumentException("GEMM dimensions must be positive [" + shapes + "]");
        }
        int size = precision.bytes();
        requireBytes(x, (long) m * k * size, "x", shapes);
        requireBytes(w, (long) n * k * size, "w", shapes);
        requireBytes(y, (long) m * n * (yFloat32 ? 4 : size), "y", shapes);
        int cType = yFloat32 ? cudaDataType.CUDA_R_32F : precision.cudaType();
        // Column-major view: y^T (n x m) = w (k x n)^T · x^T (k x m).
        checkCublas(JCublas2.cublasGemmEx_new(handle, cublasOperation.CUBLAS_OP_T, cublasOperation.CUBLAS_OP_N,
                n, m, k, Pointer.to(new float[] {1.0f}), w.pointer(), precision.cudaType(), k, x.pointer(),
                precision.cudaType(), k, Pointer.to(new float[] {beta}), y.pointer(), cType, n,
                cublasComputeType.CUBLAS_COMPUTE_32F, cublasGemmAlgo.CUBLAS_GEMM_DEFAULT), "cublasGemmEx [" + shapes + "]");
    }

    public Precision precision() {
        return precision;
    }

    private static void requireBytes(DeviceBuffer buffer, long needed, String what, String shapes) {
        if (buffer.bytes() < needed) {
            throw new IllegalArgumentException("GEMM " + what + " (" + buffer.label() + ") has " + buffer.bytes()
                    + " bytes, needs " + needed + " [" + shapes + "]");
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            checkCublas(JCublas2.cublasDestroy(handle), "cublasDestroy");
        }
    }
}
