package dev.m2m100.engine;

/**
 * How to run a model: where, in which number format, and how much work the scheduler may hold.
 *
 * @param device             "auto", "cpu", "cuda" or "cuda:N"
 * @param dtype              weight format: "f32", "f16", "bf16" or "int8" ("auto" = the backend's default)
 * @param threads            CPU worker threads (0 = number of cores)
 * @param maxQueuedSequences source texts that may wait for admission; beyond that, {@link OverloadedException}
 * @param maxActiveSequences source texts decoded together at most (each with its beams)
 * @param maxBatchRows       decoder rows (sequences × beams) in one step at most
 */
public record EngineSettings(
        String device,
        String dtype,
        int threads,
        int maxQueuedSequences,
        int maxActiveSequences,
        int maxBatchRows) {

    public static final EngineSettings DEFAULTS = new EngineSettings("auto", "auto", 0, 1024, 64, 320);

    public EngineSettings {
        if (threads < 0 || maxQueuedSequences < 1 || maxActiveSequences < 1 || maxBatchRows < 1) {
            throw new IllegalArgumentException("engine limits must be positive: " + threads + ", "
                    + maxQueuedSequences + ", " + maxActiveSequences + ", " + maxBatchRows);
        }
    }

    public EngineSettings withDevice(String newDevice) {
        return new EngineSettings(newDevice, dtype, threads, maxQueuedSequences, maxActiveSequences, maxBatchRows);
    }
}
