package dev.m2m100.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Single-thread encoder throughput (MB of UTF-8 input text per second), a plain timed loop: the
 * reference texts plus the 3000 generated strings of the spm golden file, encoded over and over.
 * Run from the repository root (see docs/PERFORMANCE.md for the command); not part of the test suite.
 */
public final class EncodeThroughput {

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 10.0;
        M2M100Tokenizer tok = M2M100Tokenizer.load(Fixtures.modelDir());
        List<String> texts = corpus();
        long bytesPerPass = 0;
        for (String t : texts) {
            bytesPerPass += t.getBytes(StandardCharsets.UTF_8).length;
        }
        System.out.printf("corpus: %d texts, %d bytes per pass%n", texts.size(), bytesPerPass);
        run("warm-up encode(text, lang)", tok, texts, bytesPerPass, seconds, false);
        run("encode(text, lang)        ", tok, texts, bytesPerPass, seconds, false);
        run("spm encodeAsIds(text)     ", tok, texts, bytesPerPass, seconds, true);
    }

    /** Rounds of about one second each; prints the median and the best round (the machine may be shared). */
    private static void run(String label, M2M100Tokenizer tok, List<String> texts, long bytesPerPass,
                            double seconds, boolean spmOnly) {
        long sink = 0;
        List<Double> rates = new ArrayList<>();
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpuStart = mx.getCurrentThreadCpuTime();
        long totalPasses = 0;
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            long passes = 0;
            long start = System.nanoTime();
            long roundEnd = start + 1_000_000_000L;
            while (System.nanoTime() < roundEnd) {
                for (String t : texts) {
                    int[] ids = spmOnly ? tok.sentencePiece().encodeAsIds(t) : tok.encode(t, "en");
                    sink += ids.length;
                }
                passes++;
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            rates.add(passes * bytesPerPass / 1e6 / elapsed);
            totalPasses += passes;
        }
        // CPU time of this thread: what the loop costs on one core even when the machine is shared.
        double cpuSeconds = (mx.getCurrentThreadCpuTime() - cpuStart) / 1e9;
        rates.sort(null);
        System.out.printf("%s wall-clock median %6.2f MB/s, best %6.2f MB/s over %d rounds; per CPU-second %6.2f MB/s"
                        + " (checksum %d)%n", label, rates.get(rates.size() / 2), rates.get(rates.size() - 1),
                rates.size(), totalPasses * bytesPerPass / 1e6 / cpuSeconds, sink);
    }

    private static List<String> corpus() throws Exception {
        List<String> texts = new ArrayList<>();
        for (JsonNode c : Fixtures.reference("tokenizer.json").get("cases")) {
            texts.add(c.get("text").asText());
        }
        for (JsonNode c : Fixtures.reference("model.json").get("cases")) {
            c.get("texts").forEach(t -> texts.add(t.asText()));
        }
        ObjectMapper json = new ObjectMapper();
        try (InputStream in = EncodeThroughput.class.getResourceAsStream("/spm/golden-m2m100-tiny.jsonl")) {
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                texts.add(json.readTree(line).get("text").asText());
            }
        }
        return texts;
    }
}
