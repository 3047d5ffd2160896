package dev.m2m100.server;

import static dev.m2m100.server.Harness.assertError;
import static dev.m2m100.server.Harness.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.m2m100.engine.EngineSettings;
import dev.m2m100.engine.GenerationOptions;
import dev.m2m100.engine.TranslationEngine;
import dev.m2m100.engine.backend.DeviceSpec;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The service on an NLLB-200 model (testdata/nllb-tiny) on a live loopback server: the seed contract with the
 * seed's en/ja codes, the model's own codes and BCP-47 tags, /languages from the model, LibreTranslate's
 * endpoints and detection answering in the model's codes, unknown codes a 400 naming the field.
 */
class NllbServerTest {
    static final Path NLLB = Path.of("..", "testdata", "nllb-tiny").toAbsolutePath().normalize();
    static final String CHOCOLATES = "Life is like a box of chocolates.";
    private static Harness h;
    private static TranslationEngine direct;

    @BeforeAll
    static void start() throws IOException {
        h = Harness.ready(Map.of("MODEL_DIR", NLLB.toString()));
        direct = TranslationEngine.open(NLLB, EngineSettings.DEFAULTS.withDevice(DeviceSpec.CPU));
    }

    @AfterAll
    static void stop() {
        if (h != null) {
            h.close();
        }
        if (direct != null) {
            direct.close();
        }
    }

    /** The engine alone, in the model's codes, with the model's default (greedy) search. */
    private static String expected(String text, String from, String to) {
        return direct.translateNow(List.of(text), from, to, GenerationOptions.DEFAULTS).getFirst();
    }

    private static String seed(String from, String to, String text) {
        ObjectNode root = Harness.JSON.createObjectNode();
        ObjectNode payload = root.putObject("payload");
        payload.put("fromLang", from).put("toLang", to);
        payload.putArray("records").addObject().put("id", "123").put("text", text);
        return root.toString();
    }

    @Test
    void theSeedContractWithEnAndJa() {
        HttpResponse<String> r = h.post(Routes.TRANSLATION, seed("en", "ja", CHOCOLATES));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode result = json(r).get("result");
        assertEquals(1, result.size());
        assertEquals("123", result.get(0).get("id").textValue());
        String want = expected(CHOCOLATES, "eng_Latn", "jpn_Jpan");
        assertEquals(want, result.get(0).get("text").textValue());
        // The same request in the model's own codes, in other cases and as BCP-47 tags.
        for (String[] pair : new String[][] {{"eng_Latn", "jpn_Jpan"}, {"EN", "JA"}, {"en-US", "ja-JP"}, {"eng", "jpn"}}) {
            HttpResponse<String> same = h.post(Routes.TRANSLATION, seed(pair[0], pair[1], CHOCOLATES));
            assertEquals(200, same.statusCode(), same.body());
            assertEquals(want, json(same).get("result").get(0).get("text").textValue(), pair[0] + " -> " + pair[1]);
        }
    }

    @Test
    void chineseScriptsFollowTheTag() {
        HttpResponse<String> hans = h.post(Routes.TRANSLATION, seed("en", "zh-CN", CHOCOLATES));
        HttpResponse<String> hant = h.post(Routes.TRANSLATION, seed("en", "zh-TW", CHOCOLATES));
        assertEquals(200, hans.statusCode(), hans.body());
        assertEquals(200, hant.statusCode(), hant.body());
        assertEquals(expected(CHOCOLATES, "eng_Latn", "zho_Hans"), json(hans).get("result").get(0).get("text").textValue());
        assertEquals(expected(CHOCOLATES, "eng_Latn", "zho_Hant"), json(hant).get("result").get(0).get("text").textValue());
    }

    @Test
    void unknownCodesAreA400NamingTheField() {
        String msg = assertError(h.post(Routes.TRANSLATION, seed("xx", "ja", "a")), 400, ErrorCodes.UNSUPPORTED_LANGUAGE,
                "payload.fromLang");
        assertTrue(msg.contains("eng_Latn") && msg.contains("zul_Latn"), msg);
        assertError(h.post(Routes.TRANSLATION, seed("en", "br", "a")), 400, ErrorCodes.UNSUPPORTED_LANGUAGE,
                "payload.toLang");
        assertError(h.post(Routes.TRANSLATE, "application/json", "{\"q\":\"a\",\"source\":\"en\",\"target\":\"xx\"}"),
                400, ErrorCodes.UNSUPPORTED_LANGUAGE, "target");
        assertError(h.post(Routes.TRANSLATE, "application/json", "{\"q\":\"a\",\"source\":\"qq\",\"target\":\"fr\"}"),
                400, ErrorCodes.UNSUPPORTED_LANGUAGE, "source");
    }

    @Test
    void languagesAreTheModelsOwn() {
        HttpResponse<String> r = h.get(Routes.LANGUAGES);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode list = json(r).get("languages");
        assertEquals(202, list.size());
        assertEquals("ace_Arab", list.get(0).get("code").textValue());
        assertEquals("eng_Latn", list.get(46).get("code").textValue());
        assertEquals("English", list.get(46).get("name").textValue());
        assertEquals("zho_Hans", list.get(199).get("code").textValue());
        assertEquals("Chinese (Simplified)", list.get(199).get("name").textValue());
    }

    @Test
    void libreTranslateAndDetectionAnswerInTheModelsCodes() {
        HttpResponse<String> t = h.post(Routes.TRANSLATE, "application/json",
                "{\"q\":\"" + CHOCOLATES + "\",\"source\":\"en\",\"target\":\"fr\"}");
        assertEquals(200, t.statusCode(), t.body());
        assertEquals(expected(CHOCOLATES, "eng_Latn", "fra_Latn"), json(t).get("translatedText").textValue());

        String de = "Das Leben ist wie eine Schachtel Pralinen, man weiß nie, was man bekommt.";
        HttpResponse<String> d = h.post(Routes.DETECT, "application/json", "{\"q\":\"" + de + "\"}");
        assertEquals(200, d.statusCode(), d.body());
        assertEquals("deu_Latn", json(d).get(0).get("language").textValue());

        HttpResponse<String> auto = h.post(Routes.TRANSLATION, seed("auto", "en", de));
        assertEquals(200, auto.statusCode(), auto.body());
        JsonNode record = json(auto).get("result").get(0);
        assertEquals("deu_Latn", record.get("detectedLang").textValue());
        assertEquals(expected(de, "deu_Latn", "eng_Latn"), record.get("text").textValue());
    }
}
