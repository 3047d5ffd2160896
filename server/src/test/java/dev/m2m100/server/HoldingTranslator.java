package dev.m2m100.server;

import dev.m2m100.engine.GenerationOptions;
import dev.m2m100.engine.RequestContext;
import dev.m2m100.engine.SchedulerStats;
import dev.m2m100.engine.Translator;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps the test engine and, after {@link #hold()}, holds back each result until {@link #release()}, so that tests can keep
 * requests in flight for as long as they need (drain, deadline). The translation itself is the engine's.
 */
final class HoldingTranslator implements Translator {
    private final Translator engine;
    private volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);
    private final AtomicInteger held = new AtomicInteger();
    /** The client each translate() call was made for (what the scheduler shares admission by). */
    final List<String> clients = new java.util.concurrent.CopyOnWriteArrayList<>();

    HoldingTranslator(Translator engine) {
        this.engine = engine;
    }

    /** From now on results wait for {@link #release()} (the warm-up before this passes straight through). */
    void hold() {
        gate = new CompletableFuture<>();
    }

    void release() {
        gate.complete(null);
    }

    /** translate() calls made so far. */
    int calls() {
        return held.get();
    }

    @Override
    public CompletableFuture<List<String>> translate(List<String> texts, List<String> fromLangs, String toLang,
                                                     GenerationOptions options, RequestContext context) {
        CompletableFuture<Void> g = gate;
        clients.add(context.client());
        CompletableFuture<List<String>> work = engine.translate(texts, fromLangs, toLang, options, context);
        held.incrementAndGet();
        return work.thenCombine(g, (result, ignored) -> result);
    }

    @Override
    public dev.m2m100.engine.language.LanguageTable languageTable() {
        return engine.languageTable();
    }

    @Override
    public int countSourceTokens(String text, String fromLang) {
        return engine.countSourceTokens(text, fromLang);
    }

    @Override
    public int maxSourceTokens() {
        return engine.maxSourceTokens();
    }

    @Override
    public SchedulerStats stats() {
        return engine.stats();
    }

    @Override
    public void close() {
        engine.close();
    }
}
