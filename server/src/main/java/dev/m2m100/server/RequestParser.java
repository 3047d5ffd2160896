package dev.m2m100.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.m2m100.engine.GenerationOptions;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static dev.m2m100.server.BodyFields.kind;
import static dev.m2m100.server.BodyFields.language;
import static dev.m2m100.server.BodyFields.required;
import static dev.m2m100.server.BodyFields.wrongType;

/**
 * Turns a JSON tree into a {@link TranslationRequest}, or an {@link ApiException} naming the exact field path
 * (e.g. {@code payload.records[2].text}) and what is wrong with it. Unknown fields are ignored (forward
 * compatibility), except inside {@code options}, where a misspelt option would otherwise be silently lost.
 */
final class RequestParser {
    /** Upper bounds of the per-request options; the engine applies its own model limits too. */
    static final int MAX_BEAM_SIZE = 16;
    // M2M100 and NLLB-200 have 1,024 decoder positions, and the start token takes one: 1,024 new tokens never fit.
    static final int MAX_LENGTH = 1023;

    private final int maxRecords;
    private final int maxTextChars;

    RequestParser(int maxRecords, int maxTextChars) {
        this.maxRecords = maxRecords;
        this.maxTextChars = maxTextChars;
    }

    TranslationRequest parse(JsonNode root) {
        if (!root.isObject()) {
            throw new ApiException(400, ErrorCodes.INVALID_TYPE,
                    "request body must be a JSON object like {\"payload\":{…}}, got " + kind(root), null);
        }
        JsonNode payload = required(root, "payload", "payload");
        if (!payload.isObject()) {
            throw wrongType("payload", "an object", payload);
        }
        String fromLang = language(payload, "fromLang", "payload.fromLang");
        String toLang = language(payload, "toLang", "payload.toLang");
        List<TranslationRequest.Item> records = records(required(payload, "records", "payload.records"));
        GenerationOptions options = options(payload.get("options"));
        return new TranslationRequest(fromLang, toLang, records, options);
    }

    private List<TranslationRequest.Item> records(JsonNode node) {
        if (!node.isArray()) {
            throw wrongType("payload.records", "an array of {\"id\",\"text\"} objects", node);
        }
        if (node.size() > maxRecords) {
            throw BodyFields.tooMany("payload.records", node.size(), maxRecords);
        }
        List<TranslationRequest.Item> items = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            String path = "payload.records[" + i + "]";
            JsonNode record = node.get(i);
            if (!record.isObject()) {
                throw wrongType(path, "an object with \"id\" and \"text\"", record);
            }
            String id = BodyFields.id(required(record, "id", path + ".id"), path + ".id");
            String text = BodyFields.text(required(record, "text", path + ".text"), path + ".text", maxTextChars);
            items.add(new TranslationRequest.Item(id, text));
        }
        return items;
    }

    private static GenerationOptions options(JsonNode node) {
        if (node == null || node.isNull()) {
            return GenerationOptions.DEFAULTS;
        }
        if (!node.isObject()) {
            throw wrongType("payload.options", "an object like {\"beamSize\": 5, \"maxLength\": 64}", node);
        }
        Integer beams = null;
        Integer maxLength = null;
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            JsonNode value = node.get(name);
            String path = "payload.options." + name;
            switch (name) {
                case "beamSize" -> beams = boundedInt(value, path, 1, MAX_BEAM_SIZE);
                case "maxLength" -> maxLength = boundedInt(value, path, 1, MAX_LENGTH);
                default -> throw ApiException.badField(ErrorCodes.INVALID_VALUE, path,
                        "unknown option '" + name + "'; known options: beamSize, maxLength");
            }
        }
        // maxLength bounds the tokens generated per record (Hugging Face's max_new_tokens).
        return new GenerationOptions(beams, maxLength, null, null, null, null);
    }

    private static Integer boundedInt(JsonNode value, String path, int min, int max) {
        if (value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber()) {
            throw wrongType(path, "an integer", value);
        }
        if (!value.canConvertToInt() || value.intValue() < min || value.intValue() > max) {
            throw ApiException.badField(ErrorCodes.INVALID_VALUE, path,
                    path + " must be in " + min + ".." + max + ", got " + value);
        }
        return value.intValue();
    }
}
