package dev.m2m100.tools;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.m2m100.tools.cli.Cli;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The bench sub-command on the m2m100-tiny fixture with a tiny synthetic workload. */
class BenchCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> FIELDS = List.of("case", "dtype", "median_s", "min_s", "max_s", "runs",
            "sequences", "new_tokens", "decode_ms_per_step", "peak_rss_bytes", "load_s");

    private record Result(int code, String out, String err) {}

    private static Path tinyModel() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("testdata/m2m100-tiny"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("testdata/m2m100-tiny not found");
        }
        return dir.resolve("testdata/m2m100-tiny");
    }

    private static Path tinyWorkload() throws URISyntaxException {
        return Path.of(BenchCommandTest.class.getResource("/bench/tiny-workload.json").toURI());
    }

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        BenchCommand cmd = new BenchCommand(new PrintStream(out, true, StandardCharsets.UTF_8));
        CommandLine cl = Cli.commandLine(cmd);
        cl.setErr(new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));
        int code = cl.execute(args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static List<JsonNode> lines(String out) throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                nodes.add(JSON.readTree(line));
            }
        }
        return nodes;
    }

    @Test
    void allCasesPrintOneJsonLineEachWithExactlyTheFixedLength() throws Exception {
        Result r = run("--model", tinyModel().toString(), "--workload", tinyWorkload().toString(), "--case", "all",
                "--threads", "2", "--runs", "2", "--json");
        assertEquals(0, r.code(), r.err());
        List<JsonNode> got = lines(r.out());
        assertEquals(List.of("a", "b", "c", "d"), got.stream().map(n -> n.get("case").asText()).toList());
        int[] sequences = {1, 4, 4, 1};
        int[] batches = {1, 2, 1, 1};
        // Beam search steps one row per sequence while its beams share one history (the start token, then the
        // forced language token): 5 steps of a 3-beam sequence run 1, 1, 3, 3, 3 rows; b's batches of 2 x 2
        // beams run 2, 2, 4, 4, 4.
        double[] rowsPerStep = {11 / 5.0, 16 / 5.0, 4, 1};
        for (int i = 0; i < got.size(); i++) {
            JsonNode n = got.get(i);
            for (String f : FIELDS) {
                assertTrue(n.has(f), "field " + f + " missing in " + n);
            }
            assertEquals("f32", n.get("dtype").asText());
            assertEquals(2, n.get("runs").asInt());
            assertEquals(2, n.get("all_s").size());
            assertEquals(sequences[i], n.get("sequences").asInt(), n.toString());
            assertEquals(5, n.get("new_tokens").asInt());
            // Every group generates exactly 5 tokens: 5 decoder steps per submitted group, all rows in each.
            assertEquals(5L * batches[i], n.get("decoder_steps").asLong(), n.toString());
            assertEquals(rowsPerStep[i], n.get("decoder_rows_per_step").asDouble(), 1e-9, n.toString());
            double min = n.get("min_s").asDouble();
            double med = n.get("median_s").asDouble();
            double max = n.get("max_s").asDouble();
            assertTrue(min > 0 && min <= med && med <= max, n.toString());
            assertTrue(n.get("decode_ms_per_step").asDouble() > 0, n.toString());
            assertTrue(n.get("peak_rss_bytes").asLong() > 0, n.toString());
            assertTrue(n.get("load_s").asDouble() > 0, n.toString());
            // CPU time is read at clock-tick granularity (10 ms): a few-millisecond run may read 0.
            assertTrue(n.get("cpu_s").isNumber() && n.get("cpu_s").asDouble() >= 0, n.toString());
            assertTrue(n.get("alloc_bytes_per_step").isNumber() && n.get("alloc_bytes_per_step").asDouble() >= 0,
                    n.toString());
            // median_s is printed rounded to 0.1 ms: tokens/s must lie within what that rounding allows.
            double tokens = sequences[i] * 5.0;
            double tokensPerS = n.get("tokens_per_s").asDouble();
            assertTrue(tokensPerS >= tokens / (med + 0.00005) * 0.999 && tokensPerS <= tokens / Math.max(med - 0.00005, 1e-9) * 1.001,
                    n.toString());
        }
    }

    @Test
    void adHocOptionsMakeOneCustomCase() throws Exception {
        Result r = run("--model", tinyModel().toString(), "--workload", tinyWorkload().toString(), "--threads", "1",
                "--runs", "1", "--warmup", "0", "--batch", "3", "--beams", "2", "--new-tokens", "7", "--src-len", "9",
                "--json");
        assertEquals(0, r.code(), r.err());
        List<JsonNode> got = lines(r.out());
        assertEquals(1, got.size(), r.out());
        JsonNode n = got.get(0);
        assertEquals("custom", n.get("case").asText());
        assertEquals(3, n.get("sequences").asInt());
        assertEquals(2, n.get("beams").asInt());
        assertEquals(7, n.get("new_tokens").asInt());
        assertEquals(7, n.get("decoder_steps").asLong());
        // 3 sequences x 2 beams: 3 rows at the first two steps (twin beams), then 6; printed to 0.01
        assertEquals((3 + 3 + 5 * 6) / 7.0, n.get("decoder_rows_per_step").asDouble(), 0.005);
    }

    @Test
    void opTimesCountEveryDecoderOperationAndFitInsideTheModelTime() throws Exception {
        Result r = run("--model", tinyModel().toString(), "--workload", tinyWorkload().toString(), "--threads", "2",
                "--runs", "1", "--warmup", "0", "--batch", "3", "--beams", "2", "--new-tokens", "7", "--json",
                "--op-times");
        assertEquals(0, r.code(), r.err());
        JsonNode n = lines(r.out()).get(0);
        long steps = n.get("decoder_steps").asLong();
        assertEquals(7, steps);
        Map<String, Long> calls = new HashMap<>();
        double opMillis = 0;
        for (JsonNode op : n.get("ops")) {
            calls.put(op.get("op").asText(), op.get("calls").asLong());
            opMillis += op.get("ms").asDouble();
        }
        int layers = 2;
        // A step runs its rows through 2 layers of 3 layer norms and each attention once per layer, then the final
        // layer norm, the output projection (the tied embedding) and the top-k. The first two steps run one row
        // per source (3: the 2 beams are twins), the others 6 (3 sources x 2 beams). The first step forces the
        // language token for every row, so it skips the final norm, the projection and the top-k.
        long full = steps - 2;
        assertEquals(2 * 3 * layers + 1, calls.get("layerNorm m=3"), calls.toString());
        assertEquals(full * (3 * layers + 1), calls.get("layerNorm m=6"), calls.toString());
        assertEquals(2 * layers, calls.get("cachedSelfAttention m=3"), calls.toString());
        assertEquals(full * layers, calls.get("cachedSelfAttention m=6"), calls.toString());
        assertEquals(2 * layers, calls.get("crossAttention m=3"), calls.toString());
        assertEquals(full * layers, calls.get("crossAttention m=6"), calls.toString());
        assertEquals(1, calls.get("linear 64x4101 embedding m=3"), calls.toString());
        assertEquals(full, calls.get("linear 64x4101 embedding m=6"), calls.toString());
        assertEquals(1, calls.get("logSoftmaxTopK m=3 k=4"), calls.toString());
        assertEquals(full, calls.get("logSoftmaxTopK m=6 k=4"), calls.toString());
        double modelMillis = n.get("encoder_ms").asDouble() + steps * n.get("decode_ms_per_step").asDouble()
                + n.get("beam_copy_ms").asDouble();
        assertTrue(opMillis > 0 && opMillis <= modelMillis + 0.1, opMillis + " ms of operations in " + modelMillis
                + " ms of model time: " + n);
    }

    @Test
    void textOutputNamesTheMeasures() throws Exception {
        Result r = run("--model", tinyModel().toString(), "--workload", tinyWorkload().toString(), "--case", "d",
                "--threads", "1", "--runs", "1", "--floor", "--bandwidth-mib", "16");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("case d: 1 sequences x 1 beams, 5 new tokens"), r.out());
        assertTrue(r.out().contains("ms/step"), r.out());
        assertTrue(r.out().contains("memory floor:"), r.out());
    }

    @Test
    void idsOutsideTheVocabularyAreRejectedNamingTheFile(@TempDir Path tmp) throws Exception {
        Path bad = tmp.resolve("bad.json");
        Files.writeString(bad, Files.readString(tinyWorkload()).replace("[4011, 44, 203", "[4011, 99999, 203"));
        Result r = run("--model", tinyModel().toString(), "--workload", bad.toString(), "--threads", "1");
        assertEquals(2, r.code(), "a workload that does not fit the model is bad input");
        assertTrue(r.err().contains(bad.toString()) && r.err().contains("sources[1]") && r.err().contains("99999"), r.err());
    }

    @Test
    void unknownCaseIsRejected() throws Exception {
        Result r = run("--model", tinyModel().toString(), "--workload", tinyWorkload().toString(), "--case", "e");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("case 'e'"), r.err());
    }

    /**
     * The standard workload ships inside the tool and the tiny preset has the real vocabulary, so bench runs on a
     * small random model from any working directory (the container's is /tmp).
     */
    @Test
    void theStandardWorkloadRunsOnTheTinyPresetWithoutTheRepository(@TempDir Path tmp) throws Exception {
        Path model = tmp.resolve("tiny");
        int written = Cli.commandLine(new dev.m2m100.tools.randommodel.RandomModelCommand())
                .execute("--preset", "tiny", "--out", model.toString());
        assertEquals(0, written);
        Result r = run("--model", model.toString(), "--case", "d", "--threads", "1", "--runs", "1", "--warmup", "0",
                "--new-tokens", "4", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode n = lines(r.out()).getFirst();
        assertEquals("custom", n.get("case").asText());
        assertEquals(4, n.get("new_tokens").asInt());
    }

    @Test
    void resizeKeepsLanguageAndEos() {
        assertArrayEquals(new int[] {9, 5, 6, 5, 6, 2}, BenchCommand.resize(new int[] {9, 5, 6, 2}, 6));
        assertArrayEquals(new int[] {9, 5, 2}, BenchCommand.resize(new int[] {9, 5, 6, 7, 2}, 3));
        assertArrayEquals(new int[] {9, 2}, BenchCommand.resize(new int[] {9, 5, 2}, 2));
    }
}
