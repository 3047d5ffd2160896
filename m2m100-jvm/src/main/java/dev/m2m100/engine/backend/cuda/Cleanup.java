package dev.m2m100.engine.backend.cuda;

import java.util.List;

/**
 * Runs every release step even when earlier ones fail. After a sticky CUDA error every later driver call fails
 * too, so one failing release must not leak the rest (or leave a context retained that poisons the next user of
 * the device in the same process).
 */
final class Cleanup {

    /** One release step; may throw. */
    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }

    private Cleanup() {
    }

    /** A step that closes {@code resource}, or does nothing when it is null (not opened yet). */
    static Step closing(AutoCloseable resource) {
        return () -> {
            if (resource != null) {
                resource.close();
            }
        };
    }

    /**
     * Runs all steps in order; then throws the first failure (a runtime exception as is, a checked one wrapped in a
     * {@link CudaException}) with the later failures attached as suppressed.
     */
    static void all(Step... steps) {
        all(List.of(steps));
    }

    /** {@link #all(Step...)} over a list. */
    static void all(List<Step> steps) {
        RuntimeException first = null;
        for (Step step : steps) {
            try {
                step.run();
            } catch (Exception e) {
                if (first == null) {
                    first = e instanceof RuntimeException r ? r : new CudaException("release failed: " + e, e);
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Runs all steps after {@code failure} (which the caller rethrows); their failures are attached to it. */
    static void afterFailure(Throwable failure, Step... steps) {
        afterFailure(failure, List.of(steps));
    }

    /** {@link #afterFailure(Throwable, Step...)} over a list. */
    static void afterFailure(Throwable failure, List<Step> steps) {
        for (Step step : steps) {
            try {
                step.run();
            } catch (Exception e) {
                failure.addSuppressed(e);
            }
        }
    }
}
