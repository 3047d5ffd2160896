package dev.m2m100.tools.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.m2m100.tools.cli.CliException;
import dev.m2m100.tools.cli.GenerationFlags;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code m2m100 load}: an open-loop load generator. Request {@code i} is sent at {@code start + i × interval}
 * on its own virtual thread, whether or not earlier ones were answered (as a crowd of independent users
 * would), so a slow server shows up as growing latency and errors, not as a politely slower client.
 */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = "Send translation requests open-loop (one every --interval seconds, each on its own thread) "
                + "and print success rate, throughput and latency percentiles.")
public final class LoadCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--url", required = true,
            description = "service URL, e.g. http://localhost:9527 (/translation is added when no path is given)")
    String url;

    @Option(names = "--requests", defaultValue = "100", description = "requests to send (default: ${DEFAULT-VALUE})")
    int requests;

    @Option(names = "--records", defaultValue = "1", description = "records per request (default: ${DEFAULT-VALUE})")
    int records;

    @Option(names = "--interval", defaultValue = "0.1", description = "seconds between request starts (default: ${DEFAULT-VALUE})")
    double interval;

    @Option(names = "--from", defaultValue = "en", description = "source language (default: ${DEFAULT-VALUE})")
    String from;

    @Option(names = "--to", defaultValue = "ja", description = "target language (default: ${DEFAULT-VALUE})")
    String to;

    @Option(names = "--text", defaultValue = "Life is like a box of chocolates.",
            description = "text of every record (default: ${DEFAULT-VALUE})")
    String text;

    /** Sent as payload.options.beamSize and maxLength. */
    @Mixin
    GenerationFlags generation = new GenerationFlags();

    @Option(names = "--timeout", defaultValue = "900",
            description = "client timeout per request, seconds; above the server's REQUEST_TIMEOUT_SECONDS so that its 504 is seen (default: ${DEFAULT-VALUE})")
    double timeout;

    @Option(names = "--json", description = "print the report as JSON")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (requests < 1 || records < 0 || interval < 0 || timeout <= 0) {
            System.err.println("m2m100 load: --requests must be ≥ 1, --records ≥ 0, --interval ≥ 0, --timeout > 0");
            return 2;
        }
        URI target;
        try {
            target = target(url);
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        }
        byte[] body = JSON.writeValueAsBytes(requestBody());
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        HttpRequest request = HttpRequest.newBuilder(target)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofMillis((long) (timeout * 1000)))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();

        List<Future<LoadReport.Sample>> pending = new ArrayList<>(requests);
        long intervalNanos = (long) (interval * 1e9);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            long start = System.nanoTime();
            for (int i = 0; i < requests; i++) {
                long due = start + i * intervalNanos;
                for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
                pending.add(threads.submit(() -> send(client, request)));
            }
            List<LoadReport.Sample> samples = new ArrayList<>(requests);
            for (Future<LoadReport.Sample> f : pending) {
                samples.add(f.get());
            }
            LoadReport report = LoadReport.of(samples, records);
            System.out.print(json ? toJson(report) + System.lineSeparator() : header(target) + report.toText());
            return report.succeeded() == report.requests() ? 0 : 1;
        }
    }

    private static LoadReport.Sample send(HttpClient client, HttpRequest request) {
        long t0 = System.nanoTime();
        String status;
        double queueWait = Double.NaN;
        try {
            HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            status = Integer.toString(r.statusCode());
            queueWait = r.headers().firstValue("Server-Timing").map(LoadCommand::queueMillis).orElse(Double.NaN);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = "error:interrupted";
        } catch (Exception e) {
            status = "error:" + e.getClass().getSimpleName();
            System.err.printf("m2m100 load: request failed after %.1f s: %s%n", (System.nanoTime() - t0) / 1e9, e);
        }
        return new LoadReport.Sample(status, t0, System.nanoTime(), queueWait);
    }

    /** The {@code queue;dur=MS} entry of a Server-Timing header value; NaN when absent or malformed. */
    static double queueMillis(String serverTiming) {
        for (String metric : serverTiming.split(",")) {
            String[] parts = metric.trim().split(";");
            if (!parts[0].trim().equals("queue")) {
                continue;
            }
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].trim();
                if (p.startsWith("dur=")) {
                    try {
                        return Double.parseDouble(p.substring(4));
                    } catch (NumberFormatException e) {
                        return Double.NaN;
                    }
                }
            }
        }
        return Double.NaN;
    }

    private ObjectNode requestBody() {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode payload = root.putObject("payload");
        payload.put("fromLang", from);
        ArrayNode list = payload.putArray("records");
        for (int i = 0; i < records; i++) {
            list.addObject().put("id", Integer.toString(i + 1)).put("text", text);
        }
        payload.put("toLang", to);
        if (generation.beamSize() != null || generation.maxLength() != null) {
            ObjectNode options = payload.putObject("options");
            if (generation.beamSize() != null) {
                options.put("beamSize", generation.beamSize());
            }
            if (generation.maxLength() != null) {
                options.put("maxLength", generation.maxLength());
            }
        }
        return root;
    }

    static URI target(String url) {
        URI uri = URI.create(url);
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new IllegalArgumentException("--url must be like http://host:port, got " + url);
        }
        String path = uri.getPath();
        return path == null || path.isEmpty() || path.equals("/") ? uri.resolve("/translation") : uri;
    }

    private String header(URI target) {
        return String.format("POST %s: %d requests × %d records, one every %.3f s, %s→%s%n",
                target, requests, records, interval, from, to);
    }

    private String toJson(LoadReport r) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("url", target(url).toString());
        out.put("requests", r.requests());
        out.put("recordsPerRequest", r.recordsPerRequest());
        out.put("intervalSeconds", interval);
        out.put("succeeded", r.succeeded());
        out.put("successRate", r.successRate());
        out.put("wallSeconds", r.wallSeconds());
        out.put("requestsPerSecond", r.requestsPerSecond());
        out.put("recordsPerSecond", r.recordsPerSecond());
        out.put("latencyMillis", summaryJson(r.latencyMillis()));
        out.put("queueWaitMillis", summaryJson(r.queueWaitMillis()));
        out.put("statusCounts", r.statusCounts());
        return JSON.writeValueAsString(out);
    }

    private static Map<String, Object> summaryJson(LoadReport.Latency l) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("min", nanToNull(l.min()));
        out.put("avg", nanToNull(l.avg()));
        out.put("p50", nanToNull(l.p50()));
        out.put("p90", nanToNull(l.p90()));
        out.put("p99", nanToNull(l.p99()));
        out.put("max", nanToNull(l.max()));
        return out;
    }

    private static Double nanToNull(double v) {
        return Double.isNaN(v) ? null : v;
    }
}
