package dev.m2m100.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real server on a free loopback port, and an HTTP client to call it. */
final class Harness implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    final TranslationServer server;
    final ServerConfig config;
    // HTTP/1.1, as the server speaks (the JDK client's default would try an h2c upgrade on the first connection).
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** What the server wrote to its access log (tests start servers with it instead of standard output). */
    final java.io.ByteArrayOutputStream accessLog = new java.io.ByteArrayOutputStream();

    private Harness(ServerConfig config, TranslationServer.TranslatorLoader loader) {
        this.config = config;
        this.server = TranslationServer.start(config, loader,
                new java.io.PrintStream(accessLog, true, StandardCharsets.UTF_8));
    }

    /** The access log lines written so far. */
    java.util.List<String> accessLogLines() {
        String text;
        synchronized (accessLog) {
            text = accessLog.toString(StandardCharsets.UTF_8);
        }
        return text.isEmpty() ? java.util.List.of() : java.util.List.of(text.split("\n"));
    }

    /** Starts a server with the test model and waits until it is ready. */
    static Harness ready(Map<String, String> env) {
        Harness h = starting(env, null);
        try {
            h.server.loaded().get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            h.close();
            throw new IllegalStateException("test server did not become ready", e);
        }
        return h;
    }

    /** Starts a server; {@code loader} null = the test model. Does not wait for the model. */
    static Harness starting(Map<String, String> env, TranslationServer.TranslatorLoader loader) {
        Map<String, String> all = new HashMap<>(TestModel.baseEnv());
        all.putAll(env);
        ServerConfig config = ServerConfig.fromEnvironment(all, Map.of());
        return new Harness(config, loader == null ? TestModel.loader(config) : loader);
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    HttpResponse<String> post(String path, String body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
    }

    HttpResponse<String> post(String path, String contentType, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b);
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return client.send(request.timeout(Duration.ofSeconds(120)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON (status " + response.statusCode() + "): " + response.body(), e);
        }
    }

    /** Asserts the JSON error shape, the status, the code and the field; returns the message. */
    static String assertError(HttpResponse<String> r, int status, String code, String field) {
        assertEquals(status, r.statusCode(), () -> "status for body " + r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                () -> "content type " + r.headers().firstValue("Content-Type"));
        JsonNode error = json(r).path("error");
        assertTrue(error.isObject(), () -> "no error object: " + r.body());
        assertEquals(code, error.path("code").asText(), () -> "code in " + r.body());
        if (field == null) {
            assertTrue(error.path("field").isNull(), () -> "field should be null: " + r.body());
        } else {
            assertEquals(field, error.path("field").asText(), () -> "field in " + r.body());
        }
        String message = error.path("message").asText();
        assertFalse(message.isBlank(), "message must explain the problem");
        // Never internals: no stack frames or exception class names.
        assertFalse(r.body().contains("Exception") || r.body().contains("\tat ") || r.body().contains("dev.m2m100"),
                () -> "internals leaked: " + r.body());
        return message;
    }

    @Override
    public void close() {
        server.drainAndStop();
    }
}
