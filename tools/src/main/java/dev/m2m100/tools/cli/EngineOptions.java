package dev.m2m100.tools.cli;

import dev.m2m100.engine.EngineSettings;
import dev.m2m100.engine.backend.DeviceSpec;
import dev.m2m100.engine.backend.WeightDType;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.Option;

/**
 * {@code --device}, {@code --dtype}, {@code --threads}: one spelling, one parser and one default for every command
 * that runs the model. A value left out is null here, so that {@code serve} can tell "not given" (the environment
 * variable applies) from a value; {@link #device()} and friends give the default.
 */
public final class EngineOptions {

    @Option(names = "--device", paramLabel = "DEVICE", converter = DeviceConverter.class,
            description = "auto, cpu, cuda or cuda:N; auto = CUDA device 0 when it starts and stores the dtype, "
                    + "else the CPU (default: auto; serve: env DEVICE)")
    DeviceSpec device;

    @Option(names = "--dtype", paramLabel = "DTYPE", converter = DTypeConverter.class,
            description = "weight format: auto, f32, f16, bf16 or int8; auto = f32 on the CPU, f16 on CUDA "
                    + "(default: auto; serve: env DTYPE)")
    WeightDType dtype;

    @Option(names = "--threads", paramLabel = "N",
            description = "CPU worker threads, 0 = one per core (default: 0; serve: env THREADS)")
    Integer threads;

    /** The device given, or {@code auto}. */
    public DeviceSpec device() {
        return device != null ? device : EngineSettings.DEFAULTS.device();
    }

    /** The dtype given, or {@code auto}. */
    public WeightDType dtype() {
        return dtype != null ? dtype : EngineSettings.DEFAULTS.dtype();
    }

    /** The thread count given, or 0 (one per core). */
    public int threads() {
        return threads != null ? threads : EngineSettings.DEFAULTS.threads();
    }

    /**
     * The options given, as the environment variables they override for {@code serve} (DEVICE, DTYPE, THREADS),
     * in the spelling the parsers read back.
     */
    public Map<String, String> asEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        if (device != null) {
            env.put("DEVICE", device.toString());
        }
        if (dtype != null) {
            env.put("DTYPE", dtype.toString());
        }
        if (threads != null) {
            env.put("THREADS", threads.toString());
        }
        return env;
    }

    /** Engine settings with these options and the engine's default limits. */
    public EngineSettings settings() {
        return EngineSettings.DEFAULTS.withDevice(device()).withDtype(dtype()).withThreads(threads());
    }

    static final class DeviceConverter implements ITypeConverter<DeviceSpec> {
        @Override
        public DeviceSpec convert(String value) {
            try {
                return DeviceSpec.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class DTypeConverter implements ITypeConverter<WeightDType> {
        @Override
        public WeightDType convert(String value) {
            try {
                return WeightDType.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
