package dev.m2m100.server;

import dev.m2m100.engine.SchedulerStats;
import dev.m2m100.engine.Version;
import dev.m2m100.engine.backend.Placement;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The service's Prometheus metrics (served at {@code GET /metrics}; docs/API.md lists them). Scheduler
 * figures are read from {@link SchedulerStats} when scraped; they read 0 until the model is loaded.
 */
final class ServiceMetrics {
    private static final double[] RECORD_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024};
    private static final double[] ROW_BUCKETS = {1, 2, 4, 5, 8, 10, 16, 20, 32, 40, 64, 80, 128, 160, 256, 320, 512};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Supplier<SchedulerStats> stats;
    private final AtomicLong modelLoadMillis = new AtomicLong();
    private final DistributionSummary recordsPerRequest;
    private final DistributionSummary decoderRows;
    private final Timer queueWait;

    // Last stats seen by the batch sampler (guarded by this).
    private long lastTokens;
    private long lastSteps;

    /** @param stats the scheduler's current figures, or null while no model is loaded */
    ServiceMetrics(Supplier<SchedulerStats> stats, Supplier<Boolean> ready, Supplier<Integer> inFlight) {
        this.stats = stats;
        Gauge.builder("m2m100.queue.depth", () -> current().queuedSequences())
                .description("Texts waiting for the scheduler").register(registry);
        Gauge.builder("m2m100.active.sequences", () -> current().activeSequences())
                .description("Texts being decoded").register(registry);
        FunctionCounter.builder("m2m100.generated.tokens", this, m -> m.current().generatedTokens())
                .description("Tokens generated since start, all decoder rows (beams included)").register(registry);
        FunctionCounter.builder("m2m100.decode.steps", this, m -> m.current().decodeSteps())
                .description("Decoder steps run since start").register(registry);
        FunctionCounter.builder("m2m100.admitted.sequences", this, m -> m.current().admittedSequences())
                .description("Texts (sentences) admitted to decoding since start, in the fair order").register(registry);
        FunctionCounter.builder("m2m100.admitted.past.deadline", this, m -> m.current().admittedPastDeadline())
                .description("Texts admitted although their request could no longer be expected to meet its "
                        + "deadline (only when nothing that could was waiting)").register(registry);
        FunctionCounter.builder("m2m100.memory.shrinks", this, m -> m.current().memoryShrinks())
                .description("Times the device ran out of memory and the scheduler admitted fewer texts at once "
                        + "(the texts involved were queued again, not failed)").register(registry);
        Gauge.builder("m2m100.admission.limit", () -> current().admissionLimit())
                .description("Texts decoded together at most for now (MAX_ACTIVE, or less after running out of "
                        + "device memory)").register(registry);
        Gauge.builder("m2m100.waiting.requests", () -> current().waitingRequests())
                .description("Requests with texts waiting for admission").register(registry);
        Gauge.builder("m2m100.waiting.clients", () -> current().waitingClients())
                .description("Clients (API keys, or addresses without keys) with texts waiting for admission")
                .register(registry);
        Gauge.builder("m2m100.model.load.seconds", () -> modelLoadMillis.get() / 1000.0)
                .description("Time taken to load and warm up the model").register(registry);
        Gauge.builder("m2m100.ready", () -> ready.get() ? 1 : 0)
                .description("1 when the service accepts translations").register(registry);
        Gauge.builder("m2m100.inflight.requests", inFlight::get)
                .description("HTTP translation requests being processed").register(registry);
        recordsPerRequest = DistributionSummary.builder("m2m100.request.records")
                .description("Records per translation request").serviceLevelObjectives(RECORD_BUCKETS)
                .register(registry);
        queueWait = Timer.builder("m2m100.queue.wait")
                .description("Per translation request: time from submission until its first text was admitted "
                        + "to decoding").serviceLevelObjectives(latencyBuckets()).register(registry);
        decoderRows = DistributionSummary.builder("m2m100.decoder.batch.rows")
                .description("Decoder batch size: mean rows (texts x beams) per decoder step, one sample per "
                        + "sampling period in which the decoder ran")
                .serviceLevelObjectives(ROW_BUCKETS).register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
    }

    private SchedulerStats current() {
        SchedulerStats s = stats.get();
        return s == null ? SchedulerStats.EMPTY : s;
    }

    /** One HTTP exchange: counted by route and status, timed into the latency histogram. */
    void recordRequest(String route, String method, int status, long nanos) {
        Timer.builder("m2m100.http.requests")
                .description("HTTP requests by route, method and status, with latency")
                .tags("route", route, "method", method, "status", Integer.toString(status))
                .serviceLevelObjectives(latencyBuckets())
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    void recordQueueWait(Duration waited) {
        queueWait.record(waited);
    }

    void recordRecords(int records) {
        recordsPerRequest.record(records);
    }

    /**
     * The model is loaded: its load time, and the info metric {@code m2m100_info{model,device,dtype,version} 1}
     * (labels cannot change, so it appears once the device and weight format are known).
     */
    void modelLoaded(Duration took, String model, Placement placement) {
        modelLoadMillis.set(took.toMillis());
        Gauge.builder("m2m100.info", () -> 1)
                .description("The model served, the device and weight format it runs with, and the version (always 1)")
                .tags("model", model, "device", placement.device(), "dtype", placement.dtype().toString(),
                        "version", Version.current())
                .register(registry);
    }

    /**
     * Samples the decoder batch size from the scheduler's counters: tokens generated per decoder step over
     * the period since the last call. Called periodically and at each scrape.
     */
    synchronized void sampleDecoderBatch() {
        SchedulerStats s = stats.get();
        if (s == null) {
            return;
        }
        long steps = s.decodeSteps() - lastSteps;
        long tokens = s.generatedTokens() - lastTokens;
        lastSteps = s.decodeSteps();
        lastTokens = s.generatedTokens();
        if (steps > 0 && tokens >= 0) {
            decoderRows.record((double) tokens / steps);
        }
    }

    /** Prometheus text exposition format 0.0.4. */
    String scrape() {
        return registry.scrape();
    }

    private static Duration[] latencyBuckets() {
        long[] millis = {5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000, 60_000, 120_000, 300_000};
        Duration[] out = new Duration[millis.length];
        for (int i = 0; i < millis.length; i++) {
            out[i] = Duration.ofMillis(millis[i]);
        }
        return out;
    }

    void close() {
        registry.close();
    }
}
