package dev.m2m100.engine.backend.cuda;

import static dev.m2m100.engine.backend.cuda.CudaChecks.check;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.m2m100.kernels.KernelSources;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.JCudaDriver;

/**
 * Our PTX modules loaded into a context, and their kernels by name. Each module is assembled to a cubin for
 * the device's own architecture with the bundled PTX compiler; when that compiler does not know the
 * architecture (a GPU newer than JCuda 12.6), the PTX goes to the driver's JIT instead. {@link #loadLog()}
 * says which path each module took.
 */
public final class KernelModules implements AutoCloseable {

    private final CudaContext context;
    private final List<CUmodule> modules;
    private final Map<String, CUfunction> functions;
    private final List<String> loadLog;
    private boolean closed;

    private KernelModules(CudaContext context, List<CUmodule> modules, Map<String, CUfunction> functions,
                          List<String> loadLog) {
        this.context = context;
        this.modules = modules;
        this.functions = functions;
        this.loadLog = loadLog;
    }

    public static KernelModules load(CudaContext context) {
        context.makeCurrent();
        List<CUmodule> modules = new ArrayList<>();
        Map<String, CUfunction> functions = new HashMap<>();
        List<String> log = new ArrayList<>();
        String arch = context.smArch();
        try {
            loadAll(arch, modules, functions, log);
        } catch (RuntimeException | LinkageError e) {
            Cleanup.afterFailure(e, unloading(modules));
            throw e;
        }
        return new KernelModules(context, modules, Map.copyOf(functions), List.copyOf(log));
    }

    private static void loadAll(String arch, List<CUmodule> modules, Map<String, CUfunction> functions,
                                List<String> log) {
        for (String name : KernelSources.MODULES) {
            byte[] ptxBytes = KernelSources.ptxBytes(name);
            String ptx = KernelSources.ptx(name);
            CUmodule module = new CUmodule();
            String how;
            byte[] cubin = null;
            String whyNotCubin = null;
            try {
                cubin = PtxAssembler.assemble(name, ptxBytes, arch, false).cubin();
            } catch (CudaException | LinkageError e) {
                whyNotCubin = e.getMessage();
            }
            if (cubin != null) {
                check(JCudaDriver.cuModuleLoadData(module, cubin), "cuModuleLoadData(" + name + " cubin for " + arch + ")");
                how = name + ": cubin for " + arch + " (bundled PTX compiler)";
            } else {
                check(JCudaDriver.cuModuleLoadData(module, ptx), "cuModuleLoadData(" + name + ".ptx, driver JIT)");
                how = name + ": driver JIT of PTX (bundled compiler failed: " + whyNotCubin + ")";
            }
            modules.add(module);
            log.add(how);
            for (String entry : PtxEntries.of(ptx)) {
                CUfunction f = new CUfunction();
                check(JCudaDriver.cuModuleGetFunction(f, module, entry), "cuModuleGetFunction(" + name + "." + entry + ")");
                functions.put(entry, f);
            }
        }
    }

    /** Unloads every module, each attempted even when an earlier unload fails. */
    private static List<Cleanup.Step> unloading(List<CUmodule> modules) {
        List<Cleanup.Step> steps = new ArrayList<>();
        for (CUmodule m : modules) {
            steps.add(() -> check(JCudaDriver.cuModuleUnload(m), "cuModuleUnload"));
        }
        return steps;
    }

    CUfunction function(String kernel) {
        CUfunction f = functions.get(kernel);
        if (f == null) {
            throw new CudaException("kernel '" + kernel + "' is not in any loaded module (known: "
                    + functions.keySet().stream().sorted().toList() + ")");
        }
        return f;
    }

    /** One line per module: how it was loaded. */
    public List<String> loadLog() {
        return loadLog;
    }

    CudaContext context() {
        return context;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            List<Cleanup.Step> steps = new ArrayList<>();
            steps.add(context::makeCurrent);
            steps.addAll(unloading(modules));
            Cleanup.all(steps);
        }
    }
}
