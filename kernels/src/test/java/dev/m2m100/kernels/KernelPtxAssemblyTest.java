package dev.m2m100.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import jcuda.nvptxcompiler.JNvPTXCompiler;
import jcuda.nvptxcompiler.nvPTXCompileResult;
import jcuda.nvptxcompiler.nvPTXCompilerHandle;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Assembles every shipped PTX module with JCuda's statically linked PTX compiler (no GPU, no libcuda
 * needed) for sm_80 and sm_90, as a CUDA 12 driver would, and checks the register / spill report.
 */
class KernelPtxAssemblyTest {

    private static final Path SOURCES = Path.of("src/main/cuda");
    private static final Path RESOURCES = Path.of("src/main/resources").resolve(KernelSources.RESOURCE_DIR);

    /** An entry's declared launch bound ({@code __launch_bounds__} becomes {@code .maxntid}); 1024 without one. */
    private static final Pattern MAX_NTID = Pattern.compile("\\.entry\\s+(\\w+)\\s*\\([^)]*\\)\\s*\\.maxntid\\s+(\\d+)");


    private static final Pattern ENTRY = Pattern.compile("Compiling entry function '(\\w+)' for '(\\w+)'");
    private static final Pattern FRAME = Pattern.compile(
            "(\\d+) bytes stack frame, (\\d+) bytes spill stores, (\\d+) bytes spill loads");
    private static final Pattern REGS = Pattern.compile("Used (\\d+) registers");

    record KernelReport(String entry, String arch, int stackBytes, int spillStores, int spillLoads, int registers) {}

    static Stream<Arguments> modulesAndArchs() {
        List<Arguments> out = new ArrayList<>();
        for (String module : KernelSources.MODULES) {
            for (String arch : List.of("sm_80", "sm_90")) {
                out.add(Arguments.of(module, arch));
            }
        }
        return out.stream();
    }

    @Test
    void everyCudaSourceHasItsShippedPtxAndTheListIsComplete() throws IOException {
        TreeSet<String> cu = baseNames(SOURCES, ".cu");
        TreeSet<String> ptx = baseNames(RESOURCES, ".ptx");
        assertEquals(cu, ptx, "every .cu needs a committed .ptx (run kernels/build-ptx.sh)");
        assertEquals(new TreeSet<>(KernelSources.MODULES), ptx, "KernelSources.MODULES must list every PTX file");
        for (String module : KernelSources.MODULES) {
            String text = KernelSources.ptx(module);
            assertTrue(text.contains("\n.version 8.0\n"), module + ".ptx must declare PTX ISA 8.0 (CUDA 12 drivers)");
            assertTrue(text.contains("\n.target sm_80\n"), module + ".ptx must target sm_80");
        }
    }

    @ParameterizedTest(name = "{0}.ptx on {1}")
    @MethodSource("modulesAndArchs")
    void assemblesWithoutErrorsOrSpills(String module, String arch) {
        String info = assemble(module, arch);
        List<KernelReport> reports = parse(info, arch);
        List<String> entries = entryNames(KernelSources.ptx(module));
        assertFalse(entries.isEmpty(), module + ".ptx declares no kernels");
        assertEquals(new TreeSet<>(entries), new TreeSet<>(reports.stream().map(KernelReport::entry).toList()),
                "ptxas info log must report every entry of " + module + ".ptx:\n" + info);
        for (KernelReport r : reports) {
            System.out.printf("%-24s %s: %3d registers, %2d bytes stack, %d/%d bytes spill stores/loads%n",
                    r.entry(), r.arch(), r.registers(), r.stackBytes(), r.spillStores(), r.spillLoads());
            assertEquals(0, r.spillStores(), r.entry() + " on " + arch + " spills registers");
            assertEquals(0, r.spillLoads(), r.entry() + " on " + arch + " spills registers");
            // No local memory at all: the top-k lists must stay in registers (fully unrolled).
            assertEquals(0, r.stackBytes(), r.entry() + " on " + arch + " uses a stack frame (local memory)");
            int threads = maxThreads(KernelSources.ptx(module), r.entry());
            assertTrue(r.registers() * threads <= 65536,
                    r.entry() + " uses " + r.registers() + " registers: " + threads + " threads no longer fit an SM");
        }
    }

    /** Threads per block the kernel may be launched with: its declared bound, else the hardware's 1024. */
    static int maxThreads(String ptx, String entry) {
        Matcher m = MAX_NTID.matcher(ptx);
        while (m.find()) {
            if (m.group(1).equals(entry)) {
                return Integer.parseInt(m.group(2));
            }
        }
        return 1024;
    }

    @Test
    void launchBoundsAreReadFromThePtx() {
        assertEquals(256, maxThreads(KernelSources.ptx("gemm"), "gemm_f32_f32_f32_64x64"));
        assertEquals(256, maxThreads(KernelSources.ptx("topk"), "logsoftmax_topk32"));
        assertEquals(1024, maxThreads(KernelSources.ptx("attention"), "attention_f32"));
        assertEquals(1024, maxThreads(KernelSources.ptx("kvcache"), "scatter_rows_f32"));
    }

