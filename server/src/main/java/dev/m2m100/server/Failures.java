package dev.m2m100.server;

import dev.m2m100.engine.backend.cuda.CudaException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/** Turns a failure into one line that names its cause: never "null", never only a path. */
public final class Failures {
    private Failures() {}

    /** The failure's cause in words (wrappers such as {@link ExecutionException} removed). */
    public static String describe(Throwable e) {
        Throwable t = unwrap(e);
        String m = t.getMessage();
        if (t instanceof NoSuchFileException) {
            return "no such file or folder: " + m;
        }
        if (t instanceof AccessDeniedException) {
            return "permission denied: " + m;
        }
        if (m == null || m.isBlank()) {
            return t.getClass().getSimpleName() + (t.getCause() != null ? " (" + describe(t.getCause()) + ")" : "");
        }
        return m;
    }

    /**
     * True for conditions a user or operator can meet and fix (missing folder, download failure, bad settings, an
     * unusable device, a timeout): they are reported as one line; anything else is a bug and keeps its stack trace.
     */
    public static boolean isExpected(Throwable e) {
        Throwable t = unwrap(e);
        return t instanceof IOException || t instanceof UncheckedIOException || t instanceof IllegalArgumentException
                || t instanceof TimeoutException || t instanceof CudaException || t instanceof CannotListenException;
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
