package dev.m2m100.tools.load;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The outcome of a load run: success rate, throughput and latency percentiles (of the successful requests).
 *
 * @param requests        requests sent
 * @param recordsPerRequest records in each request
 * @param succeeded       requests answered 200
 * @param wallSeconds     from the first send to the last answer
 * @param latencyMillis   min, avg, p50, p90, p99, max of the successful requests (nearest-rank percentiles);
 *                        all NaN when none succeeded
 * @param queueWaitMillis the same summary of the time the successful requests waited for the scheduler, as the
 *                        server reports it ({@code Server-Timing: queue;dur=…}); all NaN when no answer said
 * @param statusCounts    "200" → n, "429" → n, "error:ConnectException" → n …
 */
public record LoadReport(int requests, int recordsPerRequest, int succeeded, double wallSeconds,
                         Latency latencyMillis, Latency queueWaitMillis, Map<String, Integer> statusCounts) {

    /** Latency summary in milliseconds. */
    public record Latency(double min, double avg, double p50, double p90, double p99, double max) {}

    /**
     * One request's outcome: status "200", "429", … or "error:…" when no HTTP answer came, and the queue wait
     * the server reported in milliseconds (NaN when it did not).
     */
    public record Sample(String status, long startNanos, long endNanos, double queueWaitMillis) {
        boolean ok() {
            return status.equals("200");
        }
    }

    public static LoadReport of(List<Sample> samples, int recordsPerRequest) {
        Map<String, Integer> counts = new TreeMap<>();
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        double[] ok = new double[samples.size()];
        double[] waits = new double[samples.size()];
        int n = 0;
        int w = 0;
        for (Sample s : samples) {
            counts.merge(s.status(), 1, Integer::sum);
            first = Math.min(first, s.startNanos());
            last = Math.max(last, s.endNanos());
            if (s.ok()) {
                ok[n++] = (s.endNanos() - s.startNanos()) / 1e6;
                if (!Double.isNaN(s.queueWaitMillis())) {
                    waits[w++] = s.queueWaitMillis();
                }
            }
        }
        double[] lat = Arrays.copyOf(ok, n);
        Arrays.sort(lat);
        double[] queued = Arrays.copyOf(waits, w);
        Arrays.sort(queued);
        double wall = samples.isEmpty() ? 0 : (last - first) / 1e9;
        return new LoadReport(samples.size(), recordsPerRequest, n, wall, summarize(lat), summarize(queued), counts);
    }

    static Latency summarize(double[] sorted) {
        if (sorted.length == 0) {
            return new Latency(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double sum = 0;
        for (double v : sorted) {
            sum += v;
        }
        return new Latency(sorted[0], sum / sorted.length, percentile(sorted, 50), percentile(sorted, 90),
                percentile(sorted, 99), sorted[sorted.length - 1]);
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    public double successRate() {
        return requests == 0 ? 0 : (double) succeeded / requests;
    }

    /** Successful requests per second of wall time. */
    public double requestsPerSecond() {
        return wallSeconds <= 0 ? 0 : succeeded / wallSeconds;
    }

    public double recordsPerSecond() {
        return requestsPerSecond() * recordsPerRequest;
    }

    public String toText() {
        StringBuilder b = new StringBuilder();
        b.append(String.format("success    %d/%d (%.1f%%)%n", succeeded, requests, 100 * successRate()));
        b.append(String.format("duration   %.2f s%n", wallSeconds));
        b.append(String.format("throughput %.2f requests/s, %.2f records/s%n", requestsPerSecond(), recordsPerSecond()));
        Latency l = latencyMillis;
        b.append(String.format("latency ms min %.1f  avg %.1f  p50 %.1f  p90 %.1f  p99 %.1f  max %.1f (successful requests)%n",
                l.min(), l.avg(), l.p50(), l.p90(), l.p99(), l.max()));
        Latency q = queueWaitMillis;
        if (!Double.isNaN(q.max())) {
            b.append(String.format("queue ms   min %.1f  avg %.1f  p50 %.1f  p90 %.1f  p99 %.1f  max %.1f (waiting for the scheduler)%n",
                    q.min(), q.avg(), q.p50(), q.p90(), q.p99(), q.max()));
        }
        b.append("status    ");
        statusCounts.forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
        b.append(System.lineSeparator());
        return b.toString();
    }
}
