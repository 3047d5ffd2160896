package dev.m2m100.engine.backend.cuda;

import java.util.Set;

import dev.m2m100.engine.backend.Epilogue;

/**
 * One linear-layer call, {@code y[m, n] = epilogue(x[m, k] · w[n, k]ᵀ + bias)}, row-major with the weight in
 * PyTorch's [out, in] layout: x, w and y each in their own storage type (one of {@link #VARIANTS}), bias fp32 (may
 * be null); {@link Epilogue#RESIDUAL} adds into y, which must then be the fp32 residual stream. Checked against the
 * buffers when it is made, so every {@link CudaGemm} refuses the same mistakes before anything is launched.
 */
record GemmCall(Precision xType, Precision wType, Precision yType, DeviceBuffer x, DeviceBuffer w, DeviceBuffer bias,
                DeviceBuffer y, int m, int n, int k, Epilogue epilogue) {

    /** The x_w_y storage combinations the model uses, and both implementations compute. */
    static final Set<String> VARIANTS =
            Set.of("f32_f32_f32", "f32_f16_f32", "f32_f16_f16", "f16_f16_f32", "f16_f16_f16");

    GemmCall {
        String shapes = describe(xType, wType, yType, m, n, k, epilogue);
        CudaKernels.positive(m, "m", shapes);
        CudaKernels.positive(n, "n", shapes);
        CudaKernels.positive(k, "k", shapes);
        if (epilogue == Epilogue.RESIDUAL && yType != Precision.FP32) {
            throw new IllegalArgumentException("linear [" + shapes + "]: the residual stream is fp32");
        }
        String variant = variant(xType, wType, yType);
        if (!VARIANTS.contains(variant)) {
            throw new IllegalArgumentException("linear [" + shapes + "]: no GEMM for " + variant + " (have "
                    + VARIANTS + ")");
        }
        CudaKernels.requireBytes(x, (long) m * k * xType.bytes(), "x", shapes);
        CudaKernels.requireBytes(w, (long) n * k * wType.bytes(), "w", shapes);
        CudaKernels.requireBytes(y, (long) m * n * yType.bytes(), "y", shapes);
        if (bias != null) {
            CudaKernels.requireBytes(bias, 4L * n, "bias", shapes);
        }
    }

    /** The kernel-name part for the storage types, e.g. {@code f32_f16_f32}. */
    String variant() {
        return variant(xType, wType, yType);
    }

    /** The shapes and types, for error messages. */
    String shapes() {
        return describe(xType, wType, yType, m, n, k, epilogue);
    }

    /** The epilogue as the kernels number it (gemm_epilogue.cuh). */
    int epilogueCode() {
        return switch (epilogue) {
            case NONE -> 0;
            case RELU -> 1;
            case RESIDUAL -> 2;
        };
    }

    private static String variant(Precision x, Precision w, Precision y) {
        return x.suffix() + "_" + w.suffix() + "_" + y.suffix();
    }

    private static String describe(Precision x, Precision w, Precision y, int m, int n, int k, Epilogue e) {
        return "m=" + m + " n=" + n + " k=" + k + " " + x.suffix() + "·" + w.suffix() + "->" + y.suffix() + " " + e;
    }
}
