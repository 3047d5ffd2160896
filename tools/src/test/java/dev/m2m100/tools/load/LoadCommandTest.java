package dev.m2m100.tools.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoadCommandTest {

    @Test
    void percentilesAreNearestRank() {
        double[] v = new double[100];
        for (int i = 0; i < 100; i++) {
            v[i] = i + 1;
        }
        assertEquals(50, LoadReport.percentile(v, 50));
        assertEquals(90, LoadReport.percentile(v, 90));
        assertEquals(99, LoadReport.percentile(v, 99));
        assertEquals(7, LoadReport.percentile(new double[] {7}, 99));
        LoadReport.Latency l = LoadReport.summarize(new double[] {1, 2, 3, 10});
        assertEquals(1, l.min());
        assertEquals(4, l.avg());
        assertEquals(2, l.p50());
        assertEquals(10, l.max());
    }

    @Test
    void queueWaitIsReadFromServerTiming() {
        assertEquals(12.5, LoadCommand.queueMillis("queue;dur=12.5"), 1e-9);
        assertEquals(3, LoadCommand.queueMillis("total;dur=9, queue;desc=\"wait\";dur=3"), 1e-9);
        assertTrue(Double.isNaN(LoadCommand.queueMillis("total;dur=9")));
        assertTrue(Double.isNaN(LoadCommand.queueMillis("queue;dur=x")));
    }

    @Test
    void reportCountsStatusesAndThroughput() {
        List<LoadReport.Sample> s = List.of(
                new LoadReport.Sample("200", 0, 100_000_000, 3.0),
                new LoadReport.Sample("200", 500_000_000, 700_000_000, 40.0),
                new LoadReport.Sample("429", 900_000_000, 1_000_000_000, Double.NaN),
                new LoadReport.Sample("error:ConnectException", 950_000_000, 2_000_000_000, Double.NaN));
        LoadReport r = LoadReport.of(s, 4);
        assertEquals(2, r.succeeded());
        assertEquals(0.5, r.successRate());
        assertEquals(2.0, r.wallSeconds(), 1e-9);
        assertEquals(1.0, r.requestsPerSecond(), 1e-9);
        assertEquals(4.0, r.recordsPerSecond(), 1e-9);
        assertEquals(100, r.latencyMillis().min(), 1e-9);
        assertEquals(200, r.latencyMillis().max(), 1e-9);
        assertEquals(3, r.queueWaitMillis().min(), 1e-9);
        assertEquals(40, r.queueWaitMillis().max(), 1e-9);
        assertEquals(java.util.Map.of("200", 2, "429", 1, "error:ConnectException", 1), r.statusCounts());
    }

    @Test
    void sendsOpenLoopAndReportsJson() throws Exception {
        ObjectMapper json = new ObjectMapper();
        AtomicInteger seen = new AtomicInteger();
        List<JsonNode> bodies = new CopyOnWriteArrayList<>();
        CountDownLatch arrived = new CountDownLatch(8);
        List<Boolean> allArrivedBeforeAnswers = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/translation", exchange -> {
            bodies.add(json.readTree(exchange.getRequestBody()));
            int n = seen.incrementAndGet();
            // No answer until all 8 requests have arrived: only an open-loop client gets here for every one.
            arrived.countDown();
            try {
                allArrivedBeforeAnswers.add(arrived.await(60, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] out = (n % 4 == 0 ? "{\"error\":{}}" : "{\"result\":[]}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Server-Timing", "total;dur=99, queue;dur=" + (n % 4 == 0 ? 1000 : 7.5));
            exchange.sendResponseHeaders(n % 4 == 0 ? 429 : 200, out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        server.start();
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            int code = new CommandLine(new LoadCommand()).execute("--url", "http://127.0.0.1:" + server.getAddress().getPort(),
                    "--requests", "8", "--records", "3", "--interval", "0.01", "--from", "ja", "--to", "en",
                    "--text", "こんにちは", "--max-length", "24", "--json");
            assertEquals(1, code, "not every request succeeded");
            assertEquals(java.util.Collections.nCopies(8, true), allArrivedBeforeAnswers,
                    "every request must be sent before any answer came back (open loop)");
        } finally {
            System.setOut(stdout);
            server.stop(0);
        }
        JsonNode report = json.readTree(captured.toString(StandardCharsets.UTF_8));
        assertEquals(8, report.get("requests").asInt());
        assertEquals(6, report.get("succeeded").asInt());
        assertEquals(0.75, report.get("successRate").asDouble());
        assertEquals(6, report.at("/statusCounts/200").asInt());
        assertEquals(2, report.at("/statusCounts/429").asInt());
        assertTrue(report.at("/latencyMillis/min").asDouble() > 0);
        assertEquals(7.5, report.at("/queueWaitMillis/max").asDouble(), 1e-9, "queue wait of the successful requests");
        assertEquals(8, bodies.size());
        JsonNode payload = bodies.get(0).get("payload");
        assertEquals("ja", payload.get("fromLang").asText());
        assertEquals("en", payload.get("toLang").asText());
        assertEquals(3, payload.get("records").size());
        assertEquals("こんにちは", payload.at("/records/2/text").asText());
        assertEquals(24, payload.at("/options/maxLength").asInt());
    }

    @Test
    void urlWithoutPathTargetsTranslation() {
        assertEquals("http://h:9527/translation", LoadCommand.target("http://h:9527").toString());
        assertEquals("http://h:9527/translation", LoadCommand.target("http://h:9527/").toString());
        assertEquals("http://h:1/x", LoadCommand.target("http://h:1/x").toString());
    }
}
