package dev.m2m100.engine.backend.cuda;

/**
 * Our own GEMM, gemm.cu ({@code CUDA_GEMM=kernel}): SIMT FMAs, the epilogue fused, every output element one fp32
 * FMA chain over k in order, so a row's bits do not depend on its batch by construction.
 */
final class KernelGemm implements CudaGemm {

    private final CudaKernels kernels;

    KernelGemm(CudaKernels kernels) {
        this.kernels = kernels;
    }

    @Override
    public void linear(GemmCall call) {
        kernels.gemm(call);
    }

    /** x is widened exactly, whatever the weight's type. */
    @Override
    public Precision productInput(Precision xType, Precision wType) {
        return xType;
    }

    @Override
    public void close() {
        // nothing of its own: the kernels belong to the device
    }
}
