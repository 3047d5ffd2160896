package dev.m2m100.engine.backend.cuda;

import java.util.function.IntFunction;

/**
 * The outcome of {@code --device auto|cpu|cuda[:N]}: which backend to use, on which CUDA device, and why
 * (so the caller can log it).
 *
 * @param cuda    true for the CUDA backend, false for the CPU backend
 * @param ordinal CUDA device ordinal (0 when {@code cuda} is false)
 * @param reason  why this choice was made
 */
public record DeviceSelection(boolean cuda, int ordinal, String reason) {

    /** Resolves a device specification with the real driver probe. */
    public static DeviceSelection resolve(String spec) {
        return resolve(spec, CudaAvailability::probe);
    }

    /**
     * Resolves a device specification. {@code auto} takes CUDA device 0 when the probe says it is usable and
     * the CPU otherwise; {@code cuda[:N]} requires device N and fails with the probe's reason when it is
     * unusable; {@code cpu} never probes.
     *
     * @throws IllegalArgumentException for an unknown specification
     * @throws CudaException            when CUDA was requested explicitly but is not usable
     */
    public static DeviceSelection resolve(String spec, IntFunction<CudaAvailability> probe) {
        String s = spec == null ? "" : spec.trim().toLowerCase(java.util.Locale.ROOT);
        if (s.equals("cpu")) {
            return new DeviceSelection(false, 0, "CPU requested");
        }
        if (s.equals("auto")) {
            CudaAvailability a = probe.apply(0);
            return a.available()
                    ? new DeviceSelection(true, 0, "auto: CUDA device 0 (" + a.reason() + ")")
                    : new DeviceSelection(false, 0, "auto: CPU, because CUDA is unavailable: " + a.reason());
        }
        if (s.equals("cuda") || s.startsWith("cuda:")) {
            int ordinal = 0;
            if (s.startsWith("cuda:")) {
                String n = s.substring(5);
                if (!n.matches("[0-9]{1,3}")) {
                    throw new IllegalArgumentException("device '" + spec + "': expected cuda:N with N a device number");
                }
                ordinal = Integer.parseInt(n);
            }
            CudaAvailability a = probe.apply(ordinal);
            if (!a.available()) {
                throw new CudaException("device '" + spec + "' requested but CUDA is unavailable: " + a.reason());
            }
            return new DeviceSelection(true, ordinal, "CUDA device " + ordinal + " requested (" + a.reason() + ")");
        }
        throw new IllegalArgumentException("device '" + spec + "': expected auto, cpu, cuda or cuda:N");
    }
}
