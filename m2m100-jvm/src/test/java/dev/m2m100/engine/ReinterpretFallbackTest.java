package dev.m2m100.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No CPU operation of an f32 or bf16 decode (nor of an int8 one at 512 bits) may reinterpret a {@code FloatVector}.
 * Until C2 compiles it, such a reinterpret runs as the JDK's {@code AbstractVector.defaultReinterpret}, which stores
 * the vector with {@code FloatVector.intoMemorySegment} into a heap segment; that method's profile is the 512-bit
 * GEMM kernels' accumulator store, and a 256-bit entry in it made C2 box their accumulators on every k step in some
 * processes (case a 2-8x slower for the rest of the process; docs/PERFORMANCE.md, "what boxed the 512-bit kernels";
 * int8 at 512 bits: every process, "Zen 4 again").
 * The same holds for the integer stores: an {@code IntVector} reinterpret (the 256-bit bf16/f16 kernels) falls back
 * to {@code IntVector.intoMemorySegment} into a heap segment, so no engine code may store through that method (the
 * 512-bit widening stores its native f32 blocks with {@code ByteVector.intoMemorySegment}, {@code Gemm.storeBits}),
 * and no store method may be reached by both a fallback and the engine. The probe runs interpreted, so every
 * fallback runs, under a JFR method trace of those stores.
 */
class ReinterpretFallbackTest {
    private static final String FLOAT_STORE = "jdk.incubator.vector.FloatVector.intoMemorySegment";
    private static final List<String> STORES = List.of(FLOAT_STORE, "jdk.incubator.vector.IntVector.intoMemorySegment",
            "jdk.incubator.vector.ByteVector.intoMemorySegment");

    @Test
    void reinterpretFallbacksShareNoVectorStoreWithTheEngine(@TempDir Path dir) throws IOException, InterruptedException {
        Path jfr = dir.resolve("trace.jfr");
        String java = ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = List.of(java, "--add-modules", "jdk.incubator.vector", "-Xint", "-Xmx512m",
                "--enable-native-access=ALL-UNNAMED",
                "-XX:StartFlightRecording:method-trace=" + traceFilter() + ",filename=" + jfr,
                "-cp", System.getProperty("java.class.path"), ReinterpretProbe.class.getName());
        Process probe = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(probe.waitFor(5, TimeUnit.MINUTES), "probe did not finish");
        assertEquals(0, probe.exitValue(), "probe failed:\n" + output);
        assertTrue(output.contains("probe done"), output);

        int canaries = 0;
        Map<String, List<String>> fallbacks = new TreeMap<>(); // store method -> fallback stacks
        Map<String, List<String>> engine = new TreeMap<>(); // store method -> engine stacks
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            if (!e.getEventType().getName().equals("jdk.MethodTrace") || e.getStackTrace() == null) {
                continue;
            }
            List<String> frames = e.getStackTrace().getFrames().stream().map(ReinterpretFallbackTest::name).toList();
            RecordedMethod traced = e.getValue("method");
            String store = traced.getType().getName() + "." + traced.getName();
            if (frames.stream().anyMatch(f -> f.endsWith("ReinterpretProbe.canary"))) {
                canaries++;
            } else if (frames.stream().anyMatch(f -> f.endsWith("AbstractVector.defaultReinterpret"))) {
                fallbacks.computeIfAbsent(store, s -> new ArrayList<>()).add(String.join(" <- ", frames));
            } else if (frames.stream().anyMatch(f -> f.startsWith("dev.m2m100.engine.backend."))) {
                engine.computeIfAbsent(store, s -> new ArrayList<>()).add(String.join(" <- ", frames));
            }
        }
        assertEquals(1, canaries, "the trace did not record the canary store: is the JFR method trace working?");
        List<String> floatFallbacks = fallbacks.getOrDefault(FLOAT_STORE, List.of());
        assertTrue(floatFallbacks.isEmpty(), () -> floatFallbacks.size()
                + " reinterpret fallbacks stored a FloatVector, first: " + floatFallbacks.getFirst());
        for (String store : STORES) {
            List<String> fromFallbacks = fallbacks.getOrDefault(store, List.of());
            List<String> fromEngine = engine.getOrDefault(store, List.of());
            assertTrue(fromFallbacks.isEmpty() || fromEngine.isEmpty(), () -> store + " is reached by "
                    + fromFallbacks.size() + " reinterpret fallbacks (heap segments) and by " + fromEngine.size()
                    + " engine stores, e.g. " + fromFallbacks.getFirst() + " and " + fromEngine.getFirst());
        }
        Files.deleteIfExists(jfr);
    }

    private static String traceFilter() {
        return String.join(";", STORES.stream().map(m -> m.substring(0, m.lastIndexOf('.')) + "::"
                + m.substring(m.lastIndexOf('.') + 1)).toList());
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }
}
