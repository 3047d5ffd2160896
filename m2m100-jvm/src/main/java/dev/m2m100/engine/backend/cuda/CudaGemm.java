package dev.m2m100.engine.backend.cuda;

/**
 * How the CUDA backend computes its linear layers. Two implementations, chosen by {@link GemmImplementation}:
 * cuBLAS on tensor cores ({@link CublasGemm}, the default) and our own SIMT kernel ({@link KernelGemm}). Both keep
 * the {@code Backend}'s batch-invariance contract, each by its own argument (docs/GPU.md); they differ in speed
 * and in the last bits of their results. Calls are queued on the backend's stream.
 */
interface CudaGemm extends AutoCloseable {

    /** Queues {@code call} (already checked against its buffers). */
    void linear(GemmCall call);

    /** The storage type x is rounded to before it is multiplied: x's own, or the weight's where the GEMM needs one input type. */
    Precision productInput(Precision xType, Precision wType);

    @Override
    void close();
}
