package dev.m2m100.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static dev.m2m100.server.Harness.assertError;
import static dev.m2m100.server.Harness.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad request bodies found by fuzzing: each is a 400 whose message names the problem in plain words (never a
 * Java or Jackson class or feature flag), and the body must be strict UTF-8, in JSON and in %-decoded forms.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RequestBodyParsingTest {
    private static final String JSON = "application/json";
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final List<String> INTERNALS = List.of("com.fasterxml", "jackson", "Feature", "Exception", "java.",
            "`", "REDACTED", "URLDecoder", "StreamReadConstraints", "JsonNode");

    private Harness h;

    @BeforeAll
    void start() {
        h = Harness.ready(Map.of("MAX_BODY_BYTES", "" + (1024 * 1024)));
    }

    @AfterAll
    void stop() {
        h.close();
    }

    private static String body(String options) {
        return "{\"payload\":{\"fromLang\":\"en\",\"records\":[{\"id\":\"1\",\"text\":\"Hello\"}],\"toLang\":\"fr\""
                + (options == null ? "" : ",\"options\":" + options) + "}}";
    }

    private HttpResponse<String> postBytes(String path, String contentType, byte[] body) {
        return h.send(HttpRequest.newBuilder(h.uri(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    /** A 400 with {@code code}, no field, a message free of internals that contains each of {@code expected}. */
    private static String assertPlain(HttpResponse<String> r, String code, String... expected) {
        String message = assertError(r, 400, code, null);
        for (String internal : INTERNALS) {
            assertFalse(r.body().toLowerCase(java.util.Locale.ROOT).contains(internal.toLowerCase(java.util.Locale.ROOT)),
                    () -> "internals (" + internal + ") in " + r.body());
        }
        for (String e : expected) {
            assertTrue(message.contains(e), () -> "expected '" + e + "' in: " + message);
        }
        return message;
    }

    private static byte[] concat(String before, byte[] middle, String after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(middle);
        out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    @Test
    void nonFiniteAndNonStandardNumbers() {
        for (String bad : List.of("NaN", "Infinity", "-Infinity", "+Infinity")) {
            assertPlain(h.post(Routes.TRANSLATION, body("{\"beamSize\":" + bad + "}")), ErrorCodes.MALFORMED_JSON,
                    "not valid JSON", "numbers must be finite", "at line 1, column");
        }
        assertPlain(h.post(Routes.TRANSLATION, body("{\"beamSize\":+4}")), ErrorCodes.MALFORMED_JSON,
                "not valid JSON", "must not start with '+'", "at line 1, column");
        assertPlain(h.post(Routes.TRANSLATION, body("{\"beamSize\":04}")), ErrorCodes.MALFORMED_JSON, "leading zeros");
        assertPlain(h.post(Routes.TRANSLATE, JSON, "{\"q\":\"a\",\"source\":\"en\",\"target\":\"fr\",\"x\":NaN}"),
                ErrorCodes.MALFORMED_JSON, "numbers must be finite");
    }

    @Test
    void sizeLimitsOfTheParser() {
        String deep = "{\"payload\":" + "[".repeat(1001) + "]".repeat(1001) + "}";
        assertPlain(h.post(Routes.TRANSLATION, deep), ErrorCodes.MALFORMED_JSON, "the JSON nests deeper than 1000 levels");
        String number = body("{\"beamSize\":" + "1".repeat(1001) + "}");
        assertPlain(h.post(Routes.TRANSLATION, number), ErrorCodes.MALFORMED_JSON, "a number is longer than 1000 digits");
        String key = "{\"" + "k".repeat(50_001) + "\":1}";
        assertPlain(h.post(Routes.TRANSLATION, key), ErrorCodes.MALFORMED_JSON, "a key is longer than 50000 characters");
    }

    @Test
    void syntaxErrorsInPlainWords() {
        String valid = body(null);
        String msg = assertPlain(h.post(Routes.TRANSLATION, valid + "{}"), ErrorCodes.MALFORMED_JSON,
                "unexpected data after the JSON object", "at line 1, column " + (valid.length() + 1));
        assertPlain(h.post(Routes.TRANSLATION, valid + " x"), ErrorCodes.MALFORMED_JSON, "unexpected data after the JSON object");
        String truncated = valid.substring(0, valid.length() - 2);
        msg = assertPlain(h.post(Routes.TRANSLATION, truncated), ErrorCodes.MALFORMED_JSON,
                "the body is not valid JSON: unexpected end of input at line 1, column");
        assertFalse(msg.contains("Source"), msg);
        assertPlain(h.post(Routes.TRANSLATION, "{\"payload\":{},\"payload\":{}}"), ErrorCodes.MALFORMED_JSON,
                "duplicate key \"payload\"");
        assertPlain(h.post(Routes.TRANSLATION, "{'payload':{}}"), ErrorCodes.MALFORMED_JSON, "double quotes");
        assertPlain(h.post(Routes.TRANSLATION, "{\"payload\":{} // hi\n}"), ErrorCodes.MALFORMED_JSON, "comments");
        assertPlain(h.post(Routes.TRANSLATION, "{\"payload\":tru}"), ErrorCodes.MALFORMED_JSON, "unrecognized token");
        assertPlain(h.post(Routes.TRANSLATION, "{\"payload\":{]}"), ErrorCodes.MALFORMED_JSON, "not valid JSON", "line 1");
        assertPlain(h.post(Routes.TRANSLATION, "{\"payload\":\"a\tb\"}"), ErrorCodes.MALFORMED_JSON, "control character");
        assertPlain(h.post(Routes.TRANSLATION, "{\"payload\":\"\\q\"}"), ErrorCodes.MALFORMED_JSON, "backslash escape");
        assertPlain(h.post(Routes.TRANSLATION, ""), ErrorCodes.MALFORMED_JSON, "empty");
        assertPlain(h.post(Routes.DETECT, JSON, "{\"q\":"), ErrorCodes.MALFORMED_JSON, "unexpected end of input");
    }

    @Test
    void formEscapes() {
        assertPlain(h.post(Routes.TRANSLATE, FORM, "q=%zz&source=en&target=fr"), ErrorCodes.MALFORMED_FORM,
                "the form body has an invalid %-escape at byte offset 2");
        assertPlain(h.post(Routes.DETECT, FORM, "q=a%"), ErrorCodes.MALFORMED_FORM, "invalid %-escape at byte offset 3");
        assertPlain(h.post(Routes.DETECT, FORM, "q=a%4"), ErrorCodes.MALFORMED_FORM, "invalid %-escape");
    }

    /** Overlong forms, encoded surrogates, stray and truncated sequences: each rejected, naming the byte offset. */
    @Test
    void jsonBodyMustBeStrictUtf8() {
        String before = "{\"payload\":{\"fromLang\":\"en\",\"records\":[{\"id\":\"";
        String after = "\",\"text\":\"Hello\"}],\"toLang\":\"fr\"}}";
        int offset = before.length();
        for (byte[] bad : List.of(bytes(0xC0, 0xAF), bytes(0xC1, 0xBF), bytes(0xE0, 0x80, 0xAF),
                bytes(0xF0, 0x80, 0x80, 0xAF), bytes(0xED, 0xA0, 0x80), bytes(0xFF), bytes(0x80), bytes(0xE2, 0x82),
                bytes(0xF4, 0x90, 0x80, 0x80))) {
            assertPlain(postBytes(Routes.TRANSLATION, JSON, concat(before, bad, after)), ErrorCodes.MALFORMED_JSON,
                    "not valid UTF-8", "byte offset " + offset);
        }
        assertPlain(postBytes(Routes.TRANSLATE, JSON, concat("{\"q\":\"", bytes(0xC0, 0xAF),
                "\",\"source\":\"en\",\"target\":\"fr\"}")), ErrorCodes.MALFORMED_JSON, "not valid UTF-8", "byte offset 6");
        // Truncated at the very end of the body.
        assertPlain(postBytes(Routes.DETECT, JSON, concat("{\"q\":\"a\"}", bytes(0xE2), "")), ErrorCodes.MALFORMED_JSON,
                "not valid UTF-8", "byte offset 9");
    }

    @Test
    void utf16AndUtf32BodiesAreRejected() {
        String text = body(null);
        for (Charset cs : List.of(StandardCharsets.UTF_16BE, StandardCharsets.UTF_16LE, StandardCharsets.UTF_16,
                Charset.forName("UTF-32BE"), Charset.forName("UTF-32LE"))) {
            HttpResponse<String> r = postBytes(Routes.TRANSLATION, JSON, text.getBytes(cs));
            String msg = assertPlain(r, ErrorCodes.MALFORMED_JSON, "byte offset");
            assertTrue(msg.contains("UTF-16") || msg.contains("UTF-8"), msg);
        }
        assertPlain(postBytes(Routes.DETECT, JSON, "{\"q\":\"Hello\"}".getBytes(StandardCharsets.UTF_16LE)),
                ErrorCodes.MALFORMED_JSON, "UTF-16 and UTF-32 bodies are not accepted");
    }

    @Test
    void formValuesMustBeStrictUtf8() {
        for (String bad : List.of("%C0%AF", "%C1%BF", "%E0%80%AF", "%ED%A0%80", "%FF", "%E2%82", "%80")) {
            assertPlain(h.post(Routes.DETECT, FORM, "q=" + bad), ErrorCodes.MALFORMED_FORM,
                    "do not decode to valid UTF-8 at byte offset 2");
        }
        assertPlain(h.post(Routes.TRANSLATE, FORM, "source=en&target=fr&q=ok%E2%82"), ErrorCodes.MALFORMED_FORM,
                "valid UTF-8 at byte offset 24");
        // Raw (not %-escaped) invalid bytes in the form body.
        assertPlain(postBytes(Routes.DETECT, FORM, concat("q=", bytes(0xC0, 0xAF), "")), ErrorCodes.MALFORMED_FORM,
                "not valid UTF-8", "byte offset 2");
    }

    @Test
    void validUtf8StillWorks() {
        HttpResponse<String> r = h.post(Routes.DETECT, FORM, "q=%D0%96%D0%B8%D0%B7%D0%BD%D1%8C+%D0%BA%D0%B0%D0%BA+"
                + "%D0%BA%D0%BE%D1%80%D0%BE%D0%B1%D0%BA%D0%B0");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("ru", json(r).get(0).get("language").textValue());
        r = postBytes(Routes.DETECT, JSON, "{\"q\":\"Жизнь как коробка шоколадных конфет.\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("ru", json(r).get(0).get("language").textValue());
        // A UTF-8 byte order mark is still allowed, as before.
        r = postBytes(Routes.DETECT, JSON, concat("", bytes(0xEF, 0xBB, 0xBF), "{\"q\":\"Hello\"}"));
        assertEquals(200, r.statusCode(), r.body());
        // An escaped NUL inside a string is fine (only a raw NUL byte is refused).
        r = postBytes(Routes.DETECT, JSON, "{\"q\":\"Hello\\u0000 world\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals(200, r.statusCode(), r.body());
    }
}
