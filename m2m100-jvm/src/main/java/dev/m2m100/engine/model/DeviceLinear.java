package dev.m2m100.engine.model;

import dev.m2m100.engine.backend.Backend;
import dev.m2m100.engine.backend.WeightMatrix;
import dev.m2m100.engine.backend.WeightVector;

/** A linear layer uploaded to a backend. */
record DeviceLinear(WeightMatrix weight, WeightVector bias) {

    static DeviceLinear upload(Backend backend, LinearWeights w) {
        return new DeviceLinear(backend.matrix(w.weight(), w.outFeatures(), w.inFeatures()), backend.vector(w.bias()));
    }
}
