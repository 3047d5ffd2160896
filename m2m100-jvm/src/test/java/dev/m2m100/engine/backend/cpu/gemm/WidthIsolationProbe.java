package dev.m2m100.engine.backend.cpu.gemm;

import java.lang.foreign.Arena;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Run in a fresh JVM by {@link GemmWidthIsolationTest}: calls the GEMV and the GEMM at both widths in every weight
 * format, one case after the other (as a model on a 512-bit machine mixes them: 512-bit GEMMs in the encoder,
 * 256-bit GEMVs in the decoder), and prints what each call allocates once compiled. Steady-state calls allocate
 * nothing; a vector that C2 has to box (a helper it did not inline, or a JDK call site made bimorphic by both
 * widths) allocates on every k step.
 *
 * <p>Output: one line per case, {@code <case> <bytes per call> <ns per call>}, from the first quiet window after
 * the warm-up (at most {@link #QUIET_BYTES} per call), or the last one before the case's deadline.
 */
final class WidthIsolationProbe {
    static final long QUIET_BYTES = 256;
    private static final long WARM_NANOS = 300_000_000L;
    private static final long SETTLE_NANOS = 6_000_000_000L;
    private static final int WINDOW = 200;

    private record Case(String name, VectorWidth width, int m, PackedWeights w, float[] x, float[] out) {
        void run(WorkerPool pool) {
            Gemm.linear(width, pool, x, 0, m, w, null, Epilogue.NONE, null, 0, out, 0);
        }
    }

    private WidthIsolationProbe() {
    }

    public static void main(String[] args) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Random r = new Random(7);
        try (Arena arena = Arena.ofShared(); WorkerPool pool = new WorkerPool(1)) {
            List<Case> cases = new ArrayList<>();
            for (WeightFormat f : WeightFormat.values()) {
                for (int k : f == WeightFormat.INT8 ? new int[] {512, 511} : new int[] {512}) {
                    int n = 256;
                    PackedWeights w = PackedWeights.pack(GemmPoolTest.random(r, n * k, 0.05f), 0, n, k, f, arena, null);
                    for (int m : new int[] {1, 24}) {
                        for (VectorWidth width : m == 1 ? new VectorWidth[] {VectorWidth.BITS_256}
                                : VectorWidth.values()) {
                            String name = f + (m == 1 ? " gemv" : " gemm " + width.bits()) + " k=" + k;
                            cases.add(new Case(name, width, m, w, GemmPoolTest.random(r, m * k, 1f), new float[m * n]));
                        }
                    }
                }
            }
            long thread = Thread.currentThread().threadId();
            for (Case c : cases) { // one after the other, as bench-kernels runs them: compiled in that order
                long warmEnd = System.nanoTime() + WARM_NANOS;
                while (System.nanoTime() < warmEnd) {
                    c.run(pool);
                }
                // Windows until one is quiet: a compile still queued goes quiet, boxing in compiled code does not.
                long deadline = System.nanoTime() + SETTLE_NANOS;
                long bytes;
                long nanos;
                do {
                    long before = threads.getThreadAllocatedBytes(thread);
                    long t0 = System.nanoTime();
                    for (int i = 0; i < WINDOW; i++) {
                        c.run(pool);
                    }
                    nanos = (System.nanoTime() - t0) / WINDOW;
                    bytes = (threads.getThreadAllocatedBytes(thread) - before) / WINDOW;
                } while (bytes > QUIET_BYTES && System.nanoTime() < deadline);
                System.out.println(c.name().replace(' ', '_') + " " + bytes + " " + nanos);
            }
        }
    }
}
