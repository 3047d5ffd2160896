package dev.m2m100.tools.hub;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where models come from and where they are cached: {@code HF_ENDPOINT} (default https://huggingface.co),
 * {@code HF_TOKEN} (bearer token for gated or private models), {@code M2M100_CACHE} (default
 * {@code ~/.cache/m2m100}).
 */
public record HubSettings(String endpoint, String token, Path cacheDir) {

    public static final String DEFAULT_ENDPOINT = "https://huggingface.co";

    public HubSettings {
        endpoint = stripSlash(endpoint == null || endpoint.isBlank() ? DEFAULT_ENDPOINT : endpoint.trim());
        token = token == null || token.isBlank() ? null : token.trim();
    }

    /** Reads the settings from an environment map (normally {@code System.getenv()}). */
    public static HubSettings fromEnv(Map<String, String> env, Path userHome) {
        String token = env.get("HF_TOKEN");
        if (token == null || token.isBlank()) {
            token = env.get("HUGGING_FACE_HUB_TOKEN");
        }
        String cache = env.get("M2M100_CACHE");
        Path cacheDir = cache == null || cache.isBlank() ? userHome.resolve(".cache").resolve("m2m100") : Path.of(cache);
        return new HubSettings(env.get("HF_ENDPOINT"), token, cacheDir);
    }

    public static HubSettings fromSystem() {
        return fromEnv(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    @Override
    public String toString() {
        return "HubSettings[endpoint=" + endpoint + ", token=" + (token == null ? "none" : "set") + ", cacheDir=" + cacheDir + "]";
    }
}
