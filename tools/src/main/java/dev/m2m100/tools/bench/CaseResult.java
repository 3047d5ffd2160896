package dev.m2m100.tools.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The timed runs of one case and what the process looked like afterwards.
 *
 * @param name         case name
 * @param dtype        weight format
 * @param threads      compute threads
 * @param sequences    sources decoded per run
 * @param beams        beams per source
 * @param newTokens    tokens generated per sequence (checked: exactly this many)
 * @param runs         the timed runs, in order
 * @param peakRssBytes VmHWM after the case (the process' peak so far, load included)
 * @param rssBytes     VmRSS after the case
 * @param loadSeconds  model load time
 */
public record CaseResult(String name, String dtype, int threads, int sequences, int beams, int newTokens,
                         List<RunTimes> runs, long peakRssBytes, long rssBytes, double loadSeconds) {

    public CaseResult {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("a case result needs at least one run");
        }
        runs = List.copyOf(runs);
    }

    /** The run with the median wall time (the lower middle one for an even count). */
    public RunTimes medianRun() {
        List<RunTimes> sorted = runs.stream().sorted(Comparator.comparingLong(RunTimes::wallNanos)).toList();
        return sorted.get((sorted.size() - 1) / 2);
    }

    public double medianSeconds() {
        List<Double> s = runs.stream().map(RunTimes::wallSeconds).sorted().toList();
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    public double minSeconds() {
        return runs.stream().mapToDouble(RunTimes::wallSeconds).min().orElseThrow();
    }

    public double maxSeconds() {
        return runs.stream().mapToDouble(RunTimes::wallSeconds).max().orElseThrow();
    }

    /** Median over runs of the decoder time per step (model time only). */
    public double decodeMsPerStep() {
        List<Double> s = runs.stream().map(RunTimes::decodeMsPerStep).sorted().toList();
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    public double sentencesPerSecond() {
        return sequences / medianSeconds();
    }

    public double tokensPerSecond() {
        return (double) sequences * newTokens / medianSeconds();
    }

    /** The fields of the JSON line first, then the extras. */
    public Map<String, Object> toJsonMap() {
        RunTimes m = medianRun();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("case", name);
        out.put("dtype", dtype);
        out.put("median_s", round(medianSeconds(), 4));
        out.put("min_s", round(minSeconds(), 4));
        out.put("max_s", round(maxSeconds(), 4));
        out.put("runs", runs.size());
        out.put("sequences", sequences);
        out.put("new_tokens", newTokens);
        out.put("decode_ms_per_step", round(decodeMsPerStep(), 3));
        out.put("peak_rss_bytes", peakRssBytes);
        out.put("load_s", round(loadSeconds, 3));
        out.put("beams", beams);
        out.put("threads", threads);
        out.put("encoder_ms", round(m.encodeNanos() / 1e6, 2));
        out.put("decoder_steps", m.steps());
        out.put("decoder_rows_per_step", m.steps() == 0 ? 0 : round((double) m.stepRows() / m.steps(), 2));
        out.put("beam_copy_ms", round(m.copyNanos() / 1e6, 2));
        out.put("other_ms", round(m.otherNanos() / 1e6, 2));
        out.put("sentences_per_s", round(sentencesPerSecond(), 3));
        out.put("tokens_per_s", round(tokensPerSecond(), 2));
        out.put("rss_bytes", rssBytes);
        out.put("cpu_s", round(m.cpuNanos() / 1e9, 3));
        out.put("alloc_bytes_per_step", round(m.allocatedBytesPerStep(), 1));
        out.put("all_s", runs.stream().map(r -> round(r.wallSeconds(), 4)).toList());
        if (!m.ops().isEmpty()) {
            List<Map<String, Object>> ops = new ArrayList<>();
            m.ops().forEach((op, t) -> {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("op", op);
                entry.put("calls", t.calls());
                entry.put("ms", round(t.millis(), 2));
                ops.add(entry);
            });
            out.put("ops", ops);
        }
        return out;
    }

    /** {@code v} rounded to {@code digits} decimals (for printing). */
    public static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
