package dev.m2m100.engine;

/**
 * A snapshot of the scheduler for metrics.
 *
 * @param queuedSequences  source texts waiting to be admitted
 * @param activeSequences  source texts being decoded
 * @param generatedTokens  tokens generated since start (all rows)
 * @param decodeSteps      decoder steps run since start
 */
public record SchedulerStats(int queuedSequences, int activeSequences, long generatedTokens, long decodeSteps) {}
