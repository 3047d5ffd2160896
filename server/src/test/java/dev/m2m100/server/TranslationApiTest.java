package dev.m2m100.server;

import dev.m2m100.engine.Version;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.m2m100.engine.GenerationOptions;
import dev.m2m100.engine.SchedulerStats;
import dev.m2m100.engine.Translator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static dev.m2m100.server.Harness.assertError;
import static dev.m2m100.server.Harness.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HTTP contract of one running server: the happy path, every bad input, and the GET endpoints. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TranslationApiTest {
    private static final int MAX_RECORDS = 8;
    private static final int MAX_TEXT_CHARS = 3000;
    private static final int MAX_BODY_BYTES = 64 * 1024;

    private Harness h;
    private Translator engine;

    @BeforeAll
    void start() {
        h = Harness.ready(Map.of("MAX_RECORDS", "" + MAX_RECORDS, "MAX_TEXT_CHARS", "" + MAX_TEXT_CHARS,
                "MAX_BODY_BYTES", "" + MAX_BODY_BYTES));
        engine = h.server.translator();
    }

    @AfterAll
    void stop() {
        h.close();
    }

    /** Generation capped at 16 new tokens: the random test model rarely stops by itself. */
    static final GenerationOptions SHORT = new GenerationOptions(null, 16, null, null, null, null);

    static String request(String from, String to, String... idText) {
        return request(null, from, to, idText);
    }

    /** A request with {@code maxLength} set (null: no options). */
    static String request(Integer maxLength, String from, String to, String... idText) {
        ObjectNode root = Harness.JSON.createObjectNode();
        ObjectNode payload = root.putObject("payload");
        if (maxLength != null) {
            payload.putObject("options").put("maxLength", maxLength);
        }
        payload.put("fromLang", from);
        ArrayNode records = payload.putArray("records");
        for (int i = 0; i < idText.length; i += 2) {
            records.addObject().put("id", idText[i]).put("text", idText[i + 1]);
        }
        payload.put("toLang", to);
        return root.toString();
    }

    private List<String> direct(List<String> texts, String from, String to, GenerationOptions options) {
        return engine.translateNow(texts, from, to, options);
    }

    @Test
    void exactContract() {
        String text = "Life is like a box of chocolates.";
        HttpResponse<String> r = h.post(Routes.TRANSLATION,
                "{\"payload\":{\"fromLang\":\"en\",\"records\":[{\"id\":\"123\",\"text\":\"" + text + "\"}],\"toLang\":\"ja\"}}");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("application/json; charset=utf-8", r.headers().firstValue("Content-Type").orElseThrow());
        JsonNode body = json(r);
        assertEquals(List.of("result"), iterate(body.fieldNames()));
        JsonNode result = body.get("result");
        assertEquals(1, result.size());
        assertEquals(List.of("id", "text"), iterate(result.get(0).fieldNames()));
        assertEquals("123", result.get(0).get("id").textValue());
        assertEquals(direct(List.of(text), "en", "ja", GenerationOptions.DEFAULTS).get(0), result.get(0).get("text").textValue());
    }

    @Test
    void recordsComeBackInOrderWithIdsVerbatimAndUtf8() {
        String[] idText = {"b", "Guten Morgen.", "", "Bonjour", "  spaced id ", "人生はチョコレートの箱のようなものだ。",
                "日本語のID", "Hello", "b", "Hello again, world!"};
        HttpResponse<String> r = h.post(Routes.TRANSLATION, request(16, "en", "fr", idText));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode result = json(r).get("result");
        List<String> texts = new ArrayList<>();
        for (int i = 1; i < idText.length; i += 2) {
            texts.add(idText[i]);
        }
        List<String> expected = direct(texts, "en", "fr", SHORT);
        assertEquals(texts.size(), result.size());
        for (int i = 0; i < texts.size(); i++) {
            assertEquals(idText[2 * i], result.get(i).get("id").textValue());
            assertEquals(expected.get(i), result.get(i).get("text").textValue());
        }
    }

    @Test
    void emptyAndBlankTextsPassThroughUntouchedWithoutTheModel() {
        SchedulerStats before = quietStats();
        HttpResponse<String> r = h.post(Routes.TRANSLATION, request("en", "ja", "1", "", "2", "   \n\t "));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode result = json(r).get("result");
        assertEquals("", result.get(0).get("text").textValue());
        assertEquals("   \n\t ", result.get(1).get("text").textValue());
        assertEquals(before, quietStats());
    }

    /** The scheduler's counters once they stopped moving (work of earlier tests may still be accounted). */
    private SchedulerStats quietStats() {
        SchedulerStats previous = engine.stats();
        while (true) {
            try {
                Thread.sleep(30);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            SchedulerStats now = engine.stats();
            if (now.equals(previous)) {
                return now;
            }
            previous = now;
        }
    }

    @Test
    void emptyRecordListGivesEmptyResult() {
        HttpResponse<String> r = h.post(Routes.TRANSLATION, request("en", "ja"));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("{\"result\":[]}", r.body());
    }

    @Test
    void sameSourceAndTargetReturnsTextsUnchanged() {
        SchedulerStats before = quietStats();
        HttpResponse<String> r = h.post(Routes.TRANSLATION, request("en", "en", "a", "Hello there.", "b", " keep  spacing "));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode result = json(r).get("result");
        assertEquals("Hello there.", result.get(0).get("text").textValue());
        assertEquals(" keep  spacing ", result.get(1).get("text").textValue());
        assertEquals(before, quietStats());
    }

    @Test
    void optionsReachTheEngine() {
        String text = "The weather is nice today.";
        String body = "{\"payload\":{\"fromLang\":\"en\",\"toLang\":\"de\",\"options\":{\"beamSize\":1,\"maxLength\":6},"
                + "\"records\":[{\"id\":\"x\",\"text\":\"" + text + "\"}]}}";
        HttpResponse<String> r = h.post(Routes.TRANSLATION, body);
        assertEquals(200, r.statusCode(), r.body());
        GenerationOptions greedy6 = new GenerationOptions(1, 6, null, null, null, null);
        assertEquals(direct(List.of(text), "en", "de", greedy6).get(0), json(r).get("result").get(0).get("text").textValue());
    }

    @Test
    void aLongTextIsTranslatedSentenceBySentence() {
        // Together the sentences exceed the model's input twice over; each is one sequence of its own.
        List<String> sentences = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (int i = 0; engine.countSourceTokens(text.toString(), "en") <= engine.maxSourceTokens() * 2; i++) {
            String s = "Sentence number " + i + " talks about the weather in the mountains today.";
            sentences.add(s);
            text.append(i == 0 ? "" : " ").append(s);
        }
        String expected = String.join(" ", direct(sentences, "en", "fr", SHORT));

        HttpResponse<String> r = h.post(Routes.TRANSLATION, request(16, "en", "fr", "long", text.toString()));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(expected, json(r).get("result").get(0).get("text").textValue());
    }

    @Test
    void aSentenceLongerThanTheModelInputIsSplitBetweenWords() {
        int max = engine.maxSourceTokens();
        List<String> words = new ArrayList<>(List.of("Then")); // capitalised: a new sentence after "Short one."
        while (engine.countSourceTokens(String.join(" ", words), "en") <= max + 40) {
            words.add("word" + words.size());
        }
        String longSentence = String.join(" ", words) + " end";
        words.add("end");
        // Expected: the longest runs of words that fit, each translated alone, joined with a space.
        List<String> parts = new ArrayList<>();
        int first = 0;
        while (first < words.size()) {
            int last = first + 1;
            while (last < words.size()
                    && engine.countSourceTokens(String.join(" ", words.subList(first, last + 1)), "en") <= max) {
                last++;
            }
            parts.add(String.join(" ", words.subList(first, last)));
            first = last;
        }
        assertTrue(parts.size() >= 2, "the sentence must need splitting");
        String expected = direct(List.of("Short one."), "en", "fr", SHORT).get(0) + " "
                + String.join(" ", direct(parts, "en", "fr", SHORT));

        HttpResponse<String> r = h.post(Routes.TRANSLATION, request(16, "en", "fr", "long", "Short one. " + longSentence));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(expected, json(r).get("result").get(0).get("text").textValue());
    }

    @Test
    void oneUnbreakableRunTooLongIsAnError() {
        // Letters and digits without a space: no place to split.
        StringBuilder run = new StringBuilder();
        java.util.Random random = new java.util.Random(7);
        while (engine.countSourceTokens(run.toString(), "en") <= engine.maxSourceTokens() + 5) {
            run.append((char) ('a' + random.nextInt(26))).append(random.nextInt(10));
        }
        if (run.length() + 12 > MAX_TEXT_CHARS) {
            throw new AssertionError("test text longer than MAX_TEXT_CHARS; raise the limit");
        }
        String msg = assertError(h.post(Routes.TRANSLATION, request("en", "fr", "a", "ok", "b", "Short one. " + run + ".")),
                400, ErrorCodes.TEXT_TOO_LONG, "payload.records[1].text");
        assertTrue(msg.contains(Integer.toString(engine.maxSourceTokens())), msg);
    }

    @Test
    void malformedJson() {
        assertError(h.post(Routes.TRANSLATION, "{\"payload\": {"), 400, ErrorCodes.MALFORMED_JSON, null);
        assertError(h.post(Routes.TRANSLATION, ""), 400, ErrorCodes.MALFORMED_JSON, null);
        assertError(h.post(Routes.TRANSLATION, "payload=1"), 400, ErrorCodes.MALFORMED_JSON, null);
        assertError(h.post(Routes.TRANSLATION, request("en", "fr") + " {}"), 400, ErrorCodes.MALFORMED_JSON, null);
        assertError(h.post(Routes.TRANSLATION, "{\"payload\":{},\"payload\":{}}"), 400, ErrorCodes.MALFORMED_JSON, null);
    }

    @Test
    void missingFields() {
        assertError(h.post(Routes.TRANSLATION, "{}"), 400, ErrorCodes.MISSING_FIELD, "payload");
        assertError(h.post(Routes.TRANSLATION, "{\"payload\":null}"), 400, ErrorCodes.MISSING_FIELD, "payload");
        assertError(h.post(Routes.TRANSLATION, "{\"payload\":{\"toLang\":\"ja\",\"records\":[]}}"),
                400, ErrorCodes.MISSING_FIELD, "payload.fromLang");
        assertError(h.post(Routes.TRANSLATION, "{\"payload\":{\"fromLang\":\"en\",\"records\":[]}}"),
                400, ErrorCodes.MISSING_FIELD, "payload.toLang");
        assertError(h.post(Routes.TRANSLATION, "{\"payload\":{\"fromLang\":\"en\",\"toLang\":\"ja\"}}"),
                400, ErrorCodes.MISSING_FIELD, "payload.records");
        assertError(h.post(Routes.TRANSLATION, records("{\"id\":\"1\",\"text\":\"a\"},{\"text\":\"b\"}")),
                400, ErrorCodes.MISSING_FIELD, "payload.records[1].id");
        assertError(h.post(Routes.TRANSLATION, records("{\"id\":\"1\"}")), 400, ErrorCodes.MISSING_FIELD, "payload.records[0].text");
        assertError(h.post(Routes.TRANSLATION, records("{\"id\":\"1\",\"text\":null}")),
                400, ErrorCodes.MISSING_FIELD, "payload.records[0].text");
    }

    @Test
    void wrongTypes() {
        assertError(h.post(Routes.TRANSLATION, "[]"), 400, ErrorCodes.INVALID_TYPE, null);
        assertError(h.post(Routes.TRANSLATION, "\"text\""), 400, ErrorCodes.INVALID_TYPE, null);
        assertError(h.post(Routes.TRANSLATION, "{\"payload\":[1]}"), 400, ErrorCodes.INVALID_TYPE, "payload");
        assertError(h.post(Routes.TRANSLATION, "{\"payload\":{\"fromLang\":5,\"toLang\":\"ja\",\"records\":[]}}"),
                400, ErrorCodes.INVALID_TYPE, "payload.fromLang");
        assertError(h.post(Routes.TRANSLATION, "{\"payload\":{\"fromLang\":\"en\",\"toLang\":[\"ja\"],\"records\":[]}}"),
                400, ErrorCodes.INVALID_TYPE, "payload.toLang");
        assertError(h.post(Routes.TRANSLATION, "{\"payload\":{\"fromLang\":\"en\",\"toLang\":\"ja\",\"records\":{}}}"),
                400, ErrorCodes.INVALID_TYPE, "payload.records");
        String msg = assertError(h.post(Routes.TRANSLATION,
                        records("{\"id\":\"1\",\"text\":\"a\"},{\"id\":\"2\",\"text\":\"b\"},{\"id\":\"3\",\"text\":7}")),
                400, ErrorCodes.INVALID_TYPE, "payload.records[2].text");
        assertTrue(msg.contains("payload.records[2].text") && msg.contains("string"), msg);
        assertError(h.post(Routes.TRANSLATION, records("{\"id\":123,\"text\":\"a\"}")), 400, ErrorCodes.INVALID_TYPE, "payload.records[0].id");
        assertError(h.post(Routes.TRANSLATION, records("\"just text\"")), 400, ErrorCodes.INVALID_TYPE, "payload.records[0]");
        assertError(h.post(Routes.TRANSLATION, options("\"fast\"")), 400, ErrorCodes.INVALID_TYPE, "payload.options");
        assertError(h.post(Routes.TRANSLATION, options("{\"beamSize\":\"5\"}")), 400, ErrorCodes.INVALID_TYPE, "payload.options.beamSize");
        assertError(h.post(Routes.TRANSLATION, options("{\"maxLength\":2.5}")), 400, ErrorCodes.INVALID_TYPE, "payload.options.maxLength");
    }

    @Test
    void invalidValues() {
        assertError(h.post(Routes.TRANSLATION, options("{\"beamSize\":0}")), 400, ErrorCodes.INVALID_VALUE, "payload.options.beamSize");
        assertError(h.post(Routes.TRANSLATION, options("{\"maxLength\":100000}")), 400, ErrorCodes.INVALID_VALUE, "payload.options.maxLength");
        // the documented maximum was 1024, which with the start token never fits 1,024 positions
        assertError(h.post(Routes.TRANSLATION, options("{\"maxLength\":1024}")), 400, ErrorCodes.INVALID_VALUE, "payload.options.maxLength");
        assertError(h.post(Routes.TRANSLATION, options("{\"beam_size\":2}")), 400, ErrorCodes.INVALID_VALUE, "payload.options.beam_size");
        assertError(h.post(Routes.TRANSLATION, "{\"payload\":{\"fromLang\":\"\",\"toLang\":\"ja\",\"records\":[]}}"),
                400, ErrorCodes.INVALID_VALUE, "payload.fromLang");
        assertError(h.post(Routes.TRANSLATION, records("{\"id\":\"1\",\"text\":\"bad \\ud800 surrogate\"}")),
                400, ErrorCodes.INVALID_VALUE, "payload.records[0].text");
        // ids are echoed: one that is not valid Unicode was echoed back as is (a 200)
        assertError(h.post(Routes.TRANSLATION, records("{\"id\":\"\\ud800\",\"text\":\"a\"}")),
                400, ErrorCodes.INVALID_VALUE, "payload.records[0].id");
    }

    /** Issue 11 item 2 on the M2M100 model: any case, BCP-47 tags and NLLB-style codes resolve to its codes. */
    @Test
    void languageCodesResolveThroughTheModelsTable() {
        String text = "Life is like a box of chocolates.";
        String want = direct(List.of(text), "en", "ja", SHORT).getFirst();
        for (String[] pair : new String[][] {{"EN", "JA"}, {"en-US", "ja-JP"}, {"eng_Latn", "jpn_Jpan"}, {"en_GB", "JPN"}}) {
            HttpResponse<String> r = h.post(Routes.TRANSLATION, request(16, pair[0], pair[1], "1", text));
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(want, json(r).get("result").get(0).get("text").textValue(), pair[0] + " -> " + pair[1]);
        }
        HttpResponse<String> zh = h.post(Routes.TRANSLATION, request(16, "en", "zh-Hant-TW", "1", text));
        assertEquals(direct(List.of(text), "en", "zh", SHORT).getFirst(), json(zh).get("result").get(0).get("text").textValue());
        HttpResponse<String> libre = h.post(Routes.TRANSLATE, "application/json",
                "{\"q\":\"" + text + "\",\"source\":\"EN-us\",\"target\":\"fra_Latn\"}");
        assertEquals(200, libre.statusCode(), libre.body());
        assertError(h.post(Routes.TRANSLATION, request("en", "yue", "1", "a")), 400, ErrorCodes.UNSUPPORTED_LANGUAGE,
                "payload.toLang");
    }

    @Test
    void unsupportedLanguagesListTheSupportedOnes() {
        String msg = assertError(h.post(Routes.TRANSLATION, request("xx", "ja", "1", "a")),
                400, ErrorCodes.UNSUPPORTED_LANGUAGE, "payload.fromLang");
        for (String code : engine.languages()) {
            assertTrue(msg.contains(code), () -> code + " missing from: " + msg);
        }
        assertError(h.post(Routes.TRANSLATION, request("en", "klingon", "1", "a")),
                400, ErrorCodes.UNSUPPORTED_LANGUAGE, "payload.toLang");
        // only separators (split leaves nothing): was a 500
        assertError(h.post(Routes.TRANSLATION, request("-", "ja", "1", "a")),
                400, ErrorCodes.UNSUPPORTED_LANGUAGE, "payload.fromLang");
        assertError(h.post(Routes.TRANSLATION, request("en", "__", "1", "a")),
                400, ErrorCodes.UNSUPPORTED_LANGUAGE, "payload.toLang");
    }

    @Test
    void limits() {
        String[] many = new String[2 * (MAX_RECORDS + 1)];
        for (int i = 0; i < MAX_RECORDS + 1; i++) {
            many[2 * i] = "id" + i;
            many[2 * i + 1] = "text " + i;
        }
        String msg = assertError(h.post(Routes.TRANSLATION, request("en", "ja", many)), 400, ErrorCodes.TOO_MANY_RECORDS, "payload.records");
        assertTrue(msg.contains(Integer.toString(MAX_RECORDS)), msg);

        String tooLong = "あ".repeat(MAX_TEXT_CHARS + 1);
        assertError(h.post(Routes.TRANSLATION, request("ja", "en", "1", "ok", "2", tooLong)),
                400, ErrorCodes.TEXT_TOO_LONG, "payload.records[1].text");
        // Exactly at the limit in characters (3 bytes each in UTF-8) is not a character-limit error.
        HttpResponse<String> atLimit = h.post(Routes.TRANSLATION, request("ja", "ja", "1", "あ".repeat(MAX_TEXT_CHARS)));
        assertEquals(200, atLimit.statusCode(), atLimit.body());
    }

    @Test
    void bodyTooLarge() {
        String big = request("en", "ja", "1", "x".repeat(MAX_BODY_BYTES));
        // Content-Length announces it.
        assertError(h.post(Routes.TRANSLATION, big), 413, ErrorCodes.PAYLOAD_TOO_LARGE, null);
        // Chunked: the size is only found out while reading.
        byte[] bytes = big.getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> chunked = h.send(HttpRequest.newBuilder(h.uri(Routes.TRANSLATION))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))));
        assertError(chunked, 413, ErrorCodes.PAYLOAD_TOO_LARGE, null);
        // The server still serves afterwards.
        assertEquals(200, h.get(Routes.HEALTH).statusCode());
    }

    @Test
    void wrongContentType() {
        String body = request("en", "ja", "1", "a");
        assertError(h.send(HttpRequest.newBuilder(h.uri(Routes.TRANSLATION)).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(body))), 415, ErrorCodes.UNSUPPORTED_MEDIA_TYPE, null);
        assertError(h.send(HttpRequest.newBuilder(h.uri(Routes.TRANSLATION))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body))), 415, ErrorCodes.UNSUPPORTED_MEDIA_TYPE, null);
        assertError(h.send(HttpRequest.newBuilder(h.uri(Routes.TRANSLATION))
                .header("Content-Type", "application/json; charset=ISO-8859-1")
                .POST(HttpRequest.BodyPublishers.ofString(body))), 415, ErrorCodes.UNSUPPORTED_MEDIA_TYPE, null);
        HttpResponse<String> ok = h.send(HttpRequest.newBuilder(h.uri(Routes.TRANSLATION))
                .header("Content-Type", "application/json; charset=UTF-8").POST(HttpRequest.BodyPublishers.ofString(body)));
        assertEquals(200, ok.statusCode(), ok.body());
    }

    @Test
    void unknownRouteAndWrongMethod() {
        assertError(h.get("/translations"), 404, ErrorCodes.NOT_FOUND, null);
        assertError(h.post("/nope", "{}"), 404, ErrorCodes.NOT_FOUND, null);
        HttpResponse<String> get = h.get(Routes.TRANSLATION);
        assertError(get, 405, ErrorCodes.METHOD_NOT_ALLOWED, null);
        assertEquals("POST", get.headers().firstValue("Allow").orElse(""));
        HttpResponse<String> post = h.post(Routes.LANGUAGES, "{}");
        assertError(post, 405, ErrorCodes.METHOD_NOT_ALLOWED, null);
        assertEquals("GET", post.headers().firstValue("Allow").orElse(""));
        assertError(h.send(HttpRequest.newBuilder(h.uri(Routes.TRANSLATION)).DELETE()), 405, ErrorCodes.METHOD_NOT_ALLOWED, null);
    }

    @Test
    void languages() {
        HttpResponse<String> r = h.get(Routes.LANGUAGES);
        assertEquals(200, r.statusCode());
        JsonNode list = json(r).get("languages");
        assertEquals(engine.languages().size(), list.size());
        for (int i = 0; i < list.size(); i++) {
            assertEquals(engine.languages().get(i), list.get(i).get("code").textValue());
        }
        assertTrue(r.body().contains("{\"code\":\"en\",\"name\":\"English\"}"), r.body());
        assertTrue(r.body().contains("{\"code\":\"ja\",\"name\":\"Japanese\"}"), r.body());
    }

    @Test
    void probes() {
        HttpResponse<String> health = h.get(Routes.HEALTH);
        assertEquals(200, health.statusCode());
        assertEquals("UP", json(health).get("status").textValue());
        HttpResponse<String> ready = h.get(Routes.READY);
        assertEquals(200, ready.statusCode());
        assertEquals("READY", json(ready).get("status").textValue());
    }

    @Test
    void openApiDocumentDescribesEveryRoute() {
        HttpResponse<String> r = h.get(Routes.OPENAPI);
        assertEquals(200, r.statusCode());
        JsonNode doc = json(r);
        assertTrue(doc.get("openapi").textValue().startsWith("3."), r.body());
        assertEquals(Version.current(), doc.at("/info/version").textValue(), "one version: the POM's");
        for (String route : Routes.METHODS.keySet()) {
            assertTrue(doc.get("paths").has(route), route);
        }
        JsonNode codes = doc.at("/components/schemas/ErrorResponse/properties/error/properties/code/enum");
        List<String> documented = new ArrayList<>();
        codes.forEach(c -> documented.add(c.textValue()));
        for (var f : ErrorCodes.class.getFields()) {
            try {
                assertTrue(documented.contains((String) f.get(null)), f.getName());
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void metricsArePresentAndMove() {
        String before = h.get(Routes.METRICS).body();
        double translationsBefore = MetricsText.sum(before, "m2m100_http_requests_seconds_count",
                "route=\"/translation\"", "status=\"200\"");
        double tokensBefore = MetricsText.sum(before, "m2m100_generated_tokens_total");
        HttpResponse<String> ok = h.post(Routes.TRANSLATION, request(8, "en", "fr", "1", "Good evening, everyone."));
        assertEquals(200, ok.statusCode());
        assertTrue(ok.headers().firstValue("Server-Timing").orElse("").matches("queue;dur=\\d+\\.\\d"),
                "queue wait in Server-Timing: " + ok.headers().map());
        assertError(h.post(Routes.TRANSLATION, "{"), 400, ErrorCodes.MALFORMED_JSON, null);

        // A request is counted when its exchange ends, which may be just after the client has the answer.
        LifecycleTest.waitFor(() -> {
            String m = h.get(Routes.METRICS).body();
            return MetricsText.sum(m, "m2m100_http_requests_seconds_count", "route=\"/translation\"", "status=\"400\"") >= 1
                    && MetricsText.sum(m, "m2m100_http_requests_seconds_count", "route=\"/translation\"",
                    "status=\"200\"") >= translationsBefore + 1;
        }, "both requests counted");
        HttpResponse<String> r = h.get(Routes.METRICS);
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        String after = r.body();
        assertEquals(translationsBefore + 1, MetricsText.sum(after, "m2m100_http_requests_seconds_count",
                "route=\"/translation\"", "status=\"200\""));
        assertTrue(MetricsText.sum(after, "m2m100_http_requests_seconds_count", "route=\"/translation\"", "status=\"400\"") >= 1);
        assertTrue(MetricsText.sum(after, "m2m100_http_requests_seconds_bucket", "route=\"/translation\"", "le=\"+Inf\"") >= 2);
        assertTrue(MetricsText.sum(after, "m2m100_generated_tokens_total") > tokensBefore, "generated tokens must grow");
        assertTrue(MetricsText.sum(after, "m2m100_model_load_seconds") > 0, "model load time");
        assertTrue(MetricsText.sum(after, "m2m100_request_records_count") >= 1);
        assertTrue(MetricsText.sum(after, "m2m100_queue_wait_seconds_count") >= 1, "queue wait per request");
        assertTrue(MetricsText.sum(after, "m2m100_admitted_sequences_total") >= 1, "admissions counted");
        for (String name : List.of("m2m100_queue_depth", "m2m100_active_sequences", "m2m100_decode_steps_total",
                "m2m100_decoder_batch_rows_count", "m2m100_ready", "m2m100_inflight_requests",
                "m2m100_admitted_past_deadline_total", "m2m100_waiting_requests", "m2m100_waiting_clients",
                "m2m100_memory_shrinks_total", "m2m100_admission_limit")) {
            assertTrue(MetricsText.has(after, name), name + " missing");
        }
        assertEquals(1.0, MetricsText.sum(after, "m2m100_ready"));
    }

    private static String records(String inner) {
        return "{\"payload\":{\"fromLang\":\"en\",\"toLang\":\"ja\",\"records\":[" + inner + "]}}";
    }

    private static String options(String options) {
        return "{\"payload\":{\"fromLang\":\"en\",\"toLang\":\"ja\",\"options\":" + options
                + ",\"records\":[{\"id\":\"1\",\"text\":\"a\"}]}}";
    }

    private static List<String> iterate(Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
