// KV-cache maintenance.
//
// scatter_rows: row i of a dense GEMM result (src + i*lds, `width` elements) goes to
//   dst + dstSeq[i]*seqStride + dstPos[i]*tokStride — appending a decoder step's K/V to each row's cache,
//   or filling a source's cross-attention K/V from the encoder output. Grid: numRows, any blockDim.
//
// copy_cache_rows: beam reordering, and moving a cache into a larger layout when it grows. For pair i and
//   plane p (a plane is one layer's K or V block), the first len[i] positions of sequence from[i] in `src`
//   are copied to sequence to[i] in `dst`; source and destination have their own plane and sequence strides
//   (a grown cache has longer planes). src may equal dst when no sequence is both a source and a target (the
//   scheduler's row reordering guarantees that); otherwise the host stages through a scratch buffer.
//   Grid: (numPairs, planes).
#include "common.cuh"

template <typename T>
__device__ __forceinline__ void scatter_rows_impl(const T* src, int lds, T* dst, long long seqStride, int tokStride,
                                                  const int* dstSeq, const int* dstPos, int width) {
    const long long i = blockIdx.x;
    const T* s = src + i * lds;
    T* d = dst + (long long)dstSeq[i] * seqStride + (long long)dstPos[i] * tokStride;
    for (int c = threadIdx.x; c < width; c += blockDim.x) d[c] = s[c];
}

template <typename T>
__device__ __forceinline__ void copy_cache_rows_impl(const T* src, long long srcPlaneStride, long long srcSeqStride,
                                                     T* dst, long long dstPlaneStride, long long dstSeqStride,
                                                     int tokStride, const int* from, const int* to, const int* len,
                                                     int width) {
    const int i = blockIdx.x;
    const long long plane = blockIdx.y;
    const T* s = src + plane * srcPlaneStride + (long long)from[i] * srcSeqStride;
    T* d = dst + plane * dstPlaneStride + (long long)to[i] * dstSeqStride;
    const long long total = (long long)len[i] * width;
    for (long long e = threadIdx.x; e < total; e += blockDim.x) {
        const long long p = e / width;
        const long long c = e - p * width;
        d[p * tokStride + c] = s[p * tokStride + c];
    }
}

extern "C" __global__ void scatter_rows_f32(const float* src, int lds, float* dst, long long seqStride, int tokStride,
                                            const int* dstSeq, const int* dstPos, int width) {
    scatter_rows_impl<float>(src, lds, dst, seqStride, tokStride, dstSeq, dstPos, width);
}

extern "C" __global__ void scatter_rows_f16(const __half* src, int lds, __half* dst, long long seqStride, int tokStride,
                                            const int* dstSeq, const int* dstPos, int width) {
    scatter_rows_impl<__half>(src, lds, dst, seqStride, tokStride, dstSeq, dstPos, width);
}

extern "C" __global__ void copy_cache_rows_f32(const float* src, long long srcPlaneStride, long long srcSeqStride,
                                               float* dst, long long dstPlaneStride, long long dstSeqStride,
                                               int tokStride, const int* from, const int* to, const int* len, int width) {
    copy_cache_rows_impl<float>(src, srcPlaneStride, srcSeqStride, dst, dstPlaneStride, dstSeqStride, tokStride, from,
                                to, len, width);
}

extern "C" __global__ void copy_cache_rows_f16(const __half* src, long long srcPlaneStride, long long srcSeqStride,
                                               __half* dst, long long dstPlaneStride, long long dstSeqStride,
                                               int tokStride, const int* from, const int* to, const int* len, int width) {
    copy_cache_rows_impl<__half>(src, srcPlaneStride, srcSeqStride, dst, dstPlaneStride, dstSeqStride, tokStride, from,
                                 to, len, width);
}
