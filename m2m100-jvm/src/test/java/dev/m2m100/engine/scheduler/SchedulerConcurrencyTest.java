package dev.m2m100.engine.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.m2m100.engine.EngineSettings;
import dev.m2m100.engine.RequestContext;
import dev.m2m100.engine.SchedulerStats;
import dev.m2m100.engine.backend.DeviceSpec;
import dev.m2m100.engine.backend.WeightDType;
import dev.m2m100.engine.generation.EarlyStopping;
import dev.m2m100.engine.generation.GeneratedSequence;
import dev.m2m100.engine.generation.SearchSettings;
import dev.m2m100.engine.generation.ToyStepModel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Races between the scheduler thread, the threads that complete futures, and callers: each test failed against the
 * scheduler before its fix (2026-12-06 review; failure rates in the commit message).
 */
class SchedulerConcurrencyTest {
    static final int V = 16;

    static SearchSettings greedy(int maxLength) {
        return new SearchSettings(1, maxLength, 0, 0, 1.0, EarlyStopping.TRUE, 2, 8, 2);
    }

    static int[] source() {
        return new int[] {4, 5, 6, 2};
    }

    static EngineSettings limits() {
        return new EngineSettings(DeviceSpec.CPU, WeightDType.AUTO, 0, 100, 4, 64);
    }

