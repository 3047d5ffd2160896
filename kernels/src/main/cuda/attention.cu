// Scaled dot-product attention, one query row per block and head: grid (numQueries, heads), blockDim a
// multiple of 32 and >= headDim (128 is the intended size), headDim <= blockDim.
//
// One kernel serves the three attentions of M2M100, because each query only needs "which key/value
// sequence, and how many of its positions":
//   encoder self-attention: query = a token of batch entry b, keys = the first len[b] tokens of entry b
//                           (right padding, so the padding mask is a length);
//   decoder self-attention: query = a row's newest token, keys = that row's KV cache, len = its length
//                           (the new token's K/V were scattered into the cache first, so causality holds);
//   cross-attention:        query = a decoder row, keys = its source's cached encoder K/V, len = source length.
// Keys/values of sequence s, position j, head h live at  base + s*seqStride + j*tokStride + h*headDim.
// Queries at q + i*ldq + h*headDim, output at out + i*ldo + h*headDim. Scores, softmax and the weighted sum
// are fp32; q is multiplied by `scale` (head_dim^-0.5) as the reference does after the projection.
//
// Dynamic shared memory: (32 + headDim + blockDim + scoreCapacity) floats. A length above scoreCapacity
// traps (the launch fails and the host reports it) instead of overrunning shared memory.
#include "common.cuh"

template <typename T>
__device__ __forceinline__ void attention_impl(const T* q, int ldq, const T* k, const T* v, long long seqStride,
                                               int tokStride, const int* kvSeq, const int* kvLen, T* out, int ldo,
                                               int headDim, float scale, int scoreCapacity) {
    extern __shared__ float smem[];
    float* scratch = smem;                        // 32
    float* qs = scratch + 32;                     // headDim
    float* partial = qs + headDim;                // blockDim
    float* scores = partial + blockDim.x;         // scoreCapacity

    const long long qi = blockIdx.x;
    const int h = blockIdx.y;
    const int len = kvLen[qi];
    const long long seq = kvSeq[qi];
    if (len > scoreCapacity || headDim > (int)blockDim.x) __trap();
    T* o = out + qi * ldo + (long long)h * headDim;
    if (len <= 0) {
        for (int d = threadIdx.x; d < headDim; d += blockDim.x) o[d] = from_f32<T>(0.0f);
        return;
    }
    const T* qp = q + qi * ldq + (long long)h * headDim;
    for (int d = threadIdx.x; d < headDim; d += blockDim.x) qs[d] = to_f32(qp[d]) * scale;
    __syncthreads();

    const T* kb = k + seq * seqStride + (long long)h * headDim;
    const T* vb = v + seq * seqStride + (long long)h * headDim;
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, nwarps = blockDim.x >> 5;
    // One warp per key: lanes split the head dimension, so a key row is read coalesced.
    for (int j = warp; j < len; j += nwarps) {
        const T* kr = kb + (long long)j * tokStride;
        float s = 0.0f;
        for (int d = lane; d < headDim; d += 32) s += qs[d] * to_f32(kr[d]);
        s = warp_sum(s);
        if (lane == 0) scores[j] = s;
    }
    __syncthreads();

    float m = -CUDART_INF_F;
    for (int j = threadIdx.x; j < len; j += blockDim.x) m = fmaxf(m, scores[j]);
    m = block_max(m, scratch);
    float sum = 0.0f;
    for (int j = threadIdx.x; j < len; j += blockDim.x) {
        const float p = expf(scores[j] - m);
        scores[j] = p;
        sum += p;
    }
    sum = block_sum(sum, scratch);   // its barriers also publish the probabilities written above

    // Weighted sum of values: thread t takes column t % headDim of every (blockDim/headDim)-th key.
    const int groups = blockDim.x / headDim;
    const int g = threadIdx.x / headDim, d = threadIdx.x - g * headDim;
    if (g < groups) {
        float acc = 0.0f;
        for (int j = g; j < len; j += groups) acc += scores[j] * to_f32(vb[(long long)j * tokStride + d]);
        partial[threadIdx.x] = acc;
    }
    __syncthreads();
    if (threadIdx.x < headDim) {
        float acc = 0.0f;
        for (int gg = 0; gg < groups; ++gg) acc += partial[gg * headDim + threadIdx.x];
        o[threadIdx.x] = from_f32<T>(acc / sum);
    }
}

extern "C" __global__ void __launch_bounds__(1024)
attention_f32(const float* q, int ldq, const float* k, const float* v, long long seqStride, int tokStride,
              const int* kvSeq, const int* kvLen, float* out, int ldo, int headDim, float scale, int scoreCapacity) {
    attention_impl<float>(q, ldq, k, v, seqStride, tokStride, kvSeq, kvLen, out, ldo, headDim, scale, scoreCapacity);
}

extern "C" __global__ void __launch_bounds__(1024)
attention_f16(const __half* q, int ldq, const __half* k, const __half* v, long long seqStride, int tokStride,
              const int* kvSeq, const int* kvLen, __half* out, int ldo, int headDim, float scale, int scoreCapacity) {
    attention_impl<__half>(q, ldq, k, v, seqStride, tokStride, kvSeq, kvLen, out, ldo, headDim, scale, scoreCapacity);
}
