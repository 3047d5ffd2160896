package dev.m2m100.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.m2m100.engine.GenerationOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.m2m100.server.Harness.assertError;
import static dev.m2m100.server.Harness.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code POST /translate} and {@code POST /detect} on a live server: LibreTranslate's shapes, and every bad input. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LibreTranslateApiTest {
    private static final int MAX_RECORDS = 4;
    private static final int MAX_TEXT_CHARS = 400;
    private static final int MAX_BODY_BYTES = 8 * 1024;
    private static final String JSON = "application/json";
    private static final String FORM = "application/x-www-form-urlencoded";

    private Harness h;
    private HoldingTranslator engine;

    @BeforeAll
    void start() throws Exception {
        Map<String, String> env = Map.of("MAX_RECORDS", "" + MAX_RECORDS, "MAX_TEXT_CHARS", "" + MAX_TEXT_CHARS,
                "MAX_BODY_BYTES", "" + MAX_BODY_BYTES);
        Map<String, String> all = new HashMap<>(TestModel.baseEnv());
        all.putAll(env);
        ServerConfig config = ServerConfig.fromEnvironment(all, Map.of());
        h = Harness.starting(env, () -> engine = new HoldingTranslator(EngineLoader.open(config)));
        h.server.loaded().get(120, TimeUnit.SECONDS);
    }

    @AfterAll
    void stop() {
        h.close();
    }

    /** The model's default generation, as /translate uses it. */
    private String direct(String text, String from, String to) {
        return engine.translateNow(List.of(text), from, to, GenerationOptions.DEFAULTS).getFirst();
    }

    private static String form(String... nameValue) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < nameValue.length; i += 2) {
            sb.append(i == 0 ? "" : "&").append(URLEncoder.encode(nameValue[i], StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(nameValue[i + 1], StandardCharsets.UTF_8));
        }
        return sb.toString();
    }

    @Test
    void translateAStringAsJsonAndAsAForm() {
        String text = "Hello world. How are you?";
        String expected = direct("Hello world.", "en", "fr") + " " + direct("How are you?", "en", "fr");
        HttpResponse<String> r = h.post(Routes.TRANSLATE, JSON, "{\"q\":\"" + text + "\",\"source\":\"en\",\"target\":\"fr\"}");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(List.of("translatedText"), fieldNames(json(r)));
        assertEquals(expected, json(r).get("translatedText").textValue());

        HttpResponse<String> f = h.post(Routes.TRANSLATE, FORM, form("q", text, "source", "en", "target", "fr", "format", "text"));
        assertEquals(200, f.statusCode(), f.body());
        assertEquals(expected, json(f).get("translatedText").textValue());
    }

    @Test
    void anArrayOfTextsGivesAnArrayAndIsOneSubmission() {
        int before = engine.calls();
        HttpResponse<String> r = h.post(Routes.TRANSLATE, JSON,
                "{\"q\":[\"Good morning. See you.\",\"\",\"Thanks!\"],\"source\":\"en\",\"target\":\"de\"}");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(before + 1, engine.calls(), "all sentences of all texts in one engine call");
        JsonNode texts = json(r).get("translatedText");
        assertEquals(3, texts.size());
        assertEquals(direct("Good morning.", "en", "de") + " " + direct("See you.", "en", "de"), texts.get(0).textValue());
        assertEquals("", texts.get(1).textValue());
        assertEquals(direct("Thanks!", "en", "de"), texts.get(2).textValue());
        // A repeated form field is an array too.
        HttpResponse<String> f = h.post(Routes.TRANSLATE, FORM, form("q", "Thanks!", "q", "", "source", "en", "target", "de"));
        assertEquals(200, f.statusCode(), f.body());
        assertEquals(2, json(f).get("translatedText").size());
    }

    @Test
    void autoSourceReportsTheDetectedLanguage() {
        String de = "Das Leben ist wie eine Schachtel Pralinen, man weiß nie, was man bekommt.";
        HttpResponse<String> r = h.post(Routes.TRANSLATE, JSON, "{\"q\":\"" + de + "\",\"source\":\"auto\",\"target\":\"en\"}");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode detected = json(r).get("detectedLanguage");
        assertEquals("de", detected.get("language").textValue());
        double confidence = detected.get("confidence").doubleValue();
        assertTrue(confidence > 0 && confidence <= 100, r.body());
        assertEquals(direct(de, "de", "en"), json(r).get("translatedText").textValue());
        HttpResponse<String> arr = h.post(Routes.TRANSLATE, JSON, "{\"q\":[\"" + de + "\",\"人生はチョコレートの箱のようなものだ。\"],"
                + "\"source\":\"auto\",\"target\":\"en\"}");
        assertEquals(200, arr.statusCode(), arr.body());
        assertEquals("de", json(arr).get("detectedLanguage").get(0).get("language").textValue());
        assertEquals("ja", json(arr).get("detectedLanguage").get(1).get("language").textValue());
        assertEquals(100.0, json(arr).get("detectedLanguage").get(1).get("confidence").doubleValue(), "kana decide alone");
    }

    @Test
    void htmlKeepsMarkupAndTranslatesTextNodes() {
        String html = "<p class=\"x\">Hello world. <b>Bold text.</b><br><code>x = 1</code> "
                + "<span translate=\"no\">Brand</span></p><!-- note --><script>var a = 1 < 2;</script>";
        HttpResponse<String> r = h.post(Routes.TRANSLATE, JSON, Harness.JSON.createObjectNode()
                .put("q", html).put("source", "en").put("target", "fr").put("format", "html").toString());
        assertEquals(200, r.statusCode(), r.body());
        String expected = "<p class=\"x\">" + escape(direct("Hello world.", "en", "fr")) + " <b>"
                + escape(direct("Bold text.", "en", "fr")) + "</b><br><code>x = 1</code> "
                + "<span translate=\"no\">Brand</span></p><!-- note --><script>var a = 1 < 2;</script>";
        assertEquals(expected, json(r).get("translatedText").textValue());
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\u00a0", "&nbsp;");
    }

    @Test
    void detect() {
        HttpResponse<String> r = h.post(Routes.DETECT, JSON, "{\"q\":\"La vie est comme une boîte de chocolats, on ne sait jamais sur quoi on va tomber.\"}");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode list = json(r);
        assertTrue(list.isArray() && list.size() == 1, r.body());
        assertEquals("fr", list.get(0).get("language").textValue());
        assertEquals(List.of("confidence", "language"), fieldNames(list.get(0)));
        HttpResponse<String> f = h.post(Routes.DETECT, FORM, form("q", "Жизнь как коробка шоколадных конфет."));
        assertEquals("ru", json(f).get(0).get("language").textValue());
        // Nothing to go by: the fallback, with confidence 0.
        HttpResponse<String> digits = h.post(Routes.DETECT, JSON, "{\"q\":\"12345\"}");
        assertEquals(200, digits.statusCode(), digits.body());
        assertEquals("en", json(digits).get(0).get("language").textValue());
        assertEquals(0.0, json(digits).get(0).get("confidence").doubleValue());
    }

    @Test
    void badInputToTranslate() {
        String t = Routes.TRANSLATE;
        assertError(h.post(t, JSON, "{\"q\":"), 400, ErrorCodes.MALFORMED_JSON, null);
        assertError(h.post(t, JSON, ""), 400, ErrorCodes.MALFORMED_JSON, null);
        assertError(h.post(t, JSON, "[\"q\"]"), 400, ErrorCodes.INVALID_TYPE, null);
        assertError(h.post(t, JSON, "{\"source\":\"en\",\"target\":\"fr\"}"), 400, ErrorCodes.MISSING_FIELD, "q");
        assertError(h.post(t, JSON, "{\"q\":\"a\",\"target\":\"fr\"}"), 400, ErrorCodes.MISSING_FIELD, "source");
        assertError(h.post(t, JSON, "{\"q\":\"a\",\"source\":\"en\"}"), 400, ErrorCodes.MISSING_FIELD, "target");
        assertError(h.post(t, JSON, "{\"q\":5,\"source\":\"en\",\"target\":\"fr\"}"), 400, ErrorCodes.INVALID_TYPE, "q");
        assertError(h.post(t, JSON, "{\"q\":[\"a\",7],\"source\":\"en\",\"target\":\"fr\"}"), 400, ErrorCodes.INVALID_TYPE, "q[1]");
        assertError(h.post(t, JSON, "{\"q\":\"a\",\"source\":[\"en\"],\"target\":\"fr\"}"), 400, ErrorCodes.INVALID_TYPE, "source");
        assertError(h.post(t, JSON, "{\"q\":\"a\",\"source\":\"\",\"target\":\"fr\"}"), 400, ErrorCodes.INVALID_VALUE, "source");
        assertError(h.post(t, JSON, "{\"q\":\"a\",\"source\":\"en\",\"target\":\"fr\",\"format\":\"markdown\"}"),
                400, ErrorCodes.INVALID_VALUE, "format");
        assertError(h.post(t, JSON, "{\"q\":\"a\",\"source\":\"en\",\"target\":\"fr\",\"format\":1}"), 400, ErrorCodes.INVALID_TYPE, "format");
        String msg = assertError(h.post(t, JSON, "{\"q\":\"a\",\"source\":\"xx\",\"target\":\"fr\"}"), 400,
                ErrorCodes.UNSUPPORTED_LANGUAGE, "source");
        assertTrue(msg.contains("en") && msg.contains("zh"), msg);
        assertError(h.post(t, JSON, "{\"q\":\"a\",\"source\":\"en\",\"target\":\"auto\"}"), 400, ErrorCodes.UNSUPPORTED_LANGUAGE, "target");
        assertError(h.post(t, JSON, "{\"q\":[\"a\",\"b\",\"c\",\"d\",\"e\"],\"source\":\"en\",\"target\":\"fr\"}"),
                400, ErrorCodes.TOO_MANY_RECORDS, "q");
        assertError(h.post(t, JSON, "{\"q\":[\"a\",\"" + "x".repeat(MAX_TEXT_CHARS + 1) + "\"],\"source\":\"en\",\"target\":\"fr\"}"),
                400, ErrorCodes.TEXT_TOO_LONG, "q[1]");
        assertError(h.post(t, JSON, "{\"q\":\"bad \\ud800\",\"source\":\"en\",\"target\":\"fr\"}"), 400, ErrorCodes.INVALID_VALUE, "q");
        assertError(h.post(t, FORM, "q=%zz&source=en&target=fr"), 400, ErrorCodes.MALFORMED_FORM, null);
        assertError(h.post(t, FORM, form("source", "en", "target", "fr")), 400, ErrorCodes.MISSING_FIELD, "q");
        assertError(h.post(t, "text/plain", "q=a"), 415, ErrorCodes.UNSUPPORTED_MEDIA_TYPE, null);
        assertError(h.post(t, ";", "{}"), 415, ErrorCodes.UNSUPPORTED_MEDIA_TYPE, null); // was a 500
        assertError(h.post(t, ";;", "{}"), 415, ErrorCodes.UNSUPPORTED_MEDIA_TYPE, null);
        assertError(h.post(t, JSON, "{\"q\":\"a\",\"source\":\"-\",\"target\":\"fr\"}"), 400,
                ErrorCodes.UNSUPPORTED_LANGUAGE, "source");
        assertError(h.post(t, "application/json; charset=latin1", "{}"), 415, ErrorCodes.UNSUPPORTED_MEDIA_TYPE, null);
        assertError(h.post(t, JSON, "{\"q\":\"" + "x".repeat(MAX_BODY_BYTES) + "\"}"), 413, ErrorCodes.PAYLOAD_TOO_LARGE, null);
        HttpResponse<String> get = h.get(t);
        assertError(get, 405, ErrorCodes.METHOD_NOT_ALLOWED, null);
        assertEquals("POST", get.headers().firstValue("Allow").orElse(""));
        stillServes();
    }

    @Test
    void badInputToDetect() {
        String d = Routes.DETECT;
        assertError(h.post(d, JSON, "{"), 400, ErrorCodes.MALFORMED_JSON, null);
        assertError(h.post(d, JSON, "{}"), 400, ErrorCodes.MISSING_FIELD, "q");
        assertError(h.post(d, JSON, "{\"q\":[\"a\"]}"), 400, ErrorCodes.INVALID_TYPE, "q");
        assertError(h.post(d, JSON, "\"q\""), 400, ErrorCodes.INVALID_TYPE, null);
        assertError(h.post(d, JSON, "{\"q\":\"" + "x".repeat(MAX_TEXT_CHARS + 1) + "\"}"), 400, ErrorCodes.TEXT_TOO_LONG, "q");
        assertError(h.post(d, FORM, "q=%"), 400, ErrorCodes.MALFORMED_FORM, null);
        assertError(h.post(d, "text/xml", "<q/>"), 415, ErrorCodes.UNSUPPORTED_MEDIA_TYPE, null);
        assertError(h.send(HttpRequest.newBuilder(h.uri(d)).PUT(HttpRequest.BodyPublishers.ofString("{}"))),
                405, ErrorCodes.METHOD_NOT_ALLOWED, null);
        stillServes();
    }

    /** Nothing lost after bad input: the server answers, nothing is left in flight. */
    private void stillServes() {
        HttpResponse<String> ok = h.post(Routes.TRANSLATE, JSON, "{\"q\":\"OK\",\"source\":\"en\",\"target\":\"fr\"}");
        assertEquals(200, ok.statusCode(), ok.body());
        LifecycleTest.waitFor(() -> h.server.inFlight() == 0, "no request left in flight");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> out = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
