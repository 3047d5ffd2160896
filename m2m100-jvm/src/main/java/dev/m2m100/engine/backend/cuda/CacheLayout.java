package dev.m2m100.engine.backend.cuda;

/**
 * Where a cache-shaped block keeps its elements: {@code sequences} sequences of {@code planes} planes (a layer's
 * keys or values) of up to {@code maxLen} positions; element {@code c} of position {@code j} of plane {@code p} of
 * sequence {@code s} is at {@code s·seqStride + p·planeStride + j·tokStride + c}.
 */
record CacheLayout(int sequences, int planes, long seqStride, long planeStride, int tokStride, int maxLen) {

    CacheLayout {
        if (sequences < 1 || planes < 1 || maxLen < 1 || tokStride < 1 || planeStride < 0 || seqStride < 0) {
            throw new IllegalArgumentException("bad cache layout " + sequences + " sequences x " + planes + " planes x "
                    + maxLen + " positions (strides " + seqStride + ", " + planeStride + ", " + tokStride + ")");
        }
    }

    /** Elements from the start of the block to the end of the last position's {@code width} elements. */
    long extent(int width) {
        return (sequences - 1) * seqStride + (planes - 1) * planeStride + (long) (maxLen - 1) * tokStride + width;
    }
}
