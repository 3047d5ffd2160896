package dev.m2m100.server;

import io.helidon.http.HeaderNames;
import io.helidon.http.RequestException;
import io.helidon.webserver.http.ServerRequest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.OptionalLong;

/** Reading a request body: its content type (JSON, or a form where an endpoint takes one) and its bytes within the size limit. */
final class RequestBodies {
    enum Kind { JSON, FORM }

    private final long maxBodyBytes;

    RequestBodies(long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    /**
     * JSON in UTF-8 ({@code application/json} or {@code application/*+json}), or, where {@code formAllowed},
     * {@code application/x-www-form-urlencoded}. A request without a Content-Type is read as JSON.
     */
    static Kind kind(ServerRequest req, boolean formAllowed) {
        String header = req.headers().first(HeaderNames.CONTENT_TYPE).orElse(null);
        if (header == null || header.isBlank()) {
            return Kind.JSON;
        }
        String[] parts = header.split(";", -1); // -1: ";" alone is an empty type (415), not no parts
        String type = parts[0].strip().toLowerCase(Locale.ROOT);
        boolean json = type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"));
        boolean form = formAllowed && type.equals("application/x-www-form-urlencoded");
        if (!json && !form) {
            throw new ApiException(415, ErrorCodes.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json"
                    + (formAllowed ? " or application/x-www-form-urlencoded" : "") + ", got '" + header.strip() + "'", null);
        }
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].split("=", 2);
            if (kv.length == 2 && kv[0].strip().equalsIgnoreCase("charset")) {
                String charset = kv[1].strip().replace("\"", "");
                if (!charset.equalsIgnoreCase("utf-8") && !charset.equalsIgnoreCase("utf8")) {
                    throw new ApiException(415, ErrorCodes.UNSUPPORTED_MEDIA_TYPE,
                            "only UTF-8 bodies are accepted, got charset '" + charset + "'", null);
                }
            }
        }
        return json ? Kind.JSON : Kind.FORM;
    }

    /** The whole body, or 413 beyond MAX_BODY_BYTES (announced by Content-Length or found while reading). */
    byte[] read(ServerRequest req) {
        OptionalLong declared = req.headers().contentLength();
        if (declared.isPresent() && declared.getAsLong() > maxBodyBytes) {
            throw tooLarge();
        }
        if (!req.content().hasEntity()) {
            return new byte[0];
        }
        try (InputStream in = req.content().inputStream()) {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
            if (body.length > maxBodyBytes) {
                throw tooLarge();
            }
            return body;
        } catch (IOException | UncheckedIOException e) {
            throw new ApiException(400, ErrorCodes.BAD_REQUEST, "could not read the request body", null);
        } catch (ApiException e) {
            throw e;
        } catch (RuntimeException e) {
            RequestException helidon = HttpErrors.requestException(e);
            if (helidon != null && helidon.status().code() == 413) {
                throw tooLarge();
            }
            // Reading the body only moves bytes: any failure here is the transfer's (a bad chunk size, a client
            // that closed before Content-Length bytes), not ours. It was a 500 with a stack trace in the log.
            throw new ApiException(400, ErrorCodes.BAD_REQUEST, "could not read the request body: malformed chunked "
                    + "encoding, or fewer bytes than Content-Length", null);
        }
    }

    private ApiException tooLarge() {
        return new ApiException(413, ErrorCodes.PAYLOAD_TOO_LARGE,
                "request body too large: at most " + maxBodyBytes + " bytes (MAX_BODY_BYTES)", null);
    }
}
