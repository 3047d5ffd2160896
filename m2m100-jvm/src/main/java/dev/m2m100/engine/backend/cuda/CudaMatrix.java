package dev.m2m100.engine.backend.cuda;

import dev.m2m100.engine.backend.WeightMatrix;

/** A weight matrix on the device in the backend's storage precision. */
record CudaMatrix(DeviceBuffer buffer, int rows, int cols, Precision precision) implements WeightMatrix {}
