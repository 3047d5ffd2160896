// Linear layers: y[m, n] = epilogue(x[m, k] · w[n, k]^T + bias[n]), row-major, the weight in PyTorch's
// [out, in] layout. One of the CUDA backend's two GEMM implementations (CUDA_GEMM=kernel; the other is cuBLAS,
// see CublasGemm.java and epilogue.cu): SIMT, no tensor cores.
//
// Batch invariance (the Backend contract: a row's result must not depend on which rows share the call). Every
// output element is ONE fp32 fused multiply-add chain over k = 0, 1, ..., K-1 in that order, starting from +0,
// then the epilogue: no split-K, no reduction across threads, no atomics, no tensor-core instruction whose
// internal summation order we do not control. Tiling over m and n only decides WHICH thread computes an
// element, never HOW, so a row's bits do not depend on m, on where the row sits in the batch, or on which tile
// variant (picked by m on the host) computes it. fmaf is explicit and nvcc does not reassociate float arithmetic
// without fast-math, which build-ptx.sh does not use.
//
// Storage: x and w in fp32 or fp16 (fp16 widens exactly, and a product of two fp16 values is exact in fp32);
// y in fp32 or fp16 (rounded once, after the epilogue); bias fp32 (may be null). Epilogue (gemm_epilogue.cuh,
// shared with the cuBLAS path): 0 = none, 1 = ReLU, 2 = residual (y += value; y is the fp32 residual stream).
// Kernel names: gemm_<x>_<w>_<y>_<BM>x<BN>. Grid: (ceil(n / BN), ceil(m / BM)); block: 256 threads.
#include "gemm_epilogue.cuh"

template <typename TX, typename TW, typename TY, int BM, int BN, int TM, int TN>
__device__ __forceinline__ void gemm_impl(const TX* __restrict__ x, const TW* __restrict__ w, TY* y,
                                          const float* __restrict__ bias, int m, int n, int k, int epilogue) {
    constexpr int BK = 16;
    constexpr int THREADS = (BM / TM) * (BN / TN);
    static_assert(THREADS == 256, "one tile is computed by 256 threads");
    __shared__ float xs[BK][BM + 1];   // x tile, transposed: xs[kk][row]
    __shared__ float ws[BK][BN + 1];   // w tile, transposed: ws[kk][col]

    const int tid = threadIdx.x;
    const int tx = tid % (BN / TN);
    const int ty = tid / (BN / TN);
    const long long row0 = (long long)blockIdx.y * BM;
    const long long col0 = (long long)blockIdx.x * BN;

    float acc[TM][TN];
#pragma unroll
    for (int i = 0; i < TM; ++i) {
#pragma unroll
        for (int j = 0; j < TN; ++j) acc[i][j] = 0.0f;
    }

    for (int k0 = 0; k0 < k; k0 += BK) {
        const int kt = min(BK, k - k0);
        for (int e = tid; e < BM * BK; e += THREADS) {
            const int r = e / BK, c = e - (e / BK) * BK;
            const long long gr = row0 + r;
            xs[c][r] = (gr < m && c < kt) ? to_f32(x[gr * k + k0 + c]) : 0.0f;
        }
        for (int e = tid; e < BN * BK; e += THREADS) {
            const int r = e / BK, c = e - (e / BK) * BK;
            const long long gc = col0 + r;
            ws[c][r] = (gc < n && c < kt) ? to_f32(w[gc * k + k0 + c]) : 0.0f;
        }
        __syncthreads();
        // Exactly the kt real steps: the chain has k terms whatever the tiling.
        for (int kk = 0; kk < kt; ++kk) {
            float a[TM], b[TN];
#pragma unroll
            for (int i = 0; i < TM; ++i) a[i] = xs[kk][ty * TM + i];
#pragma unroll
            for (int j = 0; j < TN; ++j) b[j] = ws[kk][tx * TN + j];
#pragma unroll
            for (int i = 0; i < TM; ++i) {
#pragma unroll
                for (int j = 0; j < TN; ++j) acc[i][j] = fmaf(a[i], b[j], acc[i][j]);
            }
        }
        __syncthreads();
    }

    const long long c0 = col0 + tx * TN;
#pragma unroll
    for (int i = 0; i < TM; ++i) {
        const long long r = row0 + ty * TM + i;
        if (r >= m) break;   // rows ascend with i
        TY* out = y + r * n + c0;
#pragma unroll
        for (int j = 0; j < TN; ++j) {
            if (c0 + j >= n) break;
            gemm_finish(acc[i][j], bias, c0 + j, epilogue, out, j);
        }
    }
}

// Two tile shapes: 16 x 32 (one output per thread column pair) keeps enough blocks busy when m is small
// (decoding), 64 x 64 (4 x 4 outputs per thread) reuses each loaded value more when m is large (encoder).
#define GEMM_KERNELS(NAME, TX, TW, TY)                                                                          \
    extern "C" __global__ void __launch_bounds__(256)                                                          \
    gemm_##NAME##_16x32(const TX* x, const TW* w, TY* y, const float* bias, int m, int n, int k, int epilogue) { \
        gemm_impl<TX, TW, TY, 16, 32, 1, 2>(x, w, y, bias, m, n, k, epilogue);                                \
    }                                                                                                          \
    extern "C" __global__ void __launch_bounds__(256)                                                          \
    gemm_##NAME##_64x64(const TX* x, const TW* w, TY* y, const float* bias, int m, int n, int k, int epilogue) { \
        gemm_impl<TX, TW, TY, 64, 64, 4, 4>(x, w, y, bias, m, n, k, epilogue);                                \
    }

GEMM_KERNELS(f32_f32_f32, float, float, float)     // fp32 parity mode
GEMM_KERNELS(f32_f16_f32, float, __half, float)    // fp16 weights, fp32 activations
GEMM_KERNELS(f32_f16_f16, float, __half, __half)   // fp16 weights, fp32 input, fp16 output (cross K/V of encoder states)
GEMM_KERNELS(f16_f16_f32, __half, __half, float)   // fp16 activations in, fp32 out (residual deltas, logits)
GEMM_KERNELS(f16_f16_f16, __half, __half, __half)  // fp16 activations in and out
