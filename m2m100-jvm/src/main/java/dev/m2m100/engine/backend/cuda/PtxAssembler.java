package dev.m2m100.engine.backend.cuda;

import java.nio.charset.StandardCharsets;

import jcuda.nvptxcompiler.JNvPTXCompiler;
import jcuda.nvptxcompiler.nvPTXCompileResult;
import jcuda.nvptxcompiler.nvPTXCompilerHandle;

/**
 * Assembles PTX to a cubin for one architecture with JCuda's statically linked PTX compiler (no GPU and no
 * libcuda needed), so start-up does not depend on the driver's JIT and its cache.
 */
final class PtxAssembler {

    /** A cubin and the compiler's info log (registers, spills with {@code --verbose}). */
    record Result(byte[] cubin, String infoLog) {}

    private PtxAssembler() {
    }

    /**
     * @throws CudaException when the compiler rejects the PTX or the architecture; the message holds its
     *                       error log
     */
    static Result assemble(String module, byte[] ptx, String arch, boolean verbose) {
        nvPTXCompilerHandle handle = new nvPTXCompilerHandle();
        check(JNvPTXCompiler.nvPTXCompilerCreate(handle, ptx.length, ptx), "create", module, arch, handle);
        try {
            String[] options = verbose
                    ? new String[] {"--gpu-name=" + arch, "--verbose"}
                    : new String[] {"--gpu-name=" + arch};
            check(JNvPTXCompiler.nvPTXCompilerCompile(handle, options.length, options), "compile", module, arch, handle);
            long[] size = new long[1];
            check(JNvPTXCompiler.nvPTXCompilerGetCompiledProgramSize(handle, size), "program size", module, arch, handle);
            byte[] cubin = new byte[Math.toIntExact(size[0])];
            check(JNvPTXCompiler.nvPTXCompilerGetCompiledProgram(handle, cubin), "program", module, arch, handle);
            check(JNvPTXCompiler.nvPTXCompilerGetInfoLogSize(handle, size), "info log size", module, arch, handle);
            byte[] info = new byte[Math.toIntExact(size[0])];
            if (info.length > 0) {
                check(JNvPTXCompiler.nvPTXCompilerGetInfoLog(handle, info), "info log", module, arch, handle);
            }
            return new Result(cubin, text(info));
        } finally {
            JNvPTXCompiler.nvPTXCompilerDestroy(handle);
        }
    }

    private static void check(int rc, String step, String module, String arch, nvPTXCompilerHandle handle) {
        if (rc == nvPTXCompileResult.NVPTXCOMPILE_SUCCESS) {
            return;
        }
        String log = "";
        long[] size = new long[1];
        if (JNvPTXCompiler.nvPTXCompilerGetErrorLogSize(handle, size) == nvPTXCompileResult.NVPTXCOMPILE_SUCCESS
                && size[0] > 0) {
            byte[] bytes = new byte[Math.toIntExact(size[0])];
            JNvPTXCompiler.nvPTXCompilerGetErrorLog(handle, bytes);
            log = ": " + text(bytes);
        }
        throw new CudaException("nvPTXCompiler " + step + " of " + module + ".ptx for " + arch + " failed: "
                + nvPTXCompileResult.stringFor(rc) + log);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8).replace("\0", "").trim();
    }
}
