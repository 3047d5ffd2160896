package dev.m2m100.engine.backend;

/**
 * Marks a failure that a smaller batch may avoid: the device (or, on the CPU, the heap) could not hold what
 * this step needed. The scheduler answers it by decoding fewer sequences at once and retrying, instead of
 * failing the requests involved. Backends' exceptions implement it; nothing else is needed to take part.
 */
public interface DeviceMemoryExhausted {

    /** Whether {@code e}, or one of its causes, says that memory ran out ({@link OutOfMemoryError} included). */
    static boolean isCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DeviceMemoryExhausted || t instanceof OutOfMemoryError) {
                return true;
            }
        }
        return false;
    }
}
