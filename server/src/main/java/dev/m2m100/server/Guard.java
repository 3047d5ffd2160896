package dev.m2m100.server;

import dev.m2m100.server.access.AccessDeniedException;
import dev.m2m100.server.access.AccessGate;
import dev.m2m100.server.access.Client;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Locale;

/**
 * What every translation and detection request goes through around its endpoint: admission by the lifecycle
 * (503 while loading or draining; counted in flight for the drain), the access gate (401, 429), and the
 * mapping of every {@link ApiException} to the JSON error response.
 */
final class Guard {
    /** An endpoint's work once admitted. */
    @FunctionalInterface
    interface Endpoint {
        void handle(ServerRequest req, ServerResponse res);
    }

    private final Lifecycle lifecycle;
    private final AccessGate gate;

    Guard(Lifecycle lifecycle, AccessGate gate) {
        this.lifecycle = lifecycle;
        this.gate = gate;
    }

    Handler guarded(Endpoint endpoint) {
        return (req, res) -> {
            Lifecycle.Phase refused = lifecycle.tryEnter();
            if (refused != null) {
                HttpErrors.send(res, notAccepting(refused));
                return;
            }
            try {
                endpoint.handle(req, res);
            } catch (ApiException e) {
                HttpErrors.send(res, e);
            } finally {
                lifecycle.leave();
            }
        };
    }

    boolean keysRequired() {
        return gate.keysRequired();
    }

    /**
     * Lets the request in with the key it carries (null: none), recording who sent it.
     *
     * @throws ApiException 401 without a valid key (when keys are configured), 429 over the rate limit
     */
    Client admit(ServerRequest req, String key) {
        try {
            Client client = gate.identify(key, address(req));
            Exchange.of(req).client(client.id());
            gate.limit(client);
            return client;
        } catch (AccessDeniedException e) {
            throw switch (e.reason()) {
                case MISSING_KEY, WRONG_KEY -> new ApiException(401, ErrorCodes.UNAUTHORIZED, e.getMessage(), null);
                case RATE_LIMITED -> new ApiException(429, ErrorCodes.RATE_LIMITED, e.getMessage(), null,
                        e.retryAfterSeconds());
            };
        }
    }

    /** The key in {@code Authorization: Bearer KEY} or {@code X-API-Key: KEY}, or null. */
    static String headerKey(ServerRequest req) {
        String auth = req.headers().first(HeaderNames.AUTHORIZATION).orElse(null);
        if (auth != null && auth.length() > 7 && auth.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            return auth.substring(7).strip();
        }
        return req.headers().first(API_KEY).orElse(null);
    }

    private static final io.helidon.http.HeaderName API_KEY = HeaderNames.create("X-API-Key");

    private static String address(ServerRequest req) {
        SocketAddress a = req.remotePeer().address();
        return a instanceof InetSocketAddress inet && inet.getAddress() != null ? inet.getAddress().getHostAddress()
                : req.remotePeer().host();
    }

    private static ApiException notAccepting(Lifecycle.Phase phase) {
        return switch (phase) {
            case LOADING -> new ApiException(503, ErrorCodes.NOT_READY,
                    "the model is still loading; retry shortly (GET /ready says when)", null, 5);
            case FAILED -> new ApiException(503, ErrorCodes.NOT_READY, "the model failed to load; see the server log", null, 30);
            case READY, DRAINING, STOPPED -> new ApiException(503, ErrorCodes.SHUTTING_DOWN,
                    "the service is shutting down; retry on another instance", null, 1);
        };
    }
}
