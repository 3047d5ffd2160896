package dev.m2m100.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No CPU operation of an f32 or bf16 decode may reinterpret a {@code FloatVector}. Until C2 compiles it, such a
 * reinterpret runs as the JDK's {@code AbstractVector.defaultReinterpret}, which stores the vector with
 * {@code FloatVector.intoMemorySegment} into a heap segment; that method's profile is the 512-bit GEMM kernels'
 * accumulator store, and a 256-bit entry in it made C2 box their accumulators on every k step in some processes
 * (case a 2-8x slower for the rest of the process; docs/PERFORMANCE.md, "what boxed the 512-bit kernels").
 * The probe runs interpreted, so every fallback runs, under a JFR method trace of that store.
 */
class ReinterpretFallbackTest {
    private static final String TRACED = "jdk.incubator.vector.FloatVector::intoMemorySegment";

    @Test
    void decodeOpsNeverReinterpretAFloatVector(@TempDir Path dir) throws IOException, InterruptedException {
        Path jfr = dir.resolve("trace.jfr");
        String java = ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = List.of(java, "--add-modules", "jdk.incubator.vector", "-Xint", "-Xmx512m",
                "--enable-native-access=ALL-UNNAMED",
                "-XX:StartFlightRecording:method-trace=" + TRACED + ",filename=" + jfr,
                "-cp", System.getProperty("java.class.path"), ReinterpretProbe.class.getName());
        Process probe = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(probe.waitFor(5, TimeUnit.MINUTES), "probe did not finish");
        assertEquals(0, probe.exitValue(), "probe failed:\n" + output);
        assertTrue(output.contains("probe done"), output);

        int canaries = 0;
        List<String> fallbacks = new ArrayList<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            if (!e.getEventType().getName().equals("jdk.MethodTrace") || e.getStackTrace() == null) {
                continue;
            }
            List<String> frames = e.getStackTrace().getFrames().stream().map(ReinterpretFallbackTest::name).toList();
            if (frames.stream().anyMatch(f -> f.endsWith("ReinterpretProbe.canary"))) {
                canaries++;
            }
            if (frames.stream().anyMatch(f -> f.endsWith("AbstractVector.defaultReinterpret"))) {
                fallbacks.add(String.join(" <- ", frames));
            }
        }
        assertEquals(1, canaries, "the trace did not record the canary store: is the JFR method trace working?");
        assertTrue(fallbacks.isEmpty(), fallbacks.size() + " reinterpret fallbacks stored a FloatVector, first: "
                + (fallbacks.isEmpty() ? "" : fallbacks.getFirst()));
        Files.deleteIfExists(jfr);
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }
}
