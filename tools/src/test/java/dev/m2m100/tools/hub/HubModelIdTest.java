package dev.m2m100.tools.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.m2m100.tools.CliProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commands that load a model take a hub model id like {@code serve}: downloaded into the cache on first use. */
class HubModelIdTest {

    @Test
    void translateTokenizeAndBenchAcceptAHubModelId(@TempDir Path cache) throws Exception {
        try (FakeHub hub = new FakeHub()) {
            hub.addRepo("acme/tiny", HubDownloadTest.files(true), HubDownloadTest.LFS, null);
            Map<String, String> env = Map.of("HF_ENDPOINT", hub.endpoint(), "M2M100_CACHE", cache.toString());

            CliProcess.Result t = CliProcess.run(env, "Hello\n", Duration.ofMinutes(2), "translate", "--model",
                    "acme/tiny", "--from", "en", "--to", "fr", "--max-length", "8", "--ids", "--threads", "1");
            assertEquals(0, t.exit(), t.err());
            assertTrue(t.out().startsWith("[2,"), t.out());
            assertTrue(ModelDownloader.isComplete(cache.resolve("models/acme--tiny/main")), "downloaded into the cache");

            int requests = hub.requests.size();
            CliProcess.Result k = CliProcess.run(env, "\"Hello\"\n", Duration.ofMinutes(2), "tokenize", "--model",
                    "acme/tiny", "--lang", "en");
            assertEquals(0, k.exit(), k.err());
            assertTrue(k.out().startsWith("[4011,"), k.out());
            assertEquals(requests, hub.requests.size(), "the second use comes from the cache");
        }
    }
}
