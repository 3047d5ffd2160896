package dev.m2m100.server;

import dev.m2m100.engine.GenerationOptions;
import dev.m2m100.engine.SchedulerStats;
import dev.m2m100.engine.Translator;
import dev.m2m100.server.access.AccessGate;
import dev.m2m100.server.access.HangupSignal;
import dev.m2m100.server.text.TextFormat;
import dev.m2m100.server.text.TextJob;
import dev.m2m100.server.text.TextTranslator;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;

import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The translation service: a Helidon SE web server in front of one {@link Translator}.
 *
 * <p>{@link #start} opens the port at once (liveness answers, readiness says 503) and loads the model in the
 * background; after one small warm-up translation the service turns ready. {@link #drainAndStop} (also run by
 * the shutdown hook on SIGTERM) turns readiness off, refuses new translations with 503, lets in-flight ones
 * finish (up to DRAIN_TIMEOUT_SECONDS), then stops the server and closes the engine.
 */
public final class TranslationServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(TranslationServer.class.getName());

    /** Opens the engine; runs on a background thread while the server already answers probes. */
    @FunctionalInterface
    public interface TranslatorLoader {
        Translator load() throws Exception;
    }

    private final ServerConfig config;
    private final Lifecycle lifecycle = new Lifecycle();
    private final ServiceMetrics metrics;
    private final WebServer webServer;
    private final CompletableFuture<Void> loaded = new CompletableFuture<>();
    private final ScheduledExecutorService sampler;
    private final AccessGate gate;
    private final HangupSignal hangup;
    private volatile Translator translator;
    private volatile TranslationService service;
    private boolean stopped;

    private TranslationServer(ServerConfig config, PrintStream accessLogOut) {
        this.config = config;
        this.metrics = new ServiceMetrics(this::stats, lifecycle::isReady, lifecycle::inFlight);
        EdgeSettings edge = config.edge();
        this.gate = new AccessGate(edge.apiKeys(), edge.apiKeysFile(), edge.rateLimitPerMinute());
        this.hangup = edge.apiKeysFile().isPresent() ? HangupSignal.install(gate::reloadKeys) : null;
        Guard guard = new Guard(lifecycle, gate);
        ServiceEndpoints endpoints = new ServiceEndpoints(lifecycle, () -> translator, metrics);
        TranslationHandler translation = new TranslationHandler(guard, () -> service, config, metrics);
        LibreTranslateHandler libre = new LibreTranslateHandler(guard, () -> service, config, metrics);
        EdgeFilter filter = new EdgeFilter(edge.cors(), metrics,
                edge.accessLog() ? new AccessLog(edge.logFormat(), accessLogOut) : null);
        this.webServer = WebServer.builder()
                .host(config.host())
                .port(config.port())
                .shutdownHook(false) // our own hook drains first (installShutdownHook)
                .maxPayloadSize(config.maxBodyBytes())
                .maxTcpConnections(ConnectionLimits.maxConnections())
                .directHandlers(d -> {
                    HttpErrors.Direct direct = new HttpErrors.Direct(config.maxBodyBytes());
                    for (var type : io.helidon.http.DirectHandler.EventType.values()) {
                        d.addHandler(type, direct);
                    }
                })
                .routing(r -> routing(r, filter, guard, translation, libre, endpoints, new StaticContent()))
                .build();
        this.sampler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("m2m100-metrics-sampler").factory());
    }

    /**
     * Starts listening now and loads the model in the background.
     *
     * @param loader opens the engine (e.g. from {@code config.modelDir()}); its failure makes the service
     *               unhealthy and completes {@link #loaded()} exceptionally
     * @throws CannotListenException when the port cannot be opened (in use, unknown host, no permission)
     */
    public static TranslationServer start(ServerConfig config, TranslatorLoader loader) {
        return start(config, loader, System.out);
    }

    /** As {@link #start(ServerConfig, TranslatorLoader)}, writing the access log to {@code accessLogOut}. */
    static TranslationServer start(ServerConfig config, TranslatorLoader loader, PrintStream accessLogOut) {
        // Checked first, so that a taken port is one line here rather than Helidon's logged BindException.
        CannotListenException.checkFree(config.host(), config.port());
        TranslationServer server = new TranslationServer(config, accessLogOut);
        server.webServer.start();
        if (!server.webServer.isRunning() || server.port() <= 0) {
            // Helidon logs the BindException and returns; without this the service would run listening nowhere.
            server.webServer.stop();
            server.sampler.shutdownNow();
            server.metrics.close();
            if (server.hangup != null) {
                server.hangup.close();
            }
            throw CannotListenException.diagnose(config.host(), config.port());
        }
        LOG.log(Level.INFO, "listening on " + config.host() + ":" + server.port() + "; loading the model");
        server.sampler.scheduleAtFixedRate(server.metrics::sampleDecoderBatch, 200, 200, TimeUnit.MILLISECONDS);
        Thread.ofPlatform().name("m2m100-model-loader").start(() -> server.load(loader));
        return server;
    }

    private static void routing(HttpRouting.Builder r, EdgeFilter filter, Guard guard, TranslationHandler translation,
                                LibreTranslateHandler libre, ServiceEndpoints endpoints, StaticContent pages) {
        r.addFilter(filter);
        r.post(Routes.TRANSLATION, guard.guarded(translation))
                .post(Routes.TRANSLATE, guard.guarded(libre::translate))
                .post(Routes.DETECT, guard.guarded(libre::detect))
                .get(Routes.LANGUAGES, endpoints::languages)
                .get(Routes.HEALTH, endpoints::health)
                .get(Routes.READY, endpoints::ready)
                .get(Routes.METRICS, endpoints::metrics)
                .get(Routes.OPENAPI, endpoints::openApi)
                .get(Routes.PLAYGROUND, pages::playground)
                .get(Routes.DOCS, pages::docs)
                .get(Routes.DOCS + "/*", pages::docs);
        Routes.METHODS.forEach((path, method) -> r.any(path, methodNotAllowed(method)));
        r.any(Routes.DOCS + "/*", methodNotAllowed(Method.GET));
        r.any((req, res) -> HttpErrors.send(res, new ApiException(404, ErrorCodes.NOT_FOUND,
                "no such endpoint: " + req.path().path() + "; endpoints: "
                        + String.join(", ", Routes.METHODS.keySet().stream().sorted().toList()), null)));
        r.error(ApiException.class, (req, res, e) -> HttpErrors.send(res, e));
        r.error(Throwable.class, (req, res, t) -> HttpErrors.unexpected(res, t));
    }

    private static Handler methodNotAllowed(Method allowed) {
        return (req, res) -> {
            res.header(HeaderNames.ALLOW, allowed.text());
            HttpErrors.send(res, new ApiException(405, ErrorCodes.METHOD_NOT_ALLOWED,
                    req.prologue().method().text() + " is not allowed on " + req.path().path() + "; use " + allowed.text(),
                    null));
        };
    }

    private void load(TranslatorLoader loader) {
        long t0 = System.nanoTime();
        try {
            Translator t = loader.load();
            if (!publish(t)) {
                t.close();
                loaded.completeExceptionally(new IllegalStateException("stopped while the model was loading"));
                return;
            }
            TranslationService ready = new TranslationService(t, config.maxQueued(), metrics);
            warmUp(t, ready.text());
            service = ready;
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            metrics.modelLoaded(took, config.modelDir().map(Object::toString).orElse("unknown"), t.placement());
            lifecycle.ready();
            LOG.log(Level.INFO, "model loaded and warmed up in " + took.toMillis() + " ms; ready on port " + port());
            loaded.complete(null);
        } catch (Throwable e) {
            if (isStopped()) { // drainAndStop closed the engine under the warm-up: not a model failure
                loaded.completeExceptionally(new IllegalStateException("stopped while the model was loading", e));
                return;
            }
            String reason = Failures.describe(e);
            if (Failures.isExpected(e)) {
                // A missing folder, a failed download, an unusable device: the caller reports it in one line.
                LOG.log(Level.DEBUG, "the model failed to load: " + reason);
            } else {
                LOG.log(Level.ERROR, "the model failed to load: " + reason, e);
            }
            lifecycle.failed(reason);
            loaded.completeExceptionally(e);
        }
    }

    private synchronized boolean isStopped() {
        return stopped;
    }

    /** Makes the engine visible, unless the server was stopped meanwhile (then the caller closes it). */
    private synchronized boolean publish(Translator t) {
        if (stopped) {
            return false;
        }
        translator = t;
        return true;
    }

    /**
     * One short translation through the same text layer requests use (sentence rules, engine, decoding), so that
     * the first user requests, often many at once, do not pay for JIT, lazy allocation and class loading.
     */
    private void warmUp(Translator t, TextTranslator text) throws Exception {
        List<String> languages = t.languages();
        if (languages.size() < 2) {
            return;
        }
        String from = t.languageTable().resolve("en").orElse(languages.get(0));
        String to = languages.stream().filter(l -> !l.equals(from)).findFirst().orElseThrow();
        try {
            text.translate(new TextJob(List.of("Hello, world. How are you?"), from, to, TextFormat.TEXT,
                            GenerationOptions.DEFAULTS.withMaxNewTokens(8)))
                    .get(config.requestTimeout().toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new TimeoutException("the warm-up translation (8 tokens) did not finish within REQUEST_TIMEOUT_SECONDS ("
                    + config.requestTimeout().toSeconds() + " s): no request could; raise the timeout");
        }
    }

    private SchedulerStats stats() {
        Translator t = translator;
        return t == null ? null : t.stats();
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return webServer.port();
    }

    public boolean isReady() {
        return lifecycle.isReady();
    }

    /** Completes when the model is loaded and warmed up; exceptionally when loading failed. */
    public CompletableFuture<Void> loaded() {
        return loaded;
    }

    /** HTTP translation requests being processed now. */
    public int inFlight() {
        return lifecycle.inFlight();
    }

    /** The engine, once loaded (null before). */
    public Translator translator() {
        return translator;
    }

    /** Runs {@link #drainAndStop} when the JVM is asked to exit (SIGTERM, SIGINT). */
    public void installShutdownHook() {
        // Printed, not logged: java.util.logging resets its handlers in its own shutdown hook.
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("m2m100-drain").unstarted(() -> {
            System.err.println("m2m100: shutdown requested; draining " + inFlight() + " in-flight request(s)");
            boolean drained = drainAndStop();
            System.err.println(drained ? "m2m100: drained; stopped"
                    : "m2m100: drain timeout passed with requests still in flight; stopped");
        }));
    }

    /**
     * Graceful stop: readiness off and new translations refused (503), then waits up to the drain timeout
     * for in-flight requests, then stops the server and closes the engine. Idempotent.
     *
     * @return true when every in-flight request finished within the drain timeout
     */
    public synchronized boolean drainAndStop() {
        if (stopped) {
            return true;
        }
        stopped = true;
        lifecycle.beginDrain();
        LOG.log(Level.INFO, "draining: " + lifecycle.inFlight() + " request(s) in flight");
        boolean drained;
        try {
            drained = lifecycle.awaitIdle(config.drainTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            drained = false;
        }
        if (!drained) {
            LOG.log(Level.WARNING, "drain timeout passed with " + lifecycle.inFlight() + " request(s) in flight");
        }
        webServer.stop();
        sampler.shutdownNow();
        if (hangup != null) {
            hangup.close();
        }
        gate.close();
        Translator t = translator;
        if (t != null) {
            try {
                t.close();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "closing the engine failed", e);
            }
        }
        lifecycle.stopped();
        metrics.close();
        LOG.log(Level.INFO, "stopped");
        return drained;
    }

    @Override
    public void close() {
        drainAndStop();
    }
}
