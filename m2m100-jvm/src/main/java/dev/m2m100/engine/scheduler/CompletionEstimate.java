package dev.m2m100.engine.scheduler;

/**
 * How long a sequence admitted now can be expected to take, from what the scheduler has seen lately: a moving
 * average of the decoder step time and of the steps a finished sequence took (capped by the request's own
 * length limit). Used only to order admission (a request that cannot finish before its deadline does not go
 * ahead of one that can), never to refuse work. Scheduler thread only.
 */
final class CompletionEstimate {
    /** Weight of the newest observation: about the last 20 steps or sequences count. */
    private static final double WEIGHT = 0.05;

    private double stepNanos = Double.NaN;
    private double stepsPerSequence = Double.NaN;

    void stepTook(long nanos) {
        stepNanos = Double.isNaN(stepNanos) ? nanos : stepNanos + WEIGHT * (nanos - stepNanos);
    }

    void sequenceFinished(int steps) {
        stepsPerSequence = Double.isNaN(stepsPerSequence) ? steps : stepsPerSequence + WEIGHT * (steps - stepsPerSequence);
    }

    /** Expected time for a sequence of at most {@code maxSteps} steps; 0 until a step and a sequence were seen. */
    long expectedNanos(int maxSteps) {
        if (Double.isNaN(stepNanos) || Double.isNaN(stepsPerSequence)) {
            return 0;
        }
        return (long) (stepNanos * Math.min(maxSteps, stepsPerSequence));
    }
}
