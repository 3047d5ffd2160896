package dev.m2m100.tools.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void terminalBarRedrawsInPlaceWithRateAndEta() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AtomicLong now = new AtomicLong();
        ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), true, now::get,
                "model.safetensors", 2_000_000_000L, 0);
        now.set(10 * SECOND);
        bar.update(500_000_000L); // 50 MB/s, 1.5 GB left → 30 s
        String s = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(s.startsWith("\rmodel.safetensors  25% [=======>"), s);
        assertTrue(s.contains("500 MB / 2.0 GB  50.0 MB/s  ETA 0:30"), s);
        assertTrue(!s.contains("\n"), "no new line while running");
        now.set(40 * SECOND);
        bar.update(2_000_000_000L);
        bar.finish();
        s = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(s.endsWith("done in 40.0 s\u001b[K\n"), s);
    }

    @Test
    void plainLinesWhenNotATerminalAndResumeCountsOnlyNewBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AtomicLong now = new AtomicLong();
        ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, now::get,
                "pytorch_model.bin", 1_000_000_000L, 400_000_000L);
        now.set(SECOND); // too soon for a line
        bar.update(410_000_000L);
        now.set(6 * SECOND);
        bar.update(700_000_000L); // 300 MB new in 6 s = 50 MB/s, 300 MB left → 6 s
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(2, lines.length, String.join("|", lines));
        assertEquals("pytorch_model.bin: resuming at 400 MB of 1.0 GB", lines[0]);
        assertEquals("pytorch_model.bin  70% 700 MB / 1.0 GB  50.0 MB/s  ETA 0:06", lines[1]);
    }
}
