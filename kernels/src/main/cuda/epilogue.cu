// The cuBLAS GEMM path's own kernels (CublasGemm.java). cuBLAS is called with ONE fixed row count R per call
// (the batch-invariance scheme, docs/GPU.md), so the rows of x are staged chunk by chunk into an R-row scratch
// in cuBLAS's input type (the weight's: cublasGemmEx takes one input type), the last chunk zero-padded; cuBLAS
// writes its fp32 product into an R-row scratch, and the chunk's real rows are finished by the epilogue gemm.cu
// fuses (gemm_epilogue.cuh): + bias, ReLU or residual, one rounding into y's type.
// Grids: (ceil(columns / 256), R or rows); block: 256 threads, one element each. Arithmetic in fp32.
#include "gemm_epilogue.cuh"

// a[r, :] = x[r, :] in a's type for r < rows, and 0 for rows <= r < gridDim.y (the padding). fp16 -> fp16 and
// fp32 -> fp32 are exact copies; fp32 -> fp16 rounds to nearest even.
template <typename TX, typename TA>
__device__ __forceinline__ void stage_rows_impl(const TX* __restrict__ x, TA* __restrict__ a, int rows, int k) {
    const int c = blockIdx.x * blockDim.x + threadIdx.x;
    if (c >= k) return;
    const long long r = blockIdx.y;
    a[r * k + c] = from_f32<TA>(r < rows ? to_f32(x[r * k + c]) : 0.0f);
}

// y[r, :] = epilogue(d[r, :]) for r < gridDim.y; d is cuBLAS's fp32 product [rows, n].
template <typename TY>
__device__ __forceinline__ void gemm_epilogue_impl(const float* __restrict__ d, TY* y, const float* __restrict__ bias,
                                                   int n, int epilogue) {
    const int c = blockIdx.x * blockDim.x + threadIdx.x;
    if (c >= n) return;
    const long long r = blockIdx.y;
    gemm_finish(d[r * n + c], bias, c, epilogue, y + r * n, c);
}

#define STAGE_ROWS(NAME, TX, TA)                                                                       \
    extern "C" __global__ void __launch_bounds__(256) stage_rows_##NAME(const TX* x, TA* a, int rows, int k) { \
        stage_rows_impl<TX, TA>(x, a, rows, k);                                                        \
    }

STAGE_ROWS(f32_f32, float, float)     // fp32 parity mode
STAGE_ROWS(f32_f16, float, __half)    // fp16 weights, fp32 activations: x rounded to fp16 for cuBLAS
STAGE_ROWS(f16_f16, __half, __half)   // fp16 activations

extern "C" __global__ void __launch_bounds__(256)
gemm_epilogue_f32(const float* d, float* y, const float* bias, int n, int epilogue) {
    gemm_epilogue_impl<float>(d, y, bias, n, epilogue);
}

extern "C" __global__ void __launch_bounds__(256)
gemm_epilogue_f16(const float* d, __half* y, const float* bias, int n, int epilogue) {
    gemm_epilogue_impl<__half>(d, y, bias, n, epilogue);
}
