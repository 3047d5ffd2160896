package dev.m2m100.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static dev.m2m100.server.Harness.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every request meets on a live server: request ids, CORS, the access log, and the pages for people. */
class EdgeTest {
    private static final String ORIGIN = "https://app.example.com";
    private static final String SEED = "{\"payload\":{\"fromLang\":\"en\",\"toLang\":\"fr\",\"options\":{\"maxLength\":4},"
            + "\"records\":[{\"id\":\"1\",\"text\":\"Secret text.\"}]}}";

    private static HttpResponse<String> options(Harness h, String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(h.uri(path)).method("OPTIONS", HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return h.send(b);
    }

    @Test
    void requestIdsAreEchoedOrGenerated() {
        try (Harness h = Harness.ready(Map.of())) {
            HttpResponse<String> echoed = h.send(HttpRequest.newBuilder(h.uri(Routes.HEALTH)).header("X-Request-Id", "abc-123").GET());
            assertEquals("abc-123", echoed.headers().firstValue("X-Request-Id").orElse(""));
            for (HttpResponse<String> r : List.of(h.get(Routes.HEALTH), h.get("/nope"), h.post(Routes.TRANSLATION, "{"),
                    h.post(Routes.TRANSLATION, SEED), h.get(Routes.TRANSLATION))) {
                assertTrue(r.headers().firstValue("X-Request-Id").orElse("").matches("[0-9a-f-]{36}"), r.headers().toString());
            }
            // An id that could garble a log line is replaced.
            HttpResponse<String> unsafe = h.send(HttpRequest.newBuilder(h.uri(Routes.HEALTH)).header("X-Request-Id", "a b\"c").GET());
            assertTrue(unsafe.headers().firstValue("X-Request-Id").orElse("").matches("[0-9a-f-]{36}"));
        }
    }

    @Test
    void corsForAllowedOrigins() {
        try (Harness h = Harness.ready(Map.of("CORS_ALLOWED_ORIGINS", ORIGIN + ", https://other.example.org"))) {
            HttpResponse<String> preflight = options(h, Routes.TRANSLATE, "Origin", ORIGIN,
                    "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type, authorization");
            assertEquals(204, preflight.statusCode());
            assertEquals(ORIGIN, preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
            assertTrue(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse("").contains("POST"));
            String allowHeaders = preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("").toLowerCase();
            assertTrue(allowHeaders.contains("content-type") && allowHeaders.contains("authorization")
                    && allowHeaders.contains("x-api-key"), allowHeaders);
            assertTrue(preflight.headers().firstValue("Access-Control-Max-Age").isPresent());
            assertEquals("Origin", preflight.headers().firstValue("Vary").orElse(""));

            HttpResponse<String> simple = h.post(Routes.TRANSLATION, "application/json", SEED, "Origin", ORIGIN);
            assertEquals(200, simple.statusCode());
            assertEquals(ORIGIN, simple.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
            assertTrue(simple.headers().firstValue("Access-Control-Expose-Headers").orElse("").contains("X-Request-Id"));
            // Errors carry the header too, so that a page can read them.
            HttpResponse<String> error = h.post(Routes.TRANSLATION, "application/json", "{", "Origin", ORIGIN);
            assertEquals(ORIGIN, error.headers().firstValue("Access-Control-Allow-Origin").orElse(""));

            HttpResponse<String> stranger = options(h, Routes.TRANSLATE, "Origin", "https://evil.example.net",
                    "Access-Control-Request-Method", "POST");
            assertEquals(204, stranger.statusCode());
            assertTrue(stranger.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
            assertTrue(h.post(Routes.TRANSLATION, "application/json", SEED, "Origin", "https://evil.example.net")
                    .headers().firstValue("Access-Control-Allow-Origin").isEmpty());
        }
        try (Harness h = Harness.ready(Map.of("CORS_ALLOWED_ORIGINS", "*"))) {
            HttpResponse<String> any = options(h, Routes.DETECT, "Origin", "https://whatever.example",
                    "Access-Control-Request-Method", "POST");
            assertEquals("*", any.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        }
    }

    @Test
    void withoutCorsOptionsIsStillAnswered() {
        try (Harness h = Harness.ready(Map.of())) {
            HttpResponse<String> o = options(h, Routes.TRANSLATION, "Origin", ORIGIN, "Access-Control-Request-Method", "POST");
            assertEquals(204, o.statusCode());
            assertEquals("POST, OPTIONS", o.headers().firstValue("Allow").orElse(""));
            assertTrue(o.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
            assertEquals("GET, OPTIONS", options(h, Routes.LANGUAGES).headers().firstValue("Allow").orElse(""));
            assertError(options(h, "/nope"), 404, ErrorCodes.NOT_FOUND, null);
        }
    }

    @Test
    void jsonAccessLogHasOneLinePerRequestWithoutTheText() throws Exception {
        try (Harness h = Harness.ready(Map.of("LOG_FORMAT", "json", "API_KEYS", "k-123456"))) {
            h.send(HttpRequest.newBuilder(h.uri(Routes.TRANSLATION)).header("Content-Type", "application/json")
                    .header("X-Request-Id", "req-1").header("X-API-Key", "k-123456")
                    .POST(HttpRequest.BodyPublishers.ofString(SEED)));
            h.send(HttpRequest.newBuilder(h.uri(Routes.HEALTH + "?api_key=k-123456")).header("X-Request-Id", "req-2").GET());
            LifecycleTest.waitFor(() -> h.accessLogLines().size() >= 2, "two access log lines");
            List<String> lines = h.accessLogLines();
            JsonNode translation = Harness.JSON.readTree(lines.stream().filter(l -> l.contains("req-1")).findFirst().orElseThrow());
            assertEquals("POST", translation.get("method").textValue());
            assertEquals("/translation", translation.get("path").textValue());
            assertEquals(200, translation.get("status").intValue());
            assertTrue(translation.get("duration_ms").doubleValue() > 0);
            assertEquals("req-1", translation.get("request_id").textValue());
            assertEquals(1, translation.get("records").intValue());
            assertEquals("Secret text.".length(), translation.get("chars").intValue());
            assertEquals("key-1", translation.get("client").textValue());
            assertTrue(translation.get("queue_ms").doubleValue() >= 0, "time waited for the scheduler");
            assertTrue(translation.get("time").textValue().endsWith("Z"));
            JsonNode health = Harness.JSON.readTree(lines.stream().filter(l -> l.contains("req-2")).findFirst().orElseThrow());
            assertEquals("/health", health.get("path").textValue());
            assertTrue(health.get("records").isNull());
            for (String line : lines) {
                assertFalse(line.contains("Secret") || line.contains("k-123456"), line);
            }
        }
    }

    /** The scheduler shares admission by API key when keys exist (never the key itself), else by client address. */
    @Test
    void theEngineIsToldWhichClientARequestIsFor() throws Exception {
        for (boolean keys : new boolean[] {true, false}) {
            Map<String, String> env = keys ? Map.of("API_KEYS", "k-1111111,k-2222222") : Map.of();
            java.util.Map<String, String> all = new java.util.HashMap<>(TestModel.baseEnv());
            all.putAll(env);
            ServerConfig config = ServerConfig.fromEnvironment(all, Map.of());
            HoldingTranslator[] engine = new HoldingTranslator[1];
            try (Harness h = Harness.starting(env, () -> engine[0] = new HoldingTranslator(EngineLoader.open(config)))) {
                h.server.loaded().get(120, java.util.concurrent.TimeUnit.SECONDS);
                HttpRequest.Builder post = HttpRequest.newBuilder(h.uri(Routes.TRANSLATION))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(SEED));
                if (keys) {
                    post.header("Authorization", "Bearer k-2222222");
                }
                assertEquals(200, h.send(post).statusCode());
                String client = engine[0].clients.getLast();
                if (keys) {
                    assertEquals("key-2", client);
                } else {
                    assertTrue(client.equals("127.0.0.1") || client.equals("0:0:0:0:0:0:0:1"), client);
                }
            }
        }
    }

    @Test
    void accessLogCanBeTurnedOff() {
        try (Harness h = Harness.ready(Map.of("ACCESS_LOG", "false"))) {
            assertEquals(200, h.get(Routes.HEALTH).statusCode());
            assertEquals(List.of(), h.accessLogLines());
        }
    }

    @Test
    void playgroundAndDocsPages() {
        try (Harness h = Harness.ready(Map.of())) {
            HttpResponse<String> page = h.get(Routes.PLAYGROUND);
            assertEquals(200, page.statusCode());
            assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
            assertTrue(page.body().contains("fetch(\"translate\"") && page.body().contains("fetch(\"languages\")"));
            assertFalse(page.body().contains("http://") || page.body().contains("https://"), "no outside resources");

            HttpResponse<String> docs = h.get(Routes.DOCS);
            assertEquals(200, docs.statusCode());
            assertTrue(docs.body().contains("SwaggerUIBundle") && docs.body().contains("url: \"openapi\""));
            for (String file : List.of("swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js")) {
                HttpResponse<String> r = h.get(Routes.DOCS + "/" + file);
                assertEquals(200, r.statusCode(), file);
                assertTrue(r.body().length() > 10_000, file);
            }
            assertEquals(301, h.get(Routes.DOCS + "/").statusCode());
            assertError(h.get(Routes.DOCS + "/index.html"), 404, ErrorCodes.NOT_FOUND, null);
            // Only the files the page needs are served, not whatever else is on the classpath.
            assertError(h.get(Routes.DOCS + "/swagger-initializer.js"), 404, ErrorCodes.NOT_FOUND, null);
            assertError(h.get(Routes.DOCS + "/..%2Fopenapi.json"), 404, ErrorCodes.NOT_FOUND, null);
            assertError(h.post(Routes.DOCS, "{}"), 405, ErrorCodes.METHOD_NOT_ALLOWED, null);
            assertError(h.post(Routes.PLAYGROUND, "{}"), 405, ErrorCodes.METHOD_NOT_ALLOWED, null);
        }
    }
}
