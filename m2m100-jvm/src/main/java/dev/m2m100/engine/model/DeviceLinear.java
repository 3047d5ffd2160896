package dev.m2m100.engine.model;

import dev.m2m100.engine.backend.Backend;
import dev.m2m100.engine.backend.RawMatrix;
import dev.m2m100.engine.backend.WeightMatrix;
import dev.m2m100.engine.backend.WeightRole;
import dev.m2m100.engine.backend.WeightVector;

/** A linear layer uploaded to a backend. */
record DeviceLinear(WeightMatrix weight, WeightVector bias) {

    /**
     * Uploads one layer, or several with the same input size as one fused layer whose outputs sit side by side
     * (q|k|v), then drops the checkpoint pages the upload read.
     */
    static DeviceLinear upload(Backend backend, LinearWeights... parts) {
        RawMatrix[] weights = new RawMatrix[parts.length];
        int outFeatures = 0;
        for (int i = 0; i < parts.length; i++) {
            weights[i] = parts[i].weight();
            outFeatures += parts[i].outFeatures();
        }
        float[] bias = new float[outFeatures];
        int at = 0;
        for (LinearWeights p : parts) {
            System.arraycopy(p.bias(), 0, bias, at, p.outFeatures());
            at += p.outFeatures();
        }
        DeviceLinear uploaded = new DeviceLinear(backend.upload(WeightRole.LINEAR, weights), backend.vector(bias));
        for (RawMatrix w : weights) {
            w.release();
        }
        return uploaded;
    }
}
