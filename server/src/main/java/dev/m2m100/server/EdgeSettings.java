package dev.m2m100.server;

import dev.m2m100.server.access.ApiKeys;
import dev.m2m100.server.access.CorsPolicy;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The settings of the service's edge: who may call it, from which web pages, and what it logs per request
 * (part of {@link ServerConfig}; docs/API.md lists the variables). The keys' text never appears in
 * {@link #toString()}.
 *
 * @param apiKeys            API_KEYS: comma-separated keys; with these (or a key file) translation and detection need a key
 * @param apiKeysFile        API_KEYS_FILE: one key a line, reloaded when it changes and on SIGHUP
 * @param rateLimitPerMinute RATE_LIMIT_PER_MINUTE: requests per minute per key (per client address without keys); 0 = off
 * @param cors               CORS_ALLOWED_ORIGINS: comma-separated origins or *; empty = no cross-origin access
 * @param logFormat          LOG_FORMAT: text (human-readable) or json (one JSON object per access-log line)
 * @param accessLog          ACCESS_LOG: whether to write one access-log line per request to standard output
 */
public record EdgeSettings(
        ApiKeys apiKeys,
        Optional<Path> apiKeysFile,
        int rateLimitPerMinute,
        CorsPolicy cors,
        LogFormat logFormat,
        boolean accessLog) {

    public enum LogFormat { TEXT, JSON }

    public static final EdgeSettings DEFAULTS = new EdgeSettings(ApiKeys.NONE, Optional.empty(), 0, CorsPolicy.NONE,
            LogFormat.TEXT, true);

    /** The variables this record reads, with their defaults (null = unset). */
    static void addDefaults(Map<String, String> d) {
        d.put("API_KEYS", null);
        d.put("API_KEYS_FILE", null);
        d.put("RATE_LIMIT_PER_MINUTE", "0");
        d.put("CORS_ALLOWED_ORIGINS", null);
        d.put("LOG_FORMAT", "text");
        d.put("ACCESS_LOG", "true");
    }

    /** @throws IllegalArgumentException naming the variable when a value is malformed */
    static EdgeSettings parse(Map<String, String> v) {
        String file = v.get("API_KEYS_FILE");
        String format = v.get("LOG_FORMAT").toLowerCase(Locale.ROOT);
        if (!format.equals("text") && !format.equals("json")) {
            throw new IllegalArgumentException("LOG_FORMAT must be text or json, got '" + v.get("LOG_FORMAT") + "'");
        }
        String accessLog = v.get("ACCESS_LOG").toLowerCase(Locale.ROOT);
        if (!accessLog.equals("true") && !accessLog.equals("false")) {
            throw new IllegalArgumentException("ACCESS_LOG must be true or false, got '" + v.get("ACCESS_LOG") + "'");
        }
        ApiKeys keys = ApiKeys.parseCommaSeparated(v.get("API_KEYS"));
        if (v.get("API_KEYS") != null && keys.isEmpty()) {
            throw new IllegalArgumentException("API_KEYS is set but holds no key (expected KEY1,KEY2,…)");
        }
        return new EdgeSettings(keys,
                file == null ? Optional.empty() : Optional.of(Path.of(file)),
                ServerConfig.integer(v, "RATE_LIMIT_PER_MINUTE", 0, 1_000_000),
                CorsPolicy.parse(v.get("CORS_ALLOWED_ORIGINS")),
                format.equals("json") ? LogFormat.JSON : LogFormat.TEXT,
                accessLog.equals("true"));
    }
}