    /**
     * close() from a callback of a request's future: the callback runs on a thread of the scheduler's own
     * completions executor, and close() used to end with completions.close(), which waits for every task of that
     * executor, including the one calling it: it never returned.
     */
    @Test
    void closeFromACompletionCallbackReturns() throws Exception {
        ToyStepModel toy = new ToyStepModel(V, 64, (src, h) -> new float[V]);
        CountDownLatch go = new CountDownLatch(1);
        toy.holdStepsUntil(go);
        Scheduler scheduler = new Scheduler(toy, limits());
        CompletableFuture<List<GeneratedSequence>> f = scheduler.submit(List.of(source()), greedy(6), RequestContext.NONE);
        CompletableFuture<Void> closed = new CompletableFuture<>();
        f.whenComplete((r, e) -> { // registered before completion: runs on the completions executor
            scheduler.close();
            closed.complete(null);
        });
        go.countDown();
        f.get(10, TimeUnit.SECONDS);
        try {
            closed.get(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("close() called from a completion callback did not return within 10 s"
                    + " (model closed: " + toy.closed + ")");
        }
    }

    /**
     * With one greedy sequence every step yields exactly one token, so a consistent snapshot has tokens == steps. The
     * two used to be separate counters, read and updated one after the other: snapshots tore (and
     * ServiceMetrics.sampleDecoderBatch then recorded a period with fewer rows than were run).
     */
    @Test
    void statsSnapshotIsConsistent() throws Exception {
        ToyStepModel toy = new ToyStepModel(V, 300, (src, h) -> new float[V]); // never emits </s> by choice
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong torn = new AtomicLong();
        AtomicLong reads = new AtomicLong();
        AtomicReference<SchedulerStats> example = new AtomicReference<>();
        try (Scheduler scheduler = new Scheduler(toy, limits())) {
            Thread reader = Thread.ofPlatform().start(() -> {
                while (!stop.get()) {
                    SchedulerStats s = scheduler.stats();
                    reads.incrementAndGet();
                    if (s.decodeSteps() != s.generatedTokens()) {
                        torn.incrementAndGet();
                        example.compareAndSet(null, s);
                    }
                }
            });
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (System.nanoTime() < end && torn.get() == 0) {
                scheduler.submit(List.of(source()), greedy(299), RequestContext.NONE).get(30, TimeUnit.SECONDS);
            }
            stop.set(true);
            reader.join();
            assertTrue(reads.get() > 1000 && scheduler.stats().decodeSteps() > 100,
                    "too little overlap to test: " + reads.get() + " reads, " + scheduler.stats().decodeSteps() + " steps");
        }
        assertEquals(0, torn.get(), "torn stats snapshots (steps != tokens), e.g. " + example.get());
    }

    /**
     * A caller who sees its future fail with a timeout also sees its sequence gone from the stats, as one whose
     * future completes does. The active count used to be updated only after the iteration's encoder pass, while the
     * timed-out future was failed (on another thread) before it.
     */
    @Test
    void timedOutRequestIsGoneFromStatsWhenItsFutureFails() throws Exception {
        ToyStepModel toy = new ToyStepModel(V, 300, (src, h) -> new float[V]);
        toy.delaySteps(20); // iterations every ~20 ms
        SlowEncodeModel model = new SlowEncodeModel(toy, 300);
        try (Scheduler scheduler = new Scheduler(model, limits())) {
            // A: runs forever-ish, times out after 200 ms
            CompletableFuture<List<GeneratedSequence>> a = scheduler.submit(List.of(source()), greedy(299),
                    new RequestContext("a", Duration.ofMillis(200), RequestContext.QueueWaitListener.NONE));
            AtomicReference<SchedulerStats> seen = new AtomicReference<>();
            a.whenComplete((r, e) -> seen.set(scheduler.stats()));
            // B: arrives just after A's deadline, before the iteration that notices it, which then drops A and
            // encodes B (slowly) before it publishes activeCount
            Thread.sleep(205);
            model.slow = true;
            scheduler.submit(List.of(new int[] {4, 7, 2}), greedy(3), RequestContext.NONE);
            try {
                a.get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException expected) {
                assertTrue(expected.getCause() instanceof TimeoutException, String.valueOf(expected.getCause()));
            }
            for (int i = 0; i < 100 && seen.get() == null; i++) {
                Thread.sleep(10);
            }
            assertEquals(0, seen.get().activeSequences(),
                    "A's future had failed but its sequence still counted as active: " + seen.get());
        }
    }

    /** Delegates to a toy model; once {@code slow}, each encoder pass sleeps. */
    static final class SlowEncodeModel implements dev.m2m100.engine.generation.StepModel {
        final ToyStepModel toy;
        final long millis;
        volatile boolean slow;

        SlowEncodeModel(ToyStepModel toy, long millis) {
            this.toy = toy;
            this.millis = millis;
        }

        @Override public int vocabSize() { return toy.vocabSize(); }
        @Override public int maxPositions() { return toy.maxPositions(); }
        @Override public int[] encode(List<int[]> sources) {
            if (slow) {
                try {
                    Thread.sleep(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return toy.encode(sources);
        }
        @Override public void releaseSource(int sourceSlot) { toy.releaseSource(sourceSlot); }
        @Override public int openRow(int sourceSlot) { return toy.openRow(sourceSlot); }
        @Override public void releaseRow(int row) { toy.releaseRow(row); }
        @Override public void copyRows(int[] from, int[] to) { toy.copyRows(from, to); }
        @Override public void step(int[] rows, int[] tokens, dev.m2m100.engine.generation.LogitRule[] rules, int k,
                                   float[] outLogProbs, int[] outIds) {
            toy.step(rows, tokens, rules, k, outLogProbs, outIds);
        }
        @Override public void close() { toy.close(); }
    }

    /**
     * The queue-wait listener runs inside admit(), outside the loop's try/catch, and was guarded against
     * RuntimeException only: an Error from it ended the only scheduler thread. submit() kept accepting, and nothing
     * ever completed or timed out (deadlines are enforced by that thread).
     */
    @Test
    void aListenerErrorDoesNotStopTheScheduler() throws Exception {
        ToyStepModel toy = new ToyStepModel(V, 64, (src, h) -> new float[V]);
        try (Scheduler scheduler = new Scheduler(toy, limits())) {
            CompletableFuture<List<GeneratedSequence>> bad = scheduler.submit(List.of(source()), greedy(4),
                    new RequestContext("a", Duration.ofSeconds(2), waited -> { throw new AssertionError("listener bug"); }));
            Thread.sleep(200);
            CompletableFuture<List<GeneratedSequence>> next = scheduler.submit(List.of(source()), greedy(4),
                    new RequestContext("b", Duration.ofSeconds(2), RequestContext.QueueWaitListener.NONE));
            try {
                next.get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException fine) {
                // failing (e.g. timed out) is acceptable; never completing is not
            } catch (TimeoutException e) {
                throw new AssertionError("a later request (2 s deadline) neither completed nor timed out in 10 s;"
                        + " first request done: " + bad.isDone());
            }
        }
    }
}
