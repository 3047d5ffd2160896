// GEMM epilogues (cuBLAS writes the raw product; these add the bias and apply the activation).
// Grid: (ceil(n / blockDim.x), rows). Arithmetic in fp32.
#include "common.cuh"

// y = act(y + bias) in place, y and bias in the storage type (bias may be null); relu != 0 applies ReLU.
template <typename T>
__device__ __forceinline__ void bias_act_impl(T* y, int ldy, const T* bias, int n, int relu) {
    const int c = blockIdx.x * blockDim.x + threadIdx.x;
    if (c >= n) return;
    T* p = y + (long long)blockIdx.y * ldy + c;
    float v = to_f32(*p) + (bias != nullptr ? to_f32(bias[c]) : 0.0f);
    if (relu) v = fmaxf(v, 0.0f);
    *p = from_f32<T>(v);
}

// x += y + bias: x is the fp32 residual stream, y an fp32 GEMM result, bias in the storage type (may be null).
template <typename T>
__device__ __forceinline__ void bias_residual_impl(float* x, int ldx, const float* y, int ldy, const T* bias, int n) {
    const int c = blockIdx.x * blockDim.x + threadIdx.x;
    if (c >= n) return;
    const long long r = blockIdx.y;
    const float b = bias != nullptr ? to_f32(bias[c]) : 0.0f;
    x[r * ldx + c] = x[r * ldx + c] + (y[r * ldy + c] + b);
}

extern "C" __global__ void bias_act_f32(float* y, int ldy, const float* bias, int n, int relu) {
    bias_act_impl<float>(y, ldy, bias, n, relu);
}

extern "C" __global__ void bias_act_f16(__half* y, int ldy, const __half* bias, int n, int relu) {
    bias_act_impl<__half>(y, ldy, bias, n, relu);
}

extern "C" __global__ void bias_residual_f32(float* x, int ldx, const float* y, int ldy, const float* bias, int n) {
    bias_residual_impl<float>(x, ldx, y, ldy, bias, n);
}

extern "C" __global__ void bias_residual_f16(float* x, int ldx, const float* y, int ldy, const __half* bias, int n) {
    bias_residual_impl<__half>(x, ldx, y, ldy, bias, n);
}

// Element-wise fp32 -> fp16 (round to nearest even), grid-stride.
extern "C" __global__ void convert_f32_to_f16(const float* src, __half* dst, long long n) {
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (long long)gridDim.x * blockDim.x) {
        dst[i] = __float2half_rn(src[i]);
    }
}
