package dev.m2m100.engine;

import java.time.Duration;

/**
 * Who a submission is for and how long it may take, for the scheduler's fair admission.
 *
 * @param client    whom the work is for (an API key's label or a client address; never a key itself): the
 *                  scheduler shares admission fairly between clients first, then between one client's requests
 * @param timeout   how long the request may take in all, or {@code null} for no limit; past it the work is
 *                  dropped and the future fails with {@link java.util.concurrent.TimeoutException}. A request whose
 *                  limit cannot be met is admitted only after the ones whose limits can.
 * @param onStarted told once, from the scheduler's thread, when the first of the request's texts leaves the queue
 *                  (with how long it waited); it must return at once
 */
public record RequestContext(String client, Duration timeout, QueueWaitListener onStarted) {

    /** Anonymous, no time limit, nobody listening. */
    public static final RequestContext NONE = new RequestContext("", null, QueueWaitListener.NONE);

    public RequestContext {
        if (client == null || onStarted == null) {
            throw new IllegalArgumentException("client and onStarted must not be null (use \"\" and QueueWaitListener.NONE)");
        }
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative: " + timeout);
        }
    }

    public static RequestContext withTimeout(Duration timeout) {
        return new RequestContext("", timeout, QueueWaitListener.NONE);
    }

    /** Hears how long a request waited in the queue before its first text was admitted. */
    @FunctionalInterface
    public interface QueueWaitListener {
        QueueWaitListener NONE = waited -> { };

        void started(Duration waited);
    }
}
