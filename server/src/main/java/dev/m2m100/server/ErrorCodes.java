package dev.m2m100.server;

/** The stable {@code error.code} values of the API (docs/API.md and openapi.json list them). */
public final class ErrorCodes {
    public static final String MALFORMED_JSON = "malformed_json";
    public static final String MALFORMED_FORM = "malformed_form";
    public static final String MISSING_FIELD = "missing_field";
    public static final String INVALID_TYPE = "invalid_type";
    public static final String INVALID_VALUE = "invalid_value";
    public static final String UNSUPPORTED_LANGUAGE = "unsupported_language";
    public static final String TOO_MANY_RECORDS = "too_many_records";
    public static final String TEXT_TOO_LONG = "text_too_long";
    public static final String PAYLOAD_TOO_LARGE = "payload_too_large";
    public static final String UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type";
    public static final String NOT_FOUND = "not_found";
    public static final String METHOD_NOT_ALLOWED = "method_not_allowed";
    public static final String BAD_REQUEST = "bad_request";
    public static final String OVERLOADED = "overloaded";
    public static final String UNAUTHORIZED = "unauthorized";
    public static final String RATE_LIMITED = "rate_limited";
    public static final String NOT_READY = "not_ready";
    public static final String SHUTTING_DOWN = "shutting_down";
    public static final String TIMEOUT = "timeout";
    public static final String INTERNAL_ERROR = "internal_error";

    private ErrorCodes() {}
}
