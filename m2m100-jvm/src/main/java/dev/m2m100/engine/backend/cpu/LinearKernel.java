package dev.m2m100.engine.backend.cpu;

import dev.m2m100.engine.backend.RawMatrix;
import dev.m2m100.engine.backend.Epilogue;

/**
 * The matrix multiply behind every linear layer of the CPU backend, kept behind this seam so that kernels can
 * be swapped ({@link GemmLinearKernel}: the optimized one; {@link VectorLinearKernel}: the plain reference).
 *
 * <p>Contract: {@code y[r][o] = Σ_k x[r·in + k] · W[o][k] + bias[o]}, then the epilogue into
 * {@code out[r·out + o]}. Each output element must be computed by the same sequence of floating-point
 * operations whatever {@code rows} is and wherever row r sits in the batch (a row's result must not depend on
 * its neighbours), and the result must not depend on the number of threads.
 */
public interface LinearKernel extends AutoCloseable {

    /** Prepares a row-major {@code [outFeatures][inFeatures]} weight once; the array is not used afterwards. */
    PackedWeight pack(float[] weight, int outFeatures, int inFeatures);

    /**
     * Like {@link #pack}, for the matrix whose rows are the blocks' rows in order (a fused projection such as
     * q|k|v), read from the checkpoint's bytes (by default via a float[] copy). The bytes are not used afterwards.
     */
    default PackedWeight pack(RawMatrix... rowBlocks) {
        return pack(RawMatrix.stackedToFloat(rowBlocks), RawMatrix.stackedRows(rowBlocks),
                RawMatrix.stackedCols(rowBlocks));
    }

    /** Like {@link #pack}, but stored as float32 whatever the kernel's storage format. */
    default PackedWeight packF32(float[] weight, int outFeatures, int inFeatures) {
        return pack(weight, outFeatures, inFeatures);
    }

    /** Like {@link #pack}, for the token embedding that is also the output projection (may be stored more precisely). */
    default PackedWeight packEmbedding(float[] weight, int outFeatures, int inFeatures) {
        return pack(weight, outFeatures, inFeatures);
    }

    /** {@link #packEmbedding(float[], int, int)} from the checkpoint's bytes (by default via a float[] copy). */
    default PackedWeight packEmbedding(RawMatrix raw) {
        return packEmbedding(raw.toFloat(), raw.rows(), raw.cols());
    }

    /**
     * Computes {@code rows} rows. {@code bias} may be null. With {@link Epilogue#RESIDUAL} the result is added
     * to what {@code out} holds. {@code x} and {@code out} must not overlap.
     */
    void apply(float[] x, int rows, PackedWeight w, float[] bias, Epilogue epilogue, float[] out);

    /** Frees what {@link #pack} allocated. */
    @Override
    default void close() {}
}
