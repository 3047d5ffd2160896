package dev.m2m100.engine;

import dev.m2m100.engine.backend.BackendChoice;
import dev.m2m100.engine.backend.DeviceSpec;
import dev.m2m100.engine.backend.WeightDType;

/**
 * How to run a model: where, in which number format, and how much work the scheduler may hold. Device and dtype
 * arrive parsed ({@link DeviceSpec#parse}, {@link WeightDType#parse}); a pair that can never work (an explicit
 * CUDA device with a format CUDA does not store) is rejected here, before anything loads.
 *
 * @param device             auto, cpu or cuda:N
 * @param dtype              weight format (auto = the chosen device's serving default)
 * @param threads            CPU worker threads (0 = number of cores)
 * @param maxQueuedSequences source texts that may wait for admission; beyond that, {@link OverloadedException}
 * @param maxActiveSequences source texts decoded together at most (each with its beams)
 * @param maxBatchRows       decoder rows (sequences × beams) in one step at most
 */
public record EngineSettings(
        DeviceSpec device,
        WeightDType dtype,
        int threads,
        int maxQueuedSequences,
        int maxActiveSequences,
        int maxBatchRows) {

    public static final EngineSettings DEFAULTS =
            new EngineSettings(DeviceSpec.AUTO, WeightDType.AUTO, 0, 1024, 64, 320);

    public EngineSettings {
        if (device == null || dtype == null) {
            throw new IllegalArgumentException("device and dtype must be given");
        }
        if (threads < 0 || maxQueuedSequences < 1 || maxActiveSequences < 1 || maxBatchRows < 1) {
            throw new IllegalArgumentException("engine limits must be positive: " + threads + ", "
                    + maxQueuedSequences + ", " + maxActiveSequences + ", " + maxBatchRows);
        }
        BackendChoice.checkSupported(device, dtype);
    }

    public EngineSettings withDevice(DeviceSpec newDevice) {
        return new EngineSettings(newDevice, dtype, threads, maxQueuedSequences, maxActiveSequences, maxBatchRows);
    }

    public EngineSettings withDtype(WeightDType newDtype) {
        return new EngineSettings(device, newDtype, threads, maxQueuedSequences, maxActiveSequences, maxBatchRows);
    }

    public EngineSettings withThreads(int newThreads) {
        return new EngineSettings(device, dtype, newThreads, maxQueuedSequences, maxActiveSequences, maxBatchRows);
    }
}
