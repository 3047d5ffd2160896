package dev.m2m100.engine;

import dev.m2m100.engine.backend.Placement;
import dev.m2m100.engine.language.LanguageTable;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The engine's public face: text in, text out. Thread-safe; every call goes through the one scheduler that
 * owns the model, so concurrent callers are batched together.
 */
public interface Translator extends AutoCloseable {

    /**
     * Queues the texts for translation. The future completes with one translation per text, in order, or
     * exceptionally with {@link OverloadedException} (queue full), {@link dev.m2m100.tokenizer.UnsupportedLanguageException}, or
     * {@link IllegalArgumentException} (a text the model cannot take).
     */
    default CompletableFuture<List<String>> translate(List<String> texts, String fromLang, String toLang,
                                                      GenerationOptions options) {
        return translate(texts, texts == null ? null : Collections.nCopies(texts.size(), fromLang), toLang, options);
    }

    /**
     * As {@link #translate(List, String, String, GenerationOptions)}, each text with its own source language
     * ({@code fromLangs.get(i)} for {@code texts.get(i)}, e.g. detected per text): still one submission, queued
     * whole or refused whole.
     */
    default CompletableFuture<List<String>> translate(List<String> texts, List<String> fromLangs, String toLang,
                                                      GenerationOptions options) {
        return translate(texts, fromLangs, toLang, options, RequestContext.NONE);
    }

    /**
     * As {@link #translate(List, List, String, GenerationOptions)}, for a given client and time limit: admission
     * is fair between clients and then between requests, past the limit the work is dropped and the future fails
     * with {@link java.util.concurrent.TimeoutException}, and {@code context}'s listener hears how long the
     * request waited in the queue.
     */
    CompletableFuture<List<String>> translate(List<String> texts, List<String> fromLangs, String toLang,
                                              GenerationOptions options, RequestContext context);

    /** Blocking convenience form of {@link #translate}. */
    default List<String> translateNow(List<String> texts, String fromLang, String toLang, GenerationOptions options) {
        return translate(texts, fromLang, toLang, options).join();
    }

    /**
     * The model's languages with their names, and the one resolver from what clients write ({@code EN}, {@code en-US},
     * {@code eng_Latn}) to the model's own codes. The translate methods take the model's own codes.
     */
    LanguageTable languageTable();

    /** The model's own language codes ("en", "ja", … or "eng_Latn", …), in the model's order. */
    default List<String> languages() {
        return languageTable().codes();
    }

    /** Number of encoder input tokens (language token and {@code </s>} included) the text becomes. */
    int countSourceTokens(String text, String fromLang);

    /** Longest encoder input, in tokens, the model accepts. */
    int maxSourceTokens();

    /** Where the model runs (device, weight format, threads), for logs and metrics. */
    default Placement placement() {
        return Placement.UNKNOWN;
    }

    /** Work waiting plus work running, for metrics and readiness. */
    SchedulerStats stats();

    /** Stops accepting work, finishes what is running, then frees the model. */
    @Override
    void close();
}
