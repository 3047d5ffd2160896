package dev.m2m100.server;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;

/** The server could not open its port; the message says why ("port 9527 is in use", an unknown host, …). */
public final class CannotListenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CannotListenException(String message) {
        super(message);
    }

    /** Throws the reason when {@code host:port} cannot be bound now (port 0, any free port, always can). */
    static void checkFree(String host, int port) {
        CannotListenException e = tryBind(host, port);
        if (e != null) {
            throw e;
        }
    }

    /**
     * Helidon logs a failed bind and carries on without a listener; this tries the same bind once more to name the
     * cause in one line.
     */
    static CannotListenException diagnose(String host, int port) {
        CannotListenException e = tryBind(host, port);
        return e != null ? e : new CannotListenException("cannot listen on " + host + ":" + port
                + " (the web server did not start)");
    }

    /** Binds and releases {@code host:port}; the reason it failed, or null. */
    private static CannotListenException tryBind(String host, int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            return null;
        } catch (BindException e) {
            if (String.valueOf(e.getMessage()).contains("in use")) {
                return new CannotListenException("port " + port + " is in use on " + host
                        + " (another process listens there; choose another with --port or PORT)");
            }
            return new CannotListenException("cannot listen on " + host + ":" + port + ": " + Failures.describe(e));
        } catch (UnknownHostException e) {
            return new CannotListenException("cannot listen on " + host + ":" + port + ": unknown host " + host);
        } catch (IOException | SecurityException e) {
            return new CannotListenException("cannot listen on " + host + ":" + port + ": " + Failures.describe(e));
        }
    }
}
