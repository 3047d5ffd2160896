package dev.m2m100.engine.backend.cuda;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import dev.m2m100.engine.safetensors.DType;

/**
 * Converts a run of little-endian checkpoint elements to the device storage type on the host: fp32 as
 * floats, fp16 as IEEE binary16 bit patterns. F16 and BF16 widen exactly; narrowing to fp16 rounds to nearest
 * even, as PyTorch's {@code .half()} does.
 */
final class HostConversion {

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private HostConversion() {
    }

    /** Element {@code i} of {@code src} as a float. */
    static float element(MemorySegment src, DType dtype, long i) {
        return switch (dtype) {
            case F32 -> src.get(F32, 4 * i);
            case F16 -> Float.float16ToFloat(src.get(I16, 2 * i));
            case BF16 -> Float.intBitsToFloat((src.get(I16, 2 * i) & 0xffff) << 16);
            default -> throw new IllegalArgumentException("weights of dtype " + dtype
                    + " cannot be uploaded to the CUDA backend (F32, F16, BF16 are supported)");
        };
    }

    /** Elements [from, from + out.length) as floats. */
    static void toFloat(MemorySegment src, DType dtype, long from, float[] out) {
        if (dtype == DType.F32) {
            MemorySegment.copy(src, F32, 4 * from, out, 0, out.length);
            return;
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = element(src, dtype, from + i);
        }
    }

    /** Elements [from, from + out.length) as fp16 bit patterns. */
    static void toHalf(MemorySegment src, DType dtype, long from, short[] out) {
        if (dtype == DType.F16) {
            MemorySegment.copy(src, I16, 2 * from, out, 0, out.length);
            return;
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = Float.floatToFloat16(element(src, dtype, from + i));
        }
    }
}
