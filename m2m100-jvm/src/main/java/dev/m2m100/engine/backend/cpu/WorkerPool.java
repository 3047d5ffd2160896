package dev.m2m100.engine.backend.cpu;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * A fixed set of worker threads, started once, that run the tasks of a parallel loop. The calling thread works
 * too, so {@code threads = 1} means no extra thread. One loop at a time (the backend is single-caller).
 */
public final class WorkerPool implements AutoCloseable {

    private final Thread[] workers;
    private final BlockingQueue<Job>[] inboxes;
    private volatile boolean closed;

    /** One parallel loop: tasks are claimed from a shared counter, so fast threads take more. */
    private static final class Job {
        final int tasks;
        final IntConsumer body;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger pendingWorkers;
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        Job(int tasks, IntConsumer body, int workers) {
            this.tasks = tasks;
            this.body = body;
            this.pendingWorkers = new AtomicInteger(workers);
        }

        void work() {
            int t;
            while ((t = next.getAndIncrement()) < tasks) {
                if (failure.get() != null) {
                    return;
                }
                try {
                    body.accept(t);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    public WorkerPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        workers = new Thread[threads - 1];
        inboxes = new BlockingQueue[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            BlockingQueue<Job> inbox = new ArrayBlockingQueue<>(1);
            inboxes[i] = inbox;
            workers[i] = Thread.ofPlatform().daemon().name("m2m100-cpu-" + (i + 1)).start(() -> loop(inbox));
        }
    }

    private void loop(BlockingQueue<Job> inbox) {
        while (!closed) {
            Job job;
            try {
                job = inbox.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                job.work();
            } finally {
                job.pendingWorkers.decrementAndGet();
            }
        }
    }

    /** Number of threads that run loop bodies, the caller included. */
    public int threads() {
        return workers.length + 1;
    }

    /** Runs {@code body(0) … body(tasks-1)} across the pool and the caller; returns when all are done. */
    public void parallelFor(int tasks, IntConsumer body) {
        if (closed) {
            throw new IllegalStateException("worker pool is closed");
        }
        if (tasks <= 0) {
            return;
        }
        int helpers = Math.min(workers.length, tasks - 1);
        if (helpers == 0) {
            for (int t = 0; t < tasks; t++) {
                body.accept(t);
            }
            return;
        }
        Job job = new Job(tasks, body, helpers);
        for (int i = 0; i < helpers; i++) {
            inboxes[i].add(job);
        }
        job.work();
        while (job.pendingWorkers.get() > 0) {
            Thread.onSpinWait();
        }
        Throwable f = job.failure.get();
        if (f instanceof RuntimeException r) {
            throw r;
        }
        if (f instanceof Error e) {
            throw e;
        }
        if (f != null) {
            throw new IllegalStateException(f);
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) {
            w.interrupt();
        }
    }
}
