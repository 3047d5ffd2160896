package dev.m2m100.server;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.m2m100.server.Harness.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** API keys, the key file and its reloads, and the per-client rate limit, on live servers. */
class AccessControlTest {
    private static final String KEY_A = "key-alpha-0123456789";
    private static final String KEY_B = "key-bravo-9876543210";
    private static final String SEED = "{\"payload\":{\"fromLang\":\"en\",\"toLang\":\"fr\",\"options\":{\"maxLength\":4},"
            + "\"records\":[{\"id\":\"1\",\"text\":\"Hello.\"}]}}";
    private static final String LIBRE = "{\"q\":\"Hello.\",\"source\":\"en\",\"target\":\"fr\"}";
    private static final String JSON = "application/json";

    @Test
    void keysAreNeededForTranslationAndDetectionOnly() {
        try (Harness h = Harness.ready(Map.of("API_KEYS", KEY_A + ", " + KEY_B))) {
            assertError(h.post(Routes.TRANSLATION, SEED), 401, ErrorCodes.UNAUTHORIZED, null);
            assertError(h.post(Routes.TRANSLATE, JSON, LIBRE), 401, ErrorCodes.UNAUTHORIZED, null);
            assertError(h.post(Routes.DETECT, JSON, "{\"q\":\"Hello\"}"), 401, ErrorCodes.UNAUTHORIZED, null);
            assertError(h.post(Routes.TRANSLATION, JSON, SEED, "Authorization", "Bearer wrong"), 401, ErrorCodes.UNAUTHORIZED, null);
            assertError(h.post(Routes.TRANSLATE, JSON, LIBRE.replace("}", ",\"api_key\":\"wrong\"}")), 401, ErrorCodes.UNAUTHORIZED, null);
            // Unreadable bodies without a key are 401 too: nothing more to learn without one.
            assertError(h.post(Routes.TRANSLATE, JSON, "{not json"), 401, ErrorCodes.UNAUTHORIZED, null);

            assertEquals(200, h.post(Routes.TRANSLATION, JSON, SEED, "Authorization", "Bearer " + KEY_A).statusCode());
            assertEquals(200, h.post(Routes.TRANSLATION, JSON, SEED, "authorization", "bearer " + KEY_B).statusCode());
            assertEquals(200, h.post(Routes.TRANSLATION, JSON, SEED, "X-API-Key", KEY_B).statusCode());
            assertEquals(200, h.post(Routes.TRANSLATE, JSON, LIBRE.replace("}", ",\"api_key\":\"" + KEY_A + "\"}")).statusCode());
            assertEquals(200, h.post(Routes.TRANSLATE, "application/x-www-form-urlencoded",
                    "q=Hello.&source=en&target=fr&api_key=" + KEY_B).statusCode());
            assertEquals(200, h.post(Routes.DETECT, JSON, "{\"q\":\"Hello\"}", "X-API-Key", KEY_A).statusCode());
            // With a valid key, validation errors are the usual ones.
            assertError(h.post(Routes.TRANSLATE, JSON, "{not json", "X-API-Key", KEY_A), 400, ErrorCodes.MALFORMED_JSON, null);

            for (String open : List.of(Routes.HEALTH, Routes.READY, Routes.METRICS, Routes.OPENAPI, Routes.DOCS,
                    Routes.LANGUAGES, Routes.PLAYGROUND, "/docs/swagger-ui.css")) {
                assertEquals(200, h.get(open).statusCode(), open);
            }
            assertKeysNowhere(h);
        }
    }

    /** Keys never reach the access log or the metrics (the log says key-N). */
    private static void assertKeysNowhere(Harness h) {
        String metrics = h.get(Routes.METRICS).body();
        LifecycleTest.waitFor(() -> h.accessLogLines().stream().anyMatch(l -> l.contains("client=key-2")), "access log");
        for (String key : List.of(KEY_A, KEY_B, "wrong")) {
            assertFalse(metrics.contains(key), "key in metrics");
            for (String line : h.accessLogLines()) {
                assertFalse(line.contains(key), () -> "key in access log: " + line);
            }
        }
    }

