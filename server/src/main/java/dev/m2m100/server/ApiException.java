package dev.m2m100.server;

/**
 * A request the service answers with an error status and the JSON body
 * {@code {"error":{"code":…,"message":…,"field":…}}}. The message is meant for the client: it never
 * carries internals.
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final String field;
    private final int retryAfterSeconds;

    public ApiException(int status, String code, String message, String field, int retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.field = field;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public ApiException(int status, String code, String message, String field) {
        this(status, code, message, field, 0);
    }

    /** 400 about one field of the request body. */
    public static ApiException badField(String code, String field, String message) {
        return new ApiException(400, code, message, field);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** JSON path of the offending field (e.g. {@code payload.records[2].text}), or null. */
    public String field() {
        return field;
    }

    /** Seconds for a {@code Retry-After} header; 0 = none. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
