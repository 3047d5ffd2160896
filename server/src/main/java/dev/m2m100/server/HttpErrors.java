package dev.m2m100.server;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.RequestException;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

import java.lang.System.Logger.Level;

/** Writes every error the service gives, including Helidon's own protocol-level ones, as the JSON error body. */
final class HttpErrors {
    private static final System.Logger LOG = System.getLogger(HttpErrors.class.getName());

    private HttpErrors() {}

    static void send(ServerResponse res, ApiException e) {
        if (res.isSent()) {
            return;
        }
        res.status(e.status());
        res.header(HeaderNames.CONTENT_TYPE, Json.CONTENT_TYPE);
        if (e.retryAfterSeconds() > 0) {
            res.header(HeaderNames.RETRY_AFTER, Integer.toString(e.retryAfterSeconds()));
        }
        res.send(Json.error(e.code(), e.getMessage(), e.field()));
    }

    /** Last resort for anything a handler did not expect: logged here, a bare 500 to the client. */
    static void unexpected(ServerResponse res, Throwable t) {
        RequestException request = requestException(t);
        if (request != null) {
            // Helidon signalled a protocol problem while a handler read the body (e.g. an oversized chunked body).
            send(res, fromStatus(request.status().code(), request.safeMessage() ? request.getMessage() : null));
            return;
        }
        LOG.log(Level.ERROR, "unexpected error while handling a request", t);
        send(res, new ApiException(500, ErrorCodes.INTERNAL_ERROR, "internal error; the server log has the details", null));
    }

    static RequestException requestException(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof RequestException r) {
                return r;
            }
        }
        return null;
    }

    static ApiException fromStatus(int status, String detail) {
        return switch (status) {
            case 413 -> new ApiException(413, ErrorCodes.PAYLOAD_TOO_LARGE,
                    "request body too large" + (detail == null ? "" : ": " + detail), null);
            case 400 -> new ApiException(400, ErrorCodes.BAD_REQUEST,
                    "bad HTTP request" + (detail == null ? "" : ": " + detail), null);
            case 500 -> new ApiException(500, ErrorCodes.INTERNAL_ERROR, "internal error", null);
            // The web server speaks HTTP/1.1 only; nginx's proxy_pass sends HTTP/1.0 unless told otherwise.
            case 505 -> new ApiException(505, ErrorCodes.BAD_REQUEST, "HTTP/1.1 only: this server does not speak "
                    + "HTTP/1.0 (behind nginx, set proxy_http_version 1.1)", null);
            case 501 -> new ApiException(501, ErrorCodes.BAD_REQUEST, "not implemented for this request"
                    + (detail == null ? " (e.g. a Transfer-Encoding other than chunked)" : ": " + detail), null);
            default -> new ApiException(status, status >= 500 ? ErrorCodes.INTERNAL_ERROR : ErrorCodes.BAD_REQUEST,
                    detail == null ? "request rejected (" + status + ")" : detail, null);
        };
    }

    /**
     * Helidon answers some requests before any handler runs (body over the size limit announced by
     * Content-Length, malformed HTTP): give those the same JSON body instead of Helidon's plain text.
     */
    static final class Direct implements DirectHandler {
        private final long maxBodyBytes;

        Direct(long maxBodyBytes) {
            this.maxBodyBytes = maxBodyBytes;
        }

        @Override
        public TransportResponse handle(TransportRequest request, EventType eventType, Status status,
                                        ServerResponseHeaders headers, String message) {
            ApiException e = status.code() == 413
                    ? new ApiException(413, ErrorCodes.PAYLOAD_TOO_LARGE,
                            "request body too large: at most " + maxBodyBytes + " bytes (MAX_BODY_BYTES)", null)
                    : fromStatus(status.code(), null);
            headers.set(HeaderNames.CONTENT_TYPE, Json.CONTENT_TYPE);
            return TransportResponse.builder()
                    .status(status)
                    .headers(headers)
                    .entity(Json.error(e.code(), e.getMessage(), e.field()))
                    .build();
        }
    }
}
