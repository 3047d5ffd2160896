package dev.m2m100.engine.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.nio.file.Path;

/** Typed access to a JSON object's fields with errors that name the file and the key. */
final class JsonFields {
    private final JsonNode node;
    private final Path file;

    JsonFields(JsonNode node, Path file) throws ConfigException {
        if (node == null || !node.isObject()) {
            throw new ConfigException(file + ": expected a JSON object at the top level");
        }
        this.node = node;
        this.file = file;
    }

    boolean has(String key) {
        return node.hasNonNull(key);
    }

    /** A required integer in {@code min..max}. */
    int requiredInt(String key, int min, int max) throws ConfigException {
        if (!has(key)) {
            throw new ConfigException(file + ": required key '" + key + "' is missing");
        }
        return intValue(key, min, max);
    }

    /** An optional integer in {@code min..max}; the fallback is not checked. */
    int optionalInt(String key, int fallback, int min, int max) throws ConfigException {
        return has(key) ? intValue(key, min, max) : fallback;
    }

    double optionalDouble(String key, double fallback) throws ConfigException {
        if (!has(key)) {
            return fallback;
        }
        JsonNode v = node.get(key);
        if (!v.isNumber() || !Double.isFinite(v.doubleValue())) {
            throw new ConfigException(file + ": '" + key + "' must be a finite number, got " + v);
        }
        return v.doubleValue();
    }

    boolean optionalBoolean(String key, boolean fallback) throws ConfigException {
        if (!has(key)) {
            return fallback;
        }
        JsonNode v = node.get(key);
        if (!v.isBoolean()) {
            throw new ConfigException(file + ": '" + key + "' must be true or false, got " + v);
        }
        return v.booleanValue();
    }

    String optionalString(String key, String fallback) throws ConfigException {
        if (!has(key)) {
            return fallback;
        }
        JsonNode v = node.get(key);
        if (!v.isTextual()) {
            throw new ConfigException(file + ": '" + key + "' must be a string, got " + v);
        }
        return v.textValue();
    }

    /** An error naming this file, for checks that span fields. */
    ConfigException error(String message) {
        return new ConfigException(file + ": " + message);
    }

    private int intValue(String key, int min, int max) throws ConfigException {
        JsonNode v = node.get(key);
        if (!v.isIntegralNumber()) {
            throw new ConfigException(file + ": '" + key + "' must be an integer, got " + v);
        }
        // compared as a BigInteger so that a value beyond int is reported as out of range, not wrapped
        BigInteger value = v.bigIntegerValue();
        if (value.compareTo(BigInteger.valueOf(min)) < 0 || value.compareTo(BigInteger.valueOf(max)) > 0) {
            throw new ConfigException(file + ": " + key + " must be between " + min + " and " + max + ", got " + value);
        }
        return value.intValue();
    }
}
