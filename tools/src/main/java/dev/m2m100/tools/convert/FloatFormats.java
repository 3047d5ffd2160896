package dev.m2m100.tools.convert;

/** Bit conversions between float32 and the 16-bit float formats, rounding to nearest even as PyTorch does. */
public final class FloatFormats {

    private FloatFormats() {
    }

    /** float32 → bfloat16 bits: round to nearest even; NaN stays a (quiet) NaN. */
    public static short toBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) {
            return (short) ((bits >>> 16) | 0x0040);
        }
        int bias = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + bias) >>> 16);
    }

    public static float fromBf16(short b) {
        return Float.intBitsToFloat((b & 0xffff) << 16);
    }

    /** float32 → IEEE half bits, round to nearest even (the JDK's intrinsic). */
    public static short toF16(float f) {
        return Float.floatToFloat16(f);
    }

    public static float fromF16(short h) {
        return Float.float16ToFloat(h);
    }
}
