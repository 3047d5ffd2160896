package dev.m2m100.engine.backend.cpu.gemm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Reusable per-thread buffers of one {@link WorkerPool} participant. They only grow, so steady-state calls
 * allocate nothing. Not thread-safe: used by exactly one participant at a time.
 */
public final class WorkerScratch {
    private static final long ALIGN = 64;

    private float[] floats = new float[0];
    private float[] general = new float[0];
    private float[] packed = new float[0];
    private long packedFor = -1;
    private boolean packedScaled;
    private float[] scaledRows = new float[0];
    private long scaledFor = -1;
    private boolean scaledFits;
    private final Gemm.LinearTask linearTask = new Gemm.LinearTask();
    private MemorySegment segment = MemorySegment.NULL;
    private MemorySegment accumulatorSegment = MemorySegment.NULL;

    WorkerScratch() {
    }

    /** The reusable argument holder of {@link Gemm#linear} (only participant 0's is used). */
    Gemm.LinearTask linearTask() {
        return linearTask;
    }

    /** A heap buffer of at least {@code n} floats (contents unspecified). */
    float[] accumulators(int n) {
        floats = atLeast(floats, n);
        return floats;
    }

    /**
     * A heap buffer of at least {@code n} floats (contents unspecified) for loops of the backend outside the GEMM,
     * such as attention scores; separate from the GEMM's own buffers.
     */
    public float[] floats(int n) {
        general = atLeast(general, n);
        return general;
    }

    /**
     * x[m][k] repacked for the 256-bit micro-kernels: rows in blocks of {@link Gemm#blockRows} (mr, the last ones shorter),
     * block starting at row r stored at {@code r*k} as [kk][rows of the block]. Consecutive broadcasts then
     * read consecutive floats instead of rows k apart (which also collide in the same L1 sets). Packed once
     * per call ({@link WorkerPool#callSequence()}): a worker running several chunks of one call reuses it.
     *
     * <p>With {@code scaleForF16}, x is multiplied by {@link Gemm#F16_SCALE} (2^112) if every |x| is below
     * {@link #SCALABLE_LIMIT} (checked in the same pass; otherwise it packs again unscaled); {@link #packedScaled()}
     * says which. The multiply is exact, and the f16 widening then leaves out its own multiply by 2^112: every
     * product is the same real number, so every FMA rounds alike.
     */
    float[] packedA(long call, float[] x, int xOffset, int m, int mr, int k, boolean scaleForF16) {
        if (packedFor == call) {
            return packed;
        }
        packed = atLeast(packed, m * k);
        packedScaled = scaleForF16 && pack(x, xOffset, m, mr, k, true);
        if (!packedScaled) {
            pack(x, xOffset, m, mr, k, false);
        }
        packedFor = call;
        return packed;
    }

    /**
     * x[m][k] times 2^112 in x's own row-major layout, for the 512-bit kernels (which read x's rows in place) over
     * f16 weights; null if some |x| is not below {@link #SCALABLE_LIMIT} (the caller then reads x unscaled and the
     * widening keeps its multiply). Computed once per call, like {@link #packedA}.
     */
    float[] scaledRows(long call, float[] x, int xOffset, int m, int k) {
        if (scaledFor != call) {
            scaledRows = atLeast(scaledRows, m * k);
            scaledFits = scale(x, xOffset, m * k);
            scaledFor = call;
        }
        return scaledFits ? scaledRows : null;
    }

    /** scaledRows[i] = x[xOffset + i] · 2^112 for n floats; false if some |x| is not below the limit (or NaN). */
    private boolean scale(float[] x, int xOffset, int n) {
        boolean fits = true;
        for (int i = 0; i < n; i++) {
            float v = x[xOffset + i];
            fits &= Math.abs(v) < SCALABLE_LIMIT;
            scaledRows[i] = v * Gemm.F16_SCALE;
        }
        return fits;
    }

    /** Whether the last {@link #packedA} holds x · 2^112. */
    boolean packedScaled() {
        return packedScaled;
    }

    /** Scaled values stay below 2^127 (no overflow), so x · 2^112 is exact. */
    static final float SCALABLE_LIMIT = 0x1p15f;

    /** Packs x, times 2^112 if {@code scaled}; false if scaled and some |x| is not below the limit. */
    private boolean pack(float[] x, int xOffset, int m, int mr, int k, boolean scaled) {
        boolean fits = true;
        for (int r = 0, rows; r < m; r += rows) {
            rows = Gemm.blockRows(m - r, mr);
            int base = r * k;
            for (int i = 0; i < rows; i++) {
                int src = xOffset + (r + i) * k;
                if (scaled) {
                    for (int kk = 0; kk < k; kk++) {
                        float v = x[src + kk];
                        fits &= Math.abs(v) < SCALABLE_LIMIT; // false for NaN too
                        packed[base + kk * rows + i] = v * Gemm.F16_SCALE;
                    }
                } else {
                    for (int kk = 0; kk < k; kk++) {
                        packed[base + kk * rows + i] = x[src + kk];
                    }
                }
            }
        }
        return fits;
    }

    /** A 64-byte-aligned native buffer of at least {@code bytes} bytes (contents unspecified). */
    public MemorySegment segment(long bytes) {
        segment = atLeast(segment, bytes);
        return segment;
    }

    /** A second native buffer like {@link #segment}: the 512-bit GEMM kernels' accumulators. */
    MemorySegment accumulatorSegment(long bytes) {
        accumulatorSegment = atLeast(accumulatorSegment, bytes);
        return accumulatorSegment;
    }

    /** {@code s} if it holds {@code bytes}, else a new 64-byte-aligned native buffer of at least bytes and 1.5× s. */
    private static MemorySegment atLeast(MemorySegment s, long bytes) {
        // Arena.ofAuto: the previous, smaller buffer is freed by the GC once unreachable.
        return s.byteSize() >= bytes ? s
                : Arena.ofAuto().allocate(Math.max(bytes, s.byteSize() + (s.byteSize() >> 1)), ALIGN);
    }

    /** {@code a} if it holds {@code n} floats, else a new array of at least n and 1.5× a's length (contents not kept). */
    private static float[] atLeast(float[] a, int n) {
        return a.length >= n ? a : new float[Math.max(n, a.length + (a.length >> 1))];
    }
}
