package dev.m2m100.engine.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;

/** Typed access to a JSON object's fields with errors that name the file and the key. */
final class JsonFields {
    private final JsonNode node;
    private final Path file;

    JsonFields(JsonNode node, Path file) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(file + ": expected a JSON object at the top level");
        }
        this.node = node;
        this.file = file;
    }

    boolean has(String key) {
        return node.hasNonNull(key);
    }

    int requiredInt(String key) {
        if (!has(key)) {
            throw new IllegalArgumentException(file + ": required key '" + key + "' is missing");
        }
        return intValue(key);
    }

    int optionalInt(String key, int fallback) {
        return has(key) ? intValue(key) : fallback;
    }

    double optionalDouble(String key, double fallback) {
        if (!has(key)) {
            return fallback;
        }
        JsonNode v = node.get(key);
        if (!v.isNumber()) {
            throw new IllegalArgumentException(file + ": '" + key + "' must be a number, got " + v);
        }
        return v.doubleValue();
    }

    boolean optionalBoolean(String key, boolean fallback) {
        if (!has(key)) {
            return fallback;
        }
        JsonNode v = node.get(key);
        if (!v.isBoolean()) {
            throw new IllegalArgumentException(file + ": '" + key + "' must be true or false, got " + v);
        }
        return v.booleanValue();
    }

    String optionalString(String key, String fallback) {
        if (!has(key)) {
            return fallback;
        }
        JsonNode v = node.get(key);
        if (!v.isTextual()) {
            throw new IllegalArgumentException(file + ": '" + key + "' must be a string, got " + v);
        }
        return v.textValue();
    }

    private int intValue(String key) {
        JsonNode v = node.get(key);
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new IllegalArgumentException(file + ": '" + key + "' must be an integer, got " + v);
        }
        return v.intValue();
    }
}
