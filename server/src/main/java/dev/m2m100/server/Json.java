package dev.m2m100.server;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The service's one JSON codec. Parsing is strict about syntax (duplicate keys and trailing garbage are
 * errors) so that a malformed body is always a 400, never a half-understood request.
 */
final class Json {
    static final String CONTENT_TYPE = "application/json; charset=utf-8";

    // Trailing data is checked by parse() itself, so that the error can say so plainly.
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private Json() {}

    /**
     * Parses a UTF-8 body; anything else becomes a 400 {@code malformed_json} whose message names the problem
     * in plain words (with line and column, or byte offset, where known) and never Jackson's own text, which
     * names library classes and feature flags.
     */
    static JsonNode parse(byte[] body) {
        String text = utf8Text(body);
        try (JsonParser parser = MAPPER.createParser(text)) {
            JsonNode node = MAPPER.readTree(parser);
            if (node == null || node.isMissingNode()) {
                throw malformed("request body is empty; expected a JSON object");
            }
            JsonLocation extraAt;
            try {
                extraAt = parser.nextToken() == null ? null : parser.currentTokenLocation();
            } catch (JsonProcessingException e) {
                extraAt = e.getLocation() == null ? parser.currentLocation() : e.getLocation();
            }
            if (extraAt != null) {
                throw malformed("the body is not valid JSON: unexpected data after the JSON "
                        + (node.isObject() ? "object" : node.isArray() ? "array" : "value") + where(extraAt));
            }
            return node;
        } catch (JsonProcessingException e) {
            throw malformed("the body is not valid JSON: " + JsonProblems.describe(e, MAPPER.getFactory().streamReadConstraints())
                    + where(e.getLocation()));
        } catch (IOException e) {
            throw malformed("the body could not be read as JSON");
        }
    }

    /** The body as text: strict UTF-8 (no overlong forms, surrogates or stray bytes), no NULs (UTF-16/32), BOM dropped. */
    private static String utf8Text(byte[] body) {
        String text;
        try {
            text = Utf8.decode(body);
        } catch (Utf8.Invalid e) {
            boolean utf16Bom = body.length >= 2 && ((body[0] == (byte) 0xFE && body[1] == (byte) 0xFF)
                    || (body[0] == (byte) 0xFF && body[1] == (byte) 0xFE));
            throw malformed("the body is not valid UTF-8: malformed byte sequence at byte offset " + e.offset
                    + (utf16Bom ? " (a UTF-16 byte order mark; only UTF-8 is accepted)" : ""));
        }
        for (int i = 0; i < body.length; i++) {
            if (body[i] == 0) {
                // Never valid in JSON text; the sign of a UTF-16 or UTF-32 body, which Jackson would otherwise auto-detect.
                throw malformed("the body is not UTF-8 JSON: a NUL byte at byte offset " + i
                        + " (UTF-16 and UTF-32 bodies are not accepted)");
            }
        }
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    private static String where(JsonLocation at) {
        if (at == null || at.getLineNr() < 1) {
            return "";
        }
        return " at line " + at.getLineNr() + (at.getColumnNr() < 1 ? "" : ", column " + at.getColumnNr());
    }

    private static ApiException malformed(String message) {
        return new ApiException(400, ErrorCodes.MALFORMED_JSON, message, null);
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a JSON tree", e);
        }
    }

    /** {@code {"error":{"code":…,"message":…,"field":…}}}. */
    static byte[] error(String code, String message, String field) {
        ObjectNode root = object();
        ObjectNode error = root.putObject("error");
        error.put("code", code);
        error.put("message", message);
        if (field == null) {
            error.putNull("field");
        } else {
            error.put("field", field);
        }
        return bytes(root);
    }

    static String errorText(String code, String message, String field) {
        return new String(error(code, message, field), StandardCharsets.UTF_8);
    }
}
