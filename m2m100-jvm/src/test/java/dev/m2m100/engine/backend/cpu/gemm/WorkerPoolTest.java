package dev.m2m100.engine.backend.cpu.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {
    @Test
    void everyIndexRunsExactlyOnceAcrossManyCalls() {
        try (WorkerPool pool = new WorkerPool(3, 20_000)) {
            for (int call = 0; call < 2000; call++) {
                int count = 1 + call % 97;
                int grain = 1 + call % 7;
                AtomicIntegerArray hits = new AtomicIntegerArray(count);
                pool.parallelFor(count, grain, (worker, from, to) -> {
                    assertTrue(worker >= 0 && worker < 3);
                    assertTrue(to - from <= grain && from < to);
                    for (int i = from; i < to; i++) {
                        hits.incrementAndGet(i);
                    }
                });
                for (int i = 0; i < count; i++) {
                    assertEquals(1, hits.get(i), "call " + call + " index " + i);
                }
            }
        }
    }

    /**
     * Back-to-back calls of varying chunk counts, as a layer norm followed by a GEMM makes them: when parallelFor
     * returns, every chunk of that call has run (each writes the call's stamp). A race in the reused job state let a
     * worker that had just seen call N exhausted claim a chunk of call N + 1 through N's claim word, so the caller
     * returned while N + 1's last chunk was still unwritten; this loop caught it in 7 of 8 runs on a 2-core Zen 3.
     */
    @Test
    void everyChunkHasRunWhenParallelForReturns() {
        final int calls = 300_000;
        try (WorkerPool pool = new WorkerPool(2)) {
            long[] stamps = new long[8];
            java.util.Random random = new java.util.Random(15);
            int late = 0;
            String first = null;
            for (int call = 1; call <= calls; call++) {
                final int count = 1 + random.nextInt(6);
                final int work = random.nextInt(100);
                final long stamp = call;
                pool.parallelFor(count, 1, (worker, from, to) -> {
                    for (int i = from; i < to; i++) {
                        spin(work + i);
                        stamps[i] = stamp;
                    }
                });
                for (int i = 0; i < count; i++) {
                    long seen = stamps[i];
                    if (seen != stamp) {
                        late++;
                        if (first == null) {
                            first = "call " + call + ": chunk " + i + " of " + count + " still held call " + seen;
                        }
                    }
                }
            }
            assertEquals(0, late, "chunks not yet run when parallelFor returned, first: " + first);
        }
    }

    /** A few hundred nanoseconds of work the JIT cannot drop. */
    private static void spin(int steps) {
        double s = 0;
        for (int j = 0; j < steps; j++) {
            s += Math.sqrt(j);
        }
        if (s < 0) {
            throw new AssertionError();
        }
    }

    @Test
    void workersWakeAfterParking() throws InterruptedException {
        try (WorkerPool pool = new WorkerPool(2, 0)) {
            Thread.sleep(20); // the worker has parked
            AtomicIntegerArray seen = new AtomicIntegerArray(2);
            for (int call = 0; call < 50; call++) {
                pool.parallelFor(64, 1, (worker, from, to) -> {
                    seen.incrementAndGet(worker);
                    busy(20_000);
                });
            }
            assertTrue(seen.get(1) > 0, "the worker thread never took part");
        }
    }

    @Test
    void failuresPropagateAndThePoolStaysUsable() {
        try (WorkerPool pool = new WorkerPool(2)) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> pool.parallelFor(100, 1, (worker, from, to) -> {
                        if (from == 57) {
                            throw new IllegalStateException("boom at 57");
                        }
                    }));
            assertEquals("boom at 57", e.getMessage());
            AtomicIntegerArray hits = new AtomicIntegerArray(10);
            pool.parallelFor(10, 1, (worker, from, to) -> hits.incrementAndGet(from));
            for (int i = 0; i < 10; i++) {
                assertEquals(1, hits.get(i));
            }
        }
    }

    @Test
    void nestedCallsAndClosedPoolAreRejected() {
        WorkerPool pool = new WorkerPool(2);
        AtomicIntegerArray rejected = new AtomicIntegerArray(2);
        pool.parallelFor(2, 1, (worker, from, to) -> {
            try {
                pool.parallelFor(4, 1, (w, f, t) -> { });
            } catch (IllegalStateException e) {
                if (e.getMessage().contains("nested")) {
                    rejected.incrementAndGet(from);
                }
            }
        });
        assertEquals(1, rejected.get(0));
        assertEquals(1, rejected.get(1));
        pool.close();
        assertThrows(IllegalStateException.class, () -> pool.parallelFor(4, 1, (w, f, t) -> { }));
        assertThrows(IllegalArgumentException.class, () -> new WorkerPool(0));
        assertSame(pool.scratch(0), pool.scratch(0));
    }

    private static void busy(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }
}
