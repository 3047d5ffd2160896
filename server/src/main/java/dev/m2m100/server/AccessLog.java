package dev.m2m100.server;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;

/**
 * One line per request on standard output: {@code LOG_FORMAT=text} (the default) for people, {@code json} for
 * log collectors ({@code time, method, path, status, duration_ms, request_id, records, chars, client}). Never
 * the text, the query string or a key: {@code client} is {@code key-N} or the client's address.
 */
final class AccessLog {
    private final EdgeSettings.LogFormat format;
    private final PrintStream out;

    AccessLog(EdgeSettings.LogFormat format, PrintStream out) {
        this.format = format;
        this.out = out;
    }

    void write(Instant time, String method, String path, int status, long nanos, Exchange ex) {
        double millis = Math.round(nanos / 10_000.0) / 100.0;
        String line = format == EdgeSettings.LogFormat.JSON ? json(time, method, path, status, millis, ex)
                : text(time, method, path, status, millis, ex);
        out.println(line);
    }

    private static String json(Instant time, String method, String path, int status, double millis, Exchange ex) {
        ObjectNode o = Json.object();
        o.put("time", time.toString());
        o.put("method", method);
        o.put("path", path);
        o.put("status", status);
        o.put("duration_ms", millis);
        o.put("request_id", ex.requestId());
        if (ex.records() >= 0) {
            o.put("records", ex.records());
            o.put("chars", ex.chars());
        } else {
            o.putNull("records");
            o.putNull("chars");
        }
        if (ex.client() == null) {
            o.putNull("client");
        } else {
            o.put("client", ex.client());
        }
        if (ex.queueWait() != null) {
            o.put("queue_ms", Math.round(ex.queueWait().toNanos() / 10_000.0) / 100.0);
        }
        return new String(Json.bytes(o), StandardCharsets.UTF_8);
    }

    private static String text(Instant time, String method, String path, int status, double millis, Exchange ex) {
        StringBuilder sb = new StringBuilder(128).append(time).append(' ').append(method).append(' ').append(path)
                .append(' ').append(status).append(' ').append(String.format(Locale.ROOT, "%.2f", millis)).append(" ms")
                .append(" id=").append(ex.requestId());
        if (ex.records() >= 0) {
            sb.append(" records=").append(ex.records()).append(" chars=").append(ex.chars());
        }
        if (ex.client() != null) {
            sb.append(" client=").append(ex.client());
        }
        if (ex.queueWait() != null) {
            sb.append(String.format(Locale.ROOT, " queue=%.2f ms", ex.queueWait().toNanos() / 1e6));
        }
        return sb.toString();
    }
}
