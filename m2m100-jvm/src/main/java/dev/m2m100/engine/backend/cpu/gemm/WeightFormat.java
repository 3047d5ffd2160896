package dev.m2m100.engine.backend.cpu.gemm;

import dev.m2m100.engine.backend.WeightDType;

/**
 * Storage format of a weight matrix. Activations and accumulation are always f32; compact formats are
 * widened to f32 inside the kernels, so they only save memory and memory traffic.
 */
public enum WeightFormat {
    /** IEEE binary32. */
    F32(4),
    /** bfloat16 (upper half of a binary32), converted exactly to f32 on load. */
    BF16(2),
    /** IEEE binary16, converted exactly to f32 on load. Non-finite values are rejected when packing. */
    F16(2),
    /** Signed 8-bit with one f32 scale per output channel (scale = max|w| / 127, round to nearest). */
    INT8(1);

    private final int bytes;

    WeightFormat(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per stored weight (excluding INT8's per-channel scales). */
    public int bytesPerWeight() {
        return bytes;
    }

    /** The storage format for an engine dtype ({@code auto} is resolved to f32 by the backend choice first). */
    public static WeightFormat of(WeightDType dtype) {
        return switch (dtype) {
            case F32 -> F32;
            case BF16 -> BF16;
            case F16 -> F16;
            case INT8 -> INT8;
            case AUTO -> throw new IllegalArgumentException("dtype auto must be resolved before choosing a format");
        };
    }

    /** Parses a name such as {@code f32}, {@code bf16}, {@code f16}, {@code int8} (case-insensitive). */
    public static WeightFormat parse(String name) {
        for (WeightFormat f : values()) {
            if (f.name().equalsIgnoreCase(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown weight format '" + name + "' (expected f32, bf16, f16 or int8)");
    }
}
