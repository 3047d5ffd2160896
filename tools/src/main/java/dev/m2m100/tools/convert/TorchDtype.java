package dev.m2m100.tools.convert;

import dev.m2m100.engine.safetensors.SafetensorsWriter.Dtype;

/** Element types of PyTorch storages that a state dict may hold, keyed by their pickled class name. */
public enum TorchDtype {
    FLOAT("FloatStorage", 4, Dtype.F32),
    HALF("HalfStorage", 2, Dtype.F16),
    BFLOAT16("BFloat16Storage", 2, Dtype.BF16),
    DOUBLE("DoubleStorage", 8, null),
    CHAR("CharStorage", 1, Dtype.I8),
    BYTE("ByteStorage", 1, null),
    SHORT("ShortStorage", 2, null),
    INT("IntStorage", 4, null),
    LONG("LongStorage", 8, null),
    BOOL("BoolStorage", 1, null);

    private final String storageClass;
    private final int size;
    private final Dtype safetensors;

    TorchDtype(String storageClass, int size, Dtype safetensors) {
        this.storageClass = storageClass;
        this.size = size;
        this.safetensors = safetensors;
    }

    /** Bytes per element. */
    public int size() {
        return size;
    }

    /** True for floating-point storages (the ones {@code --dtype} may cast). */
    public boolean isFloat() {
        return this == FLOAT || this == HALF || this == BFLOAT16 || this == DOUBLE;
    }

    /** The safetensors dtype with the same bits, or null when our writer has none. */
    public Dtype safetensors() {
        return safetensors;
    }

    /** The storage type for {@code torch.<name>}, or null if {@code name} is not a storage class. */
    public static TorchDtype ofStorageClass(String name) {
        for (TorchDtype t : values()) {
            if (t.storageClass.equals(name)) {
                return t;
            }
        }
        return null;
    }

    public String storageClass() {
        return storageClass;
    }
}
