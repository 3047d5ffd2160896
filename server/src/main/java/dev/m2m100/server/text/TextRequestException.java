package dev.m2m100.server.text;

/**
 * A job the text layer refuses before any work is queued. The message describes the problem without naming
 * a request field; the caller knows its own field names ({@link #problem()} and {@link #index()} say which).
 */
public final class TextRequestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public enum Problem {
        /** The source language is not one of the model's. */
        UNSUPPORTED_SOURCE,
        /** The target language is not one of the model's. */
        UNSUPPORTED_TARGET,
        /** {@code auto} was asked for, but this model has no detectable languages. */
        NO_DETECTION,
        /** A run of text without a place to split is longer than the model's input ({@link #index()}: the text). */
        SENTENCE_TOO_LONG,
        /** The texts split into more sentences than the service may queue for one request. */
        TOO_MANY_SENTENCES
    }

    private final Problem problem;
    private final int index;

    TextRequestException(Problem problem, int index, String message) {
        super(message, null, false, false);
        this.problem = problem;
        this.index = index;
    }

    public Problem problem() {
        return problem;
    }

    /** The text concerned (its position in the job), or -1 when the problem is not about one text. */
    public int index() {
        return index;
    }
}
