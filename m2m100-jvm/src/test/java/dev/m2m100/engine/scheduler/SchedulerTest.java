package dev.m2m100.engine.scheduler;

import dev.m2m100.engine.backend.DeviceSpec;
import dev.m2m100.engine.backend.WeightDType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.m2m100.engine.EngineSettings;
import dev.m2m100.engine.OverloadedException;
import dev.m2m100.engine.RequestContext;
import dev.m2m100.engine.SchedulerStats;
import dev.m2m100.engine.generation.EarlyStopping;
import dev.m2m100.engine.generation.GeneratedSequence;
import dev.m2m100.engine.generation.HfOracle;
import dev.m2m100.engine.generation.SearchSettings;
import dev.m2m100.engine.generation.ToyLms;
import dev.m2m100.engine.generation.ToyStepModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class SchedulerTest {
    static final int V = 16;
    static final int START = 2, EOS = 2, LANG = 8;

    static SearchSettings settings(int beams, int maxLength, int minNew, double lp, EarlyStopping es) {
        return new SearchSettings(beams, maxLength, 0, minNew, lp, es, START, LANG, EOS);
    }

    static int[] randomSource(Random r) {
        int[] s = new int[2 + r.nextInt(6)];
        s[0] = 4;
        for (int i = 1; i < s.length - 1; i++) {
            s[i] = 5 + r.nextInt(V - 5);
        }
        s[s.length - 1] = EOS;
        return s;
    }

    static GeneratedSequence expected(ToyStepModel toy, int[] source, SearchSettings s) {
        HfOracle oracle = new HfOracle(toy);
        return s.numBeams() == 1 ? oracle.greedy(source, s) : oracle.beam(source, s);
    }

    static void awaitIdle(ToyStepModel toy) throws InterruptedException {
        for (int i = 0; i < 200 && (toy.openRows() > 0 || toy.openSources() > 0); i++) {
            Thread.sleep(10);
        }
        assertEquals(0, toy.openRows(), "rows leaked");
        assertEquals(0, toy.openSources(), "sources leaked");
    }

    /**
     * Many sequences with mixed settings decoded together under tight limits (so admission happens between
     * steps while others run, and finished rows leave mid-flight): every result equals the oracle run alone.
     */
    @Test
    void batchedContinuousDecodingEqualsEachSequenceAlone() throws Exception {
        Random r = new Random(7);
        int eosEnded = 0, cut = 0;
        for (long seed = 0; seed < 6; seed++) {
            ToyStepModel toy = new ToyStepModel(V, 64, ToyLms.hashed(V, seed, 0.3));
            List<int[]> sources = new ArrayList<>();
            List<SearchSettings> perRequest = new ArrayList<>();
            List<CompletableFuture<List<GeneratedSequence>>> futures = new ArrayList<>();
            // decoding waits until all 12 are queued, so steps mix sequences however fast the machine is
            CountDownLatch queued = new CountDownLatch(1);
            toy.holdStepsUntil(queued);
            try (Scheduler scheduler = new Scheduler(toy, new EngineSettings(DeviceSpec.CPU, WeightDType.AUTO, 0, 1000, 5, 14))) {
                for (int q = 0; q < 12; q++) {
                    int beams = new int[] {1, 2, 3, 5}[r.nextInt(4)];
                    SearchSettings s = settings(beams, 4 + r.nextInt(14), r.nextInt(3),
                            new double[] {1.0, 0.0, 2.0, -0.5}[r.nextInt(4)], EarlyStopping.values()[r.nextInt(3)]);
                    int[] src = randomSource(r);
                    sources.add(src);
                    perRequest.add(s);
                    // three clients, so the fair admission order (not arrival order) decides what runs together
                    futures.add(scheduler.submit(List.of(src), s,
                            new RequestContext("client-" + q % 3, null, RequestContext.QueueWaitListener.NONE)));
                }
                queued.countDown();
                for (int q = 0; q < futures.size(); q++) {
                    GeneratedSequence got = futures.get(q).get(30, TimeUnit.SECONDS).get(0);
                    GeneratedSequence want = expected(toy, sources.get(q), perRequest.get(q));
                    assertEquals(want, got, "seed " + seed + " request " + q + " " + perRequest.get(q));
                    int[] t = got.tokens();
                    if (t[t.length - 1] == EOS) {
                        eosEnded++;
                    } else {
                        cut++;
                    }
                }
            }
            assertTrue(toy.stepRowCounts.stream().mapToInt(Integer::intValue).max().orElse(0) > 5,
                    "steps should hold rows of several sequences");
            assertTrue(toy.stepRowCounts.stream().allMatch(n -> n <= 14), "maxBatchRows exceeded");
            assertTrue(toy.closed, "close() closes the model");
            awaitIdle(toy);
        }
        assertTrue(eosEnded > 5 && cut > 5, "cases should mix </s>-ended and cut sequences: " + eosEnded + "/" + cut);
    }

    @Test
    void oneRequestWithManySourcesCompletesInOrder() throws Exception {
        Random r = new Random(3);
        ToyStepModel toy = new ToyStepModel(V, 64, ToyLms.hashed(V, 11, 0.3));
        List<int[]> sources = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            sources.add(randomSource(r));
        }
        SearchSettings s = settings(3, 15, 0, 1.0, EarlyStopping.TRUE);
        try (Scheduler scheduler = new Scheduler(toy, new EngineSettings(DeviceSpec.CPU, WeightDType.AUTO, 0, 100, 4, 64))) {
            List<GeneratedSequence> got = scheduler.submit(sources, s, RequestContext.NONE).get(30, TimeUnit.SECONDS);
            for (int i = 0; i < sources.size(); i++) {
                assertEquals(expected(toy, sources.get(i), s), got.get(i), "source " + i);
            }
            SchedulerStats stats = scheduler.stats();
            assertTrue(stats.decodeSteps() > 0 && stats.generatedTokens() >= stats.decodeSteps());
            assertEquals(0, stats.activeSequences());
            assertEquals(0, stats.queuedSequences());
        }
        assertTrue(toy.encodeBatchSizes.stream().anyMatch(n -> n > 1), "sources should be encoded in batches");
    }

    @Test
    void repeatedSourcesInARequestAreDecodedOnceAndAnsweredEverywhere() throws Exception {
        Random r = new Random(4);
        ToyStepModel toy = new ToyStepModel(V, 64, ToyLms.hashed(V, 12, 0.3));
        int[] a = randomSource(r);
        int[] b = randomSource(r);
        while (java.util.Arrays.equals(a, b)) {
            b = randomSource(r);
        }
        List<int[]> sources = List.of(a, b, a.clone(), a, b.clone());
        SearchSettings s = settings(2, 12, 0, 1.0, EarlyStopping.TRUE);
        try (Scheduler scheduler = new Scheduler(toy, EngineSettings.DEFAULTS)) {
            List<GeneratedSequence> got = scheduler.submit(sources, s, RequestContext.NONE).get(30, TimeUnit.SECONDS);
            assertEquals(sources.size(), got.size());
            for (int i = 0; i < sources.size(); i++) {
                assertEquals(expected(toy, sources.get(i), s), got.get(i), "source " + i);
            }
        }
        synchronized (toy) {
            assertEquals(2, toy.encodedSources.size(), "each distinct source is encoded once");
        }
    }

    @Test
    void manyConcurrentSubmittersGetTheirOwnCorrectResults() throws Exception {
        ToyStepModel toy = new ToyStepModel(V, 64, ToyLms.hashed(V, 5, 0.3));
        int threads = 8, perThread = 6;
        try (Scheduler scheduler = new Scheduler(toy, new EngineSettings(DeviceSpec.CPU, WeightDType.AUTO, 0, 1000, 6, 20));
             ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> checks = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long seed = t;
                checks.add(pool.submit(() -> {
                    Random r = new Random(seed);
                    go.await();
                    int checked = 0;
                    for (int i = 0; i < perThread; i++) {
                        List<int[]> src = List.of(randomSource(r), randomSource(r));
                        SearchSettings s = settings(1 + r.nextInt(4), 5 + r.nextInt(10), 0, 1.0, EarlyStopping.TRUE);
                        List<GeneratedSequence> got = scheduler.submit(src, s, RequestContext.NONE).get(60, TimeUnit.SECONDS);
                        for (int j = 0; j < src.size(); j++) {
                            GeneratedSequence want;
                            synchronized (SchedulerTest.class) {
                                want = expected(toy, src.get(j), s);
                            }
                            assertEquals(want, got.get(j));
                            checked++;
                        }
                    }
                    return checked;
                }));
            }
            go.countDown();
            int total = 0;
            for (Future<Integer> f : checks) {
                total += f.get(120, TimeUnit.SECONDS);
            }
            assertEquals(threads * perThread * 2, total);
        }
        awaitIdle(toy);
    }

    @Test
    void aFullQueueRejectsWithRetryAfter() throws Exception {
        ToyStepModel toy = new ToyStepModel(V, 64, (src, h) -> new float[V]); // never prefers </s>
        toy.delaySteps(20);
        SearchSettings s = settings(1, 20, 0, 1.0, EarlyStopping.TRUE);
        try (Scheduler scheduler = new Scheduler(toy, new EngineSettings(DeviceSpec.CPU, WeightDType.AUTO, 0, 4, 1, 8))) {
            // distinct sources: a request decodes a repeated one once, and the queue counts it once
            List<int[]> five = List.of(new int[] {4, 5, EOS}, new int[] {4, 6, EOS}, new int[] {4, 7, EOS},
                    new int[] {4, 8, EOS}, new int[] {4, 9, EOS});
            CompletableFuture<List<GeneratedSequence>> first = scheduler.submit(five.subList(0, 4), s, RequestContext.NONE);
            // At most one of the four is active (maxActiveSequences 1): at least 3 still wait, 3 + 2 > 4.
            CompletableFuture<List<GeneratedSequence>> second = scheduler.submit(five.subList(3, 5), s, RequestContext.NONE);
            ExecutionCheck.failsWith(second, OverloadedException.class);
            OverloadedException e = (OverloadedException) ExecutionCheck.cause(second);
            assertTrue(e.retryAfterSeconds() >= 1, "retry-after " + e.retryAfterSeconds());
            assertEquals(4, first.get(30, TimeUnit.SECONDS).size(), "accepted work still completes");
            // A request larger than the whole queue can never fit: that is a bad request, not overload.
            ExecutionCheck.failsWith(scheduler.submit(five, s, RequestContext.NONE), IllegalArgumentException.class);
        }
    }

    @Test
    void invalidRequestsFailWithClearMessages() {
        ToyStepModel toy = new ToyStepModel(V, 10, ToyLms.hashed(V, 1, 0.3));
        try (Scheduler scheduler = new Scheduler(toy, EngineSettings.DEFAULTS)) {
            SearchSettings ok = settings(1, 8, 0, 1.0, EarlyStopping.TRUE);
            assertTrue(ExecutionCheck.message(scheduler.submit(List.of(new int[11]), ok, RequestContext.NONE)).contains("at most 10"));
            assertTrue(ExecutionCheck.message(scheduler.submit(List.of(new int[] {4, 99, 2}), ok, RequestContext.NONE)).contains("99"));
            assertTrue(ExecutionCheck.message(scheduler.submit(List.of(new int[] {4, 2}), settings(1, 11, 0, 1.0,
                    EarlyStopping.TRUE), RequestContext.NONE)).contains("10 positions"));
            assertTrue(ExecutionCheck.message(scheduler.submit(List.of(new int[] {4, 2}), settings(9, 8, 0, 1.0,
                    EarlyStopping.TRUE), RequestContext.NONE)).contains("vocabulary"));
            assertTrue(ExecutionCheck.message(scheduler.submit(List.of(new int[] {4, 2}), ok, null)).contains("context"));
            assertTrue(ExecutionCheck.message(scheduler.submit(List.of(new int[0]), ok, RequestContext.NONE)).contains("empty"));
        }
    }

    @Test
    void aModelErrorFailsTheAffectedRequestAndTheSchedulerGoesOn() throws Exception {
        ToyStepModel toy = new ToyStepModel(V, 64, ToyLms.hashed(V, 2, 0.3));
        toy.failWhen(src -> src.length > 1 && src[1] == 15);
        SearchSettings s = settings(2, 10, 0, 1.0, EarlyStopping.TRUE);
        try (Scheduler scheduler = new Scheduler(toy, EngineSettings.DEFAULTS)) {
            CompletableFuture<List<GeneratedSequence>> bad = scheduler.submit(List.of(new int[] {4, 15, EOS}), s, RequestContext.NONE);
            ExecutionCheck.failsWith(bad, IllegalStateException.class);
            assertTrue(ExecutionCheck.message(bad).contains("decoder step failed"), ExecutionCheck.message(bad));
            int[] good = {4, 9, EOS};
            assertEquals(expected(toy, good, s), scheduler.submit(List.of(good), s, RequestContext.NONE).get(30, TimeUnit.SECONDS).get(0));
        }
        awaitIdle(toy);
    }

    @Test
    void cancellingAFutureDropsItsWork() throws Exception {
        ToyStepModel toy = new ToyStepModel(V, 200, (src, h) -> new float[V]);
        toy.delaySteps(5);
        try (Scheduler scheduler = new Scheduler(toy, EngineSettings.DEFAULTS)) {
            CompletableFuture<List<GeneratedSequence>> f =
                    scheduler.submit(List.of(new int[] {4, 9, EOS}), settings(4, 200, 0, 1.0, EarlyStopping.TRUE), RequestContext.NONE);
            Thread.sleep(50);
            f.cancel(false);
            awaitIdle(toy);
            long steps = scheduler.stats().decodeSteps();
            assertTrue(steps < 150, "cancelled work kept running: " + steps + " steps");
        }
    }

    @Test
    void aRequestPastItsDeadlineFailsWithTimeout() throws Exception {
        ToyStepModel toy = new ToyStepModel(V, 200, (src, h) -> new float[V]);
        toy.delaySteps(5);
        try (Scheduler scheduler = new Scheduler(toy, EngineSettings.DEFAULTS)) {
            CompletableFuture<List<GeneratedSequence>> f = scheduler.submit(List.of(new int[] {4, 9, EOS}),
                    settings(1, 200, 0, 1.0, EarlyStopping.TRUE), RequestContext.withTimeout(Duration.ofMillis(100)));
            ExecutionCheck.failsWith(f, TimeoutException.class);
            awaitIdle(toy);
        }
    }

    @Test
    void closeFinishesAcceptedWorkThenRefusesNewWork() throws Exception {
        Random r = new Random(9);
        ToyStepModel toy = new ToyStepModel(V, 64, ToyLms.hashed(V, 4, 0.3));
        Scheduler scheduler = new Scheduler(toy, new EngineSettings(DeviceSpec.CPU, WeightDType.AUTO, 0, 1000, 3, 10));
        List<int[]> sources = new ArrayList<>();
        List<CompletableFuture<List<GeneratedSequence>>> futures = new ArrayList<>();
        SearchSettings s = settings(2, 12, 0, 1.0, EarlyStopping.TRUE);
        for (int i = 0; i < 20; i++) {
            int[] src = randomSource(r);
            sources.add(src);
            futures.add(scheduler.submit(List.of(src), s, RequestContext.NONE));
        }
        scheduler.close();
        assertTrue(toy.closed, "the model is closed once the work is drained");
        for (int i = 0; i < futures.size(); i++) {
            assertTrue(futures.get(i).isDone(), "request " + i + " not finished by close()");
            assertEquals(expected(toy, sources.get(i), s), futures.get(i).join().get(0));
        }
        ExecutionCheck.failsWith(scheduler.submit(List.of(sources.get(0)), s, RequestContext.NONE), IllegalStateException.class);
        assertEquals(0, toy.openRows());
        assertEquals(0, toy.openSources());
        scheduler.close(); // idempotent
    }

    /** Small helpers for futures that must fail. */
    static final class ExecutionCheck {
        static Throwable cause(CompletableFuture<?> f) {
            CompletionException e = assertThrows(CompletionException.class, () -> f.orTimeout(30, TimeUnit.SECONDS).join());
            return e.getCause();
        }

        static void failsWith(CompletableFuture<?> f, Class<? extends Throwable> type) {
            assertInstanceOf(type, cause(f));
        }

        static String message(CompletableFuture<?> f) {
            return cause(f).getMessage();
        }
    }
}
