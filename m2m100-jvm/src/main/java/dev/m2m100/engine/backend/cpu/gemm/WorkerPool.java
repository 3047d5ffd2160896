package dev.m2m100.engine.backend.cpu.gemm;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one fixed pool of compute threads of the CPU backend: {@code parallelism - 1} daemon workers plus the
 * calling thread, which always takes part. A {@link #parallelFor} call cuts {@code [0, count)} into chunks
 * of {@code grain} that the participants claim dynamically (balances load when the cores are shared), so
 * results must not depend on which thread ran which chunk.
 *
 * <p>Waiting: workers spin (with {@link Thread#onSpinWait()}) for {@code spinNanos} after their last job,
 * then park; back-to-back calls (a decoder step) thus see no wake-up latency, while an idle pool costs no CPU.
 * The default spin is short because on a 2-core machine a spinning worker steals the core from everybody else.
 *
 * <p>Calls are serialised (one job at a time); calling {@code parallelFor} from inside a task is an error.
 * Each participant index owns a {@link WorkerScratch} for per-thread buffers.
 */
public final class WorkerPool implements AutoCloseable {

    /** Body of a parallel loop: handles indices {@code [from, to)} on participant {@code worker}. */
    @FunctionalInterface
    public interface RangeTask {
        void run(int worker, int from, int to);
    }

    /** Default spin before parking, in nanoseconds. */
    public static final long DEFAULT_SPIN_NANOS = 100_000L;

    private final int parallelism;
    private final long spinNanos;
    private final Worker[] workers;
    private final WorkerScratch[] scratch;
    private final ReentrantLock submitLock = new ReentrantLock();
    /** Reused by every call (no allocation per call); see {@link Job} for why that is safe. */
    private final Job job = new Job();
    /** Sequence number of the current call; written only by the lock holder. */
    private long sequence;
    /** The sequence of the last call handed to the workers: a change wakes them. Written only by the lock holder. */
    private volatile long epoch;
    private volatile boolean closed;

    /** A pool sized to {@link Runtime#availableProcessors()}. */
    public WorkerPool() {
        this(Runtime.getRuntime().availableProcessors());
    }

    public WorkerPool(int parallelism) {
        this(parallelism, DEFAULT_SPIN_NANOS);
    }

    /**
     * @param parallelism number of participants including the caller (≥ 1)
     * @param spinNanos   how long an idle worker spins before parking (≥ 0)
     */
    public WorkerPool(int parallelism, long spinNanos) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("WorkerPool parallelism must be >= 1, got " + parallelism);
        }
        if (spinNanos < 0) {
            throw new IllegalArgumentException("WorkerPool spinNanos must be >= 0, got " + spinNanos);
        }
        this.parallelism = parallelism;
        this.spinNanos = spinNanos;
        this.scratch = new WorkerScratch[parallelism];
        for (int i = 0; i < parallelism; i++) {
            scratch[i] = new WorkerScratch();
        }
        this.workers = new Worker[parallelism - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(i + 1);
        }
        for (Worker w : workers) {
            w.thread.start();
        }
    }

    /** Number of participants, the caller included. */
    public int parallelism() {
        return parallelism;
    }

    /**
     * Sequence number of the {@link #parallelFor} call in progress (every call gets a new one, also those
     * run inline); valid inside its tasks, e.g. to let a participant prepare per-call data once.
     */
    public long callSequence() {
        return sequence;
    }

    /** Whether the current thread is one of this pool's workers (so a call from it would be nested). */
    boolean isPoolThread() {
        return Thread.currentThread() instanceof WorkerThread w && w.pool == this;
    }

    /** Per-participant buffers; only the participant with this index may use them during a task. */
    public WorkerScratch scratch(int worker) {
        return scratch[worker];
    }

    /**
     * Runs {@code task} over {@code [0, count)} in chunks of {@code grain} indices and returns when all are
     * done. Runs inline on the caller (worker 0) when there is a single chunk or a single participant.
     * The first exception thrown by a chunk is rethrown here after all chunks finished.
     */
    public void parallelFor(int count, int grain, RangeTask task) {
        if (count < 0 || grain < 1) {
            throw new IllegalArgumentException("parallelFor needs count >= 0 and grain >= 1, got " + count + ", " + grain);
        }
        if (count == 0) {
            return;
        }
        if (Thread.currentThread() instanceof WorkerThread || submitLock.isHeldByCurrentThread()) {
            throw new IllegalStateException("nested parallelFor from inside a WorkerPool task");
        }
        submitLock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("WorkerPool is closed");
            }
            int chunks = (int) ((count + (long) grain - 1) / grain);
            long seq = ++sequence;
            if (chunks == 1 || workers.length == 0) {
                task.run(0, 0, count);
                return;
            }
            Job j = job;
            j.start(task, count, grain, chunks, Thread.currentThread());
            epoch = seq; // wakes spinning workers; only the lock holder writes epoch
            for (Worker w : workers) {
                if (w.parked) {
                    LockSupport.unpark(w.thread);
                }
            }
            j.work(0);
            j.awaitDone(chunks);
            Throwable t = j.finish();
            if (t instanceof RuntimeException re) {
                throw re;
            }
            if (t instanceof Error e) {
                throw e;
            }
            if (t != null) {
                throw new IllegalStateException(t);
            }
        } finally {
            submitLock.unlock();
        }
    }

    /** Stops the workers (they finish the current chunk first). Idempotent. */
    @Override
    public void close() {
        closed = true;
        for (Worker w : workers) {
            LockSupport.unpark(w.thread);
        }
        for (Worker w : workers) {
            try {
                w.thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * The state of one call, reused. {@code state} packs (chunks << 32 | next chunk), and a participant claims chunk
     * c only by a CAS from (chunks, c) with c < chunks to (chunks, c + 1), reading the task's fields after that CAS.
     * Everything a claim decides on is thus in the one word it swaps: a claim succeeds only on the live call, whose
     * fields were written before {@link #start} published its state, and no later call can begin before every
     * claimed chunk is done. (The chunk count used to be a separate plain field: a worker that had read the exhausted
     * state of call N could then read call N + 1's larger count while {@code start} was still writing it, claim a
     * chunk with a CAS on N's state, and run and count a chunk of N + 1 that another participant ran again, so
     * {@code done} reached the count while the last chunk was still running: the caller went on with some rows of a
     * layer norm not yet written. Seen as rare batch-vs-single differences of whole encoder rows on a 2-core Zen 3.)
     * A stale state word that happens to equal the live one claims a live chunk correctly.
     */
    private static final class Job {
        private RangeTask task;
        private int count;
        private int grain;
        private Thread caller;
        private final AtomicLong state = new AtomicLong(); // 0 chunks, nothing to claim
        private final AtomicInteger done = new AtomicInteger();
        private volatile boolean callerParked;
        private volatile Throwable failure;

        void start(RangeTask task, int count, int grain, int chunks, Thread caller) {
            this.task = task;
            this.count = count;
            this.grain = grain;
            this.caller = caller;
            this.failure = null;
            this.callerParked = false;
            done.set(0);
            state.set((long) chunks << 32); // publishes the fields above
        }

        /** Clears the task reference and returns the first failure, if any. */
        Throwable finish() {
            task = null;
            return failure;
        }

        /** Claims and runs chunks of the live call until none are left. */
        void work(int worker) {
            while (true) {
                long v = state.get();
                int chunks = (int) (v >>> 32);
                int c = (int) v;
                if (c >= chunks) {
                    return;
                }
                if (!state.compareAndSet(v, v + 1)) {
                    continue;
                }
                int from = c * grain;
                int to = (int) Math.min((long) from + grain, count);
                try {
                    task.run(worker, from, to);
                } catch (Throwable t) {
                    if (failure == null) {
                        failure = t;
                    }
                }
                if (done.incrementAndGet() == chunks && callerParked) {
                    LockSupport.unpark(caller);
                }
            }
        }

        void awaitDone(int chunks) {
            long start = System.nanoTime();
            int spins = 0;
            while (done.get() < chunks) {
                if (++spins < 256 || System.nanoTime() - start < 50_000L) {
                    Thread.onSpinWait();
                } else {
                    callerParked = true;
                    if (done.get() < chunks) {
                        LockSupport.parkNanos(this, 200_000L);
                    }
                }
            }
        }
    }

    /** Marker so nested calls can be detected. */
    private static final class WorkerThread extends Thread {
        final WorkerPool pool;

        WorkerThread(WorkerPool pool, Runnable r, String name) {
            super(r, name);
            this.pool = pool;
            setDaemon(true);
        }
    }

    private final class Worker implements Runnable {
        final int index;
        final Thread thread;
        volatile boolean parked;

        Worker(int index) {
            this.index = index;
            this.thread = new WorkerThread(WorkerPool.this, this, "gemm-worker-" + index);
        }

        @Override
        public void run() {
            long seen = epoch;
            while (true) {
                long e = epoch;
                if (e == seen) {
                    long idleSince = System.nanoTime();
                    int spins = 0;
                    while ((e = epoch) == seen && !closed) {
                        if ((++spins & 63) != 0 || System.nanoTime() - idleSince < spinNanos) {
                            Thread.onSpinWait();
                        } else {
                            parked = true; // written before re-reading epoch: the submitter sees it or we see the new epoch
                            if (epoch == seen && !closed) {
                                LockSupport.park(this);
                            }
                            parked = false;
                        }
                    }
                }
                if (closed) {
                    return;
                }
                seen = e;
                job.work(index);
            }
        }
    }
}
