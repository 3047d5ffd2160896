package dev.m2m100.server.access;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code CORS_ALLOWED_ORIGINS}: which web origins may call the API from a browser. A comma-separated list of
 * origins ({@code https://app.example.com}), or {@code *} for any; empty (the default) allows none, so
 * browsers keep their same-origin rule.
 */
public final class CorsPolicy {
    public static final CorsPolicy NONE = new CorsPolicy(false, List.of());

    private final boolean any;
    private final List<String> origins;

    private CorsPolicy(boolean any, List<String> origins) {
        this.any = any;
        this.origins = List.copyOf(origins);
    }

    /** @throws IllegalArgumentException naming CORS_ALLOWED_ORIGINS for an entry that is not an origin */
    public static CorsPolicy parse(String value) {
        if (value == null || value.isBlank()) {
            return NONE;
        }
        List<String> origins = new ArrayList<>();
        for (String part : value.split(",")) {
            String origin = part.strip();
            if (origin.isEmpty()) {
                continue;
            }
            if (origin.equals("*")) {
                return new CorsPolicy(true, List.of());
            }
            if (!origin.matches("(?i)https?://[^/\\s]+")) {
                throw new IllegalArgumentException("CORS_ALLOWED_ORIGINS entries must be origins like "
                        + "https://app.example.com (scheme and host, optional port, no path) or *; got '" + origin + "'");
            }
            origins.add(origin.toLowerCase(Locale.ROOT));
        }
        return new CorsPolicy(false, origins);
    }

    /**
     * The value for {@code Access-Control-Allow-Origin} for a request from {@code origin}, or null when that
     * origin is not allowed.
     */
    public String allowOrigin(String origin) {
        if (origin == null) {
            return null;
        }
        if (any) {
            return "*";
        }
        return origins.contains(origin.toLowerCase(Locale.ROOT)) ? origin : null;
    }

    public boolean enabled() {
        return any || !origins.isEmpty();
    }

    @Override
    public String toString() {
        return any ? "CorsPolicy[*]" : "CorsPolicy" + origins;
    }
}