    @Test
    void theBundledCompilerRejectsANewerIsaSoTheVersionCheckIsReal() {
        // Guards the premise of build-ptx.sh: if this compiler accepted 9.0, lowering the version would be moot.
        String ptx = KernelSources.ptx("gemm").replace("\n.version 8.0\n", "\n.version 9.0\n");
        nvPTXCompilerHandle handle = new nvPTXCompilerHandle();
        byte[] bytes = ptx.getBytes(StandardCharsets.US_ASCII);
        int rc = JNvPTXCompiler.nvPTXCompilerCreate(handle, bytes.length, bytes);
        try {
            if (rc == nvPTXCompileResult.NVPTXCOMPILE_SUCCESS) {
                rc = JNvPTXCompiler.nvPTXCompilerCompile(handle, 1, new String[] {"--gpu-name=sm_80"});
            }
            assertTrue(rc != nvPTXCompileResult.NVPTXCOMPILE_SUCCESS,
                    "JNvPTXCompiler unexpectedly accepted .version 9.0");
        } finally {
            JNvPTXCompiler.nvPTXCompilerDestroy(handle);
        }
    }

    private static String assemble(String module, String arch) {
        byte[] bytes = KernelSources.ptxBytes(module);
        nvPTXCompilerHandle handle = new nvPTXCompilerHandle();
        check(JNvPTXCompiler.nvPTXCompilerCreate(handle, bytes.length, bytes), "create", module, handle);
        try {
            int rc = JNvPTXCompiler.nvPTXCompilerCompile(handle, 2, new String[] {"--gpu-name=" + arch, "--verbose"});
            check(rc, "compile for " + arch, module, handle);
            long[] size = new long[1];
            check(JNvPTXCompiler.nvPTXCompilerGetCompiledProgramSize(handle, size), "program size", module, handle);
            assertTrue(size[0] > 0, module + ": empty cubin for " + arch);
            check(JNvPTXCompiler.nvPTXCompilerGetInfoLogSize(handle, size), "info log size", module, handle);
            byte[] log = new byte[(int) size[0]];
            if (log.length > 0) {
                check(JNvPTXCompiler.nvPTXCompilerGetInfoLog(handle, log), "info log", module, handle);
            }
            String info = new String(log, StandardCharsets.UTF_8).replace("\0", "");
            assertFalse(info.toLowerCase().contains("error"), module + " on " + arch + ":\n" + info);
            return info;
        } finally {
            JNvPTXCompiler.nvPTXCompilerDestroy(handle);
        }
    }

    private static void check(int rc, String what, String module, nvPTXCompilerHandle handle) {
        if (rc == nvPTXCompileResult.NVPTXCOMPILE_SUCCESS) {
            return;
        }
        String errors = "";
        long[] size = new long[1];
        if (JNvPTXCompiler.nvPTXCompilerGetErrorLogSize(handle, size) == 0 && size[0] > 0) {
            byte[] log = new byte[(int) size[0]];
            JNvPTXCompiler.nvPTXCompilerGetErrorLog(handle, log);
            errors = new String(log, StandardCharsets.UTF_8).replace("\0", "");
        }
        throw new AssertionError(module + ".ptx: nvPTXCompiler " + what + " failed: "
                + nvPTXCompileResult.stringFor(rc) + "\n" + errors);
    }

    /** Reads the per-entry blocks of ptxas' verbose log. */
    private static List<KernelReport> parse(String info, String arch) {
        List<KernelReport> out = new ArrayList<>();
        Map<String, int[]> partial = new TreeMap<>();
        String current = null;
        for (String line : info.split("\n")) {
            Matcher e = ENTRY.matcher(line);
            if (e.find()) {
                current = e.group(1);
                assertEquals(arch, e.group(2));
                partial.put(current, new int[] {-1, -1, -1, -1});
                continue;
            }
            if (current == null) {
                continue;
            }
            Matcher f = FRAME.matcher(line);
            if (f.find()) {
                int[] p = partial.get(current);
                p[0] = Integer.parseInt(f.group(1));
                p[1] = Integer.parseInt(f.group(2));
                p[2] = Integer.parseInt(f.group(3));
            }
            Matcher r = REGS.matcher(line);
            if (r.find()) {
                partial.get(current)[3] = Integer.parseInt(r.group(1));
            }
        }
        partial.forEach((entry, p) -> {
            for (int v : p) {
                assertTrue(v >= 0, "incomplete ptxas report for " + entry + ":\n" + info);
            }
            out.add(new KernelReport(entry, arch, p[0], p[1], p[2], p[3]));
        });
        return out;
    }

    private static List<String> entryNames(String ptx) {
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("^\\.visible \\.entry (\\w+)\\(", Pattern.MULTILINE).matcher(ptx);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static TreeSet<String> baseNames(Path dir, String suffix) throws IOException {
        TreeSet<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(suffix))
                    .forEach(n -> names.add(n.substring(0, n.length() - suffix.length())));
        }
        return names;
    }
}
