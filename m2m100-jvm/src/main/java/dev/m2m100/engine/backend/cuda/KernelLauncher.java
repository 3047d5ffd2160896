package dev.m2m100.engine.backend.cuda;

import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

/**
 * Launches our kernels on one stream with every result checked. A failure names the kernel, the launch
 * geometry and the caller's shape description. Launch errors are synchronous; faults inside a kernel are
 * reported asynchronously by the driver, so with {@code checkEachLaunch} the launcher synchronises after
 * every launch to attribute them to the right kernel (tests and debugging; off in serving).
 */
public final class KernelLauncher implements KernelLaunch {

    private final KernelModules modules;
    private final CudaStream stream;
    private final boolean checkEachLaunch;

    public KernelLauncher(KernelModules modules, CudaStream stream, boolean checkEachLaunch) {
        this.modules = modules;
        this.stream = stream;
        this.checkEachLaunch = checkEachLaunch;
    }

    public CudaStream stream() {
        return stream;
    }

    @Override
    public void launch(String kernel, Dim3 grid, Dim3 block, int sharedBytes, String shapes, KernelArgs args) {
        if (block.x() * block.y() * block.z() > 1024) {
            throw new IllegalArgumentException(describe(kernel, grid, block, sharedBytes, shapes)
                    + ": more than 1024 threads per block");
        }
        if (grid.y() > 65535 || grid.z() > 65535) {
            throw new IllegalArgumentException(describe(kernel, grid, block, sharedBytes, shapes)
                    + ": grid y/z above 65535");
        }
        int rc = JCudaDriver.cuLaunchKernel(modules.function(kernel), grid.x(), grid.y(), grid.z(),
                block.x(), block.y(), block.z(), sharedBytes, stream.handle(), args.toKernelParams(), null);
        if (rc != CUresult.CUDA_SUCCESS) {
            throw new CudaException("launch of " + describe(kernel, grid, block, sharedBytes, shapes) + " ("
                    + args.signature() + ") failed: " + CUresult.stringFor(rc));
        }
        if (checkEachLaunch) {
            rc = JCudaDriver.cuStreamSynchronize(stream.handle());
            if (rc != CUresult.CUDA_SUCCESS) {
                throw new CudaException("kernel " + describe(kernel, grid, block, sharedBytes, shapes)
                        + " failed while running: " + CUresult.stringFor(rc));
            }
        }
    }

    private static String describe(String kernel, Dim3 grid, Dim3 block, int sharedBytes, String shapes) {
        return kernel + " grid " + grid + " block " + block + " shared " + sharedBytes + " [" + shapes + "]";
    }
}
