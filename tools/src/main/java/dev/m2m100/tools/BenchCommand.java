package dev.m2m100.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.m2m100.tools.bench.BenchCase;
import dev.m2m100.tools.bench.BenchRunner;
import dev.m2m100.tools.bench.BenchSession;
import dev.m2m100.tools.bench.BenchWorkload;
import dev.m2m100.tools.bench.CaseResult;
import dev.m2m100.tools.bench.MemoryFloor;
import dev.m2m100.tools.bench.ProcessMemory;
import dev.m2m100.tools.bench.RunTimes;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import dev.m2m100.engine.backend.WeightDType;
import dev.m2m100.engine.EngineSettings;
import dev.m2m100.server.Failures;
import dev.m2m100.tools.cli.Cli;
import dev.m2m100.tools.cli.CliException;
import dev.m2m100.tools.cli.EngineOptions;
import dev.m2m100.tools.cli.ModelOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code m2m100 bench}: end-to-end generation speed on token ids (no tokenizer in the timing) through the
 * engine's scheduler, with a fixed number of generated tokens per sequence; one warm-up, then timed runs.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time generation on a workload of token ids through the real scheduler (fixed length: </s> is"
                + " banned until --new-tokens), after a warm-up; print encoder ms, decoder ms/step, sentences/s,"
                + " tokens/s, peak RSS and load time per case.")
