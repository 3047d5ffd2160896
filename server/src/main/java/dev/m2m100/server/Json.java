package dev.m2m100.server;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
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

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {}

    /** Parses a UTF-8 body; a syntax error becomes a 400 {@code malformed_json} naming line and column. */
    static JsonNode parse(byte[] body) {
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw new ApiException(400, ErrorCodes.MALFORMED_JSON, "request body is empty; expected a JSON object", null);
            }
            return node;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new ApiException(400, ErrorCodes.MALFORMED_JSON,
                    "request body is not valid JSON" + where + ": " + e.getOriginalMessage(), null);
        } catch (IOException e) {
            throw new ApiException(400, ErrorCodes.MALFORMED_JSON, "request body could not be read as JSON", null);
        }
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
