package dev.m2m100.engine.model;

import dev.m2m100.engine.backend.RawMatrix;

/**
 * A linear layer as Hugging Face stores it: {@code weight [out][in]} row-major, still in the checkpoint's bytes
 * (the backend packs it from there), and {@code bias [out]}.
 */
public record LinearWeights(RawMatrix weight, float[] bias) {

    public LinearWeights {
        if (bias.length != weight.rows()) {
            throw new IllegalArgumentException("linear layer " + weight.rows() + " x " + weight.cols() + " given "
                    + bias.length + " biases");
        }
    }

    public int outFeatures() {
        return weight.rows();
    }

    public int inFeatures() {
        return weight.cols();
    }
}
