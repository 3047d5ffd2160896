package dev.m2m100.engine.backend.cpu.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * Compiled GEMM kernels must not box their vectors, in a process of either width. C2 profiles the virtual calls
 * inside the JDK's vector methods per method, shared by every caller; once 256-bit and 512-bit vectors both pass one
 * such call, the code compiled afterwards boxes its vectors on every k step (the f16 GEMV ran 8x slower after a
 * 512-bit GEMM had run, so a bf16 model on a 512-bit machine decoded at half speed). A 512-bit process still runs
 * 256-bit kernels for its GEMVs and small GEMMs, so the 512-bit probe mixes the widths as a model does. Boxing
 * allocates, so the probe ({@link WidthIsolationProbe}), in a fresh JVM running the cases one after the other as
 * {@code bench-kernels} does, checks that every path is allocation-free once compiled. Before the kernels kept the
 * widths apart it failed on the bf16, f16 and int8 GEMVs (0.4-0.8 MB per call); the int8 GEMV with an odd k also
 * failed while its widening was a helper call. While it also ran the 256-bit int8 GEMM (m = 24) beside the 512-bit
 * one, which no process does since one width serves every call, the 512-bit int8 GEMM boxed (0.5 MB per call).
 */
class GemmWidthIsolationTest {
    @Test
    void compiledKernelsAllocateNothingInA512BitProcess() throws IOException, InterruptedException {
        assumeTrue(FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 512,
                "this JVM has no 512-bit vectors here, so the 512-bit path never runs on this machine");
        assertQuiet(VectorWidth.BITS_512);
    }

    @Test
    void compiledKernelsAllocateNothingInA256BitProcess() throws IOException, InterruptedException {
        assertQuiet(VectorWidth.BITS_256);
    }

    private static void assertQuiet(VectorWidth width) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = List.of(java, "--add-modules", "jdk.incubator.vector", "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), WidthIsolationProbe.class.getName(),
                String.valueOf(width.bits()));
        Process probe = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(probe.waitFor(2, TimeUnit.MINUTES), "probe did not finish");
        assertEquals(0, probe.exitValue(), "probe failed:\n" + output);
        List<String> noisy = new ArrayList<>();
        int cases = 0;
        for (String line : output.lines().toList()) {
            String[] parts = line.split(" "); // case, bytes per call, ns per call
            if (parts.length != 3 || !parts[1].matches("\\d+")) {
                continue; // JVM warnings, the vector module's notice
            }
            cases++;
            if (Long.parseLong(parts[1]) > WidthIsolationProbe.QUIET_BYTES) {
                noisy.add(line);
            }
        }
        assertEquals(WidthIsolationProbe.CASES, cases, "probe output:\n" + output);
        assertTrue(noisy.isEmpty(), width.bits() + "-bit process: allocated per call once compiled, so vectors are "
                + "boxed (case, bytes, ns): " + noisy);
    }
}
