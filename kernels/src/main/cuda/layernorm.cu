// Layer normalisation over the last dimension of an fp32 residual stream, one block per row.
// Output in the storage type (fp32 or fp16) because it feeds a GEMM. gamma/beta are fp32 in every mode
// (they are tiny and the statistics are fp32 anyway).
// The residual variant first adds a GEMM result (fp32) and an optional bias (storage type) into the
// residual stream, writes it back, then normalises: it fuses the out-projection epilogue with the next LN.
#include "common.cuh"

template <typename T>
__device__ __forceinline__ void layernorm_row(const float* x, const float* gamma, const float* beta, T* y,
                                              int d, float eps, float* scratch) {
    float s = 0.0f;
    for (int c = threadIdx.x; c < d; c += blockDim.x) s += x[c];
    const float mean = block_sum(s, scratch) / (float)d;
    float q = 0.0f;
    for (int c = threadIdx.x; c < d; c += blockDim.x) {
        const float t = x[c] - mean;
        q += t * t;
    }
    const float var = block_sum(q, scratch) / (float)d;
    const float inv = 1.0f / sqrtf(var + eps);
    for (int c = threadIdx.x; c < d; c += blockDim.x) {
        y[c] = from_f32<T>((x[c] - mean) * inv * gamma[c] + beta[c]);
    }
}

template <typename T>
__device__ __forceinline__ void layernorm_impl(const float* x, int ldx, const float* gamma, const float* beta,
                                               T* y, int ldy, int d, float eps) {
    __shared__ float scratch[32];
    const long long row = blockIdx.x;
    layernorm_row<T>(x + row * ldx, gamma, beta, y + row * ldy, d, eps, scratch);
}

template <typename T>
__device__ __forceinline__ void residual_layernorm_impl(float* x, int ldx, const float* delta, int ldd,
                                                        const T* bias, const float* gamma, const float* beta,
                                                        T* y, int ldy, int d, float eps) {
    __shared__ float scratch[32];
    const long long row = blockIdx.x;
    float* xr = x + row * ldx;
    const float* dr = delta + row * ldd;
    // Each thread later reads back only the columns it wrote itself, so no barrier is needed here.
    for (int c = threadIdx.x; c < d; c += blockDim.x) {
        const float b = bias != nullptr ? to_f32(bias[c]) : 0.0f;
        xr[c] = xr[c] + (dr[c] + b);
    }
    layernorm_row<T>(xr, gamma, beta, y + row * ldy, d, eps, scratch);
}

extern "C" __global__ void __launch_bounds__(1024)
layernorm_f32(const float* x, int ldx, const float* gamma, const float* beta, float* y, int ldy, int d, float eps) {
    layernorm_impl<float>(x, ldx, gamma, beta, y, ldy, d, eps);
}

extern "C" __global__ void __launch_bounds__(1024)
layernorm_f16(const float* x, int ldx, const float* gamma, const float* beta, __half* y, int ldy, int d, float eps) {
    layernorm_impl<__half>(x, ldx, gamma, beta, y, ldy, d, eps);
}

extern "C" __global__ void __launch_bounds__(1024)
residual_layernorm_f32(float* x, int ldx, const float* delta, int ldd, const float* bias, const float* gamma,
                       const float* beta, float* y, int ldy, int d, float eps) {
    residual_layernorm_impl<float>(x, ldx, delta, ldd, bias, gamma, beta, y, ldy, d, eps);
}

extern "C" __global__ void __launch_bounds__(1024)
residual_layernorm_f16(float* x, int ldx, const float* delta, int ldd, const __half* bias, const float* gamma,
                       const float* beta, __half* y, int ldy, int d, float eps) {
    residual_layernorm_impl<__half>(x, ldx, delta, ldd, bias, gamma, beta, y, ldy, d, eps);
}
