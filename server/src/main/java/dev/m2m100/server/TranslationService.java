package dev.m2m100.server;

import dev.m2m100.engine.OverloadedException;
import dev.m2m100.engine.RequestContext;
import dev.m2m100.engine.Translator;
import dev.m2m100.server.text.Detection;
import dev.m2m100.server.text.TextJob;
import dev.m2m100.server.text.TextRequestException;
import dev.m2m100.server.text.TextResult;
import dev.m2m100.server.text.TextTranslator;
import dev.m2m100.tokenizer.UnsupportedLanguageException;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;

/**
 * The APIs' way to the {@link TextTranslator} (sentences, spacing, HTML, detection; see there): waits for the
 * result within the request deadline and turns every failure into an {@link ApiException} that names the
 * request's own field. Shared by {@code POST /translation} and the LibreTranslate-compatible endpoints.
 */
final class TranslationService {
    private static final System.Logger LOG = System.getLogger(TranslationService.class.getName());

    /**
     * Where a request keeps what the text layer may complain about, for error messages.
     *
     * @param from  the source language field
     * @param to    the target language field
     * @param texts the list of texts
     * @param text  the field of text {@code i}
     */
    record Fields(String from, String to, String texts, IntFunction<String> text) {}

    private final TextTranslator text;
    private final ServiceMetrics metrics;

    TranslationService(Translator translator, int maxQueued, ServiceMetrics metrics) {
        this.text = TextTranslator.withDetection(translator, maxQueued);
        this.metrics = metrics;
    }

    TextTranslator text() {
        return text;
    }

    /**
     * Translates the job for the exchange's client (the scheduler shares admission fairly between clients, then
     * requests) within {@code timeout}; the exchange learns how long the texts waited for the scheduler.
     */
    TextResult translate(TextJob job, Fields fields, Duration timeout, Exchange exchange) {
        String client = exchange.client() == null ? "" : exchange.client();
        RequestContext context = new RequestContext(client, timeout, waited -> {
            exchange.queueWait(waited);
            metrics.recordQueueWait(waited);
        });
        CompletableFuture<TextResult> future;
        try {
            future = text.translate(job, context);
        } catch (TextRequestException e) {
            throw refused(e, fields);
        } catch (RuntimeException e) {
            throw translateFailure(e);
        }
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw timedOut(timeout);
        } catch (ExecutionException | CompletionException e) {
            if (e.getCause() instanceof TimeoutException) { // the engine's deadline (the same one) came first
                throw timedOut(timeout);
            }
            throw translateFailure(e.getCause() == null ? e : e.getCause());
        } catch (CancellationException e) {
            throw new ApiException(503, ErrorCodes.SHUTTING_DOWN, "the translation was cancelled (service stopping)", null, 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw new ApiException(503, ErrorCodes.SHUTTING_DOWN, "the request was interrupted (service stopping)", null, 1);
        }
    }

    private static ApiException timedOut(Duration timeout) {
        return new ApiException(504, ErrorCodes.TIMEOUT, "translation did not finish within "
                + timeout.toSeconds() + " s (REQUEST_TIMEOUT_SECONDS); try fewer or shorter texts", null, 0);
    }

    /** The most likely language of a text. */
    Detection detect(String content, String field) {
        try {
            return text.detect(content);
        } catch (TextRequestException e) {
            throw refused(e, new Fields(field, field, field, i -> field));
        }
    }

    private static ApiException refused(TextRequestException e, Fields fields) {
        return switch (e.problem()) {
            case UNSUPPORTED_SOURCE, NO_DETECTION -> ApiException.badField(ErrorCodes.UNSUPPORTED_LANGUAGE, fields.from(),
                    fields.from() + ": " + e.getMessage());
            case UNSUPPORTED_TARGET -> ApiException.badField(ErrorCodes.UNSUPPORTED_LANGUAGE, fields.to(),
                    fields.to() + ": " + e.getMessage());
            case SENTENCE_TOO_LONG -> ApiException.badField(ErrorCodes.TEXT_TOO_LONG, fields.text().apply(e.index()),
                    e.getMessage());
            case TOO_MANY_SENTENCES -> ApiException.badField(ErrorCodes.TOO_MANY_RECORDS, fields.texts(), e.getMessage());
        };
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
                yield new ApiException(500, ErrorCodes.INTERNAL_ERROR, "internal error; the server log has the details", null);
            }
        };
    }
}
