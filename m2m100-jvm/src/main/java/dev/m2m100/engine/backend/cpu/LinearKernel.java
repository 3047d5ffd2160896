package dev.m2m100.engine.backend.cpu;

import dev.m2m100.engine.backend.RawMatrix;
import dev.m2m100.engine.backend.Epilogue;
import dev.m2m100.engine.backend.WeightRole;

/**
 * The matrix multiply behind every linear layer of the CPU backend, kept behind this seam so that kernels can
 * be swapped ({@link GemmLinearKernel}: the one the backend uses; the tests' {@code VectorLinearKernel}: a plain
 * reference to check it against).
 *
 * <p>Contract: {@code y[r][o] = Σ_k x[r·in + k] · W[o][k] + bias[o]}, then the epilogue into
 * {@code out[r·out + o]}. Each output element must be computed by the same sequence of floating-point
 * operations whatever {@code rows} is and wherever row r sits in the batch (a row's result must not depend on
 * its neighbours), and the result must not depend on the number of threads.
 */
public interface LinearKernel extends AutoCloseable {

    /**
     * Prepares the {@code [outFeatures][inFeatures]} weight whose rows are the blocks' rows in order (one block, or
     * a fused projection such as q|k|v), read from their bytes, in the storage the role asks for (see
     * {@link WeightRole}). The bytes are not used afterwards.
     */
    PackedWeight pack(WeightRole role, RawMatrix... rowBlocks);

    /**
     * Computes {@code rows} rows. {@code bias} may be null. With {@link Epilogue#RESIDUAL} the result is added
     * to what {@code out} holds. {@code x} and {@code out} must not overlap.
     */
    void apply(float[] x, int rows, PackedWeight w, float[] bias, Epilogue epilogue, float[] out);

    /** Frees what {@link #pack} allocated. */
    @Override
    default void close() {}
}
