package dev.m2m100.tools.hub;

import java.io.IOException;

/** A hub request that failed for a reason the user can act on; the message says which and what to do. */
public final class HubException extends IOException {

    /** Why it failed. */
    public enum Kind { UNREACHABLE, NOT_FOUND, UNAUTHORIZED, HTTP_ERROR, INTEGRITY, INTERRUPTED, BAD_REPOSITORY }

    private final Kind kind;

    public HubException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public HubException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
