package dev.m2m100.server;

import dev.m2m100.engine.EngineSettings;
import dev.m2m100.engine.backend.DeviceSpec;
import dev.m2m100.engine.backend.WeightDType;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every setting of the service, read from environment variables in one place (docs/API.md lists them).
 * Command-line flags override the environment by overlaying the same variable names
 * ({@link #fromEnvironment(Map, Map)}), so parsing and validation live only here.
 *
 * @param modelDir        MODEL_DIR: directory with config.json, model.safetensors and the tokenizer files
 * @param device          DEVICE: auto | cpu | cuda | cuda:N
 * @param dtype           DTYPE: auto | f32 | f16 | bf16 | int8 (auto: f32 on the CPU, f16 on CUDA)
 * @param host            HOST: bind address
 * @param port            PORT: listen port (0 = any free port)
 * @param threads         THREADS: CPU worker threads (0 = all cores)
 * @param maxQueued       MAX_QUEUED: texts that may wait for the scheduler; beyond that, 429
 * @param maxActive       MAX_ACTIVE: texts decoded together at most
 * @param maxBatchRows    MAX_BATCH_ROWS: decoder rows (texts × beams) per step at most
 * @param maxRecords      MAX_RECORDS: records in one request at most
 * @param maxTextChars    MAX_TEXT_CHARS: characters (Unicode code points) in one record's text at most
 * @param maxBodyBytes    MAX_BODY_BYTES: request body size at most; beyond that, 413
 * @param requestTimeout  REQUEST_TIMEOUT_SECONDS: a request still unanswered after this gets 504
 * @param drainTimeout    DRAIN_TIMEOUT_SECONDS: on SIGTERM, how long in-flight requests may take to finish
 * @param edge            API keys, rate limit, CORS and access log ({@link EdgeSettings})
 */
public record ServerConfig(
        Optional<Path> modelDir,
        DeviceSpec device,
        WeightDType dtype,
        String host,
        int port,
        int threads,
        int maxQueued,
        int maxActive,
        int maxBatchRows,
        int maxRecords,
        int maxTextChars,
        long maxBodyBytes,
        Duration requestTimeout,
        Duration drainTimeout,
        EdgeSettings edge) {

    /** The variables this record reads, with their defaults (null = no default). */
    public static final Map<String, String> DEFAULTS = defaults();

    public ServerConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("PORT must be 0..65535, got " + port);
        }
        if (maxRecords > maxQueued) {
            throw new IllegalArgumentException("MAX_RECORDS (" + maxRecords + ") must not exceed MAX_QUEUED ("
                    + maxQueued + "): a request that can never fit the queue would always be rejected");
        }
        // Engine limits are checked by EngineSettings itself (fields are not assigned yet: use the parameters).
        new EngineSettings(device, dtype, threads, maxQueued, maxActive, maxBatchRows);
    }

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("MODEL_DIR", null);
        d.put("DEVICE", "auto");
        d.put("DTYPE", "auto");
        d.put("HOST", "0.0.0.0");
        d.put("PORT", Integer.toString(Routes.DEFAULT_PORT));
        d.put("THREADS", "0");
        // Larger than the engine's own default: a burst of 100 requests × 16 records (1600 texts in a second)
        // must wait, not be refused; queued texts cost only their token ids.
        d.put("MAX_QUEUED", "2048");
        d.put("MAX_ACTIVE", Integer.toString(EngineSettings.DEFAULTS.maxActiveSequences()));
        d.put("MAX_BATCH_ROWS", Integer.toString(EngineSettings.DEFAULTS.maxBatchRows()));
        d.put("MAX_RECORDS", "128");
        d.put("MAX_TEXT_CHARS", "20000");
        d.put("MAX_BODY_BYTES", Integer.toString(4 * 1024 * 1024));
        // Long enough for such a burst to drain on two CPU cores; clients that want less can give up earlier.
        d.put("REQUEST_TIMEOUT_SECONDS", "600");
        d.put("DRAIN_TIMEOUT_SECONDS", "60");
        EdgeSettings.addDefaults(d);
        return java.util.Collections.unmodifiableMap(d);
    }

    /** Reads the process environment. */
    public static ServerConfig fromEnvironment() {
        return fromEnvironment(System.getenv(), Map.of());
    }

    /**
     * Reads the settings from {@code env}, with the entries of {@code overrides} (same variable names,
     * typically from command-line flags) taking precedence. Unset or blank variables take their default.
     *
     * @throws IllegalArgumentException naming the variable when a value is malformed or out of range
     */
    public static ServerConfig fromEnvironment(Map<String, String> env, Map<String, String> overrides) {
        Map<String, String> v = new LinkedHashMap<>(DEFAULTS);
        for (String key : DEFAULTS.keySet()) {
            String fromEnv = env.get(key);
            if (fromEnv != null && !fromEnv.isBlank()) {
                v.put(key, fromEnv.strip());
            }
            String fromFlag = overrides.get(key);
            if (fromFlag != null && !fromFlag.isBlank()) {
                v.put(key, fromFlag.strip());
            }
        }
        String model = v.get("MODEL_DIR");
        return new ServerConfig(
                model == null ? Optional.empty() : Optional.of(Path.of(model)),
                parsed(v, "DEVICE", DeviceSpec::parse),
                parsed(v, "DTYPE", WeightDType::parse),
                v.get("HOST"),
                integer(v, "PORT", 0, 65535),
                integer(v, "THREADS", 0, 4096),
                integer(v, "MAX_QUEUED", 1, 1_000_000),
                integer(v, "MAX_ACTIVE", 1, 100_000),
                integer(v, "MAX_BATCH_ROWS", 1, 1_000_000),
                integer(v, "MAX_RECORDS", 1, 1_000_000),
                integer(v, "MAX_TEXT_CHARS", 1, 100_000_000),
                integer(v, "MAX_BODY_BYTES", 1024, Integer.MAX_VALUE),
                Duration.ofSeconds(integer(v, "REQUEST_TIMEOUT_SECONDS", 1, 86_400)),
                Duration.ofSeconds(integer(v, "DRAIN_TIMEOUT_SECONDS", 0, 86_400)),
                EdgeSettings.parse(v));
    }

    public EngineSettings toEngineSettings() {
        return new EngineSettings(device, dtype, threads, maxQueued, maxActive, maxBatchRows);
    }

    /** A copy with another port (tests use 0 for a free one). */
    public ServerConfig withPort(int newPort) {
        return new ServerConfig(modelDir, device, dtype, host, newPort, threads, maxQueued, maxActive, maxBatchRows,
                maxRecords, maxTextChars, maxBodyBytes, requestTimeout, drainTimeout, edge);
    }

    static int integer(Map<String, String> v, String key, int min, int max) {
        String text = v.get(key);
        final long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, got '" + text + "'");
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + " must be in " + min + ".." + max + ", got " + value);
        }
        return (int) value;
    }

    /** The value of {@code key} through {@code parser}; its error message is prefixed with the variable name. */
    private static <T> T parsed(Map<String, String> v, String key, Function<String, T> parser) {
        try {
            return parser.apply(v.get(key));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }
}
