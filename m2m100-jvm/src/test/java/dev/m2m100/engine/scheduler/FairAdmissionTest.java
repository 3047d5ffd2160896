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
import dev.m2m100.engine.generation.ToyStepModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The order in which the scheduler admits queued sequences, proven on a scripted step model: every source is
 * {@code [4, steps, tag, </s>]} and decodes greedily for exactly {@code steps} tokens after the language token,
 * so which sequence finishes when is fixed and the admission order (the order the model encodes sources) is
 * the scheduler's decision alone. Decoding is held until all requests are queued: nothing here depends on
 * timing.
 */
class FairAdmissionTest {
    private static final int V = 16, START = 2, EOS = 2, LANG = 8, FILLER = 5;

    /** Greedy: EOS once the row has produced {@code source[1]} tokens after the language token. */
    private static ToyStepModel scripted() {
        return new ToyStepModel(V, 64, (source, consumed) -> {
            float[] logits = new float[V];
            // consumed = start, language token, then generated tokens
            logits[consumed.length - 2 >= source[1] ? EOS : FILLER] = 1f;
            return logits;
        });
    }

    private static SearchSettings greedy(int maxLength) {
        return new SearchSettings(1, maxLength, 0, 0, 1.0, EarlyStopping.TRUE, START, LANG, EOS);
    }

    private static List<int[]> sources(int count, int steps, int tag) {
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(new int[] {4, steps, tag, i, EOS}); // distinct: a request decodes a repeated source once
        }
        return out;
    }

    private static RequestContext client(String id) {
        return new RequestContext(id, null, RequestContext.QueueWaitListener.NONE);
    }

    private static List<Integer> admittedTags(ToyStepModel toy) {
        synchronized (toy) {
            return toy.encodedSources.stream().map(s -> s[2]).toList();
        }
    }

    private static void awaitEncoded(ToyStepModel toy, int count) throws InterruptedException {
        for (int i = 0; i < 3000 && toy.encodedCount() < count; i++) {
            Thread.sleep(1);
        }
        assertEquals(count, toy.encodedCount(), "sources encoded before the held step");
    }

    /**
     * A long request fills the active set; a second request of the same client and two one-text requests of
     * two other clients arrive while it decodes. As slots free up, the newcomers go first in turn, not after
     * the long request's remaining texts (first-in first-out would give 7,7,7,7,9,9,11,13).
     */
    @Test
    void newcomersAreAdmittedAcrossClientsThenRequestsInsteadOfBehindTheLongRequest() throws Exception {
        ToyStepModel toy = scripted();
        CountDownLatch decode = new CountDownLatch(1);
        toy.holdStepsUntil(decode);
        try (Scheduler scheduler = new Scheduler(toy, new EngineSettings(DeviceSpec.CPU, WeightDType.AUTO, 0, 100, 2, 64))) {
            List<CompletableFuture<List<GeneratedSequence>>> all = new ArrayList<>();
            all.add(scheduler.submit(sources(6, 2, 7), greedy(20), client("a")));
            awaitEncoded(toy, 2); // the active set (2) is full of the long request; its first step is held
            all.add(scheduler.submit(sources(2, 2, 9), greedy(20), client("a")));
            all.add(scheduler.submit(sources(1, 2, 11), greedy(20), client("b")));
            all.add(scheduler.submit(sources(1, 2, 13), greedy(20), client("c")));
            decode.countDown();
            for (CompletableFuture<List<GeneratedSequence>> f : all) {
                f.get(30, TimeUnit.SECONDS);
            }
            // Clients in turn (a, b, c, a, ...) by what each was given; a's two requests share a's turns.
            assertEquals(List.of(7, 7, 7, 11, 13, 9, 7, 9, 7, 7), admittedTags(toy));
        }
    }

    /** One client's requests share its turns: a one-text request behind a 6-text one of the same client goes second. */
    @Test
    void withinOneClientRequestsTakeTurns() throws Exception {
        ToyStepModel toy = scripted();
        CountDownLatch decode = new CountDownLatch(1);
        toy.holdStepsUntil(decode);
        try (Scheduler scheduler = new Scheduler(toy, new EngineSettings(DeviceSpec.CPU, WeightDType.AUTO, 0, 100, 1, 64))) {
            CompletableFuture<List<GeneratedSequence>> big = scheduler.submit(sources(6, 3, 7), greedy(20), RequestContext.NONE);
            awaitEncoded(toy, 1);
            CompletableFuture<List<GeneratedSequence>> small = scheduler.submit(sources(1, 1, 9), greedy(20), RequestContext.NONE);
            decode.countDown();
            big.get(30, TimeUnit.SECONDS);
            small.get(30, TimeUnit.SECONDS);
            assertEquals(List.of(7, 7, 9, 7, 7, 7, 7), admittedTags(toy));
        }
    }

    /**
     * The queue-wait listener hears once per request, when its first text leaves the queue; the fair order holds
     * results exactly as first-in first-out would (each sequence's result is its own, whatever it was batched with).
     */
    @Test
    void listenerHearsTheQueueWaitOnceAndResultsAreEachSequencesOwn() throws Exception {
        ToyStepModel toy = scripted();
        CountDownLatch decode = new CountDownLatch(1);
        toy.holdStepsUntil(decode);
        List<Duration> waits = new CopyOnWriteArrayList<>();
        try (Scheduler scheduler = new Scheduler(toy, new EngineSettings(DeviceSpec.CPU, WeightDType.AUTO, 0, 100, 1, 64))) {
            RequestContext listening = new RequestContext("x", null, waits::add);
            CompletableFuture<List<GeneratedSequence>> first = scheduler.submit(sources(3, 4, 7), greedy(20), listening);
            awaitEncoded(toy, 1);
            CompletableFuture<List<GeneratedSequence>> second = scheduler.submit(sources(2, 1, 9), greedy(20), listening);
            decode.countDown();
            List<GeneratedSequence> longOnes = first.get(30, TimeUnit.SECONDS);
            List<GeneratedSequence> shortOnes = second.get(30, TimeUnit.SECONDS);
            assertEquals(2, waits.size(), "one notice per request");
            for (GeneratedSequence g : longOnes) {
                assertEquals(List.of(START, LANG, FILLER, FILLER, FILLER, FILLER, EOS), ints(g.tokens()));
            }
            for (GeneratedSequence g : shortOnes) {
                assertEquals(List.of(START, LANG, FILLER, EOS), ints(g.tokens()));
            }
            assertTrue(scheduler.stats().admittedSequences() == 5, "admissions counted: " + scheduler.stats());
        }
    }

    private static List<Integer> ints(int[] a) {
        List<Integer> out = new ArrayList<>();
        for (int x : a) {
            out.add(x);
        }
        return out;
    }
}
