package dev.m2m100.engine.safetensors;

import java.util.Locale;

/**
 * The element types a safetensors header may name. Every type the format defines is known (so a file holding
 * one parses and validates), but only F32, F16, BF16 and I8 can be converted; the others fail on use with a
 * clear "unsupported dtype" error.
 */
public enum DType {
    F32(4, true),
    F16(2, true),
    BF16(2, true),
    I8(1, true),
    F64(8, false),
    I64(8, false),
    I32(4, false),
    I16(2, false),
    U64(8, false),
    U32(4, false),
    U16(2, false),
    U8(1, false),
    BOOL(1, false),
    F8_E4M3(1, false),
    F8_E5M2(1, false);

    private final int byteSize;
    private final boolean supported;

    DType(int byteSize, boolean supported) {
        this.byteSize = byteSize;
        this.supported = supported;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** Whether this reader can convert tensors of this type. */
    public boolean isSupported() {
        return supported;
    }

    /** The type spelled as in a safetensors header ("F32", "BF16", …), or null when there is no such type. */
    public static DType fromHeaderName(String name) {
        if (name == null) {
            return null;
        }
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
