package dev.m2m100.tools.bench;

import dev.m2m100.engine.generation.LogitRule;
import dev.m2m100.engine.generation.StepModel;
import java.util.List;

/**
 * A {@link StepModel} that forwards to another and adds up the time spent in the encoder, in decoder steps and
 * in beam reordering, so the benchmark can split a run without hooks in the scheduler; it also counts the bytes
 * the calling (scheduler) thread allocates inside decoder steps, which should be none once the JIT has warmed
 * up (the pool's workers are not counted). Only the scheduler
 * thread calls the model; the counters are read between runs (after the run's futures completed, which
 * happens-after the scheduler's writes), so plain volatile fields suffice.
 */
public final class TimedStepModel implements StepModel {

    private final StepModel model;
    private volatile long encodeNanos;
    private volatile long stepNanos;
    private volatile long copyNanos;
    private volatile long steps;
    private volatile long stepRows;
    private volatile long stepAllocatedBytes;

    public TimedStepModel(StepModel model) {
        this.model = model;
    }

    /** Counters since the last {@link #reset()}. */
    public record Times(long encodeNanos, long stepNanos, long copyNanos, long steps, long stepRows,
                        long stepAllocatedBytes) {}

    public Times times() {
        return new Times(encodeNanos, stepNanos, copyNanos, steps, stepRows, stepAllocatedBytes);
    }

    public void reset() {
        encodeNanos = 0;
        stepNanos = 0;
        copyNanos = 0;
        steps = 0;
        stepRows = 0;
        stepAllocatedBytes = 0;
    }

    @Override
    public int vocabSize() {
        return model.vocabSize();
    }

    @Override
    public int maxPositions() {
        return model.maxPositions();
    }

    @Override
    public int[] encode(List<int[]> sources) {
        long t0 = System.nanoTime();
        try {
            return model.encode(sources);
        } finally {
            encodeNanos += System.nanoTime() - t0;
        }
    }

    @Override
    public void releaseSource(int sourceSlot) {
        model.releaseSource(sourceSlot);
    }

    @Override
    public int openRow(int sourceSlot) {
        return model.openRow(sourceSlot);
    }

    @Override
    public void releaseRow(int row) {
        model.releaseRow(row);
    }

    @Override
    public void copyRows(int[] from, int[] to) {
        long t0 = System.nanoTime();
        try {
            model.copyRows(from, to);
        } finally {
            copyNanos += System.nanoTime() - t0;
        }
    }

    @Override
    public void step(int[] rows, int[] tokens, LogitRule[] rules, int k, float[] outLogProbs, int[] outIds) {
        long allocated0 = ThreadAllocation.currentThreadBytes();
        long t0 = System.nanoTime();
        try {
            model.step(rows, tokens, rules, k, outLogProbs, outIds);
        } finally {
            stepNanos += System.nanoTime() - t0;
            stepAllocatedBytes += ThreadAllocation.currentThreadBytes() - allocated0;
            steps++;
            stepRows += rows.length;
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
