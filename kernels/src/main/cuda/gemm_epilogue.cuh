// The epilogue both GEMM paths share: gemm.cu applies it to its accumulators, epilogue.cu to cuBLAS's fp32
// product. v = acc (+ bias[col]), then ReLU or the residual (y + v), rounded once into y's storage type, stored
// at out[j]. (Indexing out[j] rather than taking out + j keeps gemm.cu's code, registers and PTX as they were.)
#pragma once
#include "common.cuh"

#define GEMM_NONE 0
#define GEMM_RELU 1
#define GEMM_RESIDUAL 2

template <typename TY>
__device__ __forceinline__ void gemm_finish(float acc, const float* bias, long long col, int epilogue, TY* out,
                                            int j) {
    float v = acc;
    if (bias != nullptr) v = v + bias[col];
    if (epilogue == GEMM_RELU) v = fmaxf(v, 0.0f);
    if (epilogue == GEMM_RESIDUAL) v = to_f32(out[j]) + v;
    out[j] = from_f32<TY>(v);
}
