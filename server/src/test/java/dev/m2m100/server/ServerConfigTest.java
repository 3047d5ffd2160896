package dev.m2m100.server;

import dev.m2m100.engine.backend.DeviceSpec;
import dev.m2m100.engine.backend.WeightDType;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerConfigTest {

    @Test
    void defaults() {
        ServerConfig c = ServerConfig.fromEnvironment(Map.of(), Map.of());
        assertEquals(Optional.empty(), c.modelDir());
        assertEquals(9527, c.port());
        assertEquals(DeviceSpec.AUTO, c.device());
        assertEquals(WeightDType.AUTO, c.dtype());
        assertEquals("0.0.0.0", c.host());
        assertEquals(2048, c.maxQueued());
        assertEquals(64, c.maxActive());
        assertEquals(320, c.maxBatchRows());
        assertEquals(128, c.maxRecords());
        assertEquals(20000, c.maxTextChars());
        assertEquals(4L * 1024 * 1024, c.maxBodyBytes());
        assertEquals(Duration.ofSeconds(600), c.requestTimeout());
        assertEquals(Duration.ofSeconds(60), c.drainTimeout());
    }

    @Test
    void environmentThenFlagsOverride() {
        ServerConfig c = ServerConfig.fromEnvironment(
                Map.of("MODEL_DIR", "/models/a", "PORT", "8080", "DEVICE", "cuda:1", "MAX_QUEUED", "10", "MAX_RECORDS", "5",
                        "UNRELATED", "x", "THREADS", " "),
                Map.of("PORT", "9000", "DEVICE", "CPU"));
        assertEquals(Optional.of(Path.of("/models/a")), c.modelDir());
        assertEquals(9000, c.port());
        assertEquals(DeviceSpec.CPU, c.device());
        assertEquals(10, c.maxQueued());
        assertEquals(5, c.maxRecords());
        assertEquals(0, c.threads(), "blank = default");
        assertEquals(10, c.toEngineSettings().maxQueuedSequences());
        assertEquals(DeviceSpec.CPU, c.toEngineSettings().device());
    }

    @Test
    void badValuesNameTheVariable() {
        assertMessage("PORT", Map.of("PORT", "http"));
        assertMessage("PORT", Map.of("PORT", "70000"));
        assertMessage("DEVICE", Map.of("DEVICE", "tpu"));
        assertMessage("DTYPE", Map.of("DTYPE", "f8"));
        assertMessage("cuda:1", Map.of("DEVICE", "cuda:1", "DTYPE", "int8"));
        assertMessage("MAX_QUEUED", Map.of("MAX_QUEUED", "0"));
        assertMessage("REQUEST_TIMEOUT_SECONDS", Map.of("REQUEST_TIMEOUT_SECONDS", "-1"));
        assertMessage("MAX_RECORDS", Map.of("MAX_RECORDS", "100", "MAX_QUEUED", "10"));
    }

    @Test
    void edgeSettings() {
        EdgeSettings d = ServerConfig.fromEnvironment(Map.of(), Map.of()).edge();
        assertEquals(EdgeSettings.DEFAULTS, d);
        assertTrue(d.apiKeys().isEmpty());
        assertEquals(EdgeSettings.LogFormat.TEXT, d.logFormat());
        assertFalse(d.cors().enabled());

        ServerConfig c = ServerConfig.fromEnvironment(Map.of("API_KEYS", " one, two ,,", "RATE_LIMIT_PER_MINUTE", "60",
                "CORS_ALLOWED_ORIGINS", "https://a.example, http://localhost:3000", "LOG_FORMAT", "JSON",
                "API_KEYS_FILE", "/etc/m2m100/keys"), Map.of("ACCESS_LOG", "false"));
        EdgeSettings e = c.edge();
        assertEquals(2, e.apiKeys().size());
        assertEquals(1, e.apiKeys().match("one"));
        assertEquals(2, e.apiKeys().match("two"));
        assertEquals(0, e.apiKeys().match("three"));
        assertEquals(60, e.rateLimitPerMinute());
        assertEquals("http://localhost:3000", e.cors().allowOrigin("http://localhost:3000"));
        assertEquals(null, e.cors().allowOrigin("https://b.example"));
        assertEquals(EdgeSettings.LogFormat.JSON, e.logFormat());
        assertFalse(e.accessLog());
        assertEquals(Optional.of(Path.of("/etc/m2m100/keys")), e.apiKeysFile());
        // The keys' text never shows when the settings are printed.
        assertFalse(c.toString().contains("one") || c.toString().contains("two"), c.toString());
    }

    @Test
    void badEdgeValuesNameTheVariable() {
        assertMessage("LOG_FORMAT", Map.of("LOG_FORMAT", "xml"));
        assertMessage("ACCESS_LOG", Map.of("ACCESS_LOG", "maybe"));
        assertMessage("RATE_LIMIT_PER_MINUTE", Map.of("RATE_LIMIT_PER_MINUTE", "-5"));
        assertMessage("CORS_ALLOWED_ORIGINS", Map.of("CORS_ALLOWED_ORIGINS", "https://a.example/path"));
        assertMessage("CORS_ALLOWED_ORIGINS", Map.of("CORS_ALLOWED_ORIGINS", "a.example"));
        assertMessage("API_KEYS", Map.of("API_KEYS", ", ,"));
    }

    @Test
    void deviceAndDtypeAreTypedOnceWithAliases() {
        ServerConfig c = ServerConfig.fromEnvironment(Map.of("DEVICE", "cuda:2", "DTYPE", "fp16"), Map.of());
        assertEquals(DeviceSpec.cuda(2), c.toEngineSettings().device());
        assertEquals(WeightDType.F16, c.toEngineSettings().dtype());
        // auto with a CPU-only format is allowed: auto then means the CPU.
        assertEquals(WeightDType.INT8, ServerConfig.fromEnvironment(Map.of("DTYPE", "i8"), Map.of()).dtype());
    }

    private static void assertMessage(String variable, Map<String, String> env) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.fromEnvironment(env, Map.of()));
        assertTrue(e.getMessage().contains(variable), e.getMessage());
    }
}
