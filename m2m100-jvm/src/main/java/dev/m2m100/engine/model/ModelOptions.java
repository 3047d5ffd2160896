package dev.m2m100.engine.model;

import dev.m2m100.engine.EngineSettings;
import java.util.Locale;
import java.util.Set;

/**
 * How to load and run a model.
 *
 * @param device     "auto", "cpu", "cuda" or "cuda:N"
 * @param dtype      storage format of the weights on the device: "auto", "f32", "f16", "bf16" or "int8"
 *                   (whatever the checkpoint holds is converted on load; activations, layer norms, softmax and
 *                   accumulation stay f32; on the CPU "auto" means f32, the position table stays f32 and with
 *                   bf16 the tied embedding/output projection is stored as f16: see docs/PERFORMANCE.md)
 * @param threads    CPU worker threads (0 = one per core)
 * @param maxSources how many sources are expected to be encoded and held at once (a capacity hint)
 * @param maxRows    how many decoder rows are expected to be open at once (a capacity hint)
 */
public record ModelOptions(String device, String dtype, int threads, int maxSources, int maxRows) {

    private static final Set<String> DTYPES = Set.of("auto", "f32", "f16", "bf16", "int8");

    /** CPU, f32, all cores, room for 64 sources and 320 rows. */
    public static final ModelOptions DEFAULTS = new ModelOptions("cpu", "f32", 0, 64, 320);

    public ModelOptions {
        if (device == null || device.isBlank()) {
            throw new IllegalArgumentException("device must be given (auto, cpu, cuda, cuda:N)");
        }
        if (dtype == null || !DTYPES.contains(dtype.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("dtype '" + dtype + "' is not one of " + DTYPES);
        }
        if (threads < 0 || maxSources < 1 || maxRows < 1) {
            throw new IllegalArgumentException("threads must be >= 0 and capacities >= 1, got threads " + threads
                    + ", maxSources " + maxSources + ", maxRows " + maxRows);
        }
    }

    /** The options implied by the engine settings. */
    public static ModelOptions from(EngineSettings s) {
        return new ModelOptions(s.device(), s.dtype(), s.threads(), s.maxActiveSequences(), s.maxBatchRows());
    }

    public ModelOptions withThreads(int n) {
        return new ModelOptions(device, dtype, n, maxSources, maxRows);
    }

    public ModelOptions withDtype(String d) {
        return new ModelOptions(device, d, threads, maxSources, maxRows);
    }

    public ModelOptions withDevice(String d) {
        return new ModelOptions(d, dtype, threads, maxSources, maxRows);
    }
}
