// Token embedding x scale + sinusoidal position embedding, into the fp32 residual stream; one block per token.
// Positions follow fairseq/M2M100: the host passes each token's position row (non-pad tokens start at
// padding_idx + 1); the row `paddingIdx` is all zeros. The table is [sin | cos] in two halves with
// frequency_k = exp(k * negLogTimescale), negLogTimescale = -ln(10000) / (d/2 - 1) rounded to fp32 on the
// host, computed in fp32 like the reference. An odd last column is zero.
#include "common.cuh"

template <typename T>
__device__ __forceinline__ void embed_impl(const int* ids, const int* positions, const T* table, int vocab,
                                           float scale, int d, int paddingIdx, float negLogTimescale,
                                           float* out, int ldo) {
    const long long t = blockIdx.x;
    const int id = ids[t];
    const int pos = positions[t];
    float* o = out + t * ldo;
    if (id < 0 || id >= vocab) {
        // The host validates ids; a bad one here must not read out of bounds, and must not pass unnoticed.
        for (int c = threadIdx.x; c < d; c += blockDim.x) o[c] = CUDART_NAN_F;
        return;
    }
    const T* e = table + (long long)id * d;
    const int half = d / 2;
    for (int c = threadIdx.x; c < d; c += blockDim.x) {
        float p = 0.0f;
        if (pos != paddingIdx && c < 2 * half) {
            const int k = c < half ? c : c - half;
            const float freq = expf((float)k * negLogTimescale);
            const float angle = (float)pos * freq;
            p = c < half ? sinf(angle) : cosf(angle);
        }
        o[c] = to_f32(e[c]) * scale + p;
    }
}

extern "C" __global__ void __launch_bounds__(1024)
embed_f32(const int* ids, const int* positions, const float* table, int vocab, float scale, int d,
          int paddingIdx, float negLogTimescale, float* out, int ldo) {
    embed_impl<float>(ids, positions, table, vocab, scale, d, paddingIdx, negLogTimescale, out, ldo);
}

extern "C" __global__ void __launch_bounds__(1024)
embed_f16(const int* ids, const int* positions, const __half* table, int vocab, float scale, int d,
          int paddingIdx, float negLogTimescale, float* out, int ldo) {
    embed_impl<__half>(ids, positions, table, vocab, scale, d, paddingIdx, negLogTimescale, out, ldo);
}
