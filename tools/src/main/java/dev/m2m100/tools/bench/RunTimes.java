package dev.m2m100.tools.bench;

import dev.m2m100.tools.bench.OpTimingBackend.OpTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One timed run of a case.
 *
 * @param wallNanos   from the first submission to the last result
 * @param encodeNanos inside the model's encoder
 * @param stepNanos   inside decoder steps (forward pass, log-softmax, top-k)
 * @param copyNanos   inside beam reordering (cache row copies)
 * @param steps       decoder steps run
 * @param stepRows    decoder rows summed over the steps
 * @param cpuNanos    CPU time of the whole process during the run (all threads; spinning workers included)
 * @param stepAllocatedBytes heap bytes the scheduler thread allocated inside decoder steps
 * @param ops         backend operations by kind and shape, longest first (empty unless the bench times them)
 */
public record RunTimes(long wallNanos, long encodeNanos, long stepNanos, long copyNanos, long steps, long stepRows,
                       long cpuNanos, long stepAllocatedBytes, Map<String, OpTime> ops) {

    public RunTimes {
        ops = Collections.unmodifiableMap(new LinkedHashMap<>(ops));
    }

    public double wallSeconds() {
        return wallNanos / 1e9;
    }

    /** Decoder time per step in ms (model time only; search bookkeeping excluded). */
    public double decodeMsPerStep() {
        return steps == 0 ? 0 : stepNanos / 1e6 / steps;
    }

    /** Heap bytes allocated per decoder step by the thread running the model (0 = allocation-free loop). */
    public double allocatedBytesPerStep() {
        return steps == 0 ? 0 : (double) stepAllocatedBytes / steps;
    }

    /** Wall time outside the model: scheduler, search bookkeeping, hand-over of results. */
    public long otherNanos() {
        return Math.max(0, wallNanos - encodeNanos - stepNanos - copyNanos);
    }
}
