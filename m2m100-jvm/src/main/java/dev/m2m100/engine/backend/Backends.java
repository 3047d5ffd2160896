package dev.m2m100.engine.backend;

import dev.m2m100.engine.backend.cpu.CpuBackend;
import dev.m2m100.engine.backend.cuda.CudaBackend;
import dev.m2m100.engine.backend.cuda.CudaException;
import dev.m2m100.engine.backend.cuda.DeviceSelection;
import dev.m2m100.engine.backend.cuda.Precision;
import dev.m2m100.engine.backend.cpu.gemm.WeightFormat;
import java.util.Locale;

/**
 * Picks the backend for a device name ("auto", "cpu", "cuda", "cuda:N") and a weight storage format ("auto",
 * "f32", "bf16", "f16", "int8"; activations and accumulation stay f32).
 */
public final class Backends {
    private Backends() {}

    private static final System.Logger LOG = System.getLogger(Backends.class.getName());

    public static Backend open(String device, String dtype, int threads) {
        String dev = device.toLowerCase(Locale.ROOT);
        String fmt = dtype.toLowerCase(Locale.ROOT);
        if (dev.equals("auto") || dev.equals("cuda") || dev.startsWith("cuda:")) {
            // auto: CUDA when the driver initialises, else the CPU; an explicit cuda fails with the reason.
            DeviceSelection choice = DeviceSelection.resolve(dev);
            LOG.log(System.Logger.Level.INFO, "device " + device + ": " + choice.reason());
            if (choice.cuda()) {
                try {
                    return CudaBackend.open(choice.ordinal(), Precision.parse(fmt), false);
                } catch (CudaException e) {
                    if (!dev.equals("auto")) {
                        throw e;
                    }
                    LOG.log(System.Logger.Level.WARNING, "device auto: CUDA backend failed to start, using the CPU: "
                            + e.getMessage());
                }
            }
            dev = "cpu";
        }
        return switch (dev) {
            case "cpu" -> {
                WeightFormat format = switch (fmt) {
                    case "auto", "f32" -> WeightFormat.F32;
                    case "bf16" -> WeightFormat.BF16;
                    case "f16" -> WeightFormat.F16;
                    case "int8" -> WeightFormat.INT8;
                    default -> throw new IllegalArgumentException("dtype '" + dtype
                            + "' is not supported on cpu (f32, bf16, f16, int8)");
                };
                yield new CpuBackend(threads, format);
            }
            default -> throw new IllegalArgumentException("device '" + device
                    + "' is not supported (auto, cpu, cuda, cuda:N)");
        };
    }
}
