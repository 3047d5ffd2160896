package dev.m2m100.engine.backend.cuda;

/**
 * Where queries, keys/values and outputs live for {@link CudaKernels#attention}, in elements. Query i, head h
 * is at {@code q + i*ldq + h*headDim}; key/value position j of sequence s at
 * {@code k + s*seqStride + j*tokStride + h*headDim}; output at {@code out + i*ldo + h*headDim}.
 */
public record AttentionLayout(int heads, int headDim, int ldq, long seqStride, int tokStride, int ldo) {

    public AttentionLayout {
        if (heads < 1 || headDim < 1 || headDim > CudaKernels.ATTENTION_THREADS) {
            throw new IllegalArgumentException("attention needs heads >= 1 and 1 <= headDim <= "
                    + CudaKernels.ATTENTION_THREADS + ": heads=" + heads + " headDim=" + headDim);
        }
        long width = (long) heads * headDim;
        if (ldq < width || ldo < width || tokStride < width || seqStride < 0) {
            throw new IllegalArgumentException("attention strides smaller than heads*headDim=" + width + ": ldq="
                    + ldq + " ldo=" + ldo + " tokStride=" + tokStride + " seqStride=" + seqStride);
        }
    }

    /**
     * Elements from the start of k/v that query i's keys reach at most: the largest
     * {@code kvSeq[i]*seqStride + (kvLen[i]-1)*tokStride + heads*headDim} over rows with kvLen[i] > 0.
     * Negative sequence indices or lengths are rejected here, on the host.
     */
    public long extent(int[] kvSeq, int[] kvLen) {
        if (kvSeq.length != kvLen.length) {
            throw new IllegalArgumentException("attention: " + kvSeq.length + " sequence indices for "
                    + kvLen.length + " lengths");
        }
        long width = (long) heads * headDim;
        long max = width;
        for (int i = 0; i < kvSeq.length; i++) {
            if (kvSeq[i] < 0 || kvLen[i] < 0) {
                throw new IllegalArgumentException("attention row " + i + ": sequence " + kvSeq[i] + ", length "
                        + kvLen[i]);
            }
            if (kvLen[i] > 0) {
                max = Math.max(max, kvSeq[i] * seqStride + (long) (kvLen[i] - 1) * tokStride + width);
            }
        }
        return max;
    }

    /** Dense [tokens, heads*headDim] queries/outputs and a [sequences, maxLen, heads*headDim] key/value block. */
    public static AttentionLayout dense(int heads, int headDim, int maxLen) {
        int width = heads * headDim;
        return new AttentionLayout(heads, headDim, width, (long) maxLen * width, width, width);
    }
}
