package dev.m2m100.engine.backend;

/**
 * How one value is stored: in a checkpoint's bytes ({@link RawMatrix}) or in a backend's tensors and caches
 * ({@link Tensor#elementType()}). Arithmetic is float32 whatever the storage.
 */
public enum ElementType {
    /** IEEE binary32. */
    F32(4),
    /** IEEE binary16. */
    F16(2),
    /** bfloat16 (the upper half of a binary32). */
    BF16(2);

    private final int bytes;

    ElementType(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per stored value. */
    public int bytes() {
        return bytes;
    }
}
