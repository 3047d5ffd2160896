package dev.m2m100.server;

import dev.m2m100.engine.GenerationOptions;
import dev.m2m100.engine.RequestContext;
import dev.m2m100.engine.Translator;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps the test engine and, after {@link #hold()}, holds back each result until {@link #release()}, so that tests can keep
 * requests in flight for as long as they need (drain, deadline). The translation itself is the engine's.
 */
final class HoldingTranslator extends ForwardingTranslator {
    private volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);
    private final AtomicInteger held = new AtomicInteger();
    /** The client each translate() call was made for (what the scheduler shares admission by). */
    final List<String> clients = new java.util.concurrent.CopyOnWriteArrayList<>();

    HoldingTranslator(Translator engine) {
        super(engine);
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
}
