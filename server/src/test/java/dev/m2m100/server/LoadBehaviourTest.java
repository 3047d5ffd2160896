package dev.m2m100.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.m2m100.server.Harness.assertError;
import static dev.m2m100.server.Harness.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Many clients at once: everyone answered correctly; a full queue answers 429 at once. */
class LoadBehaviourTest {
    private static final String[] SENTENCES = {
            "Hello.", "The weather is nice today.", "Life is like a box of chocolates.",
            "Please open the file and save your changes before closing the window.",
            "Error: could not connect to the server.", "Thank you very much!",
            "The quick brown fox jumps over the lazy dog, and the dog does not mind at all.", "",
            "Do you want to continue?", "Two sentences here. And another one follows it."};
    private static final String[][] PAIRS = {{"en", "ja"}, {"en", "fr"}, {"fr", "de"}, {"de", "en"}, {"ja", "en"}};

    /** Client {@code i}'s request: 1 to 16 records, mixed texts, language pairs and options. */
    static String clientRequest(int i) {
        ObjectNode root = Harness.JSON.createObjectNode();
        ObjectNode payload = root.putObject("payload");
        String[] pair = PAIRS[i % PAIRS.length];
        payload.put("fromLang", pair[0]).put("toLang", pair[1]);
        boolean defaults = i % 10 == 0;
        if (!defaults) {
            // Most requests cap the output to keep the test fast (the random test model rarely stops by
            // itself); every tenth uses the model's defaults (5 beams, max_length 200) for one record.
            payload.putObject("options").put("maxLength", 4 + i % 13).put("beamSize", 1 + i % 5);
        }
        ArrayNode records = payload.putArray("records");
        int n = defaults ? 1 : 1 + (i * 7) % 16;
        for (int r = 0; r < n; r++) {
            records.addObject().put("id", i + "-" + r).put("text", SENTENCES[(i + r * 3) % SENTENCES.length]);
        }
        return root.toString();
    }

    @Test
    void fiftyConcurrentClientsGetTheSameAnswersAsAlone() throws Exception {
        try (Harness h = Harness.ready(Map.of())) {
            int clients = 50;
            List<String> alone = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                HttpResponse<String> r = h.post(Routes.TRANSLATION, clientRequest(i));
                assertEquals(200, r.statusCode(), r.body());
                alone.add(r.body());
            }
            List<CompletableFuture<HttpResponse<String>>> together = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                String body = clientRequest(i);
                together.add(CompletableFuture.supplyAsync(() -> h.post(Routes.TRANSLATION, body),
                        r -> Thread.ofVirtual().start(r)));
            }
            for (int i = 0; i < clients; i++) {
                HttpResponse<String> r = together.get(i).get(300, TimeUnit.SECONDS);
                assertEquals(200, r.statusCode(), r.body());
                assertEquals(alone.get(i), r.body(), "client " + i);
                JsonNode result = json(r).get("result");
                assertEquals(json(r).get("result").size(), Harness.JSON.readTree(clientRequest(i)).at("/payload/records").size());
                assertEquals(i + "-0", result.get(0).get("id").textValue());
            }
        }
    }

    @Test
    void fullQueueGives429WithRetryAfterAtOnce() throws Exception {
        // A tiny queue: 2 texts may wait, 1 is decoded at a time.
        try (Harness h = Harness.ready(Map.of("MAX_QUEUED", "2", "MAX_ACTIVE", "1", "MAX_RECORDS", "2"))) {
            String body = TranslationApiTest.request(48, "en", "fr", "a", "The weather is nice today.",
                    "b", "Please open the file and save your changes before closing the window.");
            HttpResponse<String> single = h.post(Routes.TRANSLATION, body);
            assertEquals(200, single.statusCode(), single.body());

            int overloaded = 0;
            int ok = 0;
            for (int wave = 0; wave < 5 && overloaded == 0; wave++) {
                List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    burst.add(CompletableFuture.supplyAsync(() -> h.post(Routes.TRANSLATION, body),
                            r -> Thread.ofVirtual().start(r)));
                }
                for (CompletableFuture<HttpResponse<String>> f : burst) {
                    HttpResponse<String> r = f.get(300, TimeUnit.SECONDS);
                    if (r.statusCode() == 429) {
                        overloaded++;
                        assertError(r, 429, ErrorCodes.OVERLOADED, null);
                        int retryAfter = Integer.parseInt(r.headers().firstValue("Retry-After").orElseThrow());
                        assertTrue(retryAfter >= 1, "Retry-After " + retryAfter);
                    } else {
                        assertEquals(200, r.statusCode(), r.body());
                        assertEquals(single.body(), r.body(), "an accepted request is answered correctly");
                        ok++;
                    }
                }
            }
            assertTrue(overloaded > 0, "a burst of 40 two-record requests must overflow a queue of 2");
            assertTrue(ok > 0, "some requests must get through");
            int refused = overloaded;
            LifecycleTest.waitFor(() -> MetricsText.sum(h.get(Routes.METRICS).body(), "m2m100_http_requests_seconds_count",
                    "route=\"/translation\"", "status=\"429\"") >= refused, "429s counted in the metrics");
            // And the service recovers.
            assertEquals(single.body(), h.post(Routes.TRANSLATION, body).body());
        }
    }
}
