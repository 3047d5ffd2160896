package dev.m2m100.server;

import dev.m2m100.engine.GenerationOptions;
import dev.m2m100.engine.OverloadedException;
import dev.m2m100.engine.SchedulerStats;
import dev.m2m100.engine.Translator;
import dev.m2m100.tokenizer.UnsupportedLanguageException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * TEST DOUBLE for developing the server before the real engine exists: "translates" by tagging each text
 * with the target language, counts one token per whitespace-separated word plus two, and bounds its queue
 * like the real scheduler. Not used to claim anything about translation quality.
 */
final class FakeTranslator implements Translator {
    private final List<String> languages = List.of("en", "fr", "de", "ja");
    private final int maxSourceTokens;
    private final int maxQueued;
    private final ExecutorService worker = Executors.newSingleThreadExecutor();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong tokens = new AtomicLong();
    private final AtomicLong steps = new AtomicLong();
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private volatile boolean closed;

    FakeTranslator(int maxSourceTokens, int maxQueued) {
        this.maxSourceTokens = maxSourceTokens;
        this.maxQueued = maxQueued;
    }

    /** Holds all work until {@link #open()}. */
    void hold() {
        gate = new CountDownLatch(1);
    }

    void open() {
        gate.countDown();
    }

    static String expected(String text, String to) {
        return "<" + to + ">" + text.strip();
    }

    @Override
    public CompletableFuture<List<String>> translate(List<String> texts, String fromLang, String toLang,
                                                     GenerationOptions options) {
        if (closed) {
            throw new IllegalStateException("translator closed");
        }
        for (String l : List.of(fromLang, toLang)) {
            if (!languages.contains(l)) {
                throw new UnsupportedLanguageException(l, languages);
            }
        }
        for (String t : texts) {
            if (countSourceTokens(t, fromLang) > maxSourceTokens) {
                throw new IllegalArgumentException("text of " + countSourceTokens(t, fromLang) + " tokens");
            }
        }
        if (queued.addAndGet(texts.size()) > maxQueued) {
            queued.addAndGet(-texts.size());
            throw new OverloadedException("queue full", 2);
        }
        CountDownLatch g = gate;
        return CompletableFuture.supplyAsync(() -> {
            try {
                g.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            List<String> out = new ArrayList<>();
            for (String t : texts) {
                sleepAMoment(); // like a real decoder: the queue only fills if work takes time
                out.add(expected(t, toLang));
                tokens.addAndGet(countSourceTokens(t, fromLang));
                steps.incrementAndGet();
            }
            queued.addAndGet(-texts.size());
            return out;
        }, worker);
    }

    private static void sleepAMoment() {
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public List<String> languages() {
        return languages;
    }

    @Override
    public int countSourceTokens(String text, String fromLang) {
        String s = text.strip();
        return (s.isEmpty() ? 0 : s.split("\\s+").length) + 2;
    }

    @Override
    public int maxSourceTokens() {
        return maxSourceTokens;
    }

    @Override
    public SchedulerStats stats() {
        return new SchedulerStats(queued.get(), 0, tokens.get(), steps.get());
    }

    @Override
    public void close() {
        closed = true;
        worker.shutdown();
    }
}
