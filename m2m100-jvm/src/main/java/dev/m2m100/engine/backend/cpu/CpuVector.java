package dev.m2m100.engine.backend.cpu;

import dev.m2m100.engine.backend.WeightVector;

/** A weight vector on the heap. */
record CpuVector(float[] data) implements WeightVector {

    @Override
    public int length() {
        return data.length;
    }
}
