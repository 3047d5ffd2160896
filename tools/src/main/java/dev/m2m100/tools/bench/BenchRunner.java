package dev.m2m100.tools.bench;

import dev.m2m100.engine.GenerationOptions;
import dev.m2m100.engine.TranslationEngine;
import dev.m2m100.engine.generation.GeneratedSequence;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Runs a {@link BenchCase} through the engine's scheduler: each group of {@code batchSize} sources is submitted
 * as one request and the next group only after it finished; every sequence generates exactly
 * {@code newTokens} tokens ({@code </s>} banned until then, the same number as the length limit). Checks
 * every result's length, so a run that stopped early cannot pass as a fast one.
 */
public final class BenchRunner {

    private final TranslationEngine engine;
    private final TimedStepModel timing;
    private final OpTimingBackend opTiming;
    private final int targetLangId;
    private final int decoderStartTokenId;
    private final int eosTokenId;

    /** {@code opTiming}: the model's backend when operations are timed, else null. */
    public BenchRunner(TranslationEngine engine, TimedStepModel timing, OpTimingBackend opTiming, int targetLangId,
                       int decoderStartTokenId, int eosTokenId) {
        this.engine = engine;
        this.timing = timing;
        this.opTiming = opTiming;
        this.targetLangId = targetLangId;
        this.decoderStartTokenId = decoderStartTokenId;
        this.eosTokenId = eosTokenId;
    }

    /** Fixed-length search options: min new tokens = max new tokens. */
    public static GenerationOptions fixedLength(int beams, int newTokens) {
        return new GenerationOptions(beams, newTokens, null, newTokens, null, null);
    }

    /** One run: all groups of the case, one after the other. */
    public RunTimes runOnce(BenchCase c) {
        GenerationOptions options = fixedLength(c.beams(), c.newTokens());
        List<List<int[]>> batches = c.batches();
        List<GeneratedSequence> results = new ArrayList<>(c.sources().size());
        timing.reset();
        if (opTiming != null) {
            opTiming.reset();
        }
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        for (List<int[]> batch : batches) {
            results.addAll(engine.generate(batch, targetLangId, options));
        }
        long wall = System.nanoTime() - t0;
        long cpu = processCpuNanos() - cpu0;
        TimedStepModel.Times t = timing.times();
        check(c, results);
        return new RunTimes(wall, t.encodeNanos(), t.stepNanos(), t.copyNanos(), t.steps(), t.stepRows(), cpu,
                t.stepAllocatedBytes(), opTiming != null ? opTiming.snapshot() : Map.of());
    }

    /** CPU time of this process so far (-1 where the JVM cannot tell). */
    private static long processCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : -1;
    }

    /** {@code warmups} untimed runs, then {@code runs} timed ones. */
    public List<RunTimes> run(BenchCase c, int warmups, int runs) {
        for (int i = 0; i < warmups; i++) {
            runOnce(c);
        }
        List<RunTimes> out = new ArrayList<>(runs);
        for (int i = 0; i < runs; i++) {
            out.add(runOnce(c));
        }
        return out;
    }

    /** Start token, forced language token, then exactly newTokens - 1 more tokens, none of them {@code </s>}. */
    private void check(BenchCase c, List<GeneratedSequence> results) {
        if (results.size() != c.sources().size()) {
            throw new IllegalStateException("case " + c.name() + ": " + results.size() + " results for "
                    + c.sources().size() + " sources");
        }
        for (int i = 0; i < results.size(); i++) {
            int[] ids = results.get(i).tokens();
            boolean ok = ids.length == 1 + c.newTokens() && ids[0] == decoderStartTokenId && ids[1] == targetLangId;
            for (int j = 1; ok && j < ids.length; j++) {
                ok = ids[j] != eosTokenId;
            }
            if (!ok) {
                throw new IllegalStateException("case " + c.name() + ", sequence " + i + ": expected the start token, "
                        + "the target language and " + (c.newTokens() - 1) + " more tokens without </s>, got "
                        + Arrays.toString(ids));
            }
        }
    }
}
