package dev.m2m100.engine.backend.cuda;

import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

/**
 * Whether the CUDA driver can be used here, and if not, why. {@code --device auto} uses this to choose
 * between CUDA and the CPU and logs the reason.
 *
 * @param available   true when the driver initialised and at least one device exists
 * @param deviceCount number of CUDA devices (0 when unavailable)
 * @param reason      a human-readable explanation (the driver version when available)
 */
public record CudaAvailability(boolean available, int deviceCount, String reason) {

    /**
     * Probes the driver once: loads JCuda's native library (which needs {@code libcuda.so.1}), runs
     * {@code cuInit} and counts devices. Never throws; failures become {@code available == false}.
     */
    public static CudaAvailability probe() {
        try {
            int rc = JCudaDriver.cuInit(0);
            if (rc != CUresult.CUDA_SUCCESS) {
                return new CudaAvailability(false, 0, "cuInit failed: " + CUresult.stringFor(rc));
            }
            int[] count = new int[1];
            rc = JCudaDriver.cuDeviceGetCount(count);
            if (rc != CUresult.CUDA_SUCCESS) {
                return new CudaAvailability(false, 0, "cuDeviceGetCount failed: " + CUresult.stringFor(rc));
            }
            if (count[0] == 0) {
                return new CudaAvailability(false, 0, "the CUDA driver reports no devices");
            }
            int[] version = new int[1];
            rc = JCudaDriver.cuDriverGetVersion(version);
            String driver = rc == CUresult.CUDA_SUCCESS
                    ? (version[0] / 1000) + "." + (version[0] % 1000 / 10) : "unknown";
            return new CudaAvailability(true, count[0], count[0] + " CUDA device(s), driver API " + driver);
        } catch (LinkageError e) {
            // UnsatisfiedLinkError on the first call without libcuda.so.1, NoClassDefFoundError afterwards.
            return new CudaAvailability(false, 0, "the CUDA driver library could not be loaded ("
                    + summarize(e) + ")");
        }
    }

    /**
     * JCuda's link error message embeds nested stack traces; keep the line that names the missing library
     * (e.g. "libcuda.so.1: cannot open shared object file"), else the first line.
     */
    static String summarize(LinkageError e) {
        // A later call's NoClassDefFoundError carries the first failure as its cause (JDK 17+).
        for (Throwable t = e; t != null; t = t.getCause()) {
            for (String line : String.valueOf(t.getMessage()).split("\n")) {
                if (line.contains("cannot open shared object file")) {
                    return e.getClass().getSimpleName() + ": " + line.substring(line.indexOf(':') + 1).trim();
                }
            }
        }
        return e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage()).split("\n")[0].trim();
    }

    /** Like {@link #probe()}, and also requires device {@code ordinal} to exist. */
    public static CudaAvailability probe(int ordinal) {
        CudaAvailability all = probe();
        if (all.available() && (ordinal < 0 || ordinal >= all.deviceCount())) {
            return new CudaAvailability(false, all.deviceCount(),
                    "CUDA device " + ordinal + " does not exist (" + all.deviceCount() + " device(s) present)");
        }
        return all;
    }
}