public final class BenchCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream out;

    public BenchCommand() {
        this(System.out);
    }

    /** Prints results to {@code out} (tests); errors go to the command line's error writer ({@link Cli}). */
    public BenchCommand(PrintStream out) {
        this.out = out;
    }

    @Mixin
    ModelOption model = new ModelOption();

    @Mixin
    EngineOptions engine = new EngineOptions();

    @Option(names = "--workload", paramLabel = "FILE",
            description = "workload file (default: the standard workload of docs/PERFORMANCE.md, shipped with the tool)")
    Path workload;

    @Option(names = "--case", description = "a, b, c, d (comma-separated list) or all (default: all; d with ad-hoc options)")
    String cases;

    @Option(names = "--runs", defaultValue = "3", description = "timed runs per case (default: ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--warmup", defaultValue = "1", description = "untimed runs before them (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--json", description = "one JSON object per case per line")
    boolean json;

    @Option(names = "--floor", description = "also measure DRAM bandwidth and compare the batch-1 greedy decoder step "
            + "with its memory floor (weight bytes per step ÷ bandwidth)")
    boolean floor;

    @Option(names = "--bandwidth-mib", defaultValue = "1024", description = "buffer of the bandwidth probe (default: ${DEFAULT-VALUE})")
    int bandwidthMib;

    @Option(names = "--op-times", description = "also time every backend operation by kind and shape (CPU only; "
            + "printed for the median run)")
    boolean opTimes;

    @Option(names = "--batch", description = "ad hoc: this many sources (the workload's, repeated as needed), one submission")
    Integer batch;

    @Option(names = {"--beam-size", "--beams"}, description = "ad hoc: beams per source (1 = greedy)")
    Integer beams;

    @Option(names = "--new-tokens", description = "ad hoc: generated tokens per sequence, the forced language token included")
    Integer newTokens;

    @Option(names = "--src-len", description = "ad hoc: source length in ids (language token and </s> kept, the middle repeated or cut)")
    Integer srcLen;

    @Override
    public Integer call() throws IOException {
        BenchWorkload w;
        List<BenchCase> selected;
        EngineSettings settings;
        try {
            if (runs < 1 || warmup < 0 || engine.threads() < 0 || bandwidthMib < 1) {
                throw new IllegalArgumentException("--runs must be >= 1, --warmup >= 0, --threads >= 0, --bandwidth-mib >= 1");
            }
            if (workload != null && !Files.isRegularFile(workload)) {
                throw new IllegalArgumentException("workload file " + workload + " does not exist (see --workload)");
            }
            w = workload == null ? BenchWorkload.standard() : BenchWorkload.load(workload);
            selected = selectCases(w);
            settings = engine.settings();
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        }
        Path dir = model.resolve();
        int maxSources = selected.stream().mapToInt(c -> Math.min(c.batchSize(), c.sources().size())).max().orElse(1);
        int maxRows = selected.stream().mapToInt(BenchCase::maxRows).max().orElse(1);
        try (BenchSession session = BenchSession.open(dir, settings, maxSources, maxRows, opTimes)) {
            try {
                w.checkVocabulary(session.config().vocabSize());
            } catch (IllegalArgumentException e) {
                throw CliException.usage(e.getMessage() + " (the standard workload needs the real vocabulary: use a"
                        + " model from random-model, --preset tiny for a small one)");
            }
            if (!json) {
                out.printf(Locale.ROOT, "# model %s: %s, loaded in %.2f s; workload %s; load average %s%n",
                        model.value(), session.placement().summary(), session.loadSeconds(), w.name(), loadAverage());
            }
            BenchRunner runner = session.runner(w.targetLangId());
            List<CaseResult> results = new ArrayList<>();
            for (BenchCase c : selected) {
                List<RunTimes> times = runner.run(c, warmup, runs);
                CaseResult r = new CaseResult(c.name(), session.placement().dtype().toString(), session.threads(),
                        c.sources().size(), c.beams(), c.newTokens(), times, ProcessMemory.peakRssBytes(),
                        ProcessMemory.rssBytes(), session.loadSeconds());
                results.add(r);
                print(r);
            }
            if (floor) {
                printFloor(session, results);
            }
        } catch (IOException | IllegalStateException | UnsupportedOperationException e) {
            throw CliException.failed(Failures.describe(e), e);
        }
        return Cli.OK;
    }

    /** The named cases, with the ad-hoc options applied to each (then called "custom"). */
    private List<BenchCase> selectCases(BenchWorkload w) {
        boolean adHoc = batch != null || beams != null || newTokens != null || srcLen != null;
        String names = cases != null ? cases : adHoc ? "d" : "all";
        List<BenchCase> out = new ArrayList<>();
        List<String> wanted = names.equalsIgnoreCase("all") ? new ArrayList<>(w.cases().keySet())
                : Arrays.stream(names.split(",")).map(String::trim).toList();
        for (String name : wanted) {
            BenchCase c = w.cases().get(name);
            if (c == null) {
                throw new IllegalArgumentException("case '" + name + "' is not in " + w.name() + " (it has "
                        + String.join(", ", w.cases().keySet()) + ")");
            }
            out.add(adHoc ? adHoc(c, w) : c);
        }
        return out;
    }

    private BenchCase adHoc(BenchCase c, BenchWorkload w) {
        if ((batch != null && batch < 1) || (beams != null && beams < 1) || (newTokens != null && newTokens < 1)
                || (srcLen != null && srcLen < 2)) {
            throw new IllegalArgumentException("--batch, --beams, --new-tokens must be >= 1 and --src-len >= 2");
        }
        List<int[]> sources = new ArrayList<>();
        if (batch != null) {
            for (int i = 0; i < batch; i++) {
                sources.add(w.sources().get(i % w.sources().size()));
            }
        } else {
            sources.addAll(c.sources());
        }
        if (srcLen != null) {
            sources.replaceAll(s -> resize(s, srcLen));
        }
        return new BenchCase("custom", sources, beams != null ? beams : c.beams(),
                batch != null ? batch : c.batchSize(), newTokens != null ? newTokens : c.newTokens());
    }

    /** Keeps the first id (language) and the last ({@code </s>}); the middle is repeated or cut to fit. */
    static int[] resize(int[] source, int length) {
        int[] out = new int[length];
        out[0] = source[0];
        out[length - 1] = source[source.length - 1];
        int middle = Math.max(1, source.length - 2);
        for (int i = 1; i < length - 1; i++) {
            out[i] = source.length > 2 ? source[1 + (i - 1) % middle] : source[0];
        }
        return out;
    }

    private void print(CaseResult r) throws IOException {
        Map<String, Object> m = r.toJsonMap();
        m.put("loadavg_1m", loadAverageOneMinute());
        if (json) {
            out.println(JSON.writeValueAsString(m));
            return;
        }
        RunTimes med = r.medianRun();
        out.printf(Locale.ROOT, "case %s: %d sequences x %d beams, %d new tokens: median %.3f s (min %.3f, max %.3f, %d runs)%n",
                r.name(), r.sequences(), r.beams(), r.newTokens(), r.medianSeconds(), r.minSeconds(), r.maxSeconds(),
                r.runs().size());
        out.printf(Locale.ROOT, "  encoder %.1f ms, decoder %.2f ms/step (%d steps, %.1f rows/step), beam copies %.1f ms, "
                        + "other %.1f ms; process CPU %.2f s%n", med.encodeNanos() / 1e6, r.decodeMsPerStep(), med.steps(),
                med.steps() == 0 ? 0.0 : (double) med.stepRows() / med.steps(), med.copyNanos() / 1e6, med.otherNanos() / 1e6,
                med.cpuNanos() / 1e9);
        out.printf(Locale.ROOT, "  %.3f sentences/s, %.1f generated tokens/s; peak RSS %.2f GiB (now %.2f GiB); load %.2f s; "
                        + "load average %s%n", r.sentencesPerSecond(), r.tokensPerSecond(), r.peakRssBytes() / GIB,
                r.rssBytes() / GIB, r.loadSeconds(), loadAverage());
        double modelNanos = med.encodeNanos() + med.stepNanos() + med.copyNanos();
        med.ops().forEach((op, t) -> out.printf(Locale.ROOT, "    %-40s %8d calls %10.1f ms  %5.1f %%%n", op, t.calls(),
                t.millis(), 100 * t.nanos() / modelNanos));
    }

    private static final double GIB = 1024.0 * 1024 * 1024;

    private void printFloor(BenchSession session, List<CaseResult> results) throws IOException {
        double bandwidth = MemoryFloor.measureBandwidth(session.threads(), (long) bandwidthMib << 20, 5);
        long weights = MemoryFloor.decoderWeightsPerStep(session.config());
        WeightDType dtype = session.placement().dtype();
        double bytes = weights * MemoryFloor.bytesPerWeight(dtype);
        double floorMs = bytes / bandwidth * 1e3;
        CaseResult batch1 = results.stream().filter(r -> r.sequences() == 1 && r.beams() == 1).findFirst().orElse(null);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("probe", "memory_floor");
        m.put("dtype", dtype.toString());
        m.put("bandwidth_gbps", CaseResult.round(bandwidth / 1e9, 2));
        m.put("weight_bytes_per_step", (long) bytes);
        m.put("floor_ms_per_step", CaseResult.round(floorMs, 2));
        if (batch1 != null) {
            m.put("case", batch1.name());
            m.put("decode_ms_per_step", CaseResult.round(batch1.decodeMsPerStep(), 3));
            m.put("ratio_to_floor", CaseResult.round(batch1.decodeMsPerStep() / floorMs, 3));
        }
        m.put("loadavg_1m", loadAverageOneMinute());
        if (json) {
            out.println(JSON.writeValueAsString(m));
            return;
        }
        out.printf(Locale.ROOT, "memory floor: %.1f GB/s streaming read (%d threads); %,d weight bytes per batch-1 step "
                + "-> floor %.2f ms/step", bandwidth / 1e9, session.threads(), (long) bytes, floorMs);
        if (batch1 != null) {
            out.printf(Locale.ROOT, "; case %s decoder %.2f ms/step = %.2f x floor", batch1.name(),
                    batch1.decodeMsPerStep(), batch1.decodeMsPerStep() / floorMs);
        }
        out.println();
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    private static Double loadAverageOneMinute() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
