package dev.m2m100.engine.backend.cuda;

import static dev.m2m100.engine.backend.cuda.CudaChecks.checkCublas;

import jcuda.Pointer;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasComputeType;
import jcuda.jcublas.cublasGemmAlgo;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasMath;
import jcuda.jcublas.cublasOperation;
import jcuda.jcublas.cublasPointerMode;
import jcuda.runtime.cudaStream_t;

/**
 * Linear layers through cuBLAS ({@code cublasGemmEx}, fp32 accumulation, the default {@code CUDA_GEMM=cublas}),
 * batch-invariant by calling cuBLAS with ONE shape per weight: the rows go through in chunks of exactly
 * {@link #CHUNK_ROWS}, each staged into a scratch of that many rows (the last chunk zero-padded), so every call for a
 * weight [n, k] is the same (n, {@link #CHUNK_ROWS}, k) GEMM with the same types, leading dimensions and alignment,
 * whatever m is and wherever a row sits — hence, on one GPU and cuBLAS build, the same algorithm, split-K and
 * reduction order. The argument, what it assumes, and the GPU test that decides are in docs/GPU.md.
 *
 * <p>cuBLAS takes one input type, so x is staged in the weight's type (fp32 activations × fp16 weights are rounded
 * to fp16 first, as PyTorch's fp16 inference does); cuBLAS writes the fp32 product to a scratch, and the chunk's
 * real rows are finished by the epilogue gemm.cu fuses (bias, ReLU or residual, one rounding into y's type). No
 * TF32: the default math mode with {@code CUBLAS_COMPUTE_32F} never uses it, so the fp32 mode stays the parity mode;
 * fp16 inputs run on tensor cores.
 */
final class CublasGemm implements CudaGemm {

    /**
     * Rows per cuBLAS call, the same for every call. 64 is one tensor-core tile of rows (Hopper's warpgroup MMA is 64
     * rows; cuBLAS's tiles along this dimension are 64 or more), so a chunk is not split across tiles that might
     * reduce differently; and at batch 1 the 63 padded rows cost tensor-core work the weight-bound fp16 step hides
     * (64 FLOP per weight byte, under an H200's ~200), and fp32 product scratch of 2·64/k of the weight's bytes.
     * docs/GPU.md has the reasoning; change it only with the GPU invariance test rerun.
     */
    static final int CHUNK_ROWS = 64;

    private static final Pointer ONE = Pointer.to(new float[] {1.0f});
    private static final Pointer ZERO = Pointer.to(new float[] {0.0f});

    private final cublasHandle handle;
    private final CudaKernels kernels;
    private final DeviceMemoryPool pool;
    private boolean closed;

    private CublasGemm(cublasHandle handle, CudaKernels kernels, DeviceMemoryPool pool) {
        this.handle = handle;
        this.kernels = kernels;
        this.pool = pool;
    }

    /**
     * A cuBLAS handle on {@code stream} (the kernels' stream) in {@code context}.
     *
     * @throws CudaException when cuBLAS cannot be loaded or initialised (see {@link #newHandle()})
     */
    static CublasGemm create(CudaContext context, CudaStream stream, CudaKernels kernels, DeviceMemoryPool pool) {
        context.makeCurrent();
        cublasHandle handle = newHandle();
        try {
            checkCublas(JCublas2.cublasSetStream(handle, new cudaStream_t(stream.handle())), "cublasSetStream");
            checkCublas(JCublas2.cublasSetPointerMode(handle, cublasPointerMode.CUBLAS_POINTER_MODE_HOST),
                    "cublasSetPointerMode");
            checkCublas(JCublas2.cublasSetMathMode(handle,
                    cublasMath.CUBLAS_DEFAULT_MATH | cublasMath.CUBLAS_MATH_DISALLOW_REDUCED_PRECISION_REDUCTION),
                    "cublasSetMathMode");
        } catch (RuntimeException e) {
            JCublas2.cublasDestroy(handle);
            throw e;
        }
        return new CublasGemm(handle, kernels, pool);
    }

    /**
     * {@code cublasCreate}. JCublas 12.6 loads its native library on first use, which needs {@code libcublas.so.12};
     * without it the JVM throws a {@link LinkageError} there, turned into a {@link CudaException} here so that
     * {@code --device auto} falls back to the CPU like for any other CUDA start-up failure.
     *
     * @throws CudaException when cuBLAS cannot be loaded or {@code cublasCreate} fails
     */
    static cublasHandle newHandle() {
        cublasHandle handle = new cublasHandle();
        try {
            checkCublas(JCublas2.cublasCreate(handle), "cublasCreate");
        } catch (LinkageError e) {
            throw new CudaException("cuBLAS is unavailable: JCublas 12.6 needs libcublas.so.12 (CUDA 12) on the library"
                    + " path, or kernels/cublas-compat's forwarder on a CUDA 13 machine; CUDA_GEMM=kernel runs without"
                    + " cuBLAS (" + CudaAvailability.summarize(e) + ")", e);
        }
        return handle;
    }

    @Override
    public Precision productInput(Precision xType, Precision wType) {
        return wType;
    }

    @Override
    public void linear(GemmCall c) {
        Precision a = c.wType();
        DeviceBuffer input = pool.allocate((long) CHUNK_ROWS * c.k() * a.bytes(), "cuBLAS input chunk");
        DeviceBuffer product = null;
        try {
            product = pool.allocate(4L * CHUNK_ROWS * c.n(), "cuBLAS product chunk");
            for (int r0 = 0; r0 < c.m(); r0 += CHUNK_ROWS) {
                int rows = Math.min(CHUNK_ROWS, c.m() - r0);
                kernels.stageRows(c.xType(), a, rowsOf(c.x(), r0, rows, c.k(), c.xType()), input, rows, CHUNK_ROWS,
                        c.k());
                // Column-major view of the row-major chunk: product^T (n x R) = w (k x n)^T · input^T (k x R).
                checkCublas(JCublas2.cublasGemmEx_new(handle, cublasOperation.CUBLAS_OP_T,
                        cublasOperation.CUBLAS_OP_N, c.n(), CHUNK_ROWS, c.k(), ONE, c.w().pointer(), a.cudaType(),
                        c.k(), input.pointer(), a.cudaType(), c.k(), ZERO, product.pointer(),
                        Precision.FP32.cudaType(), c.n(), cublasComputeType.CUBLAS_COMPUTE_32F,
                        cublasGemmAlgo.CUBLAS_GEMM_DEFAULT), "cublasGemmEx [" + c.shapes() + ", rows " + r0 + "..]");
                kernels.gemmEpilogue(c, product, rowsOf(c.y(), r0, rows, c.n(), c.yType()), rows);
            }
        } finally {
            // Released memory is only rewritten by later work on the same stream (or after a synchronisation).
            pool.release(input);
            if (product != null) {
                pool.release(product);
            }
        }
    }

    private static DeviceBuffer rowsOf(DeviceBuffer b, int first, int rows, int cols, Precision type) {
        long rowBytes = (long) cols * type.bytes();
        return b.slice(first * rowBytes, rows * rowBytes, b.label());
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            checkCublas(JCublas2.cublasDestroy(handle), "cublasDestroy");
        }
    }
}
