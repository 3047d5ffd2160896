package dev.m2m100.server;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;

/** The {@code Server-Timing} response header: how long a translation waited for the scheduler (W3C Server Timing). */
final class ServerTiming {
    private ServerTiming() {}

    static void add(ServerResponse res, Exchange exchange) {
        String value = exchange.serverTiming();
        if (value != null) {
            res.header(HeaderNames.create("Server-Timing"), value);
        }
    }
}
