package dev.m2m100.server;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Field checks shared by the request parsers: presence, JSON type and text limits, each failure an
 * {@link ApiException} naming the field's path ({@code payload.records[2].text}, {@code q[1]}).
 */
final class BodyFields {
    private BodyFields() {}

    static JsonNode required(JsonNode parent, String name, String path) {
        JsonNode value = parent.get(name);
        if (value == null || value.isNull()) {
            throw ApiException.badField(ErrorCodes.MISSING_FIELD, path, "missing required field " + path);
        }
        return value;
    }

    static String string(JsonNode value, String path) {
        if (!value.isTextual()) {
            throw wrongType(path, "a string", value);
        }
        return value.textValue();
    }

    /** A non-empty language code (or "auto" where the caller allows it; resolved later). */
    static String language(JsonNode parent, String name, String path) {
        String code = string(required(parent, name, path), path);
        if (code.isBlank()) {
            throw ApiException.badField(ErrorCodes.INVALID_VALUE, path, path + " must be a language code like \"en\", got \"\"");
        }
        return code;
    }

    /** A text to translate: a string of at most {@code maxChars} code points, valid Unicode. */
    static String text(JsonNode value, String path, int maxChars) {
        String text = string(value, path);
        int chars = text.codePointCount(0, text.length());
        if (chars > maxChars) {
            throw ApiException.badField(ErrorCodes.TEXT_TOO_LONG, path,
                    "text too long: " + chars + " characters (at most " + maxChars + ")");
        }
        if (!wellFormed(text)) {
            throw ApiException.badField(ErrorCodes.INVALID_VALUE, path,
                    "text contains an unpaired UTF-16 surrogate (not valid Unicode)");
        }
        return text;
    }

    /** A record id: any string of valid Unicode (it is echoed back, and a lone surrogate cannot be written as UTF-8). */
    static String id(JsonNode value, String path) {
        String id = string(value, path);
        if (!wellFormed(id)) {
            throw ApiException.badField(ErrorCodes.INVALID_VALUE, path,
                    "id contains an unpaired UTF-16 surrogate (not valid Unicode)");
        }
        return id;
    }

    static ApiException tooMany(String path, int count, int max) {
        return ApiException.badField(ErrorCodes.TOO_MANY_RECORDS, path,
                "too many records: " + count + " (at most " + max + " per request)");
    }

    static ApiException wrongType(String path, String expected, JsonNode actual) {
        return ApiException.badField(ErrorCodes.INVALID_TYPE, path, path + " must be " + expected + ", got " + kind(actual));
    }

    static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL, MISSING -> "null";
            case BINARY -> "binary data";
        };
    }

    private static boolean wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
