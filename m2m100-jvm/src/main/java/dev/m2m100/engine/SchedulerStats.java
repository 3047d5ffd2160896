package dev.m2m100.engine;

/**
 * A snapshot of the scheduler for metrics.
 *
 * @param queuedSequences      source texts waiting to be admitted
 * @param activeSequences      source texts being decoded
 * @param generatedTokens      tokens generated since start (all rows)
 * @param decodeSteps          decoder steps run since start
 * @param admittedSequences    source texts admitted since start
 * @param admittedPastDeadline of those, texts admitted although their request could no longer be expected to
 *                             meet its deadline (only when nothing that could was waiting)
 * @param waitingRequests      requests with texts waiting
 * @param waitingClients       clients with texts waiting
 * @param memoryShrinks        times the device ran out of memory and the scheduler admitted fewer texts at once
 *                             (the texts involved were queued again, not failed)
 * @param admissionLimit       texts admitted at once at most for now (the configured maximum, or less after a
 *                             shrink until steps succeed again)
 */
public record SchedulerStats(int queuedSequences, int activeSequences, long generatedTokens, long decodeSteps,
                             long admittedSequences, long admittedPastDeadline, int waitingRequests,
                             int waitingClients, long memoryShrinks, int admissionLimit) {

    /** Nothing queued, nothing run (before a model is loaded). */
    public static final SchedulerStats EMPTY = new SchedulerStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}
