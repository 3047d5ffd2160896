package dev.m2m100.engine.model;

import java.io.IOException;

/** A checkpoint that does not hold what the model configuration needs (missing tensors, wrong shapes). */
public final class WeightsException extends IOException {

    public WeightsException(String message) {
        super(message);
    }
}
