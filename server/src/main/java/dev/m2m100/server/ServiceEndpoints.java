package dev.m2m100.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.m2m100.engine.Translator;
import dev.m2m100.engine.Version;
import dev.m2m100.engine.language.LanguageTable;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.function.Supplier;

/** The small GET endpoints: languages, liveness, readiness, metrics, the OpenAPI document. */
final class ServiceEndpoints {
    static final String OPENAPI_RESOURCE = "openapi.json";

    private final Lifecycle lifecycle;
    private final Supplier<Translator> translator;
    private final ServiceMetrics metrics;
    private final byte[] openApi;

    ServiceEndpoints(Lifecycle lifecycle, Supplier<Translator> translator, ServiceMetrics metrics) {
        this.lifecycle = lifecycle;
        this.translator = translator;
        this.metrics = metrics;
        this.openApi = openApiDocument();
    }

    /**
     * {@code {"languages":[{"code":"en","name":"English"}, …]}}: the loaded model's own codes and names, in its
     * order ({@code eng_Latn} … on NLLB).
     */
    void languages(ServerRequest req, ServerResponse res) {
        Translator t = translator.get();
        if (t == null) {
            HttpErrors.send(res, new ApiException(503, ErrorCodes.NOT_READY,
                    "the model is still loading; its languages are known once it is loaded", null, 5));
            return;
        }
        ObjectNode root = Json.object();
        ArrayNode list = root.putArray("languages");
        LanguageTable table = t.languageTable();
        for (LanguageTable.Language l : table.languages()) {
            ObjectNode entry = list.addObject();
            entry.put("code", l.code());
            entry.put("name", table.name(l.code()));
        }
        json(res, 200, root);
    }

    /** Liveness: the process serves HTTP. Only a failed model load makes it unhealthy (restart it). */
    void health(ServerRequest req, ServerResponse res) {
        Lifecycle.Phase phase = lifecycle.phase();
        ObjectNode body = Json.object();
        body.put("status", phase == Lifecycle.Phase.FAILED ? "DOWN" : "UP");
        json(res, phase == Lifecycle.Phase.FAILED ? 503 : 200, body);
    }

    /** Readiness: 200 only while the model is loaded, warmed up and the service is not draining. */
    void ready(ServerRequest req, ServerResponse res) {
        Lifecycle.Phase phase = lifecycle.phase();
        ObjectNode body = Json.object();
        body.put("status", phase.name());
        if (phase == Lifecycle.Phase.FAILED && lifecycle.failure() != null) {
            body.put("reason", lifecycle.failure());
        }
        json(res, phase == Lifecycle.Phase.READY ? 200 : 503, body);
    }

    void metrics(ServerRequest req, ServerResponse res) {
        metrics.sampleDecoderBatch();
        res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        res.send(metrics.scrape());
    }

    void openApi(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, Json.CONTENT_TYPE);
        res.send(openApi);
    }

    private static void json(ServerResponse res, int status, ObjectNode body) {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, Json.CONTENT_TYPE);
        res.send(Json.bytes(body));
    }

    /** The OpenAPI document with {@code info.version} set to the product's version (one version: the POM's). */
    static byte[] openApiDocument() {
        JsonNode doc = Json.parse(StaticContent.resource(ServiceEndpoints.class, OPENAPI_RESOURCE));
        ((ObjectNode) doc.path("info")).put("version", Version.current());
        return Json.bytes(doc);
    }
}
