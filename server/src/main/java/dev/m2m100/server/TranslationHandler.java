package dev.m2m100.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.RequestException;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * {@code POST /translation}: admission (ready? draining?), content type, body size, JSON, validation, then
 * the {@link TranslationService}. Runs on a virtual thread; the model work happens on the engine's scheduler.
 */
final class TranslationHandler implements Handler {
    private final Lifecycle lifecycle;
    private final Supplier<TranslationService> service;
    private final RequestParser parser;
    private final ServiceMetrics metrics;
    private final long maxBodyBytes;
    private final Duration timeout;

    TranslationHandler(Lifecycle lifecycle, Supplier<TranslationService> service, ServerConfig config,
                       ServiceMetrics metrics) {
        this.lifecycle = lifecycle;
        this.service = service;
        this.parser = new RequestParser(config.maxRecords(), config.maxTextChars());
        this.metrics = metrics;
        this.maxBodyBytes = config.maxBodyBytes();
        this.timeout = config.requestTimeout();
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        Lifecycle.Phase refused = lifecycle.tryEnter();
        if (refused != null) {
            HttpErrors.send(res, notAccepting(refused));
            return;
        }
        try {
            checkContentType(req);
            TranslationRequest request = parser.parse(Json.parse(readBody(req)));
            metrics.recordRecords(request.records().size());
            List<String> texts = service.get().translate(request, timeout);
            send(res, request.records(), texts);
        } catch (ApiException e) {
            HttpErrors.send(res, e);
        } finally {
            lifecycle.leave();
        }
    }

    private static void send(ServerResponse res, List<TranslationRequest.Item> records, List<String> texts) {
        ObjectNode root = Json.object();
        ArrayNode result = root.putArray("result");
        for (int i = 0; i < records.size(); i++) {
            ObjectNode item = result.addObject();
            item.put("id", records.get(i).id());
            item.put("text", texts.get(i));
        }
        res.header(HeaderNames.CONTENT_TYPE, Json.CONTENT_TYPE);
        res.send(Json.bytes(root));
    }

    private static ApiException notAccepting(Lifecycle.Phase phase) {
        return switch (phase) {
            case LOADING -> new ApiException(503, ErrorCodes.NOT_READY,
                    "the model is still loading; retry shortly (GET /ready says when)", null, 5);
            case FAILED -> new ApiException(503, ErrorCodes.NOT_READY, "the model failed to load; see the server log", null, 30);
            case READY, DRAINING, STOPPED -> new ApiException(503, ErrorCodes.SHUTTING_DOWN,
                    "the service is shutting down; retry on another instance", null, 1);
        };
    }

    /** JSON in UTF-8 only. A request without a Content-Type is read as JSON (curl -d sends form type, though). */
    private static void checkContentType(ServerRequest req) {
        String header = req.headers().first(HeaderNames.CONTENT_TYPE).orElse(null);
        if (header == null || header.isBlank()) {
            return;
        }
        String[] parts = header.split(";");
        String type = parts[0].strip().toLowerCase(Locale.ROOT);
        boolean json = type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"));
        if (!json) {
            throw new ApiException(415, ErrorCodes.UNSUPPORTED_MEDIA_TYPE,
                    "Content-Type must be application/json, got '" + header.strip() + "'", null);
        }
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].split("=", 2);
            if (kv.length == 2 && kv[0].strip().equalsIgnoreCase("charset")) {
                String charset = kv[1].strip().replace("\"", "");
                if (!charset.equalsIgnoreCase("utf-8") && !charset.equalsIgnoreCase("utf8")) {
                    throw new ApiException(415, ErrorCodes.UNSUPPORTED_MEDIA_TYPE,
                            "only UTF-8 JSON is accepted, got charset '" + charset + "'", null);
                }
            }
        }
    }

    private byte[] readBody(ServerRequest req) {
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
        } catch (RuntimeException e) {
            RequestException helidon = HttpErrors.requestException(e);
            if (helidon != null && helidon.status().code() == 413) {
                throw tooLarge();
            }
            throw e;
        }
    }

    private ApiException tooLarge() {
        return new ApiException(413, ErrorCodes.PAYLOAD_TOO_LARGE,
                "request body too large: at most " + maxBodyBytes + " bytes (MAX_BODY_BYTES)", null);
    }
}
