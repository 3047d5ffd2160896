package dev.m2m100.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.m2m100.engine.GenerationOptions;
import dev.m2m100.engine.RequestContext;
import dev.m2m100.engine.SchedulerStats;
import dev.m2m100.engine.Translator;
import dev.m2m100.engine.language.LanguageTable;
import dev.m2m100.server.text.TextFormat;
import dev.m2m100.server.text.TextJob;
import dev.m2m100.server.text.TextTranslator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * What the HTTP layer makes of outcomes that race with it: the engine's own deadline, a cancellation, a stop
 * during the warm-up. Each test failed before its fix (2026-12-06 concurrency review).
 */
class EngineOutcomeRaceTest {
    private static final TextJob HELLO = new TextJob(List.of("Hello."), "en", "fr", TextFormat.TEXT,
            GenerationOptions.DEFAULTS);

    /**
     * The engine enforces the same deadline as the HTTP layer's wait, so its TimeoutException can arrive first: that
     * is a 504 like the wait's own timeout, not a 500 "internal error" logged with a stack trace (about 1 % of the
     * timed-out requests under overload were answered 500 before).
     */
    @Test
    void theEnginesOwnDeadlineIsAnswered504() {
        Translator timingOut = new StubTranslator(
                CompletableFuture.failedFuture(new TimeoutException("the request did not finish within its time limit")));
        ServiceMetrics metrics = new ServiceMetrics(timingOut::stats, () -> true, () -> 0);
        try {
            TranslationService service = new TranslationService(timingOut, 100, metrics);
            ApiException e = assertThrows(ApiException.class, () -> service.translate(HELLO, TranslationHandler.FIELDS,
                    Duration.ofSeconds(30), new Exchange("t")));
            assertEquals(504, e.status(), e.getMessage());
            assertEquals(ErrorCodes.TIMEOUT, e.code());
        } finally {
            metrics.close();
        }
    }

    /**
     * The HTTP layer cancels the future it gave up on (timeout, interrupt); that future is the text layer's
     * dependent stage, and cancelling a dependent stage does not cancel its source: the engine decoded on.
     */
    @Test
    void cancellingTheTextLayersFutureCancelsTheEngineWork() {
        CompletableFuture<List<String>> engineWork = new CompletableFuture<>();
        TextTranslator text = new TextTranslator(new StubTranslator(engineWork), null, 100);
        CompletableFuture<?> f = text.translate(HELLO, RequestContext.NONE);
        f.cancel(true);
        assertTrue(engineWork.isCancelled(), "the engine's future was not cancelled");
    }

    /**
     * A stop (SIGTERM) after the engine was published but before its warm-up ran closes the engine under the
     * warm-up: that is a stop, not "the model failed to load" logged at ERROR with its stack trace.
     */
    @Test
    void aStopDuringTheWarmUpIsNotAModelLoadFailure() throws Exception {
        CountDownLatch inWarmUp = new CountDownLatch(1);
        CountDownLatch goOn = new CountDownLatch(1);
        try (Harness h = Harness.starting(Map.of(), () -> {
            Translator engine = EngineLoader.open(ServerConfig.fromEnvironment(TestModel.baseEnv(), Map.of()));
            return new WarmUpGate(engine, inWarmUp, goOn);
        })) {
            assertTrue(inWarmUp.await(120, TimeUnit.SECONDS), "the warm-up never started");
            h.server.drainAndStop();
            goOn.countDown();
            ExecutionException e = assertThrows(ExecutionException.class, () -> h.server.loaded().get(60, TimeUnit.SECONDS));
            assertTrue(String.valueOf(e.getCause().getMessage()).contains("stopped while the model was loading"),
                    "a stop during the warm-up was reported as a load failure: " + e.getCause());
        }
    }

    /** The engine, with its first {@code languages()} call (the warm-up's) held until {@code goOn}. */
    private static final class WarmUpGate extends ForwardingTranslator {
        private final CountDownLatch entered;
        private final CountDownLatch goOn;

        WarmUpGate(Translator engine, CountDownLatch entered, CountDownLatch goOn) {
            super(engine);
            this.entered = entered;
            this.goOn = goOn;
        }

        @Override
        public List<String> languages() {
            entered.countDown();
            try {
                goOn.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return engine.languages();
        }
    }

    /** A translator whose every translation is the given future, over English and French. */
    private static final class StubTranslator implements Translator {
        private final CompletableFuture<List<String>> result;

        StubTranslator(CompletableFuture<List<String>> result) {
            this.result = result;
        }

        @Override
        public CompletableFuture<List<String>> translate(List<String> texts, List<String> fromLangs, String toLang,
                                                         GenerationOptions options, RequestContext context) {
            return result;
        }

        @Override
        public LanguageTable languageTable() {
            return LanguageTable.of(List.of(new LanguageTable.Language("en", "English"),
                    new LanguageTable.Language("fr", "French")));
        }

        @Override
        public int countSourceTokens(String text, String fromLang) {
            return 3;
        }

        @Override
        public int maxSourceTokens() {
            return 100;
        }

        @Override
        public SchedulerStats stats() {
            return SchedulerStats.EMPTY;
        }

        @Override
        public void close() {
        }
    }
}
