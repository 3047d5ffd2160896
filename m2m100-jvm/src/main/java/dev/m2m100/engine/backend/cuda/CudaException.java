package dev.m2m100.engine.backend.cuda;

/** A CUDA driver or kernel failure, with a message naming the operation, kernel and shapes. */
public class CudaException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CudaException(String message) {
        super(message);
    }

    public CudaException(String message, Throwable cause) {
        super(message, cause);
    }
}
