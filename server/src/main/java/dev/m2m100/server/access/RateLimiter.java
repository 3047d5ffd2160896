package dev.m2m100.server.access;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Requests per minute per client, as a token bucket: a client may send {@code perMinute} requests at once and
 * then one every {@code 60 / perMinute} seconds. Buckets that are full again are forgotten (a bounded map,
 * also under many client addresses).
 */
public final class RateLimiter {
    private static final int SWEEP_ABOVE = 10_000;

    private final int perMinute;
    private final double tokensPerNano;
    private final LongSupplier clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(int perMinute) {
        this(perMinute, System::nanoTime);
    }

    RateLimiter(int perMinute, LongSupplier clock) {
        if (perMinute < 1) {
            throw new IllegalArgumentException("perMinute must be at least 1, got " + perMinute);
        }
        this.perMinute = perMinute;
        this.tokensPerNano = perMinute / (double) TimeUnit.MINUTES.toNanos(1);
        this.clock = clock;
    }

    /**
     * Takes one request from the client's allowance.
     *
     * @return 0 when allowed, else the seconds until the client may send again (at least 1)
     */
    public int acquire(String client) {
        long now = clock.getAsLong();
        if (buckets.size() > SWEEP_ABOVE) {
            buckets.values().removeIf(b -> b.fullAt(now));
        }
        Bucket bucket = buckets.computeIfAbsent(client, c -> new Bucket(perMinute, now));
        return bucket.take(now, perMinute, tokensPerNano);
    }

    public int perMinute() {
        return perMinute;
    }

    private static final class Bucket {
        private double tokens;
        private long updated;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.updated = now;
        }

        synchronized int take(long now, int capacity, double tokensPerNano) {
            tokens = Math.min(capacity, tokens + (now - updated) * tokensPerNano);
            updated = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            double waitNanos = (1 - tokens) / tokensPerNano;
            return (int) Math.max(1, Math.ceil(waitNanos / TimeUnit.SECONDS.toNanos(1)));
        }

        /** A minute without requests refills any bucket completely: it can be forgotten. */
        synchronized boolean fullAt(long now) {
            return now - updated >= TimeUnit.MINUTES.toNanos(1);
        }
    }
}
