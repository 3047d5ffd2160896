package dev.m2m100.engine.backend;

import dev.m2m100.engine.backend.cpu.CpuBackend;
import java.util.Locale;

/** Picks the backend for a device name ("auto", "cpu", "cuda", "cuda:N") and a number format. */
public final class Backends {
    private Backends() {}

    public static Backend open(String device, String dtype, int threads) {
        String dev = device.toLowerCase(Locale.ROOT);
        String fmt = dtype.toLowerCase(Locale.ROOT);
        return switch (dev) {
            case "auto", "cpu" -> {
                if (!fmt.equals("auto") && !fmt.equals("f32")) {
                    throw new IllegalArgumentException("the cpu backend computes in f32 only; dtype '" + dtype
                            + "' is not supported on cpu (f16/bf16 checkpoints are upcast on load with dtype f32)");
                }
                yield new CpuBackend(threads);
            }
            default -> throw new IllegalArgumentException("device '" + device
                    + "' is not available in this build (supported: auto, cpu)");
        };
    }
}
