package dev.m2m100.engine.model;

/**
 * The fairseq/M2M100 sinusoidal position table: row p = [sin(p·f_0) … sin(p·f_{h−1}) | cos(p·f_0) …], with
 * h = dim/2 and f_k = exp(−k · ln(10000)/(h−1)); the padding row is zero (and a trailing zero column for odd
 * dim). Computed in float32 steps as PyTorch does, so the rows match the reference bit for bit or nearly.
 */
public final class SinusoidalPositions {
    private SinusoidalPositions() {}

    /** A {@code rows × dim} row-major table. Token i of a sequence (no padding before it) uses row i + padding + 1. */
    public static float[] table(int rows, int dim, int paddingIdx) {
        int half = dim / 2;
        if (half < 2) {
            throw new IllegalArgumentException("position embedding dimension " + dim + " is too small");
        }
        float step = (float) -(Math.log(10000.0) / (half - 1));
        float[] freq = new float[half];
        for (int k = 0; k < half; k++) {
            freq[k] = (float) Math.exp((float) k * step);
        }
        float[] t = new float[rows * dim];
        for (int p = 0; p < rows; p++) {
            if (p == paddingIdx) {
                continue;
            }
            for (int k = 0; k < half; k++) {
                float arg = (float) p * freq[k];
                t[p * dim + k] = (float) Math.sin(arg);
                t[p * dim + half + k] = (float) Math.cos(arg);
            }
        }
        return t;
    }
}
