package dev.m2m100.server;

import dev.m2m100.engine.GenerationOptions;
import dev.m2m100.engine.RequestContext;
import dev.m2m100.engine.Translator;
import dev.m2m100.engine.Version;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static dev.m2m100.server.Harness.assertError;
import static dev.m2m100.server.Harness.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Readiness around model loading, load failure, graceful drain, request deadline, unexpected errors. */
class LifecycleTest {

    @Test
    void notReadyUntilTheModelIsLoadedAndWarm() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<ServerConfig> cfg = new AtomicReference<>();
        try (Harness h = Harness.starting(Map.of(), () -> {
            release.await();
            return TestModel.loader(cfg.get()).load();
        })) {
            cfg.set(h.config);
            HttpResponse<String> ready = h.get(Routes.READY);
            assertEquals(503, ready.statusCode());
            assertEquals("LOADING", json(ready).get("status").textValue());
            assertEquals(200, h.get(Routes.HEALTH).statusCode(), "alive while loading");
            HttpResponse<String> early = h.post(Routes.TRANSLATION, TranslationApiTest.request("en", "fr", "1", "Hi."));
            assertError(early, 503, ErrorCodes.NOT_READY, null);
            assertTrue(early.headers().firstValue("Retry-After").isPresent());
            assertError(h.get(Routes.LANGUAGES), 503, ErrorCodes.NOT_READY, null);
            assertEquals(0.0, MetricsText.sum(h.get(Routes.METRICS).body(), "m2m100_ready"));

            release.countDown();
            h.server.loaded().get(120, TimeUnit.SECONDS);
            HttpResponse<String> after = h.get(Routes.READY);
            assertEquals(200, after.statusCode());
            assertEquals("READY", json(after).get("status").textValue());
            assertEquals(200, h.post(Routes.TRANSLATION, TranslationApiTest.request("en", "fr", "1", "Hi.")).statusCode());
            String metrics = h.get(Routes.METRICS).body();
            assertTrue(MetricsText.sum(metrics, "m2m100_model_load_seconds") > 0);
            // The info metric: which model, where, in which format, which version.
            assertEquals(1.0, MetricsText.sum(metrics, "m2m100_info", "model=\"" + TestModel.TINY + "\"",
                    "device=\"cpu\"", "dtype=\"f32\"", "version=\"" + Version.current() + "\""), 0.0, metrics);
        }
    }

    /** A taken port is a failure at start, named in one line; the server must not run on listening nowhere. */
    @Test
    void aPortInUseFailsAtOnceSayingSo() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            CannotListenException e = assertThrows(CannotListenException.class,
                    () -> Harness.starting(Map.of("PORT", Integer.toString(port)), () -> {
                        throw new AssertionError("the model must not be loaded when the port is taken");
                    }));
            assertEquals("port " + port + " is in use on 127.0.0.1 (another process listens there; choose another with"
                    + " --port or PORT)", e.getMessage());
        }
    }

    /** A warm-up that outlasts REQUEST_TIMEOUT_SECONDS says so: never "null". */
    @Test
    void aWarmUpTimeoutNamesItsCause() {
        try (Harness h = Harness.starting(Map.of("REQUEST_TIMEOUT_SECONDS", "1"), () -> {
            HoldingTranslator t = new HoldingTranslator(
                    EngineLoader.open(ServerConfig.fromEnvironment(TestModel.baseEnv(), Map.of())));
            t.hold(); // the warm-up translation never finishes
            return t;
        })) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> h.server.loaded().get(60, TimeUnit.SECONDS));
            String reason = Failures.describe(e);
            assertTrue(reason.contains("REQUEST_TIMEOUT_SECONDS (1 s)"), reason);
            assertFalse(reason.contains("null"), reason);
            assertTrue(json(h.get(Routes.READY)).get("reason").textValue().contains("warm-up"));
        }
    }

    @Test
    void failedLoadIsUnhealthy() {
        try (Harness h = Harness.starting(Map.of(), () -> {
            throw new IOException("no config.json in /nowhere");
        })) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> h.server.loaded().get(30, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().contains("config.json"));
            HttpResponse<String> ready = h.get(Routes.READY);
            assertEquals(503, ready.statusCode());
            assertEquals("FAILED", json(ready).get("status").textValue());
            assertTrue(json(ready).get("reason").textValue().contains("config.json"));
            assertEquals(503, h.get(Routes.HEALTH).statusCode());
            assertError(h.post(Routes.TRANSLATION, TranslationApiTest.request("en", "fr", "1", "Hi.")), 503, ErrorCodes.NOT_READY, null);
        }
    }

    @Test
    void missingModelFolderIsNamed() {
        try (Harness h = Harness.starting(Map.of("MODEL_DIR", "/nonexistent/model"), null)) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> h.server.loaded().get(30, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().contains("/nonexistent/model"), e.getCause().getMessage());
            assertTrue(json(h.get(Routes.READY)).get("reason").textValue().contains("/nonexistent/model"));
        }
    }

    @Test
    void drainFinishesInFlightRequestsAndRefusesNewOnes() throws Exception {
        AtomicReference<HoldingTranslator> holder = new AtomicReference<>();
        AtomicReference<ServerConfig> cfg = new AtomicReference<>();
        CountDownLatch configured = new CountDownLatch(1);
        Harness h = Harness.starting(Map.of("DRAIN_TIMEOUT_SECONDS", "60"), () -> {
            configured.await();
            HoldingTranslator t = new HoldingTranslator(TestModel.loader(cfg.get()).load());
            holder.set(t);
            return t;
        });
        cfg.set(h.config);
        configured.countDown();
        h.server.loaded().get(120, TimeUnit.SECONDS);
        HoldingTranslator held = holder.get();
        int port = h.server.port();
        int n = 8;
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            texts.add("Request number " + i + " is in flight.");
        }
        List<String> expected = held.translateNow(texts, "en", "de", TranslationApiTest.SHORT);
        held.hold();

        // Counted before sending: requests reach the engine as soon as they are sent.
        int callsBefore = held.calls();
        List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String body = TranslationApiTest.request(16, "en", "de", "r" + i, texts.get(i));
            inFlight.add(CompletableFuture.supplyAsync(() -> h.post(Routes.TRANSLATION, body),
                    r -> Thread.ofVirtual().start(r)));
        }
        waitFor(() -> h.server.inFlight() == n && held.calls() >= callsBefore + n,
                () -> "all requests in flight (in flight " + h.server.inFlight() + " of " + n + ", engine calls "
                        + (held.calls() - callsBefore) + ", client calls done " + inFlight.stream().filter(CompletableFuture::isDone).count() + ")");

        CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(h.server::drainAndStop,
                r -> Thread.ofPlatform().start(r));
        waitFor(() -> h.get(Routes.READY).statusCode() == 503, "readiness off while draining");
        HttpResponse<String> ready = h.get(Routes.READY);
        assertEquals("DRAINING", json(ready).get("status").textValue());
        HttpResponse<String> refused = h.post(Routes.TRANSLATION, TranslationApiTest.request("en", "de", "late", "Too late."));
        assertError(refused, 503, ErrorCodes.SHUTTING_DOWN, null);
        assertTrue(refused.headers().firstValue("Retry-After").isPresent());
        assertEquals(200, h.get(Routes.HEALTH).statusCode(), "still alive while draining");
        assertFalse(drained.isDone(), "drain must wait for in-flight requests");

        held.release();
        assertTrue(drained.get(60, TimeUnit.SECONDS), "drained within the timeout");
        for (int i = 0; i < n; i++) {
            HttpResponse<String> r = inFlight.get(i).get(60, TimeUnit.SECONDS);
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(expected.get(i), json(r).get("result").get(0).get("text").textValue());
        }
        assertThrows(IOException.class, () -> new Socket("127.0.0.1", port).close(), "server stopped after the drain");
    }

    @Test
    void requestDeadlineGives504() throws Exception {
        AtomicReference<HoldingTranslator> holder = new AtomicReference<>();
        AtomicReference<ServerConfig> cfg = new AtomicReference<>();
        CountDownLatch configured = new CountDownLatch(1);
        try (Harness h = Harness.starting(Map.of("REQUEST_TIMEOUT_SECONDS", "1"), () -> {
            configured.await();
            HoldingTranslator t = new HoldingTranslator(TestModel.loader(cfg.get()).load());
            holder.set(t);
            return t;
        })) {
            cfg.set(h.config);
            configured.countDown();
            h.server.loaded().get(120, TimeUnit.SECONDS);
            holder.get().hold();
            long t0 = System.nanoTime();
            HttpResponse<String> r = h.post(Routes.TRANSLATION, TranslationApiTest.request("en", "fr", "1", "Slow one."));
            assertError(r, 504, ErrorCodes.TIMEOUT, null);
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(30), "answered near the deadline");
            holder.get().release();
            // The handler leaves the in-flight count right after sending, possibly after the client read it.
            waitFor(() -> h.server.inFlight() == 0, "the timed-out request no longer counts as in flight");
        }
    }

    @Test
    void unexpectedEngineFailureIs500WithoutInternals() throws Exception {
        AtomicReference<ServerConfig> cfg = new AtomicReference<>();
        CountDownLatch configured = new CountDownLatch(1);
        try (Harness h = Harness.starting(Map.of(), () -> {
            configured.await();
            return new FailingTranslator(TestModel.loader(cfg.get()).load());
        })) {
            cfg.set(h.config);
            configured.countDown();
            h.server.loaded().get(120, TimeUnit.SECONDS);
            ((FailingTranslator) h.server.translator()).failing = true;
            HttpResponse<String> r = h.post(Routes.TRANSLATION, TranslationApiTest.request("en", "fr", "1", "Boom."));
            assertError(r, 500, ErrorCodes.INTERNAL_ERROR, null);
            assertFalse(r.body().contains("secret"), r.body());
            assertEquals(200, h.get(Routes.HEALTH).statusCode());
        }
    }

    /** Delegates to the engine; when {@code failing}, its futures fail with an unexpected internal error. */
    private static final class FailingTranslator extends ForwardingTranslator {
        volatile boolean failing;

        FailingTranslator(Translator engine) {
            super(engine);
        }

        @Override
        public CompletableFuture<List<String>> translate(List<String> texts, List<String> fromLangs, String toLang,
                                                         GenerationOptions options, RequestContext context) {
            return failing ? CompletableFuture.failedFuture(new IllegalStateException("secret internal state"))
                    : engine.translate(texts, fromLangs, toLang, options, context);
        }
    }

    static void waitFor(BooleanSupplier condition, String what) {
        waitFor(condition, () -> what);
    }

    /** Waits up to 60 s; on time-out the message describes the state at that moment. */
    static void waitFor(BooleanSupplier condition, java.util.function.Supplier<String> what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what.get() + "\n" + ThreadDump.all());
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UncheckedIOException(new IOException(e));
            }
        }
    }
}
