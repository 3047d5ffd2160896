package dev.m2m100.server.access;

/** A request the {@link AccessGate} turns away: no or a wrong API key (401), or over its rate (429). */
public final class AccessDeniedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public enum Reason { MISSING_KEY, WRONG_KEY, RATE_LIMITED }

    private final Reason reason;
    private final int retryAfterSeconds;

    AccessDeniedException(Reason reason, int retryAfterSeconds, String message) {
        super(message, null, false, false);
        this.reason = reason;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public Reason reason() {
        return reason;
    }

    /** For 429: seconds until the client may send again; else 0. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
