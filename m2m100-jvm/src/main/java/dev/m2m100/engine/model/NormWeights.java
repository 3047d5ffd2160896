package dev.m2m100.engine.model;

/** A layer norm's scale ({@code weight}) and shift ({@code bias}). */
public record NormWeights(float[] gamma, float[] beta) {

    public NormWeights {
        if (gamma.length != beta.length) {
            throw new IllegalArgumentException("layer norm weight and bias differ in length");
        }
    }
}
