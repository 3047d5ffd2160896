package dev.m2m100.server;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;

/**
 * The most client connections the listener holds at once. Helidon's listener ends for good when accept()
 * fails: a flood of idle connections that used up the process's file descriptors left the process running but
 * refusing every connection, even after the clients went away. Holding fewer connections than there are
 * descriptors makes further clients wait in the accept backlog instead, and the listener serves again as soon as
 * connections close. (A client that stops sending in the middle of a body still holds its connection: Helidon's
 * socket read timeout did not end it, measured 2026-12-06.)
 */
final class ConnectionLimits {
    /** Descriptors left for the JVM, the model file, logs and outgoing connections. */
    static final int RESERVED_DESCRIPTORS = 256;
    /** Connections held at most when the descriptor limit is high or unknown. */
    static final int MOST_CONNECTIONS = 10_000;

    private ConnectionLimits() {}

    /** Connections held at most by a process that may open {@code descriptors} files (≤ 0: unknown). */
    static int maxConnections(long descriptors) {
        if (descriptors <= 0) {
            return MOST_CONNECTIONS;
        }
        return (int) Math.max(16, Math.min(MOST_CONNECTIONS, descriptors - RESERVED_DESCRIPTORS));
    }

    /** {@link #maxConnections(long)} for this process's open-file limit. */
    static int maxConnections() {
        return maxConnections(ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix
                ? unix.getMaxFileDescriptorCount() : -1);
    }
}
