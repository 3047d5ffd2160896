package dev.m2m100.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.m2m100.server.text.TextFormat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.m2m100.server.BodyFields.kind;
import static dev.m2m100.server.BodyFields.language;
import static dev.m2m100.server.BodyFields.required;
import static dev.m2m100.server.BodyFields.string;
import static dev.m2m100.server.BodyFields.wrongType;

/**
 * LibreTranslate's request bodies, as JSON or as {@code application/x-www-form-urlencoded} (a form is turned
 * into the same JSON tree first: one value = a string, a repeated {@code q} = an array), validated into a
 * {@link LibreRequest} or an {@link ApiException} naming the field. Unknown fields are ignored, as
 * LibreTranslate does (e.g. {@code alternatives}).
 */
final class LibreRequestParser {
    private final int maxRecords;
    private final int maxTextChars;

    LibreRequestParser(int maxRecords, int maxTextChars) {
        this.maxRecords = maxRecords;
        this.maxTextChars = maxTextChars;
    }

    /** The body as a JSON tree, whichever way it came. */
    static JsonNode tree(RequestBodies.Kind kind, byte[] body) {
        return kind == RequestBodies.Kind.JSON ? Json.parse(body) : form(body);
    }

    /** {@code POST /translate}: q, source, target, format, api_key. */
    LibreRequest translate(JsonNode root) {
        requireObject(root, "{\"q\":\"Hello\",\"source\":\"en\",\"target\":\"fr\"}");
        List<String> q = texts(required(root, "q", "q"));
        String source = language(root, "source", "source");
        String target = language(root, "target", "target");
        return new LibreRequest(q, root.get("q").isArray(), source, target, format(root.get("format")), apiKey(root));
    }

    /** {@code POST /detect}: q (one string), api_key. */
    LibreRequest detect(JsonNode root) {
        requireObject(root, "{\"q\":\"Hello\"}");
        JsonNode q = required(root, "q", "q");
        String text = BodyFields.text(q, "q", maxTextChars);
        return new LibreRequest(List.of(text), false, null, null, TextFormat.TEXT, apiKey(root));
    }

    /** The {@code api_key} field when it is a string, else null (for the access check before validation). */
    static String apiKey(JsonNode root) {
        JsonNode key = root == null ? null : root.get("api_key");
        return key != null && key.isTextual() ? key.textValue() : null;
    }

    private List<String> texts(JsonNode q) {
        if (q.isTextual()) {
            return List.of(BodyFields.text(q, "q", maxTextChars));
        }
        if (!q.isArray()) {
            throw wrongType("q", "a string or an array of strings", q);
        }
        if (q.size() > maxRecords) {
            throw BodyFields.tooMany("q", q.size(), maxRecords);
        }
        List<String> texts = new ArrayList<>(q.size());
        for (int i = 0; i < q.size(); i++) {
            texts.add(BodyFields.text(q.get(i), "q[" + i + "]", maxTextChars));
        }
        return texts;
    }

    private static TextFormat format(JsonNode node) {
        if (node == null || node.isNull()) {
            return TextFormat.TEXT;
        }
        return switch (string(node, "format").toLowerCase(Locale.ROOT)) {
            case "text" -> TextFormat.TEXT;
            case "html" -> TextFormat.HTML;
            default -> throw ApiException.badField(ErrorCodes.INVALID_VALUE, "format",
                    "format must be \"text\" or \"html\", got \"" + node.textValue() + "\"");
        };
    }

    private static void requireObject(JsonNode root, String example) {
        if (!root.isObject()) {
            throw new ApiException(400, ErrorCodes.INVALID_TYPE,
                    "request body must be a JSON object like " + example + ", got " + kind(root), null);
        }
    }

    /**
     * A urlencoded form as a JSON object: each field a string, a repeated field an array of strings. The body
     * must be UTF-8 and so must every %-decoded name and value (no silent U+FFFD); a bad %-escape or bad
     * bytes are a 400 {@code malformed_form} naming the byte offset in the body.
     */
    static ObjectNode form(byte[] body) {
        try {
            Utf8.decode(body);
        } catch (Utf8.Invalid e) {
            throw malformedForm("the form body is not valid UTF-8: malformed byte sequence at byte offset " + e.offset);
        }
        Map<String, List<String>> fields = new LinkedHashMap<>();
        int start = 0;
        while (start <= body.length) {
            int end = indexOf(body, (byte) '&', start, body.length);
            if (end > start) {
                int eq = indexOf(body, (byte) '=', start, end);
                String name = decode(body, start, eq);
                String value = eq == end ? "" : decode(body, eq + 1, end);
                fields.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            }
            start = end + 1;
        }
        ObjectNode root = Json.object();
        fields.forEach((name, values) -> {
            if (values.size() == 1) {
                root.put(name, values.getFirst());
            } else {
                ArrayNode array = root.putArray(name);
                values.forEach(array::add);
            }
        });
        return root;
    }

    /** The first index of {@code b} in {@code bytes[from, to)}, or {@code to}. */
    private static int indexOf(byte[] bytes, byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return to;
    }

    /** {@code +} → space and {@code %XX} → a byte over {@code body[from, to)}, then strict UTF-8. */
    private static String decode(byte[] body, int from, int to) {
        byte[] out = new byte[to - from];
        int[] source = new int[to - from]; // where in the body each decoded byte came from
        int n = 0;
        for (int i = from; i < to; i++) {
            byte b = body[i];
            source[n] = i;
            if (b == '+') {
                out[n++] = ' ';
            } else if (b == '%') {
                int hi = i + 1 < to ? Character.digit(body[i + 1], 16) : -1;
                int lo = i + 2 < to ? Character.digit(body[i + 2], 16) : -1;
                if (hi < 0 || lo < 0) {
                    throw malformedForm("the form body has an invalid %-escape at byte offset " + i
                            + " (expected % and two hex digits)");
                }
                out[n++] = (byte) (hi << 4 | lo);
                i += 2;
            } else {
                out[n++] = b;
            }
        }
        try {
            return Utf8.decode(out, 0, n);
        } catch (Utf8.Invalid e) {
            throw malformedForm("the form body's %-escapes do not decode to valid UTF-8 at byte offset "
                    + source[e.offset]);
        }
    }

    private static ApiException malformedForm(String message) {
        return new ApiException(400, ErrorCodes.MALFORMED_FORM, message, null);
    }
}
