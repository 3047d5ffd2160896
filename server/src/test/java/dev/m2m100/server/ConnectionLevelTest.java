package dev.m2m100.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What clients that speak HTTP oddly get, over a raw socket, and the connection limit the listener keeps. */
class ConnectionLevelTest {

    @Test
    void http10IsRefusedWithAMessageThatSaysWhatToDo() throws IOException {
        try (Harness h = Harness.ready(Map.of())) {
            String response = exchange(h, "GET /health HTTP/1.0\r\n\r\n");
            assertTrue(response.startsWith("HTTP/1.1 505"), response);
            assertTrue(response.contains("\"code\":\"bad_request\""), response); // was internal_error
            assertTrue(response.contains("proxy_http_version 1.1"), response);
        }
    }

    @Test
    void aBodyThatCannotBeReadIsTheClientsError() throws IOException {
        try (Harness h = Harness.ready(Map.of())) {
            // a chunk size that is not hexadecimal: was a 500 with a stack trace in the log
            String response = exchange(h, "POST /translation HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n");
            assertTrue(response.startsWith("HTTP/1.1 400"), response);
            assertTrue(response.contains("\"code\":\"bad_request\""), response);
        }
    }

    @Test
    void connectionsStayBelowTheDescriptorLimit() {
        assertEquals(1024 - ConnectionLimits.RESERVED_DESCRIPTORS, ConnectionLimits.maxConnections(1024));
        assertEquals(ConnectionLimits.MOST_CONNECTIONS, ConnectionLimits.maxConnections(1 << 20));
        assertEquals(ConnectionLimits.MOST_CONNECTIONS, ConnectionLimits.maxConnections(-1)); // unknown
        assertEquals(16, ConnectionLimits.maxConnections(100));
        assertTrue(ConnectionLimits.maxConnections() >= 16);
    }

    /** Sends {@code request} as is and reads the response until the server closes or 64 KiB arrived. */
    private static String exchange(Harness h, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", h.server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[65536];
            int n = 0;
            for (int r; n < buf.length && (r = in.read(buf, n, buf.length - n)) > 0; ) {
                n += r;
                String soFar = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
                int headerEnd = soFar.indexOf("\r\n\r\n");
                if (headerEnd >= 0 && soFar.contains("}}")) {
                    break; // the JSON error body is complete
                }
            }
            return new String(buf, 0, n, StandardCharsets.UTF_8);
        }
    }
}
