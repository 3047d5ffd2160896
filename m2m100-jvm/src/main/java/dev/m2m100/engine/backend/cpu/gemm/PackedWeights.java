package dev.m2m100.engine.backend.cpu.gemm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * A weight matrix W[n][k] (row-major, as {@code nn.Linear} stores it: out_features × in_features) repacked
 * once, off-heap, for {@link Gemm}. Layout: column panels of {@link #NR} output channels; panel {@code p}
 * holds, for every {@code kk} in order, the {@code NR} weights {@code W[p*NR + 0..NR-1][kk]} contiguously
 * (zero-padded past {@code n}), so a micro-kernel streams one panel linearly. Within a k step, F32 is in
 * column order; BF16/F16 interleave columns (c0, c8, c1, c9, …) so that one 32-bit lane holds columns l and
 * l+8; INT8 groups two k steps per 32 bytes (lane l: (kk,l), (kk,l+8), (kk+1,l), (kk+1,l+8); k padded to
 * even). See {@link #storedIndex}. INT8 keeps one f32 scale per output channel ({@code max|w| / 127}); the
 * stored value is {@code rint(w / scale)} clamped to ±127.
 *
 * <p>The memory belongs to the {@link Arena} given to {@code pack}, which must be shared (the pool's threads
 * read it); the object is immutable and thread-safe.
 */
public final class PackedWeights {
    /** Output channels per panel: two 8-lane f32 vectors. */
    public static final int NR = 16;

    private static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final long ALIGN = 64;
    /** Never started; only asked whether another thread could read a segment. */
    private static final Thread ACCESS_PROBE = Thread.ofPlatform().unstarted(() -> { });

    private final int n;
    private final int k;
    private final int kStored;
    private final WeightFormat format;
    private final MemorySegment data;
    private final float[] scales;

    private PackedWeights(int n, int k, WeightFormat format, MemorySegment data, float[] scales) {
        this.n = n;
        this.k = k;
        this.kStored = storedSteps(k, format);
        this.format = format;
        this.data = data;
        this.scales = scales;
    }

    /**
     * Packs a row-major W[n][k] stored in {@code src} (little-endian, e.g. a memory-mapped safetensors
     * region) as {@code srcFormat} (F32, BF16 or F16) into {@code format}.
     *
     * @param pool parallelises the packing; may be null (packs on the calling thread)
     */
    public static PackedWeights pack(MemorySegment src, WeightFormat srcFormat, int n, int k, WeightFormat format,
                                     Arena arena, WorkerPool pool) {
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(srcFormat, "srcFormat");
        checkShape(n, k);
        if (srcFormat == WeightFormat.INT8) {
            throw new IllegalArgumentException("source weights must be F32, BF16 or F16, not INT8");
        }
        long need = (long) n * k * srcFormat.bytesPerWeight();
        if (src.byteSize() < need) {
            throw new IllegalArgumentException("weight segment holds " + src.byteSize() + " bytes but W[" + n + "][" + k
                    + "] as " + srcFormat + " needs " + need);
        }
        return packRows(n, k, format, arena, pool, (j, row) -> readRow(src, srcFormat, j, k, row));
    }

    /** Packs a row-major W[n][k] held in {@code w} starting at {@code offset}. */
    public static PackedWeights pack(float[] w, int offset, int n, int k, WeightFormat format, Arena arena,
                                     WorkerPool pool) {
        Objects.requireNonNull(w, "w");
        checkShape(n, k);
        if (offset < 0 || (long) offset + (long) n * k > w.length) {
            throw new IllegalArgumentException("weight array of length " + w.length + " cannot hold W[" + n + "][" + k
                    + "] at offset " + offset);
        }
        return packRows(n, k, format, arena, pool, (j, row) -> System.arraycopy(w, offset + j * k, row, 0, k));
    }

    /**
     * Packs W[n][k] read row by row from {@code rows} (e.g. several checkpoint tensors stacked, converted on the
     * fly): no full-size copy of W is ever made.
     */
    public static PackedWeights pack(RowSource rows, int n, int k, WeightFormat format, Arena arena, WorkerPool pool) {
        Objects.requireNonNull(rows, "rows");
        checkShape(n, k);
        return packRows(n, k, format, arena, pool, rows);
    }

    /** Output channels (rows of W). */
    public int n() {
        return n;
    }

    /** Input features (columns of W). */
    public int k() {
        return k;
    }

    public WeightFormat format() {
        return format;
    }

    /** k steps stored per panel: k, rounded up to even for INT8. */
    int kStored() {
        return kStored;
    }

    private static int storedSteps(int k, WeightFormat format) {
        return format == WeightFormat.INT8 ? k + (k & 1) : k;
    }

    /** Position (in elements) of W[p*NR + jj][kk] relative to the start of panel p. */
    static int storedIndex(WeightFormat format, int kk, int jj) {
        return switch (format) {
            case F32 -> kk * NR + jj;
            case BF16, F16 -> kk * NR + 2 * (jj % 8) + jj / 8;
            case INT8 -> (kk >> 1) * 32 + (jj % 8) * 4 + (kk & 1) * 2 + jj / 8;
        };
    }

    /** Number of {@link #NR}-wide panels. */
    public int panels() {
        return (n + NR - 1) / NR;
    }

    /** Off-heap bytes of the packed weights plus the INT8 scales. */
    public long byteSize() {
        return data.byteSize() + (scales == null ? 0 : 4L * scales.length);
    }

    /** Bytes a kernel streams per full pass over the weights (what bounds GEMV speed). */
    public long streamedBytes() {
        return byteSize();
    }

    /** Decodes row {@code j} of W (output channel j) as f32 (INT8: q * scale) into {@code dst[off..off+k)}. */
    public void readRow(int j, float[] dst, int off) {
        Objects.checkIndex(j, n);
        Objects.checkFromIndexSize(off, k, dst.length);
        int p = j / NR;
        int jj = j % NR;
        long panel = (long) p * kStored * NR;
        for (int kk = 0; kk < k; kk++) {
            dst[off + kk] = element(panel + storedIndex(format, kk, jj), j);
        }
    }

    MemorySegment data() {
        return data;
    }

    /** Per-channel scales padded to {@code panels() * NR} (zeros past n); null unless INT8. */
    float[] scales() {
        return scales;
    }

    private float element(long index, int j) {
        return switch (format) {
            case F32 -> data.get(F32_LE, index * 4);
            case BF16 -> Float.intBitsToFloat((data.get(I16_LE, index * 2) & 0xffff) << 16);
            case F16 -> Float.float16ToFloat(data.get(I16_LE, index * 2));
            case INT8 -> data.get(ValueLayout.JAVA_BYTE, index) * scales[j];
        };
    }

    @Override
    public String toString() {
        return "PackedWeights[n=" + n + ", k=" + k + ", " + format + ", " + byteSize() + " bytes]";
    }

    // ---------------------------------------------------------------------------------------------- packing

    /** Where {@link #pack(RowSource, int, int, WeightFormat, Arena, WorkerPool)} reads W from, one row at a time. */
    @FunctionalInterface
    public interface RowSource {
        /** Writes row {@code j} of W ({@code k} values) into {@code row}; called from the pool's threads. */
        void read(int j, float[] row);
    }

    private static void checkShape(int n, int k) {
        if (n < 1 || k < 1) {
            throw new IllegalArgumentException("weight shape must be positive, got W[" + n + "][" + k + "]");
        }
        if (k > Integer.MAX_VALUE / (NR * 4)) {
            throw new IllegalArgumentException("weight W[" + n + "][" + k + "] is too large");
        }
    }

    private static PackedWeights packRows(int n, int k, WeightFormat format, Arena arena, WorkerPool pool,
                                          RowSource rows) {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(arena, "arena");
        int panels = (n + NR - 1) / NR;
        int kStored = storedSteps(k, format);
        long panelBytes = (long) kStored * NR * format.bytesPerWeight();
        MemorySegment data = WeightMemory.allocate(arena, panelBytes * panels, ALIGN);
        if (!data.isAccessibleBy(ACCESS_PROBE)) {
            throw new IllegalArgumentException("PackedWeights needs a shared arena (Arena.ofShared(), ofAuto() or "
                    + "global()): the pool's threads read the weights");
        }
        float[] scales = format == WeightFormat.INT8 ? new float[panels * NR] : null;
        WorkerPool.RangeTask task = (worker, from, to) -> {
            float[] row = new float[k];
            float[] panel = new float[kStored * NR];
            short[] halves = format == WeightFormat.BF16 || format == WeightFormat.F16 ? new short[kStored * NR] : null;
            byte[] bytes = format == WeightFormat.INT8 ? new byte[kStored * NR] : null;
            for (int p = from; p < to; p++) {
                packPanel(p, n, k, format, rows, row, panel, halves, bytes, scales, data.asSlice(p * panelBytes, panelBytes));
            }
        };
        if (pool == null) {
            task.run(0, 0, panels);
        } else {
            pool.parallelFor(panels, Math.max(1, panels / (pool.parallelism() * 8)), task);
        }
        return new PackedWeights(n, k, format, data, scales);
    }

    private static void packPanel(int p, int n, int k, WeightFormat format, RowSource rows, float[] row,
                                  float[] panel, short[] halves, byte[] bytes, float[] scales, MemorySegment dst) {
        java.util.Arrays.fill(panel, 0f);
        if (bytes != null) {
            java.util.Arrays.fill(bytes, (byte) 0); // padding channels of a tail panel must be zero
        }
        for (int jj = 0; jj < NR; jj++) {
            int j = p * NR + jj;
            if (j >= n) {
                break;
            }
            rows.read(j, row);
            float scale = 1f;
            if (format == WeightFormat.INT8) {
                float max = 0f;
                for (int kk = 0; kk < k; kk++) {
                    float a = Math.abs(row[kk]);
                    if (!(a <= Float.MAX_VALUE)) {
                        throw new IllegalArgumentException("weight row " + j + " has a non-finite value at column " + kk);
                    }
                    max = Math.max(max, a);
                }
                scale = max / 127f;
                scales[j] = scale;
            }
            for (int kk = 0; kk < k; kk++) {
                panel[storedIndex(format, kk, jj)] = row[kk];
            }
            if (format == WeightFormat.INT8) {
                for (int kk = 0; kk < k; kk++) {
                    float q = scale == 0f ? 0f : (float) Math.rint(row[kk] / scale);
                    bytes[storedIndex(format, kk, jj)] = (byte) Math.max(-127, Math.min(127, (int) q));
                }
            }
        }
        switch (format) {
            case F32 -> MemorySegment.copy(panel, 0, dst, F32_LE, 0, panel.length);
            case BF16 -> {
                for (int i = 0; i < panel.length; i++) {
                    halves[i] = toBf16(panel[i]);
                }
                MemorySegment.copy(halves, 0, dst, I16_LE, 0, halves.length);
            }
            case F16 -> {
                for (int i = 0; i < panel.length; i++) {
                    short h = Float.floatToFloat16(panel[i]);
                    if ((h & 0x7c00) == 0x7c00) {
                        int q = i % NR;
                        int j = p * NR + q / 2 + (q % 2) * 8;
                        throw new IllegalArgumentException("weight row " + j + " column " + i / NR + " (" + panel[i]
                                + ") is not a finite f16 value");
                    }
                    halves[i] = h;
                }
                MemorySegment.copy(halves, 0, dst, I16_LE, 0, halves.length);
            }
            case INT8 -> MemorySegment.copy(bytes, 0, dst, ValueLayout.JAVA_BYTE, 0, bytes.length);
        }
    }

    /** f32 → bf16 with round-to-nearest-even (NaN stays NaN). */
    static short toBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        return (short) ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16);
    }

    private static void readRow(MemorySegment src, WeightFormat srcFormat, int j, int k, float[] row) {
        long off = (long) j * k * srcFormat.bytesPerWeight();
        switch (srcFormat) {
            case F32 -> MemorySegment.copy(src, F32_LE, off, row, 0, k);
            case BF16 -> {
                for (int kk = 0; kk < k; kk++) {
                    row[kk] = Float.intBitsToFloat((src.get(I16_LE, off + 2L * kk) & 0xffff) << 16);
                }
            }
            case F16 -> {
                for (int kk = 0; kk < k; kk++) {
                    row[kk] = Float.float16ToFloat(src.get(I16_LE, off + 2L * kk));
                }
            }
            case INT8 -> throw new IllegalArgumentException("INT8 is not a source format");
        }
    }
}
