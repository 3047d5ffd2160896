package dev.m2m100.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code m2m100 serve} failing fast, in a real process: one line naming the cause, a non-zero status. */
class ServeCommandTest {
    private static final Path TINY = Path.of("..", "testdata", "m2m100-tiny").toAbsolutePath().normalize();

    @Test
    void aPortInUseExitsAtOnceSayingSo() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            CliProcess.Result r = CliProcess.run(Map.of(), "", Duration.ofSeconds(60), "serve", "--model", TINY.toString(),
                    "--host", "127.0.0.1", "--port", Integer.toString(port), "--device", "cpu");
            assertEquals(1, r.exit(), r.err());
            assertTrue(r.err().contains("m2m100 serve: port " + port + " is in use on 127.0.0.1"), r.err());
            assertFalse(r.err().contains(":-1") || r.err().contains("ready on") || r.err().contains("\tat "), r.err());
        }
    }

    @Test
    void aMistypedLocalFolderIsAPathErrorNotAHubId() {
        CliProcess.Result r = CliProcess.run(Map.of("HF_ENDPOINT", "http://127.0.0.1:9"), "", Duration.ofSeconds(60),
                "serve", "--model", "src/m2m100_418M", "--port", "0");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("does not exist (src exists here, so it is not taken for a hub model id)"), r.err());
        assertFalse(r.err().contains("127.0.0.1:9") || r.err().contains("download"), "went to the hub: " + r.err());
    }

    @Test
    void badSettingsAreUsageErrors() {
        CliProcess.Result r = CliProcess.run(Map.of("DTYPE", "f8"), "", Duration.ofSeconds(60), "serve",
                "--model", TINY.toString());
        assertEquals(2, r.exit(), r.err());
        assertEquals("m2m100 serve: DTYPE: dtype 'f8' is not one of auto, f32, f16, bf16, int8", r.err().strip());
    }
}
