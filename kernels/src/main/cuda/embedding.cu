// Token embedding x scale + position embedding, into the fp32 residual stream; one block per token:
//   out[t, :] = table[ids[t], :] * scale + posTable[positionIds[t], :]
// Both tables are in the storage type. The position table is the model's sinusoidal table computed once on
// the host (fairseq layout, padding row zero), so the device adds exactly what the CPU backend adds.
// The host validates ids and position ids; an out-of-range one here writes NaN (never reads out of bounds).
#include "common.cuh"

template <typename T>
__device__ __forceinline__ void embed_impl(const int* ids, const int* positionIds, const T* table, int vocab,
                                           float scale, int d, const T* posTable, int posRows, float* out, int ldo) {
    const long long t = blockIdx.x;
    const int id = ids[t];
    const int pos = positionIds[t];
    float* o = out + t * ldo;
    if (id < 0 || id >= vocab || pos < 0 || pos >= posRows) {
        for (int c = threadIdx.x; c < d; c += blockDim.x) o[c] = CUDART_NAN_F;
        return;
    }
    const T* e = table + (long long)id * d;
    const T* p = posTable + (long long)pos * d;
    for (int c = threadIdx.x; c < d; c += blockDim.x) {
        o[c] = to_f32(e[c]) * scale + to_f32(p[c]);
    }
}

extern "C" __global__ void __launch_bounds__(1024)
embed_f32(const int* ids, const int* positionIds, const float* table, int vocab, float scale, int d,
          const float* posTable, int posRows, float* out, int ldo) {
    embed_impl<float>(ids, positionIds, table, vocab, scale, d, posTable, posRows, out, ldo);
}

extern "C" __global__ void __launch_bounds__(1024)
embed_f16(const int* ids, const int* positionIds, const __half* table, int vocab, float scale, int d,
          const __half* posTable, int posRows, float* out, int ldo) {
    embed_impl<__half>(ids, positionIds, table, vocab, scale, d, posTable, posRows, out, ldo);
}
