package dev.m2m100.engine.backend.cuda;

import dev.m2m100.engine.backend.WeightDType;
import java.util.Optional;
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

    /**
     * The storage type for an engine dtype, or empty when CUDA does not store that format. {@code auto} is
     * resolved by {@link dev.m2m100.engine.backend.BackendChoice} before this (f16, the serving default).
     */
    public static Optional<Precision> of(WeightDType dtype) {
        return switch (dtype) {
            case F32 -> Optional.of(FP32);
            case F16 -> Optional.of(FP16);
            case AUTO, BF16, INT8 -> Optional.empty();
        };
    }
}
