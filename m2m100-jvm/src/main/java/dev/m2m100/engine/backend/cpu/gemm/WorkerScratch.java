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
    private MemorySegment segment = MemorySegment.NULL;

    WorkerScratch() {
    }

    /** A heap buffer of at least {@code n} floats (contents unspecified). */
    public float[] floats(int n) {
        if (floats.length < n) {
            floats = new float[Math.max(n, floats.length + (floats.length >> 1))];
        }
        return floats;
    }

    /** A 64-byte-aligned native buffer of at least {@code bytes} bytes (contents unspecified). */
    public MemorySegment segment(long bytes) {
        if (segment.byteSize() < bytes) {
            // Arena.ofAuto: the previous, smaller buffer is freed by the GC once unreachable.
            segment = Arena.ofAuto().allocate(Math.max(bytes, segment.byteSize() + (segment.byteSize() >> 1)), ALIGN);
        }
        return segment;
    }
}
