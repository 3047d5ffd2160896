package dev.m2m100.server;

import io.helidon.webserver.http.ServerRequest;

import java.time.Duration;

/**
 * What the access log says about one request beyond method, path and status: its id, who sent it and how
 * much text it carried. Created by the {@link EdgeFilter}, kept in the request's context, filled in by the
 * endpoint handlers.
 */
final class Exchange {
    private final String requestId;
    private volatile String client;
    private volatile int records = -1;
    private volatile long chars = -1;
    private volatile Duration queueWait;

    Exchange(String requestId) {
        this.requestId = requestId;
    }

    /** The request's exchange (a detached one when the request did not pass the filter). */
    static Exchange of(ServerRequest req) {
        return req.context().get(Exchange.class).orElseGet(() -> new Exchange(null));
    }

    String requestId() {
        return requestId;
    }

    /** {@code key-N} or the client's address; null before the access gate ran. */
    String client() {
        return client;
    }

    void client(String id) {
        this.client = id;
    }

    /** Texts and their characters (code points); -1 when the request carried none (or was refused first). */
    int records() {
        return records;
    }

    long chars() {
        return chars;
    }

    void texts(int count, long characters) {
        this.records = count;
        this.chars = characters;
    }

    /** How long the request's texts waited for the scheduler before the first was admitted; null if never. */
    Duration queueWait() {
        return queueWait;
    }

    void queueWait(Duration waited) {
        this.queueWait = waited;
    }

    /**
     * The {@code Server-Timing} header value for a translated request ({@code queue;dur=12.5}, milliseconds), or
     * null when it never reached the scheduler.
     */
    String serverTiming() {
        Duration w = queueWait;
        return w == null ? null : String.format(java.util.Locale.ROOT, "queue;dur=%.1f", w.toNanos() / 1e6);
    }

    static long codePoints(Iterable<String> texts) {
        long n = 0;
        for (String t : texts) {
            n += t.codePointCount(0, t.length());
        }
        return n;
    }
}
