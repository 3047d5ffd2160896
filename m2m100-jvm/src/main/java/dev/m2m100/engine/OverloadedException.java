package dev.m2m100.engine;

/** The scheduler's queue is full; the caller should retry later. */
public final class OverloadedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int retryAfterSeconds;

    public OverloadedException(String message, int retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
