package dev.m2m100.engine.scheduler;

import dev.m2m100.engine.EngineSettings;
import dev.m2m100.engine.OverloadedException;
import dev.m2m100.engine.RequestContext;
import dev.m2m100.engine.SchedulerStats;
import dev.m2m100.engine.backend.DeviceMemoryExhausted;
import dev.m2m100.engine.generation.GeneratedSequence;
import dev.m2m100.engine.generation.SearchSettings;
import dev.m2m100.engine.generation.SequenceSearch;
import dev.m2m100.engine.generation.StepModel;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Continuous batching over one {@link StepModel}: the only decode loop of the engine.
 *
 * <p>Callers submit requests (one or more source sequences with their search settings) from any thread;
 * they wait in a bounded queue. A single scheduler thread owns the model. Between decoder steps it admits
 * queued sequences while the limits allow (active sequences, decoder rows), fairly across clients and then
 * across requests ({@link AdmissionQueue}; a request that cannot meet its deadline goes after those that can),
 * so a short request that arrives behind a long one starts as soon as a sequence finishes, runs the encoder over them in
 * length-sorted batches, then every step runs ONE {@link StepModel#step} over all rows of all active
 * sequences (each with its beams), lets each sequence's {@link SequenceSearch} consume its candidates,
 * reorders beam rows, and releases the rows and source of every sequence that finished. A request's future
 * completes when all its sequences are done.
 *
 * <p>When the device runs out of memory ({@link DeviceMemoryExhausted}) the sequences involved go back to the
 * head of the queue, fewer are admitted at once, and the limit grows back as steps succeed: a request fails
 * for lack of memory only when its sequence does not fit even decoded alone. Any other model error fails the
 * futures of the sequences it touched and the loop goes on. {@link #close()}
 * refuses new work, finishes everything already accepted, then closes the model.
 */
public final class Scheduler implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Scheduler.class.getName());
    /** Padded tokens per encoder batch at most (batch size × longest source). */
    private static final int ENCODER_TOKEN_BUDGET = 8192;

    private final StepModel model;
    private final int maxQueued;
    private final int maxActive;
    private final int maxRows;
    private final int vocabSize;
    private final int maxPositions;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition workArrived = lock.newCondition();
    private final AdmissionQueue<Request, Sequence> queue = new AdmissionQueue<>(); // guarded by lock
    private boolean closing; // guarded by lock

    // Owned by the scheduler thread.
    private final List<Sequence> active = new ArrayList<>();
    private final CompletionEstimate estimate = new CompletionEstimate();
    /** Sequences admitted at most for now: below maxActive after the device ran out of memory. */
    private int admissionLimit;
    private int stepsSinceShrink;

    private volatile int queuedCount;
    private volatile int activeCount;
    private volatile int waitingRequests;
    private volatile int waitingClients;
    private final AtomicLong admittedSequences = new AtomicLong();
    private final AtomicLong admittedPastDeadline = new AtomicLong();
    private final AtomicLong memoryShrinks = new AtomicLong();
    private volatile int admissionLimitNow;
    /** Decoder steps and the tokens they generated, published as one value so that a snapshot never tears. */
    private record StepCounters(long steps, long tokens) {}
    private volatile StepCounters stepCounters = new StepCounters(0, 0); // written by the scheduler thread only
    private final AtomicLong completedSequences = new AtomicLong();
    private final long startNanos = System.nanoTime();

    private final ExecutorService completions = Executors.newVirtualThreadPerTaskExecutor();
    /** Bound while one of this scheduler's completions runs, i.e. inside a caller's callback (see {@link #close}). */
    private static final ScopedValue<Scheduler> COMPLETING = ScopedValue.newInstance();
    /** Completes futures off the scheduler thread, so callers' callbacks never run on it. */
    private final Executor completer = task -> completions.execute(() -> ScopedValue.where(COMPLETING, this).run(task));
    private final Thread thread;

    public Scheduler(StepModel model, EngineSettings settings) {
        this.model = model;
        this.maxQueued = settings.maxQueuedSequences();
        this.maxActive = settings.maxActiveSequences();
        this.maxRows = settings.maxBatchRows();
        this.admissionLimit = maxActive;
        this.admissionLimitNow = maxActive;
        this.vocabSize = model.vocabSize();
        this.maxPositions = model.maxPositions();
        this.thread = Thread.ofPlatform().name("m2m100-scheduler").daemon(true).unstarted(this::loop);
        this.thread.start();
    }

    /**
     * Queues source sequences (complete encoder inputs) for decoding with the same settings. A source that repeats
     * an earlier one of the request is decoded once ({@link DistinctSources}); the queue limit counts distinct ones.
     *
     * @param context the client it is for (fair admission), its time limit (past it the future fails with
     *                {@link TimeoutException} and its sequences are dropped) and who hears when it starts
     * @return completes with one result per source, in order; or exceptionally with {@link OverloadedException}
     *         (queue full), {@link IllegalArgumentException} (a request the model cannot run),
     *         {@link IllegalStateException} (scheduler closed) or the model's error. Cancelling it drops the
     *         request's remaining work.
     */
    public CompletableFuture<List<GeneratedSequence>> submit(List<int[]> sources, SearchSettings settings,
                                                             RequestContext context) {
        CompletableFuture<List<GeneratedSequence>> future = new CompletableFuture<>();
        String problem = context == null ? "a request context is required" : validate(sources, settings);
        if (problem != null) {
            future.completeExceptionally(new IllegalArgumentException(problem));
            return future;
        }
        if (sources.isEmpty()) {
            future.complete(List.of());
            return future;
        }
        long now = System.nanoTime();
        Duration timeout = context.timeout();
        long deadline = timeout == null ? Long.MAX_VALUE : now + timeout.toNanos();
        DistinctSources distinct = DistinctSources.of(sources);
        List<int[]> toDecode = distinct.distinct();
        Request request = new Request(context.client(), settings, distinct, now, deadline, context.onStarted(), future);
        lock.lock();
        try {
            if (closing) {
                future.completeExceptionally(new IllegalStateException("the scheduler is closed; no new work is accepted"));
                return future;
            }
            if (queue.size() + toDecode.size() > maxQueued) {
                future.completeExceptionally(new OverloadedException("the queue holds " + queue.size() + " of at most "
                        + maxQueued + " waiting sequences; " + toDecode.size() + " more do not fit", retryAfterSeconds()));
                return future;
            }
            List<Sequence> sequences = new ArrayList<>(toDecode.size());
            for (int i = 0; i < toDecode.size(); i++) {
                sequences.add(new Sequence(request, i, toDecode.get(i).clone()));
            }
            queue.add(context.client(), request, settings.numBeams(), sequences);
            noteQueue();
            workArrived.signal();
        } finally {
            lock.unlock();
        }
        return future;
    }

    private String validate(List<int[]> sources, SearchSettings settings) {
        if (sources == null || settings == null) {
            return "sources and settings are required";
        }
        if (sources.size() > maxQueued) {
            return "a request may hold at most " + maxQueued + " sequences (the queue size), got " + sources.size();
        }
        if (settings.numBeams() > maxRows) {
            return "num_beams " + settings.numBeams() + " exceeds the " + maxRows + " decoder rows a step may hold";
        }
        if (settings.candidatesPerRow() > vocabSize) {
            return "num_beams " + settings.numBeams() + " needs " + settings.candidatesPerRow()
                    + " candidates per step but the vocabulary has " + vocabSize;
        }
        if (settings.maxLength() > maxPositions) {
            return "the decoder length limit " + settings.maxLength() + " (start token included) exceeds the model's "
                    + maxPositions + " positions";
        }
        for (int i = 0; i < sources.size(); i++) {
            int[] s = sources.get(i);
            if (s == null || s.length == 0) {
                return "source " + i + " is empty (an encoder input holds at least the language token and </s>)";
            }
            if (s.length > maxPositions) {
                return "source " + i + " has " + s.length + " tokens; the model takes at most " + maxPositions;
            }
            for (int id : s) {
                if (id < 0 || id >= vocabSize) {
                    return "source " + i + " holds token id " + id + " outside the vocabulary [0, " + vocabSize + ")";
                }
            }
        }
        return null;
    }

    private int retryAfterSeconds() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        double rate = completedSequences.get() / Math.max(seconds, 1e-3);
        if (rate <= 0) {
            return 1;
        }
        return (int) Math.max(1, Math.min(60, Math.ceil(queuedCount / rate)));
    }

    public SchedulerStats stats() {
        StepCounters steps = stepCounters;
        return new SchedulerStats(queuedCount, activeCount, steps.tokens(), steps.steps(),
                admittedSequences.get(), admittedPastDeadline.get(), waitingRequests, waitingClients,
                memoryShrinks.get(), admissionLimitNow);
    }

    // ---------------------------------------------------------------- the scheduler thread

    private void loop() {
        while (true) {
            List<Sequence> admitted;
            lock.lock();
            try {
                dropExpiredQueued();
                while (queue.isEmpty() && active.isEmpty() && !closing) {
                    workArrived.awaitUninterruptibly();
                    dropExpiredQueued();
                }
                if (queue.isEmpty() && active.isEmpty()) {
                    break; // closing and drained
                }
                admitted = admit();
                noteQueue();
            } finally {
                lock.unlock();
            }
            try {
                dropFinishedRequests();
                if (!admitted.isEmpty()) {
                    start(admitted);
                }
                activeCount = active.size();
                if (!active.isEmpty()) {
                    step();
                }
            } catch (RuntimeException | Error e) {
                // A bug of ours must not kill the only decode loop: fail what was running and go on.
                LOG.log(Level.ERROR, "scheduler iteration failed", e);
                for (Sequence s : admitted) {
                    if (!active.contains(s)) {
                        s.request.fail(new IllegalStateException("scheduler failure: " + e, e), completer);
                        release(s);
                    }
                }
                failAllActive(new IllegalStateException("scheduler failure: " + e, e));
            }
            activeCount = active.size();
        }
        try {
            model.close();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "closing the model failed", e);
        }
    }

    /**
     * Queued sequences whose request failed, timed out or was cancelled leave the queue; the queue's figures are
     * published before a timed-out caller hears of it. Holds the lock.
     */
    private void dropExpiredQueued() {
        long now = System.nanoTime();
        Set<Request> timedOut = new HashSet<>();
        queue.removeIf(r -> {
            if (r.expired(now)) {
                timedOut.add(r);
            }
            return r.isOver() || timedOut.contains(r);
        });
        noteQueue();
        for (Request r : timedOut) {
            r.fail(timeout(), completer);
        }
    }

    /** Publishes the queue's figures for {@link #stats()}. Holds the lock. */
    private void noteQueue() {
        queuedCount = queue.size();
        waitingRequests = queue.waitingRequests();
        waitingClients = queue.waitingClients();
    }

    /**
     * Takes queued sequences in the queue's fair order while the limits allow; requests that can still meet their
     * deadline go first. Holds the lock.
     */
    private List<Sequence> admit() {
        List<Sequence> admitted = new ArrayList<>();
        int rows = 0;
        for (Sequence s : active) {
            rows += s.rows.length;
        }
        long now = System.nanoTime();
        while (!queue.isEmpty() && active.size() + admitted.size() < admissionLimit) {
            AdmissionQueue<Request, Sequence>.Lane lane = queue.next(r -> r.canFinishInTime(now, estimate));
            if (rows + lane.cost > maxRows) {
                break; // the fairest one waits for rows; smaller ones do not overtake it
            }
            if (!lane.request.canFinishInTime(now, estimate)) {
                admittedPastDeadline.incrementAndGet();
            }
            Sequence s = queue.take(lane);
            rows += lane.cost;
            admitted.add(s);
            admittedSequences.incrementAndGet();
            s.request.started(now);
        }
        return admitted;
    }

    /**
     * Active sequences whose request is over (failed, cancelled, timed out) give back their rows; as in {@link #step},
     * the active count is published before a timed-out caller hears of it.
     */
    private void dropFinishedRequests() {
        long now = System.nanoTime();
        Set<Request> timedOut = new HashSet<>();
        for (Iterator<Sequence> it = active.iterator(); it.hasNext(); ) {
            Sequence s = it.next();
            if (s.request.expired(now)) {
                timedOut.add(s.request);
            }
            if (s.request.isOver() || timedOut.contains(s.request)) {
                release(s);
                it.remove();
            }
        }
        activeCount = active.size();
        for (Request r : timedOut) {
            r.fail(timeout(), completer);
        }
    }

    private static TimeoutException timeout() {
        return new TimeoutException("the request did not finish within its time limit");
    }

    /** Encoder pass for admitted sequences, in length-sorted batches, then one decoder row per beam. */
    private void start(List<Sequence> admitted) {
        admitted.sort(Comparator.comparingInt(s -> s.source.length));
        int i = 0;
        while (i < admitted.size()) {
            int j = i + 1;
            while (j < admitted.size() && (j - i + 1) * admitted.get(j).source.length <= ENCODER_TOKEN_BUDGET) {
                j++;
            }
            List<Sequence> batch = admitted.subList(i, j);
            encode(batch);
            i = j;
        }
    }

    private void encode(List<Sequence> batch) {
        List<Sequence> live = new ArrayList<>();
        for (Sequence s : batch) {
            if (!s.request.isOver()) {
                live.add(s);
            }
        }
        if (live.isEmpty()) {
            return;
        }
        int[] slots;
        try {
            slots = model.encode(live.stream().map(s -> s.source).toList());
        } catch (RuntimeException | Error e) {
            if (DeviceMemoryExhausted.isCause(e) && (live.size() > 1 || !active.isEmpty())) {
                shrink("encoding " + live.size() + " sources", active.size() + live.size() / 2, e);
                requeue(live);
                return;
            }
            LOG.log(Level.ERROR, "encoder pass over " + live.size() + " sources failed", e);
            for (Sequence s : live) {
                s.request.fail(modelError(DeviceMemoryExhausted.isCause(e)
                        ? "the text does not fit in device memory even encoded alone" : "the encoder pass failed", e), completer);
            }
            return;
        }
        for (int n = 0; n < live.size(); n++) {
            live.get(n).sourceSlot = slots[n];
        }
        for (int n = 0; n < live.size(); n++) {
            Sequence s = live.get(n);
            try {
                s.search = SequenceSearch.start(s.request.settings);
                s.rows = new int[s.search.rowCount()];
                Arrays.fill(s.rows, -1);
                for (int r = 0; r < s.rows.length; r++) {
                    s.rows[r] = model.openRow(s.sourceSlot);
                }
            } catch (RuntimeException | Error e) {
                if (DeviceMemoryExhausted.isCause(e) && (!active.isEmpty() || n + 1 < live.size())) {
                    shrink("opening decoder rows", active.size(), e);
                    requeue(live.subList(n, live.size()));
                    return;
                }
                LOG.log(Level.ERROR, "opening decoder rows failed", e);
                s.request.fail(modelError(DeviceMemoryExhausted.isCause(e)
                        ? "the text's decoder rows do not fit in device memory even alone" : "opening decoder rows failed", e),
                        completer);
                release(s);
                continue;
            }
            if (s.request.isOver()) {
                release(s);
                continue;
            }
            active.add(s);
        }
    }

    /** One decoder step over every row of every active sequence (twin rows once, {@link StepRows}). */
    private void step() {
        int k = 1;
        List<SequenceSearch> searches = new ArrayList<>(active.size());
        List<int[]> searchRows = new ArrayList<>(active.size());
        for (Sequence s : active) {
            k = Math.max(k, s.search.candidatesPerRow());
            searches.add(s.search);
            searchRows.add(s.rows);
        }
        StepRows stepRows = StepRows.of(searches, searchRows);
        int computed = stepRows.modelRows().length;
        float[] stepLogProbs = new float[computed * k];
        int[] stepIds = new int[computed * k];
        long stepStart = System.nanoTime();
        try {
            model.step(stepRows.modelRows(), stepRows.tokens(), stepRows.rules(), k, stepLogProbs, stepIds);
            if (stepRows.twinTo().length > 0) {
                model.copyRows(stepRows.twinFrom(), stepRows.twinTo());
            }
        } catch (RuntimeException | Error e) {
            if (DeviceMemoryExhausted.isCause(e) && active.size() > 1) {
                // A failed step may have written part of the rows' caches: every active sequence starts over
                // (results are the same: batch invariance), with half as many admitted at once.
                shrink("a decoder step over " + computed + " rows", active.size() / 2, e);
                List<Sequence> all = new ArrayList<>(active);
                active.clear();
                requeue(all);
                return;
            }
            LOG.log(Level.ERROR, "decoder step over " + computed + " rows failed", e);
            failAllActive(modelError(DeviceMemoryExhausted.isCause(e)
                    ? "the text does not fit in device memory even decoded alone (" + computed + " rows)" : "a decoder step failed", e));
            return;
        }
        float[] logProbs = stepRows.spread(stepLogProbs, k);
        int[] ids = stepRows.spread(stepIds, k);
        estimate.stepTook(System.nanoTime() - stepStart);
        growAdmissionLimit();
        StepCounters counted = stepCounters;
        stepCounters = new StepCounters(counted.steps() + 1, counted.tokens() + stepRows.searchRows());

        List<Sequence> finished = new ArrayList<>();
        List<int[]> copyFrom = new ArrayList<>();
        List<int[]> copyTo = new ArrayList<>();
        int at = 0;
        for (Iterator<Sequence> it = active.iterator(); it.hasNext(); ) {
            Sequence s = it.next();
            int offset = at * k;
            at += s.rows.length;
            s.steps++;
            int[] parents;
            try {
                parents = s.search.advance(logProbs, ids, offset, k);
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "search bookkeeping failed", e);
                s.request.fail(new IllegalStateException("search bookkeeping failed: " + e.getMessage(), e), completer);
                release(s);
                it.remove();
                continue;
            }
            if (s.search.isDone()) {
                release(s);
                it.remove();
                completedSequences.incrementAndGet();
                estimate.sequenceFinished(s.steps);
                finished.add(s);
            } else if (!RowReorder.isIdentity(parents)) {
                RowReorder.Plan plan = RowReorder.plan(s.rows, parents);
                s.rows = plan.rows();
                if (plan.copyFrom().length > 0) {
                    copyFrom.add(plan.copyFrom());
                    copyTo.add(plan.copyTo());
                }
            }
        }
        // Stats first, so that a caller who sees its future complete also sees the sequence gone.
        activeCount = active.size();
        for (Sequence s : finished) {
            s.request.deliver(s.index, s.search.result(), completer);
        }
        if (!copyFrom.isEmpty()) {
            try {
                model.copyRows(concat(copyFrom), concat(copyTo));
            } catch (RuntimeException | Error e) {
                LOG.log(Level.ERROR, "beam reordering failed", e);
                failAllActive(modelError("beam reordering (cache copy) failed", e));
            }
        }
    }

    /** Memory ran out doing {@code what}: admit at most {@code running} sequences (at least one) for now. */
    private void shrink(String what, int running, Throwable cause) {
        admissionLimit = Math.max(1, Math.min(running, admissionLimit));
        admissionLimitNow = admissionLimit;
        stepsSinceShrink = 0;
        memoryShrinks.incrementAndGet();
        LOG.log(Level.WARNING, "device memory ran out " + what + "; admitting at most " + admissionLimit
                + " sequences at once for now and retrying (" + cause + ")");
    }

    /** After a shrink, every 64 good steps the limit grows by a quarter again, up to MAX_ACTIVE. */
    private void growAdmissionLimit() {
        if (admissionLimit < maxActive && ++stepsSinceShrink >= 64) {
            admissionLimit = Math.min(maxActive, admissionLimit + Math.max(1, admissionLimit / 4));
            admissionLimitNow = admissionLimit;
            stepsSinceShrink = 0;
        }
    }

    /** Sequences that could not start or go on for lack of memory: free what they hold, back to the queue's head. */
    private void requeue(List<Sequence> sequences) {
        for (Sequence s : sequences) {
            release(s);
            s.search = null;
            s.rows = null;
            s.steps = 0;
        }
        lock.lock();
        try {
            for (int i = sequences.size() - 1; i >= 0; i--) { // back to front keeps each request's order
                Sequence s = sequences.get(i);
                if (!s.request.isOver()) {
                    queue.putBack(s.request.client, s.request, s.request.settings.numBeams(), s);
                }
            }
            noteQueue();
        } finally {
            lock.unlock();
        }
    }

    /** Every active sequence gives back its rows and leaves the active count, then its request fails. */
    private void failAllActive(Throwable error) {
        List<Sequence> failed = new ArrayList<>(active);
        active.clear();
        activeCount = 0;
        for (Sequence s : failed) {
            release(s);
        }
        for (Sequence s : failed) {
            s.request.fail(error, completer);
        }
    }

    private static IllegalStateException modelError(String what, Throwable cause) {
        return new IllegalStateException(what + ": " + cause, cause);
    }

    /** Gives the sequence's rows and source back to the model; errors here are logged, not thrown. */
    private void release(Sequence s) {
        if (s.rows != null) {
            for (int r = 0; r < s.rows.length; r++) {
                if (s.rows[r] >= 0) {
                    try {
                        model.releaseRow(s.rows[r]);
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "releasing row " + s.rows[r] + " failed", e);
                    }
                    s.rows[r] = -1;
                }
            }
        }
        if (s.sourceSlot >= 0) {
            try {
                model.releaseSource(s.sourceSlot);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "releasing source " + s.sourceSlot + " failed", e);
            }
            s.sourceSlot = -1;
        }
    }

    private static int[] concat(List<int[]> parts) {
        int n = 0;
        for (int[] p : parts) {
            n += p.length;
        }
        int[] out = new int[n];
        int at = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /**
     * Refuses new work, finishes every accepted request, then closes the model. Blocks until then; a second call
     * returns at once.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            closing = true;
            workArrived.signalAll();
        } finally {
            lock.unlock();
        }
        if (Thread.currentThread() != thread) {
            boolean interrupted = false;
            while (thread.isAlive()) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (COMPLETING.isBound() && COMPLETING.get() == this) {
                // Called from a caller's callback on one of our completion threads: waiting for every completion
                // would wait for this one. The scheduler thread has ended; the completions left finish on their own.
                completions.shutdown();
            } else {
                completions.close();
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---------------------------------------------------------------- per-request state

    /** One submitted request: its sequences' results and its future. */
    private static final class Request {
        final String client;
        final SearchSettings settings;
        final long submitted;
        final long deadline;
        final RequestContext.QueueWaitListener onStarted;
        final CompletableFuture<List<GeneratedSequence>> future;
        private final DistinctSources sources;
        /** One per distinct source. */
        private final GeneratedSequence[] results;
        private int remaining;
        private boolean failed;
        private boolean started;

        Request(String client, SearchSettings settings, DistinctSources sources, long submitted, long deadline,
                RequestContext.QueueWaitListener onStarted, CompletableFuture<List<GeneratedSequence>> future) {
            this.client = client;
            this.settings = settings;
            this.submitted = submitted;
            this.deadline = deadline;
            this.onStarted = onStarted;
            this.future = future;
            this.sources = sources;
            this.results = new GeneratedSequence[sources.distinct().size()];
            this.remaining = results.length;
        }

        /** Whether a sequence admitted now can be expected to finish before the deadline. */
        boolean canFinishInTime(long now, CompletionEstimate estimate) {
            return deadline == Long.MAX_VALUE || deadline - now >= estimate.expectedNanos(settings.maxLength());
        }

        /** The first of its sequences leaves the queue: tell the listener how long it waited. Scheduler thread. */
        void started(long now) {
            if (started) {
                return;
            }
            started = true;
            try {
                onStarted.started(Duration.ofNanos(now - submitted));
            } catch (RuntimeException | Error e) { // caller code, run inside admit(): it must not end the loop
                LOG.log(Level.WARNING, "a queue-wait listener failed", e);
            }
        }

        boolean expired(long now) {
            return deadline != Long.MAX_VALUE && now - deadline >= 0 && !isOver();
        }

        /** Failed here, or completed/cancelled by the caller: nothing more to compute. */
        boolean isOver() {
            return failed || future.isDone();
        }

        /** Scheduler thread only. Futures complete on another thread so callers' callbacks never run here. */
        void deliver(int index, GeneratedSequence result, Executor completions) {
            if (failed) {
                return;
            }
            results[index] = result;
            if (--remaining == 0) {
                List<GeneratedSequence> all = sources.expand(results);
                completions.execute(() -> future.complete(all));
            }
        }

        /** Fails the request; its other sequences are dropped at the next look. Scheduler thread only. */
        void fail(Throwable error, Executor completions) {
            if (!failed) {
                failed = true;
                completions.execute(() -> future.completeExceptionally(error));
            }
        }
    }

    /** One source sequence of a request, queued or active. */
    private static final class Sequence {
        final Request request;
        final int index;
        final int[] source;
        int steps;
        SequenceSearch search;
        int sourceSlot = -1;
        int[] rows;

        Sequence(Request request, int index, int[] source) {
            this.request = request;
            this.index = index;
            this.source = source;
        }
    }
}
