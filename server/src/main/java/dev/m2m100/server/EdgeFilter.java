package dev.m2m100.server;

import dev.m2m100.server.access.CorsPolicy;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.time.Instant;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * What every request passes on its way in and out: a request id ({@code X-Request-Id}, echoed when the client
 * sent a sensible one, generated otherwise), CORS ({@code OPTIONS} answered here with 204; allowed origins
 * get {@code Access-Control-Allow-*} headers), then, once answered, the metrics and the access log.
 */
final class EdgeFilter implements Filter {
    static final HeaderName REQUEST_ID = HeaderNames.create("X-Request-Id");
    /** Client-chosen ids are echoed only when short and made of URL-safe printable characters (log safety). */
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:+/=@-]{1,128}");
    private static final String ALLOWED_HEADERS = "Content-Type, Authorization, X-API-Key, X-Request-Id";
    private static final String EXPOSED_HEADERS = "X-Request-Id, Retry-After, Server-Timing";

    private final CorsPolicy cors;
    private final ServiceMetrics metrics;
    private final AccessLog accessLog;

    /** @param accessLog null = no access log */
    EdgeFilter(CorsPolicy cors, ServiceMetrics metrics, AccessLog accessLog) {
        this.cors = cors;
        this.metrics = metrics;
        this.accessLog = accessLog;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        long t0 = System.nanoTime();
        Instant start = Instant.now();
        String given = req.headers().first(REQUEST_ID).orElse(null);
        Exchange exchange = new Exchange(given != null && SAFE_ID.matcher(given).matches() ? given
                : UUID.randomUUID().toString());
        req.context().register(exchange);
        res.header(REQUEST_ID, exchange.requestId());
        String path = req.path().path();
        String method = req.prologue().method().text();
        try {
            String origin = req.headers().first(HeaderNames.ORIGIN).orElse(null);
            String allowed = cors.allowOrigin(origin);
            if (allowed != null) {
                res.header(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, allowed);
                res.header(HeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSED_HEADERS);
            }
            if (origin != null && cors.enabled()) {
                res.header(HeaderNames.VARY, "Origin"); // answers differ by origin: caches must not mix them
            }
            Method routeMethod = Routes.methodOf(path);
            if (req.prologue().method() == Method.OPTIONS && routeMethod != null) {
                String methods = routeMethod.text() + ", OPTIONS";
                res.header(HeaderNames.ALLOW, methods);
                if (allowed != null && req.headers().contains(HeaderNames.ACCESS_CONTROL_REQUEST_METHOD)) {
                    res.header(HeaderNames.ACCESS_CONTROL_ALLOW_METHODS, methods);
                    res.header(HeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, ALLOWED_HEADERS);
                    res.header(HeaderNames.ACCESS_CONTROL_MAX_AGE, "600");
                }
                res.status(Status.NO_CONTENT_204);
                res.send();
                return;
            }
            chain.proceed();
        } finally {
            long nanos = System.nanoTime() - t0;
            int status = res.status().code();
            metrics.recordRequest(Routes.metricsLabel(path), method, status, nanos);
            if (accessLog != null) {
                accessLog.write(start, method, req.path().rawPath(), status, nanos, exchange);
            }
        }
    }
}
