package dev.m2m100.engine.backend;

/**
 * Where a loaded model runs, for the startup log and the service's info metric.
 *
 * @param device  the backend's device ("cpu", "cuda:0")
 * @param dtype   the weight format in effect
 * @param threads CPU worker threads (0 when the work runs on a GPU)
 * @param reason  why this device (e.g. "auto: cpu, because CUDA is unavailable: …")
 */
public record Placement(String device, WeightDType dtype, int threads, String reason) {

    /** For engines built around a model that was not loaded through {@link Backends} (tests, toy models). */
    public static final Placement UNKNOWN = new Placement("unknown", WeightDType.AUTO, 0, "not loaded through Backends");

    /** One line: {@code device cpu, dtype f32, 8 threads}. */
    public String summary() {
        return "device " + device + ", dtype " + dtype + (threads > 0 ? ", " + threads + " threads" : "");
    }
}
