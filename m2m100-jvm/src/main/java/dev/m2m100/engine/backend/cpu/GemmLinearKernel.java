package dev.m2m100.engine.backend.cpu;

import dev.m2m100.engine.backend.Epilogue;
import dev.m2m100.engine.backend.RawMatrix;
import dev.m2m100.engine.backend.WeightRole;
import dev.m2m100.engine.backend.cpu.gemm.Gemm;
import dev.m2m100.engine.backend.cpu.gemm.PackedWeights;
import dev.m2m100.engine.backend.cpu.gemm.VectorWidth;
import dev.m2m100.engine.backend.cpu.gemm.WeightFormat;
import dev.m2m100.engine.backend.cpu.gemm.WorkerPool;
import java.lang.foreign.Arena;

/**
 * The optimized kernel of the {@code gemm} package: weights repacked off-heap into panels in a chosen storage
 * format (f32, bf16, f16, int8; widened to f32 in registers), register-blocked micro-kernels, fused epilogue.
 */
public final class GemmLinearKernel implements LinearKernel {

    private final WorkerPool pool;
    private final WeightFormat format;
    private final VectorWidth.Choice vectors;
    private final Arena arena = Arena.ofShared();

    private record Packed(PackedWeights w) implements PackedWeight {
        @Override
        public int outFeatures() {
            return w.n();
        }

        @Override
        public int inFeatures() {
            return w.k();
        }

        @Override
        public void readRow(int row, float[] dst, int off) {
            w.readRow(row, dst, off);
        }
    }

    public GemmLinearKernel(WorkerPool pool, WeightFormat format) {
        this(pool, format, VectorWidth.processChoice());
    }

    /** With the multi-row kernels at {@code width} for every format, not the process's choice (tests run both). */
    public GemmLinearKernel(WorkerPool pool, WeightFormat format, VectorWidth width) {
        this(pool, format, VectorWidth.Choice.of(java.util.Objects.requireNonNull(width, "width"), "fixed"));
    }

    private GemmLinearKernel(WorkerPool pool, WeightFormat format, VectorWidth.Choice vectors) {
        this.pool = pool;
        this.format = format;
        this.vectors = vectors;
    }

    public WeightFormat format() {
        return format;
    }

    /**
     * Packed row by row straight from the blocks' bytes (no float[] copy of the matrix on the heap): LINEAR in the
     * kernel's format, EXACT in f32, EMBEDDING as {@link #embeddingFormat} decides.
     */
    @Override
    public PackedWeight pack(WeightRole role, RawMatrix... rowBlocks) {
        int rows = RawMatrix.stackedRows(rowBlocks);
        int cols = RawMatrix.stackedCols(rowBlocks);
        WeightFormat storage = switch (role) {
            case LINEAR -> format;
            case EXACT -> WeightFormat.F32;
            case EMBEDDING -> embeddingFormat(rowBlocks);
        };
        if (rowBlocks.length == 1) {
            RawMatrix raw = rowBlocks[0];
            WeightFormat src = switch (raw.encoding()) {
                case F32 -> WeightFormat.F32;
                case F16 -> WeightFormat.F16;
                case BF16 -> WeightFormat.BF16;
            };
            return new Packed(PackedWeights.pack(raw.bytes(), src, rows, cols, storage, arena, pool));
        }
        RawMatrix[] blocks = rowBlocks.clone();
        PackedWeights.RowSource source = (j, row) -> {
            int r = j;
            int b = 0;
            while (r >= blocks[b].rows()) {
                r -= blocks[b].rows();
                b++;
            }
            blocks[b].readRow(r, row, 0);
        };
        return new Packed(PackedWeights.pack(source, rows, cols, storage, arena, pool));
    }

    /**
     * bf16 keeps 8 significant bits, f16 11 in the same two bytes: with bf16 storage the tied embedding (which is
     * also the output projection, whose rounding goes straight into the logits) is stored as f16 instead, or as
     * f32 if a value does not fit f16's range. Other formats store it like every other weight.
     */
    private WeightFormat embeddingFormat(RawMatrix... blocks) {
        if (format != WeightFormat.BF16) {
            return format;
        }
        for (RawMatrix raw : blocks) {
            if (!fitsF16(raw)) {
                return WeightFormat.F32;
            }
        }
        return WeightFormat.F16;
    }

    private static boolean fitsF16(RawMatrix raw) {
        long n = (long) raw.rows() * raw.cols();
        for (long i = 0; i < n; i++) {
            if (!(Math.abs(raw.get(i)) <= 65504f)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void apply(float[] x, int rows, PackedWeight w, float[] bias, Epilogue epilogue, float[] out) {
        PackedWeights p = ((Packed) w).w();
        VectorWidth width = vectors.width();
        int blockRows = vectors.blockRows();
        switch (epilogue) {
            case NONE -> Gemm.linear(width, blockRows, pool, x, 0, rows, p, bias,
                    dev.m2m100.engine.backend.cpu.gemm.Epilogue.NONE, null, 0, out, 0);
            case RELU -> Gemm.linear(width, blockRows, pool, x, 0, rows, p, bias,
                    dev.m2m100.engine.backend.cpu.gemm.Epilogue.RELU, null, 0, out, 0);
            case RESIDUAL -> Gemm.linear(width, blockRows, pool, x, 0, rows, p, bias,
                    dev.m2m100.engine.backend.cpu.gemm.Epilogue.NONE, out, 0, out, 0);
        }
    }

    @Override
    public void close() {
        arena.close();
    }
}
