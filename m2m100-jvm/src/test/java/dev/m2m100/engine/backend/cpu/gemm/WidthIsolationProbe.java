package dev.m2m100.engine.backend.cpu.gemm;

import java.lang.foreign.Arena;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Run in a fresh JVM by {@link GemmWidthIsolationTest} with one argument, the process's vector width (256 or 512):
 * calls {@code Gemm.linear} at that width in every weight format and at row counts that take each of its paths
 * (m = 1: the 256-bit GEMV; m = 5: 256-bit kernels at either width for compact formats, widened in registers;
 * m = 24: the multi-row kernels of the process's width, through the f32 block for f16 and int8), one case after the
 * other, as a model mixes them, and prints what each call allocates once compiled. A process runs one width for
 * every call (VectorWidth), so a 512-bit process runs 256-bit kernels only for its GEMVs and small GEMMs, as here.
 * Steady-state calls allocate nothing; a vector that C2 has to box (a helper it did not inline, or a JDK call site
 * made bimorphic by both widths) allocates on every k step.
 *
 * <p>Output: one line per case, {@code <case> <bytes per call> <ns per call>}, from the first quiet window after
 * the warm-up (at most {@link #QUIET_BYTES} per call), or the last one before the case's deadline.
 */
final class WidthIsolationProbe {
    static final long QUIET_BYTES = 256;
    private static final long WARM_NANOS = 300_000_000L;
    private static final long SETTLE_NANOS = 6_000_000_000L;
    private static final int WINDOW = 200;
    /** Row counts per format: see the class comment for the path each takes. */
    static final int[] ROWS = {1, 5, 24};
    /** Cases per run: three row counts for each format, int8 at two k (even and odd). */
    static final int CASES = ROWS.length * (WeightFormat.values().length + 1);

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
            VectorWidth width = VectorWidth.valueOf("BITS_" + args[0]);
            for (WeightFormat f : WeightFormat.values()) {
                for (int k : f == WeightFormat.INT8 ? new int[] {512, 511} : new int[] {512}) {
                    int n = 256;
                    PackedWeights w = PackedWeights.pack(GemmPoolTest.random(r, n * k, 0.05f), 0, n, k, f, arena, null);
                    for (int m : ROWS) {
                        String name = f + " m=" + m + " k=" + k + " at " + width.bits();
                        cases.add(new Case(name, width, m, w, GemmPoolTest.random(r, m * k, 1f), new float[m * n]));
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
