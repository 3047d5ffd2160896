package dev.m2m100.engine.generation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A deterministic toy language model behind the {@link StepModel} contract: the logits of a row are a pure
 * function of its source and of the tokens the row has consumed, so tests can reason about them by hand
 * (or compute them independently). It checks how it is used: rows and sources must be open, copies must stay
 * within one source, and leaks are visible through {@link #openRows()} / {@link #openSources()}.
 */
public final class ToyStepModel implements StepModel {

    /** Logits for the next token of a row, given its source and everything it consumed (start token first). */
    @FunctionalInterface
    public interface Lm {
        float[] logits(int[] source, int[] consumed);
    }

    private final int vocab;
    private final int maxPositions;
    private final Lm lm;
    private final Map<Integer, int[]> sources = new HashMap<>();
    private final Map<Integer, Integer> rowSource = new HashMap<>();
    private final Map<Integer, int[]> rowHistory = new HashMap<>();
    private int nextSource;
    private int nextRow;
    private volatile Predicate<int[]> failOnSource = s -> false;
    private volatile long stepDelayMillis;
    private volatile java.util.concurrent.CountDownLatch stepGate = new java.util.concurrent.CountDownLatch(0);

    public final List<Integer> stepRowCounts = new ArrayList<>();
    public final List<Integer> encodeBatchSizes = new ArrayList<>();
    /** Every source encoded so far, in the order the scheduler admitted them (guarded by this). */
    public final List<int[]> encodedSources = new ArrayList<>();
    public volatile boolean closed;
    public volatile Thread callerThread;

    public ToyStepModel(int vocab, int maxPositions, Lm lm) {
        this.vocab = vocab;
        this.maxPositions = maxPositions;
        this.lm = lm;
    }

    /** Steps that include a row of a source matching this throw. */
    public void failWhen(Predicate<int[]> predicate) {
        this.failOnSource = predicate;
    }

    /** Steps wait until the gate opens (so a test can queue work before decoding starts, whatever the timing). */
    public void holdStepsUntil(java.util.concurrent.CountDownLatch gate) {
        this.stepGate = gate;
    }

    /** Slows each step down (to build queues in tests). */
    public void delaySteps(long millis) {
        this.stepDelayMillis = millis;
    }

    /** The toy's "device memory": at most this many open rows; more throw {@link ToyOutOfMemory}. */
    private volatile int rowCapacity = Integer.MAX_VALUE;
    /** At most this many rows per step; more throw {@link ToyOutOfMemory} (after the step touched nothing). */
    private volatile int stepRowCapacity = Integer.MAX_VALUE;

    /** Thrown where a real backend would run out of device memory. */
    public static final class ToyOutOfMemory extends RuntimeException implements dev.m2m100.engine.backend.DeviceMemoryExhausted {
        private static final long serialVersionUID = 1L;

        ToyOutOfMemory(String message) {
            super(message);
        }
    }

    public void limitOpenRows(int capacity) {
        this.rowCapacity = capacity;
    }

    public void limitStepRows(int capacity) {
        this.stepRowCapacity = capacity;
    }

    public synchronized int openRows() {
        return rowSource.size();
    }

    /** Sources encoded so far. */
    public synchronized int encodedCount() {
        return encodedSources.size();
    }

    public synchronized int openSources() {
        return sources.size();
    }

    @Override
    public int vocabSize() {
        return vocab;
    }

    @Override
    public int maxPositions() {
        return maxPositions;
    }

    @Override
    public synchronized int[] encode(List<int[]> batch) {
        checkThread();
        encodeBatchSizes.add(batch.size());
        int[] slots = new int[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            slots[i] = nextSource++;
            sources.put(slots[i], batch.get(i).clone());
            encodedSources.add(batch.get(i).clone());
        }
        return slots;
    }

    @Override
    public synchronized void releaseSource(int sourceSlot) {
        checkThread();
        if (rowSource.containsValue(sourceSlot)) {
            throw new IllegalStateException("source " + sourceSlot + " released while rows are open on it");
        }
        if (sources.remove(sourceSlot) == null) {
            throw new IllegalStateException("source " + sourceSlot + " is not open");
        }
    }

    @Override
    public synchronized int openRow(int sourceSlot) {
        checkThread();
        if (!sources.containsKey(sourceSlot)) {
            throw new IllegalStateException("source " + sourceSlot + " is not open");
        }
        if (rowSource.size() >= rowCapacity) {
            throw new ToyOutOfMemory("toy device full: " + rowSource.size() + " rows open");
        }
        int row = nextRow++;
        rowSource.put(row, sourceSlot);
        rowHistory.put(row, new int[0]);
        return row;
    }

    @Override
    public synchronized void releaseRow(int row) {
        checkThread();
        if (rowSource.remove(row) == null) {
            throw new IllegalStateException("row " + row + " is not open");
        }
        rowHistory.remove(row);
    }

    @Override
    public synchronized void copyRows(int[] from, int[] to) {
        checkThread();
        int[][] snapshot = new int[from.length][];
        for (int i = 0; i < from.length; i++) {
            requireRow(from[i]);
            requireRow(to[i]);
            if (!rowSource.get(from[i]).equals(rowSource.get(to[i]))) {
                throw new IllegalStateException("copy between rows of different sources");
            }
            snapshot[i] = rowHistory.get(from[i]).clone();
        }
        for (int i = 0; i < to.length; i++) {
            rowHistory.put(to[i], snapshot[i]);
        }
    }

    @Override
    public void step(int[] rows, int[] tokens, LogitRule[] rules, int k, float[] outLogProbs, int[] outIds) {
        try {
            // outside the monitor: other threads may look at the counters meanwhile; bounded, so that a test
            // that fails before opening the gate fails instead of hanging in the scheduler's close()
            if (!stepGate.await(60, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new IllegalStateException("the step gate stayed closed for 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while held", e);
        }
        stepLocked(rows, tokens, rules, k, outLogProbs, outIds);
    }

    private synchronized void stepLocked(int[] rows, int[] tokens, LogitRule[] rules, int k, float[] outLogProbs,
                                         int[] outIds) {
        checkThread();
        if (rows.length > stepRowCapacity) {
            throw new ToyOutOfMemory("toy device full: a step over " + rows.length + " rows");
        }
        stepRowCounts.add(rows.length);
        for (int row : rows) {
            requireRow(row);
            if (failOnSource.test(sources.get(rowSource.get(row)))) {
                throw new IllegalStateException("toy model failure on purpose");
            }
        }
        if (stepDelayMillis > 0) {
            try {
                Thread.sleep(stepDelayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (int i = 0; i < rows.length; i++) {
            int[] history = Arrays.copyOf(rowHistory.get(rows[i]), rowHistory.get(rows[i]).length + 1);
            history[history.length - 1] = tokens[i];
            if (history.length > maxPositions) {
                throw new IllegalStateException("row " + rows[i] + " ran past " + maxPositions + " positions");
            }
            rowHistory.put(rows[i], history);
            float[] lp = processedLogProbs(sources.get(rowSource.get(rows[i])), history, rules[i]);
            TopK.select(lp, k, outLogProbs, outIds, i * k);
        }
    }

    /** The log-probabilities (after the rule) a row with this source and history sees; also used by oracles. */
    public float[] processedLogProbs(int[] source, int[] history, LogitRule rule) {
        float[] lp = logSoftmax(lm.logits(source, history));
        switch (rule) {
            case LogitRule.None n -> { }
            case LogitRule.Ban b -> lp[b.tokenId()] = Float.NEGATIVE_INFINITY;
            case LogitRule.Force f -> {
                Arrays.fill(lp, Float.NEGATIVE_INFINITY);
                lp[f.tokenId()] = 0f;
            }
        }
        return lp;
    }

    static float[] logSoftmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double sum = 0;
        for (float l : logits) {
            sum += Math.exp(l - max);
        }
        double logSum = max + Math.log(sum);
        float[] out = new float[logits.length];
        for (int i = 0; i < logits.length; i++) {
            out[i] = (float) (logits[i] - logSum);
        }
        return out;
    }

    private void requireRow(int row) {
        if (!rowSource.containsKey(row)) {
            throw new IllegalStateException("row " + row + " is not open");
        }
    }

    private void checkThread() {
        Thread t = Thread.currentThread();
        if (callerThread == null) {
            callerThread = t;
        } else if (callerThread != t) {
            throw new IllegalStateException("StepModel used from two threads: " + callerThread + " and " + t);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
    }
}
