package dev.m2m100.engine.backend.cuda;

import dev.m2m100.engine.backend.WeightVector;

/** A bias or layernorm vector on the device, always float32 (tiny, and added in fp32). */
record CudaVector(DeviceBuffer buffer, int length) implements WeightVector {}
