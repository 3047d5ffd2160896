package dev.m2m100.engine.safetensors;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Little-endian raw tensor bytes → float32. F16 and BF16 widen exactly. */
final class Conversions {
    private Conversions() {}

    static float[] toFloat(MemorySegment src, DType dtype, int n) {
        float[] out = new float[n];
        switch (dtype) {
            case F32 -> MemorySegment.copy(src, SafetensorsFile.F32_LE, 0, out, 0, n);
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Float.float16ToFloat(src.get(SafetensorsFile.I16_LE, 2L * i));
                }
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Float.intBitsToFloat((src.get(SafetensorsFile.I16_LE, 2L * i) & 0xffff) << 16);
                }
            }
            case I8 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = src.get(ValueLayout.JAVA_BYTE, i);
                }
            }
            default -> throw new IllegalArgumentException("unsupported dtype " + dtype);
        }
        return out;
    }
}
