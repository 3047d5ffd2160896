package dev.m2m100.engine.model;

import dev.m2m100.engine.backend.Backend;
import dev.m2m100.engine.backend.WeightVector;

/** A layer norm uploaded to a backend. */
record DeviceNorm(WeightVector gamma, WeightVector beta) {

    static DeviceNorm upload(Backend backend, NormWeights w) {
        return new DeviceNorm(backend.vector(w.gamma()), backend.vector(w.beta()));
    }
}
