package dev.m2m100.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.m2m100.engine.GenerationOptions;
import dev.m2m100.engine.Translator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.m2m100.server.Harness.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The text contract of issue 11 on a live server with the tiny model (its outputs are gibberish but
 * deterministic, which is what makes the equalities testable): a text is translated sentence by sentence and
 * put back together with the source's whitespace, {@code tr("A. B.") == tr("A.") + " " + tr("B.")}.
 * {@code tr(x)} is what the same server answers for the record {@code x} alone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TextContractTest {
    private static final int MAX_LENGTH = 10;
    private Harness h;
    private Translator engine;

    @BeforeAll
    void start() {
        h = Harness.ready(Map.of());
        engine = h.server.translator();
    }

    @AfterAll
    void stop() {
        h.close();
    }

    /** The server's translations of records, in order. */
    private List<String> tr(String from, String to, String... texts) {
        String[] idText = new String[texts.length * 2];
        for (int i = 0; i < texts.length; i++) {
            idText[2 * i] = "r" + i;
            idText[2 * i + 1] = texts[i];
        }
        HttpResponse<String> r = h.post(Routes.TRANSLATION, TranslationApiTest.request(MAX_LENGTH, from, to, idText));
        assertEquals(200, r.statusCode(), r.body());
        List<String> out = new ArrayList<>();
        json(r).get("result").forEach(n -> out.add(n.get("text").textValue()));
        return out;
    }

    private String tr1(String from, String to, String text) {
        return tr(from, to, text).getFirst();
    }

    @Test
    void sentencesAreTranslatedOneByOneAndJoinedWithTheirSpace() {
        String a = "The weather is nice today.";
        String b = "We will go to the beach.";
        String ta = tr1("en", "fr", a);
        String tb = tr1("en", "fr", b);
        // tr(A) is the engine's translation of A alone: no second decode path.
        assertEquals(engine.translateNow(List.of(a), "en", "fr", new GenerationOptions(null, MAX_LENGTH, null, null, null, null)).getFirst(), ta);
        assertEquals(ta + " " + tb, tr1("en", "fr", a + " " + b));
        assertEquals(ta + "\n\n" + tb, tr1("en", "fr", a + "\n\n" + b));
        assertEquals(ta + "\n" + tb, tr1("en", "fr", a + "\n" + b));
        assertEquals(ta + "  " + tb, tr1("en", "fr", a + "  " + b));
        assertEquals("  " + ta + "\n", tr1("en", "fr", "  " + a + "\n"));
    }

    @Test
    void sourceWithoutSpacesIntoSpacedTargetGetsOneSpace() {
        String a = "今日は晴れです。";
        String b = "明日は雨でしょう。";
        String ta = tr1("ja", "en", a);
        String tb = tr1("ja", "en", b);
        assertEquals(ta + " " + tb, tr1("ja", "en", a + b));
        assertEquals(ta + "\n" + tb, tr1("ja", "en", a + "\n" + b));
        String c = "你好。";
        String d = "我很好！";
        assertEquals(tr1("zh", "de", c) + " " + tr1("zh", "de", d), tr1("zh", "de", c + d));
    }

    @Test
    void targetWithoutSpacesDropsTheSpaceButKeepsLineBreaks() {
        String a = "The weather is nice today.";
        String b = "We will go to the beach.";
        for (String to : List.of("ja", "zh")) {
            String ta = tr1("en", to, a);
            String tb = tr1("en", to, b);
            assertEquals(ta + tb, tr1("en", to, a + " " + b), to);
            assertEquals(ta + "\n\n" + tb, tr1("en", to, a + "\n\n" + b), to);
        }
        // Between two unspaced scripts nothing is added either.
        assertEquals(tr1("zh", "ja", "你好。") + tr1("zh", "ja", "我很好！"), tr1("zh", "ja", "你好。我很好！"));
    }

    @Test
    void emptyAndWhitespaceSegmentsPassThroughUntouched() {
        assertEquals(List.of("", " ", "\n\n", "\t \u3000"), tr("en", "fr", "", " ", "\n\n", "\t \u3000"));
        String t = tr1("en", "fr", "Hello.");
        assertEquals("\n\n" + t + "\n\n", tr1("en", "fr", "\n\nHello.\n\n"));
    }

    /** Random texts made of known sentences and separators: the answer is always the parts' answers, rejoined. */
    @Test
    void randomTextsFollowTheRule() {
        String[] sentences = {"Good morning.", "How are you today?", "The file could not be opened!",
                "Please try again later.", "Thank you very much."};
        String[] separators = {" ", "  ", "\n", "\n\n", " \n ", "\t"};
        List<String> alone = tr("en", "de", sentences);
        Random random = new Random(5);
        List<String> texts = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int n = 0; n < 12; n++) {
            StringBuilder text = new StringBuilder();
            StringBuilder want = new StringBuilder();
            int count = 1 + random.nextInt(4);
            for (int i = 0; i < count; i++) {
                int s = random.nextInt(sentences.length);
                if (i > 0) {
                    String sep = separators[random.nextInt(separators.length)];
                    text.append(sep);
                    want.append(sep);
                }
                text.append(sentences[s]);
                want.append(alone.get(s));
            }
            texts.add(text.toString());
            expected.add(want.toString());
        }
        assertEquals(expected, tr("en", "de", texts.toArray(String[]::new)));
    }

    @Test
    void autoDetectsPerRecordInOneRequest() {
        String en = "Life is like a box of chocolates, you never know what you are going to get.";
        String de = "Das Leben ist wie eine Schachtel Pralinen, man weiß nie, was man bekommt.";
        String ja = "人生はチョコレートの箱のようなものだ。";
        HttpResponse<String> r = h.post(Routes.TRANSLATION, TranslationApiTest.request(MAX_LENGTH, "auto", "fr",
                "1", en, "2", de, "3", ja, "4", "  "));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode result = json(r).get("result");
        assertEquals("en", result.get(0).get("detectedLang").textValue());
        assertEquals("de", result.get(1).get("detectedLang").textValue());
        assertEquals("ja", result.get(2).get("detectedLang").textValue());
        assertEquals(tr1("en", "fr", en), result.get(0).get("text").textValue());
        assertEquals(tr1("de", "fr", de), result.get(1).get("text").textValue());
        assertEquals(tr1("ja", "fr", ja), result.get(2).get("text").textValue());
        assertEquals("  ", result.get(3).get("text").textValue());
        assertTrue(result.get(3).has("detectedLang"), r.body());
        // A record already in the target language comes back unchanged.
        HttpResponse<String> same = h.post(Routes.TRANSLATION, TranslationApiTest.request(MAX_LENGTH, "auto", "en", "1", en));
        assertEquals(en, json(same).get("result").get(0).get("text").textValue());
        // Without auto, no detectedLang.
        HttpResponse<String> plain = h.post(Routes.TRANSLATION, TranslationApiTest.request(MAX_LENGTH, "en", "fr", "1", en));
        assertTrue(!json(plain).get("result").get(0).has("detectedLang"), plain.body());
    }
}
