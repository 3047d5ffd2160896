package dev.m2m100.engine.backend.cuda;

import java.util.Locale;
import java.util.Map;

/**
 * Which {@link CudaGemm} the CUDA backend uses: the environment variable {@value #VARIABLE}, {@code cublas} (the
 * default) or {@code kernel}, read once when a CUDA backend opens. Both are batch-invariant; the first GPU session
 * compares their speed and settles the default (docs/GPU.md).
 */
public enum GemmImplementation {
    /** cuBLAS {@code cublasGemmEx} in fixed row chunks, tensor cores for fp16 ({@link CublasGemm}). */
    CUBLAS("cublas"),
    /** Our SIMT kernel, gemm.cu ({@link KernelGemm}). */
    KERNEL("kernel");

    /** The environment variable that chooses. */
    public static final String VARIABLE = "CUDA_GEMM";

    private final String label;

    GemmImplementation(String label) {
        this.label = label;
    }

    /**
     * Parses a setting: {@code cublas} or {@code kernel} (any case, surrounding blanks ignored); null or blank means
     * the default, {@link #CUBLAS}.
     *
     * @throws IllegalArgumentException naming {@value #VARIABLE} and the accepted values
     */
    public static GemmImplementation parse(String value) {
        String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        if (v.isEmpty()) {
            return CUBLAS;
        }
        for (GemmImplementation g : values()) {
            if (g.label.equals(v)) {
                return g;
            }
        }
        throw new IllegalArgumentException(VARIABLE + "='" + value + "' is not a CUDA GEMM: expected cublas or kernel");
    }

    /** The setting in {@code env} (normally {@code System.getenv()}). */
    public static GemmImplementation fromEnvironment(Map<String, String> env) {
        return parse(env.get(VARIABLE));
    }

    /** Opens this implementation on a device's stream (the kernels launch there; cuBLAS is bound to it). */
    CudaGemm open(CudaContext context, CudaStream stream, CudaKernels kernels, DeviceMemoryPool pool) {
        return switch (this) {
            case CUBLAS -> CublasGemm.create(context, stream, kernels, pool);
            case KERNEL -> new KernelGemm(kernels);
        };
    }

    /** The setting's value, as {@value #VARIABLE} spells it. */
    @Override
    public String toString() {
        return label;
    }
}
