package dev.m2m100.kernels;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The PTX modules shipped as resources of this jar (built from {@code src/main/cuda} by
 * {@code kernels/build-ptx.sh}). Only lookup lives here; loading and launching is the CUDA backend's job.
 */
public final class KernelSources {

    /** Resource folder of the PTX files inside the jar. */
    public static final String RESOURCE_DIR = "dev/m2m100/kernels/";

    /** Every shipped PTX module, by file name without {@code .ptx}. */
    public static final List<String> MODULES =
            List.of("attention", "embedding", "epilogue", "gemm", "kvcache", "layernorm", "topk");

    private KernelSources() {
    }

    /** The PTX text of one module. */
    public static String ptx(String module) {
        return new String(ptxBytes(module), StandardCharsets.US_ASCII);
    }

    /** The PTX bytes of one module (without a terminating NUL). */
    public static byte[] ptxBytes(String module) {
        if (!MODULES.contains(module)) {
            throw new IllegalArgumentException("unknown kernel module '" + module + "'; known: " + MODULES);
        }
        String path = RESOURCE_DIR + module + ".ptx";
        try (InputStream in = KernelSources.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("kernel resource " + path + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read kernel resource " + path, e);
        }
    }
}
