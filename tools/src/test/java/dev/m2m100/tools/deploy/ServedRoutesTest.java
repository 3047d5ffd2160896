package dev.m2m100.tools.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.m2m100.server.Routes;
import dev.m2m100.server.ServerConfig;
import dev.m2m100.server.TranslationServer;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the probes and the queue-depth autoscaler expect from a pod while it loads its model, asked of a
 * real server (its model load held back): liveness passes, readiness (and so the startup probe) does not,
 * and /metrics already exports the gauge k8s/hpa-queue-depth.yaml scales on.
 */
class ServedRoutesTest {

    private static final CountDownLatch releaseLoad = new CountDownLatch(1);
    private static final HttpClient http = HttpClient.newHttpClient();
    private static TranslationServer server;

    @BeforeAll
    static void startLoadingServer() {
        ServerConfig config = ServerConfig.fromEnvironment(Map.of("PORT", "0", "HOST", "127.0.0.1",
                "MODEL_DIR", "/nonexistent/model"), Map.of());
        server = TranslationServer.start(config, () -> {
            releaseLoad.await();
            throw new IllegalStateException("test: the model never loads");
        });
    }

    @AfterAll
    static void stop() {
        http.close(); // idle keep-alive connections would hold up the server's stop
        releaseLoad.countDown();
        server.drainAndStop();
    }

    @Test
    void whileLoadingLivenessPassesAndReadinessDoesNot() throws Exception {
        assertEquals(200, get(Routes.HEALTH).statusCode(), "liveness would restart a loading pod");
        assertEquals(503, get(Routes.READY).statusCode(), "readiness must keep a loading pod out of the Service");
    }

    @Test
    void metricsExportTheQueueDepthTheAutoscalerUses() throws Exception {
        HorizontalPodAutoscaler hpa = Manifests.load(Manifests.QUEUE_DEPTH_HPA).hpa();
        String metric = hpa.getSpec().getMetrics().getFirst().getPods().getMetric().getName();
        HttpResponse<String> scrape = get(Routes.METRICS);
        assertEquals(200, scrape.statusCode());
        assertTrue(Pattern.compile("(?m)^" + Pattern.quote(metric) + "(\\{[^}]*\\})? [0-9.eE+-]+$")
                        .matcher(scrape.body()).find(),
                "/metrics has no sample of " + metric + " for the queue-depth autoscaler:\n" + scrape.body());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.port() + path);
        return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
