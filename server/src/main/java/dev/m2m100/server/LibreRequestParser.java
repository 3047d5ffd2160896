package dev.m2m100.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.m2m100.server.text.TextFormat;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
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
        return kind == RequestBodies.Kind.JSON ? Json.parse(body) : form(new String(body, StandardCharsets.UTF_8));
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

    /** A urlencoded form as a JSON object: each field a string, a repeated field an array of strings. */
    static ObjectNode form(String body) {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            fields.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
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

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, ErrorCodes.MALFORMED_FORM,
                    "the form body is not valid application/x-www-form-urlencoded: " + e.getMessage(), null);
        }
    }
}
