package dev.m2m100.tools.bench;

import dev.m2m100.engine.backend.WeightDType;
import dev.m2m100.engine.backend.cpu.gemm.WorkerPool;
import dev.m2m100.engine.config.ModelConfig;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The memory floor of a batch-1 decoder step: every decoder weight (self-attention q/k/v/o, cross-attention
 * q/o — the cross keys/values are computed once per source —, both feed-forward matrices, the tied output
 * projection) is read once per step, so a step cannot take less than weight bytes ÷ DRAM bandwidth. The
 * bandwidth is measured here with a streaming read over a buffer much larger than the caches, spread over a
 * pool of the same size as the model's.
 */
public final class MemoryFloor {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    private static final int CHUNKS = 1024;

    private MemoryFloor() {}

    /** Bytes per stored weight of a CPU weight format (int8 per-row scales and all biases ignored: &lt; 0.1%). */
    public static double bytesPerWeight(WeightDType dtype) {
        return switch (dtype) {
            case F32 -> 4;
            case BF16, F16 -> 2;
            case INT8 -> 1;
            case AUTO -> throw new IllegalArgumentException("dtype auto must be resolved (see Placement)");
        };
    }

    /** Weight matrix elements a batch-1 decoder step reads (biases and norms excluded). */
    public static long decoderWeightsPerStep(ModelConfig c) {
        long d = c.dModel();
        long perLayer = 6 * d * d + 2 * d * c.decoderFfnDim();
        return c.decoderLayers() * perLayer + (long) c.vocabSize() * d;
    }

    /** Median streaming-read bandwidth in bytes/s over {@code reps} passes of a {@code bytes} buffer. */
    public static double measureBandwidth(int threads, long bytes, int reps) {
        try (WorkerPool pool = new WorkerPool(threads)) {
            return bytesPerPass(bytes) / median(streamingReadSeconds(pool, bytes, reps));
        }
    }

    /** The bytes one pass of {@link #streamingReadSeconds} reads from a {@code bytes} buffer. */
    public static long bytesPerPass(long bytes) {
        return chunkBytes(bytes) * CHUNKS;
    }

    /** A chunk of the pass: a whole number of the 128-byte steps the read loop takes. */
    private static long chunkBytes(long bytes) {
        return bytes / CHUNKS / 128 * 128;
    }

    /**
     * Seconds of each of {@code reps} streaming-read passes over a {@code bytes} off-heap buffer, split over the
     * pool's workers (each byte read once per pass); an untimed first pass warms up the JIT and the pages.
     */
    public static double[] streamingReadSeconds(WorkerPool pool, long bytes, int reps) {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment buf = arena.allocate(bytes, 64);
            buf.fill((byte) 1);
            long chunkBytes = chunkBytes(bytes);
            double[] sink = new double[pool.parallelism()];
            MemorySegment shared = buf.asReadOnly();
            double[] seconds = new double[reps + 1];
            for (int r = 0; r <= reps; r++) {
                long t0 = System.nanoTime();
                pool.parallelFor(CHUNKS, Math.max(1, CHUNKS / (pool.parallelism() * 8)), (worker, from, to) -> {
                    FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
                    for (long off = from * chunkBytes; off < to * chunkBytes; off += 128) {
                        a0 = a0.add(FloatVector.fromMemorySegment(S, shared, off, ByteOrder.LITTLE_ENDIAN));
                        a1 = a1.add(FloatVector.fromMemorySegment(S, shared, off + 32, ByteOrder.LITTLE_ENDIAN));
                        a2 = a2.add(FloatVector.fromMemorySegment(S, shared, off + 64, ByteOrder.LITTLE_ENDIAN));
                        a3 = a3.add(FloatVector.fromMemorySegment(S, shared, off + 96, ByteOrder.LITTLE_ENDIAN));
                    }
                    sink[worker] += a0.add(a1).add(a2).add(a3).reduceLanes(VectorOperators.ADD);
                });
                seconds[r] = (System.nanoTime() - t0) / 1e9;
            }
            if (Arrays.stream(sink).sum() <= 0) {
                throw new IllegalStateException("bandwidth probe read nothing");
            }
            return Arrays.copyOfRange(seconds, 1, seconds.length);
        }
    }

    public static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
