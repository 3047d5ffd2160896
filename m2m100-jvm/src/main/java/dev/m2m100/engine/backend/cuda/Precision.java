package dev.m2m100.engine.backend.cuda;

import jcuda.cudaDataType;

/**
 * Storage type of weights, activations fed to GEMMs and KV caches on the device. The residual stream,
 * layernorm statistics, softmax and GEMM accumulation are fp32 in both modes; FP32 is the parity mode
 * (no TF32 anywhere), FP16 the serving mode. Each kernel exists once per storage type, its name
 * suffixed with {@link #suffix()}.
 */
public enum Precision {
    FP32(4, "f32", cudaDataType.CUDA_R_32F),
    FP16(2, "f16", cudaDataType.CUDA_R_16F);

    private final int bytes;
    private final String suffix;
    private final int cudaType;

    Precision(int bytes, String suffix, int cudaType) {
        this.bytes = bytes;
        this.suffix = suffix;
        this.cudaType = cudaType;
    }

    /** Bytes per stored element. */
    public int bytes() {
        return bytes;
    }

    /** Kernel-name suffix: {@code f32} or {@code f16}. */
    public String suffix() {
        return suffix;
    }

    /** cuBLAS / CUDA data type of the stored element. */
    int cudaType() {
        return cudaType;
    }

    /** Parses an engine dtype ({@code f32}, {@code f16}; {@code auto} means f16, the serving default). */
    public static Precision parse(String dtype) {
        return switch (dtype == null ? "" : dtype.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "f32", "fp32", "float32" -> FP32;
            case "f16", "fp16", "float16", "auto" -> FP16;
            default -> throw new IllegalArgumentException("dtype '" + dtype
                    + "' is not supported by the CUDA backend (supported: f32, f16)");
        };
    }
}
