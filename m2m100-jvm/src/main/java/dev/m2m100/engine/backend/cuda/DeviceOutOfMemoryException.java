package dev.m2m100.engine.backend.cuda;

import dev.m2m100.engine.backend.DeviceMemoryExhausted;

/**
 * The device memory pool cannot satisfy a request. Distinct from other CUDA failures so that a caller can
 * retry with a smaller batch instead of failing (the scheduler does, through {@link DeviceMemoryExhausted}).
 */
public final class DeviceOutOfMemoryException extends CudaException implements DeviceMemoryExhausted {

    private static final long serialVersionUID = 1L;

    private final long requestedBytes;

    public DeviceOutOfMemoryException(String message, long requestedBytes) {
        super(message);
        this.requestedBytes = requestedBytes;
    }

    public long requestedBytes() {
        return requestedBytes;
    }
}
