package dev.m2m100.tools;

import dev.m2m100.server.CannotListenException;
import dev.m2m100.server.EngineLoader;
import dev.m2m100.server.Failures;
import dev.m2m100.server.ServerConfig;
import dev.m2m100.server.TranslationServer;
import dev.m2m100.tools.hub.ModelFolderNotFoundException;
import dev.m2m100.tools.hub.ModelResolver;
import dev.m2m100.tools.cli.CliException;
import dev.m2m100.tools.cli.EngineOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;

/**
 * {@code m2m100 serve}: the REST service. Every flag overrides the environment variable of the same meaning
 * (docs/API.md lists them); {@link ServerConfig} is the one place that parses and checks them.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the translation service (POST /translation on port 9527 by default). "
                + "Flags override the environment variables MODEL_DIR, PORT, DEVICE, … (see docs/API.md).")
public final class ServeCommand implements Callable<Integer> {

    @Option(names = "--model", paramLabel = "DIR|MODEL_ID",
            description = "model folder, or a Hugging Face model id downloaded into the cache (M2M100_CACHE) on first "
                    + "start; default " + ModelResolver.DEFAULT_MODEL + " (env MODEL_DIR)")
    String model;

    @Option(names = "--port", description = "listen port, default 9527 (env PORT)")
    String port;

    @Option(names = "--host", description = "bind address, default 0.0.0.0 (env HOST)")
    String host;

    @Mixin
    EngineOptions engine = new EngineOptions();

    @Option(names = "--max-queued", description = "texts waiting at most before 429 (env MAX_QUEUED)")
    String maxQueued;

    @Option(names = "--max-active", description = "texts decoded together at most (env MAX_ACTIVE)")
    String maxActive;

    @Option(names = "--max-batch-rows", description = "decoder rows per step at most (env MAX_BATCH_ROWS)")
    String maxBatchRows;

    @Option(names = "--max-records", description = "records per request at most (env MAX_RECORDS)")
    String maxRecords;

    @Option(names = "--max-text-chars", description = "characters per text at most (env MAX_TEXT_CHARS)")
    String maxTextChars;

    @Option(names = "--max-body-bytes", description = "request body bytes at most (env MAX_BODY_BYTES)")
    String maxBodyBytes;

    @Option(names = "--request-timeout", paramLabel = "SECONDS", description = "per-request deadline (env REQUEST_TIMEOUT_SECONDS)")
    String requestTimeout;

    @Option(names = "--drain-timeout", paramLabel = "SECONDS", description = "SIGTERM grace for in-flight requests (env DRAIN_TIMEOUT_SECONDS)")
    String drainTimeout;

    @Option(names = "--api-keys", paramLabel = "KEY,…", description = "API keys; with keys, /translation, /translate and /detect need one (env API_KEYS; prefer the env or a file: flags show in ps)")
    String apiKeys;

    @Option(names = "--api-keys-file", paramLabel = "FILE", description = "API keys, one a line; re-read on change and on SIGHUP (env API_KEYS_FILE)")
    String apiKeysFile;

    @Option(names = "--rate-limit", paramLabel = "PER_MINUTE", description = "requests per minute per key (per client address without keys); 0 = off (env RATE_LIMIT_PER_MINUTE)")
    String rateLimit;

    @Option(names = "--cors-origins", paramLabel = "ORIGINS", description = "web origins allowed to call from a browser, comma-separated, or * (env CORS_ALLOWED_ORIGINS)")
    String corsOrigins;

    @Option(names = "--log-format", paramLabel = "text|json", description = "access log format (env LOG_FORMAT)")
    String logFormat;

    @Option(names = "--access-log", paramLabel = "true|false", description = "one access-log line per request on standard output (env ACCESS_LOG)")
    String accessLog;

    @Override
    public Integer call() throws InterruptedException {
        ServerConfig config;
        try {
            config = ServerConfig.fromEnvironment(System.getenv(), overrides(System.getenv()));
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        }
        String modelArg = config.modelDir().orElseThrow().toString();
        try {
            ModelResolver.checkFolderArgument(modelArg);
        } catch (ModelFolderNotFoundException e) {
            throw CliException.usage(e.getMessage());
        }
        // The model is resolved (and downloaded if needed) inside the loader, so that liveness answers and
        // readiness says LOADING while a first download runs.
        TranslationServer server;
        try {
            server = TranslationServer.start(config,
                    () -> EngineLoader.open(ModelResolver.fromEnvironment().resolve(modelArg), config));
        } catch (IllegalArgumentException e) { // e.g. an unreadable API_KEYS_FILE
            throw CliException.usage(e.getMessage());
        } catch (CannotListenException e) {
            throw CliException.failed(e.getMessage(), e);
        }
        server.installShutdownHook();
        try {
            server.loaded().get();
        } catch (ExecutionException e) {
            server.drainAndStop();
            throw CliException.failed("the model failed to load: " + Failures.describe(e), e);
        }
        System.err.println("m2m100 serve: ready on http://" + config.host() + ":" + server.port()
                + " (POST /translation, POST /translate; playground at /, API docs at /docs); SIGTERM drains and stops");
        // The shutdown hook drains and stops the server; this thread just keeps the process alive.
        new CountDownLatch(1).await();
        return 0;
    }

    /** The flags as the environment variables they override; the default model when neither names one. */
    private Map<String, String> overrides(Map<String, String> env) {
        Map<String, String> o = new LinkedHashMap<>();
        put(o, "MODEL_DIR", model);
        String fromEnv = env.get("MODEL_DIR");
        if (model == null && (fromEnv == null || fromEnv.isBlank())) {
            System.err.println("m2m100 serve: no --model or MODEL_DIR given: serving " + ModelResolver.DEFAULT_MODEL
                    + " (downloaded into the cache, M2M100_CACHE, on first start)");
            o.put("MODEL_DIR", ModelResolver.DEFAULT_MODEL);
        }
        put(o, "PORT", port);
        put(o, "HOST", host);
        o.putAll(engine.asEnvironment());
        put(o, "MAX_QUEUED", maxQueued);
        put(o, "MAX_ACTIVE", maxActive);
        put(o, "MAX_BATCH_ROWS", maxBatchRows);
        put(o, "MAX_RECORDS", maxRecords);
        put(o, "MAX_TEXT_CHARS", maxTextChars);
        put(o, "MAX_BODY_BYTES", maxBodyBytes);
        put(o, "REQUEST_TIMEOUT_SECONDS", requestTimeout);
        put(o, "DRAIN_TIMEOUT_SECONDS", drainTimeout);
        put(o, "API_KEYS", apiKeys);
        put(o, "API_KEYS_FILE", apiKeysFile);
        put(o, "RATE_LIMIT_PER_MINUTE", rateLimit);
        put(o, "CORS_ALLOWED_ORIGINS", corsOrigins);
        put(o, "LOG_FORMAT", logFormat);
        put(o, "ACCESS_LOG", accessLog);
        return o;
    }

    private static void put(Map<String, String> map, String key, String value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
