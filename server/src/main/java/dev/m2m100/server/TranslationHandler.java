package dev.m2m100.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.m2m100.server.text.TextFormat;
import dev.m2m100.server.text.TextJob;
import dev.m2m100.server.text.TextResult;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code POST /translation}, the seed contract: API key (headers only), content type, body size, JSON,
 * validation, then the {@link TranslationService}. Runs on a virtual thread (inside {@link Guard}); the model
 * work happens on the engine's scheduler.
 */
final class TranslationHandler implements Guard.Endpoint {
    static final TranslationService.Fields FIELDS = new TranslationService.Fields("payload.fromLang",
            "payload.toLang", "payload.records", i -> "payload.records[" + i + "].text");

    private final Guard guard;
    private final Supplier<TranslationService> service;
    private final RequestParser parser;
    private final RequestBodies bodies;
    private final ServiceMetrics metrics;
    private final Duration timeout;

    TranslationHandler(Guard guard, Supplier<TranslationService> service, ServerConfig config, ServiceMetrics metrics) {
        this.guard = guard;
        this.service = service;
        this.parser = new RequestParser(config.maxRecords(), config.maxTextChars());
        this.bodies = new RequestBodies(config.maxBodyBytes());
        this.metrics = metrics;
        this.timeout = config.requestTimeout();
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        guard.admit(req, Guard.headerKey(req));
        RequestBodies.kind(req, false);
        TranslationRequest request = parser.parse(Json.parse(bodies.read(req)));
        List<String> texts = request.records().stream().map(TranslationRequest.Item::text).toList();
        Exchange.of(req).texts(texts.size(), Exchange.codePoints(texts));
        metrics.recordRecords(texts.size());
        Exchange exchange = Exchange.of(req);
        TextResult result = service.get().translate(new TextJob(texts, request.fromLang(), request.toLang(),
                TextFormat.TEXT, request.options()), FIELDS, timeout, exchange);
        ServerTiming.add(res, exchange);
        send(res, request.records(), result);
    }

    private static void send(ServerResponse res, List<TranslationRequest.Item> records, TextResult result) {
        ObjectNode root = Json.object();
        ArrayNode out = root.putArray("result");
        for (int i = 0; i < records.size(); i++) {
            ObjectNode item = out.addObject();
            item.put("id", records.get(i).id());
            item.put("text", result.texts().get(i));
            if (result.detected() != null) {
                item.put("detectedLang", result.detected().get(i).language());
            }
        }
        res.header(HeaderNames.CONTENT_TYPE, Json.CONTENT_TYPE);
        res.send(Json.bytes(root));
    }
}
