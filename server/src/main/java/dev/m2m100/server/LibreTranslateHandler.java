package dev.m2m100.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.m2m100.engine.GenerationOptions;
import dev.m2m100.server.text.Detection;
import dev.m2m100.server.text.TextJob;
import dev.m2m100.server.text.TextResult;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * The LibreTranslate-compatible endpoints, for the clients that already speak that API:
 * {@code POST /translate} ({@code {"q", "source", "target", "format", "api_key"}} → {@code {"translatedText"}},
 * plus {@code "detectedLanguage"} for {@code source: "auto"}) and {@code POST /detect} ({@code {"q"}} →
 * {@code [{"language", "confidence"}]}, the best candidate), JSON or form-encoded. Same text layer, limits and error shape as
 * {@code POST /translation}; confidences are percentages, as LibreTranslate gives them.
 */
final class LibreTranslateHandler {
    static final TranslationService.Fields FIELDS = new TranslationService.Fields("source", "target", "q",
            i -> "q[" + i + "]");

    private final Guard guard;
    private final Supplier<TranslationService> service;
    private final LibreRequestParser parser;
    private final RequestBodies bodies;
    private final ServiceMetrics metrics;
    private final Duration timeout;

    LibreTranslateHandler(Guard guard, Supplier<TranslationService> service, ServerConfig config, ServiceMetrics metrics) {
        this.guard = guard;
        this.service = service;
        this.parser = new LibreRequestParser(config.maxRecords(), config.maxTextChars());
        this.bodies = new RequestBodies(config.maxBodyBytes());
        this.metrics = metrics;
        this.timeout = config.requestTimeout();
    }

    void translate(ServerRequest req, ServerResponse res) {
        LibreRequest request = parser.translate(admittedBody(req));
        Exchange.of(req).texts(request.q().size(), Exchange.codePoints(request.q()));
        metrics.recordRecords(request.q().size());
        Exchange exchange = Exchange.of(req);
        TextResult result = service.get().translate(new TextJob(request.q(), request.source(), request.target(),
                request.format(), GenerationOptions.DEFAULTS), FIELDS, timeout, exchange);
        ServerTiming.add(res, exchange);
        ObjectNode root = Json.object();
        if (request.array()) {
            ArrayNode texts = root.putArray("translatedText");
            result.texts().forEach(texts::add);
        } else {
            root.put("translatedText", result.texts().getFirst());
        }
        if (result.detected() != null) {
            if (request.array()) {
                ArrayNode detected = root.putArray("detectedLanguage");
                result.detected().forEach(d -> detected.add(detection(d)));
            } else {
                root.set("detectedLanguage", detection(result.detected().getFirst()));
            }
        }
        send(res, root);
    }

    void detect(ServerRequest req, ServerResponse res) {
        LibreRequest request = parser.detect(admittedBody(req));
        Exchange.of(req).texts(1, Exchange.codePoints(request.q()));
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        out.add(detection(service.get().detect(request.q().getFirst(), "q")));
        send(res, out);
    }

    /**
     * The body as JSON, once the access gate let the request in: with a key in the headers (or no keys
     * configured) before the body is read, else with the body's {@code api_key} field. A body that cannot be
     * read for its key is a 401 when a key is needed, so that unauthenticated clients learn nothing more.
     */
    private JsonNode admittedBody(ServerRequest req) {
        String headerKey = Guard.headerKey(req);
        boolean early = headerKey != null || !guard.keysRequired();
        if (early) {
            guard.admit(req, headerKey);
        }
        JsonNode root;
        try {
            root = LibreRequestParser.tree(RequestBodies.kind(req, true), bodies.read(req));
        } catch (ApiException e) {
            if (!early) {
                guard.admit(req, null); // throws the 401
            }
            throw e;
        }
        if (!early) {
            guard.admit(req, LibreRequestParser.apiKey(root));
        }
        return root;
    }

    private static ObjectNode detection(Detection d) {
        ObjectNode o = Json.object();
        o.put("confidence", Math.round(d.confidence() * 10_000) / 100.0);
        o.put("language", d.language());
        return o;
    }

    private static void send(ServerResponse res, JsonNode body) {
        res.header(HeaderNames.CONTENT_TYPE, Json.CONTENT_TYPE);
        res.send(Json.bytes(body));
    }
}
