package dev.m2m100.engine.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.m2m100.engine.EngineSettings;
import dev.m2m100.engine.RequestContext;
import dev.m2m100.engine.backend.DeviceSpec;
import dev.m2m100.engine.backend.WeightDType;
import dev.m2m100.engine.generation.EarlyStopping;
import dev.m2m100.engine.generation.GeneratedSequence;
import dev.m2m100.engine.generation.SearchSettings;
import dev.m2m100.engine.generation.ToyLms;
import dev.m2m100.engine.generation.ToyStepModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Running out of device memory is not a crash: on a toy model whose "device" holds only so many rows, the
 * scheduler admits fewer sequences, queues the ones that did not fit again, and every result is the one the
 * sequence gets alone. Only a sequence that does not fit even alone fails, with a message that says so.
 */
class OutOfMemoryRetryTest {
    private static final int V = SchedulerTest.V;

    private record Workload(List<int[]> sources, List<SearchSettings> settings) {}

    private static Workload workload(long seed, int count, int maxBeams) {
        Random r = new Random(seed);
        List<int[]> sources = new ArrayList<>();
        List<SearchSettings> settings = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sources.add(SchedulerTest.randomSource(r));
            settings.add(SchedulerTest.settings(1 + r.nextInt(maxBeams), 4 + r.nextInt(12), r.nextInt(2), 1.0,
                    EarlyStopping.values()[r.nextInt(3)]));
        }
        return new Workload(sources, settings);
    }

    /** Submits everything before decoding starts (so the limits are hit), then checks each result against the oracle. */
    private static void runAndCheck(ToyStepModel toy, Workload w) throws Exception {
        CountDownLatch queued = new CountDownLatch(1);
        toy.holdStepsUntil(queued);
        try (Scheduler scheduler = new Scheduler(toy, new EngineSettings(DeviceSpec.CPU, WeightDType.AUTO, 0, 100, 8, 40))) {
            List<CompletableFuture<List<GeneratedSequence>>> futures = new ArrayList<>();
            for (int i = 0; i < w.sources().size(); i++) {
                futures.add(scheduler.submit(List.of(w.sources().get(i)), w.settings().get(i),
                        new RequestContext("client-" + i % 2, null, RequestContext.QueueWaitListener.NONE)));
            }
            queued.countDown();
            for (int i = 0; i < futures.size(); i++) {
                GeneratedSequence got = futures.get(i).get(30, TimeUnit.SECONDS).getFirst();
                assertEquals(SchedulerTest.expected(toy, w.sources().get(i), w.settings().get(i)), got, "request " + i);
            }
            assertTrue(scheduler.stats().memoryShrinks() > 0, "the limit was hit: " + scheduler.stats());
            assertTrue(scheduler.stats().admissionLimit() < 8, "fewer admitted at once: " + scheduler.stats());
        }
        SchedulerTest.awaitIdle(toy);
    }

    @Test
    void openingRowsBeyondTheDeviceQueuesSequencesAgainAndEveryResultIsUnchanged() throws Exception {
        ToyStepModel toy = new ToyStepModel(V, 64, ToyLms.hashed(V, 3, 0.3));
        toy.limitOpenRows(7);
        runAndCheck(toy, workload(11, 16, 3));
    }

    @Test
    void aStepBeyondTheDeviceStartsTheActiveSequencesOverWithFewerAndEveryResultIsUnchanged() throws Exception {
        ToyStepModel toy = new ToyStepModel(V, 64, ToyLms.hashed(V, 4, 0.3));
        toy.limitStepRows(6);
        runAndCheck(toy, workload(12, 16, 3));
    }

    @Test
    void onlyASequenceThatDoesNotFitAloneFailsAndItsNeighboursDoNot() throws Exception {
        ToyStepModel toy = new ToyStepModel(V, 64, ToyLms.hashed(V, 5, 0.3));
        toy.limitOpenRows(3);
        try (Scheduler scheduler = new Scheduler(toy, new EngineSettings(DeviceSpec.CPU, WeightDType.AUTO, 0, 100, 8, 40))) {
            int[] src = {4, 7, 9, SchedulerTest.EOS};
            SearchSettings greedy = SchedulerTest.settings(1, 8, 0, 1.0, EarlyStopping.TRUE);
            SearchSettings fiveBeams = SchedulerTest.settings(5, 8, 0, 1.0, EarlyStopping.TRUE);
            CompletableFuture<List<GeneratedSequence>> small = scheduler.submit(List.of(src, src), greedy, RequestContext.NONE);
            CompletableFuture<List<GeneratedSequence>> big = scheduler.submit(List.of(src), fiveBeams, RequestContext.NONE);
            assertEquals(SchedulerTest.expected(toy, src, greedy), small.get(30, TimeUnit.SECONDS).getFirst());
            String message = SchedulerTest.ExecutionCheck.message(big);
            assertTrue(message.contains("device memory even alone"), message);
        }
        SchedulerTest.awaitIdle(toy);
    }
}
