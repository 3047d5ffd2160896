package dev.m2m100.engine.model;

import dev.m2m100.engine.EngineSettings;
import dev.m2m100.engine.backend.BackendChoice;
import dev.m2m100.engine.backend.DeviceSpec;
import dev.m2m100.engine.backend.WeightDType;

/**
 * How to load and run a model.
 *
 * @param device     auto, cpu or cuda:N
 * @param dtype      storage format of the weights on the device (whatever the checkpoint holds is converted on
 *                   load; activations, layer norms, softmax and accumulation stay f32; auto = the device's serving
 *                   default, f32 on the CPU; on the CPU the position table stays f32 and with bf16 the tied
 *                   embedding/output projection is stored as f16: see docs/PERFORMANCE.md)
 * @param threads    CPU worker threads (0 = one per core)
 * @param maxSources how many sources are expected to be encoded and held at once (a capacity hint)
 * @param maxRows    how many decoder rows are expected to be open at once (a capacity hint)
 */
public record ModelOptions(DeviceSpec device, WeightDType dtype, int threads, int maxSources, int maxRows) {

    /** CPU, its default format (f32), all cores, room for 64 sources and 320 rows. */
    public static final ModelOptions DEFAULTS = new ModelOptions(DeviceSpec.CPU, WeightDType.AUTO, 0, 64, 320);

    public ModelOptions {
        if (device == null || dtype == null) {
            throw new IllegalArgumentException("device and dtype must be given");
        }
        if (threads < 0 || maxSources < 1 || maxRows < 1) {
            throw new IllegalArgumentException("threads must be >= 0 and capacities >= 1, got threads " + threads
                    + ", maxSources " + maxSources + ", maxRows " + maxRows);
        }
        BackendChoice.checkSupported(device, dtype);
    }

    /** The options implied by the engine settings. */
    public static ModelOptions from(EngineSettings s) {
        return new ModelOptions(s.device(), s.dtype(), s.threads(), s.maxActiveSequences(), s.maxBatchRows());
    }

    public ModelOptions withThreads(int n) {
        return new ModelOptions(device, dtype, n, maxSources, maxRows);
    }

    public ModelOptions withDtype(WeightDType d) {
        return new ModelOptions(device, d, threads, maxSources, maxRows);
    }

    public ModelOptions withDevice(DeviceSpec d) {
        return new ModelOptions(d, dtype, threads, maxSources, maxRows);
    }
}
