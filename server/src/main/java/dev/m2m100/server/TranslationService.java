package dev.m2m100.server;

import dev.m2m100.engine.OverloadedException;
import dev.m2m100.engine.Translator;
import dev.m2m100.tokenizer.UnsupportedLanguageException;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One validated request → translations, through the engine's {@link Translator}. Knows nothing of HTTP.
 *
 * <ul>
 *   <li>Languages are checked against the model's list first (400 listing the supported codes).</li>
 *   <li>{@code fromLang == toLang}: the texts are returned as they are, without touching the model
 *       (M2M100 is not trained to "translate" into the source language; it would paraphrase at best).</li>
 *   <li>Empty or whitespace-only texts translate to "" without touching the model.</li>
 *   <li>A text longer than the model's encoder input is split at sentence boundaries and the pieces'
 *       translations are joined; one sentence that alone is too long is a 400.</li>
 *   <li>All pieces of a request go to the engine in ONE call, so a request is queued whole or refused
 *       whole (429), never half-done.</li>
 * </ul>
 */
final class TranslationService {
    private static final System.Logger LOG = System.getLogger(TranslationService.class.getName());

    private final Translator translator;
    private final int maxQueued;

    TranslationService(Translator translator, int maxQueued) {
        this.translator = translator;
        this.maxQueued = maxQueued;
    }

    List<String> translate(TranslationRequest request, Duration timeout) {
        List<String> languages = translator.languages();
        checkLanguage(request.fromLang(), "payload.fromLang", languages);
        checkLanguage(request.toLang(), "payload.toLang", languages);

        List<TranslationRequest.Item> records = request.records();
        if (request.fromLang().equals(request.toLang())) {
            return records.stream().map(TranslationRequest.Item::text).toList();
        }

        // Plan: which pieces each record becomes (none for an empty text).
        int maxTokens = translator.maxSourceTokens();
        List<String> pieces = new ArrayList<>();
        int[] firstPiece = new int[records.size() + 1];
        for (int i = 0; i < records.size(); i++) {
            firstPiece[i] = pieces.size();
            String text = records.get(i).text();
            if (text.isBlank()) {
                continue;
            }
            if (translator.countSourceTokens(text, request.fromLang()) <= maxTokens) {
                pieces.add(text);
                continue;
            }
            try {
                pieces.addAll(SentenceSplitter.split(text, request.fromLang(),
                        t -> translator.countSourceTokens(t, request.fromLang()), maxTokens));
            } catch (SentenceSplitter.SentenceTooLongException e) {
                throw ApiException.badField(ErrorCodes.TEXT_TOO_LONG, "payload.records[" + i + "].text",
                        "a sentence of this text is " + e.tokens() + " tokens long; the model accepts at most "
                                + maxTokens + " per sentence (longer texts are split at sentence boundaries)");
            }
        }
        firstPiece[records.size()] = pieces.size();
        if (pieces.size() > maxQueued) {
            throw ApiException.badField(ErrorCodes.TOO_MANY_RECORDS, "payload.records",
                    "the records split into " + pieces.size() + " sentence groups, more than the service can queue ("
                            + maxQueued + "); send fewer or shorter records per request");
        }

        List<String> translated = pieces.isEmpty() ? List.of() : await(
                pieces, request, timeout);

        List<String> out = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            List<String> mine = translated.subList(firstPiece[i], firstPiece[i + 1]);
            out.add(mine.isEmpty() ? "" : SentenceSplitter.join(mine, request.toLang()));
        }
        return out;
    }

    private List<String> await(List<String> pieces, TranslationRequest request, Duration timeout) {
        CompletableFuture<List<String>> future;
        try {
            future = translator.translate(pieces, request.fromLang(), request.toLang(), request.options());
        } catch (RuntimeException e) {
            throw translateFailure(e);
        }
        try {
            List<String> result = future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (result == null || result.size() != pieces.size()) {
                LOG.log(Level.ERROR, "engine returned " + (result == null ? "null" : result.size() + " results")
                        + " for " + pieces.size() + " texts");
                throw internal();
            }
            return result;
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new ApiException(504, ErrorCodes.TIMEOUT, "translation did not finish within "
                    + timeout.toSeconds() + " s (REQUEST_TIMEOUT_SECONDS); try fewer or shorter records", null, 0);
        } catch (ExecutionException | CompletionException e) {
            throw translateFailure(e.getCause() == null ? e : e.getCause());
        } catch (CancellationException e) {
            throw new ApiException(503, ErrorCodes.SHUTTING_DOWN, "the translation was cancelled (service stopping)", null, 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw new ApiException(503, ErrorCodes.SHUTTING_DOWN, "the request was interrupted (service stopping)", null, 1);
        }
    }

    private static ApiException translateFailure(Throwable e) {
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return switch (e) {
            case ApiException api -> api;
            case OverloadedException o -> new ApiException(429, ErrorCodes.OVERLOADED,
                    "the translation queue is full; retry after " + Math.max(1, o.retryAfterSeconds()) + " s",
                    null, Math.max(1, o.retryAfterSeconds()));
            case UnsupportedLanguageException u -> ApiException.badField(ErrorCodes.UNSUPPORTED_LANGUAGE, null, u.getMessage());
            case IllegalArgumentException i -> new ApiException(400, ErrorCodes.INVALID_VALUE,
                    "the model cannot take this input: " + i.getMessage(), null);
            default -> {
                LOG.log(Level.ERROR, "translation failed unexpectedly", e);
                yield internal();
            }
        };
    }

    private static ApiException internal() {
        return new ApiException(500, ErrorCodes.INTERNAL_ERROR, "internal error; the server log has the details", null);
    }

    private static void checkLanguage(String code, String field, List<String> supported) {
        if (!supported.contains(code)) {
            throw ApiException.badField(ErrorCodes.UNSUPPORTED_LANGUAGE, field, "unsupported language '" + code
                    + "' in " + field + "; supported: " + String.join(", ", supported));
        }
    }
}