    @Test
    void rateLimitPerKey() {
        try (Harness h = Harness.ready(Map.of("API_KEYS", KEY_A + "," + KEY_B, "RATE_LIMIT_PER_MINUTE", "3"))) {
            for (int i = 0; i < 3; i++) {
                assertEquals(200, h.post(Routes.TRANSLATION, JSON, SEED, "X-API-Key", KEY_A).statusCode());
            }
            HttpResponse<String> limited = h.post(Routes.TRANSLATION, JSON, SEED, "X-API-Key", KEY_A);
            String msg = assertError(limited, 429, ErrorCodes.RATE_LIMITED, null);
            assertTrue(msg.contains("3 requests per minute"), msg);
            int retry = Integer.parseInt(limited.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(retry >= 1 && retry <= 20, "one request comes back every 20 s: " + retry);
            assertError(h.post(Routes.DETECT, JSON, "{\"q\":\"x\"}", "X-API-Key", KEY_A), 429, ErrorCodes.RATE_LIMITED, null);
            // Another key has its own allowance; open endpoints are not limited.
            assertEquals(200, h.post(Routes.TRANSLATION, JSON, SEED, "X-API-Key", KEY_B).statusCode());
            assertEquals(200, h.get(Routes.LANGUAGES).statusCode());
        }
    }

    @Test
    void rateLimitPerAddressWithoutKeys() {
        try (Harness h = Harness.ready(Map.of("RATE_LIMIT_PER_MINUTE", "2"))) {
            assertEquals(200, h.post(Routes.TRANSLATION, SEED).statusCode());
            assertEquals(200, h.post(Routes.TRANSLATE, JSON, LIBRE).statusCode());
            assertError(h.post(Routes.TRANSLATION, SEED), 429, ErrorCodes.RATE_LIMITED, null);
            LifecycleTest.waitFor(() -> h.accessLogLines().stream().anyMatch(l -> l.contains(" 429 ")
                    && l.contains("client=127.0.0.1")), () -> "the client address in the access log: " + h.accessLogLines());
        }
    }

    @Test
    void keyFileIsReloadedOnSighupAndOnChange() throws IOException, InterruptedException {
        Path file = Files.createTempFile("m2m100-keys", ".txt");
        try {
            Files.writeString(file, "# comment\n" + KEY_A + "\n\n");
            try (Harness h = Harness.ready(Map.of("API_KEYS_FILE", file.toString()))) {
                assertEquals(200, h.post(Routes.TRANSLATION, JSON, SEED, "X-API-Key", KEY_A).statusCode());
                assertError(h.post(Routes.TRANSLATION, JSON, SEED, "X-API-Key", KEY_B), 401, ErrorCodes.UNAUTHORIZED, null);

                // SIGHUP: this JVM has the server's handler installed (without one SIGHUP would end the JVM).
                Files.writeString(file, KEY_B + "\n");
                Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(ProcessHandle.current().pid())).start();
                assertEquals(0, kill.waitFor());
                LifecycleTest.waitFor(() -> h.post(Routes.TRANSLATION, JSON, SEED, "X-API-Key", KEY_B).statusCode() == 200,
                        "the new key accepted after SIGHUP");
                assertError(h.post(Routes.TRANSLATION, JSON, SEED, "X-API-Key", KEY_A), 401, ErrorCodes.UNAUTHORIZED, null);

                // A change alone is noticed within the polling period (5 s).
                Files.writeString(file, KEY_A + "\n" + KEY_B + "\n");
                LifecycleTest.waitFor(() -> h.post(Routes.TRANSLATION, JSON, SEED, "X-API-Key", KEY_A).statusCode() == 200,
                        "the changed file re-read");
                // A file that disappears keeps the keys read before.
                Files.delete(file);
                Thread.sleep(6000);
                assertEquals(200, h.post(Routes.TRANSLATION, JSON, SEED, "X-API-Key", KEY_B).statusCode());
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
