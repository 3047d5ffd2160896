// Log-softmax + logit rule + top-k over one row of fp32 logits per block (blockDim 256), so that only
// k (log-prob, id) pairs per row leave the device. Semantics of StepModel.step():
//   logprob[i] = (x[i] - max) - log(sum_j exp(x[j] - max))           (over the whole vocabulary)
//   rule: force f >= 0  -> logprob[f] = 0, every other entry -inf;   ban b >= 0 -> logprob[b] = -inf
//   top-k by (logprob descending, id ascending); -inf entries are real entries with their ids, so they
//   appear (lowest ids first) only when fewer than k finite entries exist.
// Pass 1: online max/sum-exp per thread, merged across the block. Pass 2: each thread keeps its best KMAX
// in a register-resident sorted list (fully unrolled, no local memory), then k rounds of block arg-max over
// the list heads merge them. forceTok/banTok may be null; an entry < 0 means no rule for that row.
#include "common.cuh"
#include <climits>

__device__ __forceinline__ bool better(float a, int ia, float b, int ib) {
    return a > b || (a == b && ia < ib);
}

// Merge two (max, sum of exp(x - max)) pairs.
__device__ __forceinline__ void merge_lse(float& m, float& s, float m2, float s2) {
    if (m2 == -CUDART_INF_F) return;
    if (m == -CUDART_INF_F) { m = m2; s = s2; return; }
    const float mm = fmaxf(m, m2);
    s = s * expf(m - mm) + s2 * expf(m2 - mm);
    m = mm;
}

template <int KMAX>
__device__ __forceinline__ void logsoftmax_topk_impl(const float* logits, long long ld, int vocab, const int* forceTok,
                                                     const int* banTok, int k, float* outLogProb, int* outIds) {
    __shared__ float shM[32], shS[32];
    __shared__ float shV[32];
    __shared__ int shI[32];
    __shared__ float winV;
    __shared__ int winI;
    if (k > KMAX || k > vocab) __trap();

    const long long row = blockIdx.x;
    const float* x = logits + row * ld;
    const int force = forceTok != nullptr ? forceTok[row] : -1;
    const int ban = banTok != nullptr ? banTok[row] : -1;
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, nwarps = blockDim.x >> 5;

    // Pass 1: log-sum-exp (not needed for a forced row).
    float m = -CUDART_INF_F, s = 0.0f;
    if (force < 0) {
        for (int i = threadIdx.x; i < vocab; i += blockDim.x) {
            const float v = x[i];
            if (v > m) {
                s = (m == -CUDART_INF_F ? 0.0f : s * expf(m - v)) + 1.0f;
                m = v;
            } else if (v != -CUDART_INF_F) {
                s += expf(v - m);
            }
        }
#pragma unroll
        for (int o = 16; o > 0; o >>= 1) {
            const float m2 = __shfl_xor_sync(0xffffffffu, m, o);
            const float s2 = __shfl_xor_sync(0xffffffffu, s, o);
            merge_lse(m, s, m2, s2);
        }
        if (lane == 0) { shM[warp] = m; shS[warp] = s; }
        __syncthreads();
        if (threadIdx.x == 0) {
            for (int w = 1; w < nwarps; ++w) merge_lse(m, s, shM[w], shS[w]);
            shM[0] = m; shS[0] = s;
        }
        __syncthreads();
        m = shM[0];
        s = shS[0];
    }
    const float logSum = logf(s);

    // Pass 2: per-thread sorted top-KMAX of the rule-adjusted log-probabilities. Each thread visits ids in
    // increasing order, so an equal value never displaces an earlier (lower) id.
    float vals[KMAX];
    int ids[KMAX];
#pragma unroll
    for (int j = 0; j < KMAX; ++j) { vals[j] = -CUDART_INF_F; ids[j] = INT_MAX; }
    for (int i = threadIdx.x; i < vocab; i += blockDim.x) {
        float t;
        if (force >= 0) t = (i == force) ? 0.0f : -CUDART_INF_F;
        else if (i == ban) t = -CUDART_INF_F;
        else t = (x[i] - m) - logSum;
        if (better(t, i, vals[KMAX - 1], ids[KMAX - 1])) {
            vals[KMAX - 1] = t;
            ids[KMAX - 1] = i;
#pragma unroll
            for (int j = KMAX - 1; j > 0; --j) {
                if (better(vals[j], ids[j], vals[j - 1], ids[j - 1])) {
                    const float tv = vals[j]; vals[j] = vals[j - 1]; vals[j - 1] = tv;
                    const int ti = ids[j]; ids[j] = ids[j - 1]; ids[j - 1] = ti;
                }
            }
        }
    }

    // Merge: k rounds of block arg-max over the list heads; the owner of the winner pops its head.
    for (int r = 0; r < k; ++r) {
        float bv = vals[0];
        int bi = ids[0];
#pragma unroll
        for (int o = 16; o > 0; o >>= 1) {
            const float v2 = __shfl_xor_sync(0xffffffffu, bv, o);
            const int i2 = __shfl_xor_sync(0xffffffffu, bi, o);
            if (better(v2, i2, bv, bi)) { bv = v2; bi = i2; }
        }
        if (lane == 0) { shV[warp] = bv; shI[warp] = bi; }
        __syncthreads();
        if (threadIdx.x == 0) {
            for (int w = 1; w < nwarps; ++w) {
                if (better(shV[w], shI[w], bv, bi)) { bv = shV[w]; bi = shI[w]; }
            }
            winV = bv; winI = bi;
            outLogProb[row * k + r] = bv;
            outIds[row * k + r] = bi;
        }
        __syncthreads();
        if (ids[0] == winI && vals[0] == winV) {
#pragma unroll
            for (int j = 0; j < KMAX - 1; ++j) { vals[j] = vals[j + 1]; ids[j] = ids[j + 1]; }
            vals[KMAX - 1] = -CUDART_INF_F;
            ids[KMAX - 1] = INT_MAX;
        }
        __syncthreads();   // winV/winI are rewritten next round
    }
}

extern "C" __global__ void __launch_bounds__(256)
logsoftmax_topk16(const float* logits, long long ld, int vocab, const int* forceTok, const int* banTok, int k,
                  float* outLogProb, int* outIds) {
    logsoftmax_topk_impl<16>(logits, ld, vocab, forceTok, banTok, k, outLogProb, outIds);
}

extern "C" __global__ void __launch_bounds__(256)
logsoftmax_topk32(const float* logits, long long ld, int vocab, const int* forceTok, const int* banTok, int k,
                  float* outLogProb, int* outIds) {
    logsoftmax_topk_impl<32>(logits, ld, vocab, forceTok, banTok, k, outLogProb, outIds);
}
