package dev.m2m100.engine.backend;

import dev.m2m100.engine.backend.cuda.CudaAvailability;
import dev.m2m100.engine.backend.cuda.CudaException;
import dev.m2m100.engine.backend.cuda.Precision;
import java.util.Arrays;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * Which backend a model gets, decided once from the typed settings and a CUDA probe, before anything is loaded.
 * One meaning of {@code auto} everywhere: the device is CUDA device 0 when the driver starts and CUDA stores the
 * requested weight format, else the CPU; the dtype is the chosen device's serving default.
 *
 * @param target  the backend
 * @param ordinal the CUDA device number (0 for the CPU)
 * @param dtype   the weight format in effect (never {@link WeightDType#AUTO})
 * @param reason  why, for the startup log
 */
public record BackendChoice(Target target, int ordinal, WeightDType dtype, String reason) {

    /** The backends, with the weight formats each stores. */
    public enum Target {
        CPU(WeightDType.F32),
        CUDA(WeightDType.F16);

        private final WeightDType serving;

        Target(WeightDType serving) {
            this.serving = serving;
        }

        /** {@code dtype}, with {@code auto} replaced by this backend's serving default. */
        public WeightDType resolve(WeightDType dtype) {
            return dtype == WeightDType.AUTO ? serving : dtype;
        }

        /** Whether this backend can store weights as {@code dtype}. */
        public boolean supports(WeightDType dtype) {
            WeightDType d = resolve(dtype);
            return switch (this) {
                case CPU -> true; // WeightFormat.of covers every dtype
                case CUDA -> Precision.of(d).isPresent();
            };
        }

        /** The dtypes this backend stores, for messages. */
        public String supported() {
            return Arrays.stream(WeightDType.values()).filter(this::supports).map(WeightDType::toString)
                    .collect(Collectors.joining(", "));
        }
    }

    public BackendChoice {
        if (dtype == WeightDType.AUTO || !target.supports(dtype)) {
            throw new IllegalArgumentException("backend " + target + " cannot store " + dtype + " weights");
        }
    }

    /**
     * Rejects a pair that can never work, before anything is probed or loaded: an explicit CUDA device with a
     * weight format CUDA does not store. ({@code auto} with such a format runs on the CPU instead.)
     *
     * @throws IllegalArgumentException naming both settings and the supported formats
     */
    public static void checkSupported(DeviceSpec device, WeightDType dtype) {
        if (device.kind() == DeviceSpec.Kind.CUDA && !Target.CUDA.supports(dtype)) {
            throw new IllegalArgumentException("device " + device + " cannot use dtype " + dtype + ": the CUDA backend "
                    + "stores " + Target.CUDA.supported() + "; use --device cpu (or auto) for " + dtype);
        }
    }

    /** Decides with the real driver probe. */
    public static BackendChoice choose(DeviceSpec device, WeightDType dtype) {
        return choose(device, dtype, CudaAvailability::probe);
    }

    /**
     * Decides with the given probe (device ordinal → availability). {@code cpu} never probes; {@code auto} does
     * not probe when CUDA cannot store the dtype anyway.
     *
     * @throws IllegalArgumentException for an unsupported pair ({@link #checkSupported})
     * @throws CudaException            when a CUDA device was requested explicitly and is not usable
     */
    public static BackendChoice choose(DeviceSpec device, WeightDType dtype, IntFunction<CudaAvailability> probe) {
        checkSupported(device, dtype);
        return switch (device.kind()) {
            case CPU -> cpu(dtype, "cpu requested");
            case CUDA -> {
                CudaAvailability a = probe.apply(device.ordinal());
                if (!a.available()) {
                    throw new CudaException("device " + device + " requested but CUDA is unavailable: " + a.reason());
                }
                yield new BackendChoice(Target.CUDA, device.ordinal(), Target.CUDA.resolve(dtype),
                        device + " requested (" + a.reason() + ")");
            }
            case AUTO -> {
                if (!Target.CUDA.supports(dtype)) {
                    yield cpu(dtype, "auto: cpu, because the CUDA backend does not store " + dtype + " weights");
                }
                CudaAvailability a = probe.apply(0);
                yield a.available()
                        ? new BackendChoice(Target.CUDA, 0, Target.CUDA.resolve(dtype), "auto: cuda:0 (" + a.reason() + ")")
                        : cpu(dtype, "auto: cpu, because CUDA is unavailable: " + a.reason());
            }
        };
    }

    /** The CPU with {@code dtype} (auto = its serving default), for the reason given. */
    public static BackendChoice cpu(WeightDType dtype, String reason) {
        return new BackendChoice(Target.CPU, 0, Target.CPU.resolve(dtype), reason);
    }
}
