package dev.m2m100.tools;

import dev.m2m100.server.text.Detection;
import dev.m2m100.server.text.LinguaDetector;
import dev.m2m100.server.text.SentenceSegmenter;
import dev.m2m100.engine.family.ModelFamilies;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * {@code m2m100 bench-text}: what the text layer costs next to the model, on one thread (pin it to one core
 * with {@code taskset -c 0}): sentence segmentation in MB/s of UTF-8 text, and language detection (Lingua,
 * low-accuracy mode, over the model's languages) in detections/s on short texts, with the resident memory it
 * adds and the time of its lazy first use.
 */
@Command(name = "bench-text", mixinStandardHelpOptions = true,
        description = "Measure sentence segmentation (MB/s) and language detection (detections/s, memory) on one thread.")
public final class TextBenchCommand implements Callable<Integer> {
    /** Short texts in several languages and scripts, as records typically are (written for this benchmark). */
    static final List<String> SENTENCES = List.of(
            "Life is like a box of chocolates.", "Please select a file to open, then press the button.",
            "The network connection was interrupted.", "Mr. Smith arrived at 5 p.m. yesterday.",
            "La vie est comme une boîte de chocolats.", "Impossible d'ouvrir le fichier.",
            "Das Leben ist wie eine Schachtel Pralinen.", "Die Datei konnte nicht gespeichert werden.",
            "La vida es como una caja de bombones.", "¿Desea guardar los cambios?",
            "A vida é como uma caixa de chocolates.", "Het leven is als een doos chocolaatjes.",
            "Жизнь как коробка шоколадных конфет.", "Не удалось подключиться к серверу.",
            "人生はチョコレートの箱のようなものだ。", "ファイルを開けませんでした。",
            "生活就像一盒巧克力。", "请检查网络连接，然后再试一次。",
            "파일을 열 수 없습니다.", "لا يمكن فتح الملف.", "फ़ाइल नहीं खोली जा सकी।",
            "Dosya açılamadı.", "Nie można otworzyć pliku.", "Tiedostoa ei voitu avata.");
    private static final String[] SEPARATORS = {" ", " ", " ", "\n", "\n\n", ""};

    @Option(names = "--model", required = true, description = "model folder (its languages restrict detection)")
    Path model;

    @Option(names = "--megabytes", defaultValue = "20", description = "text segmented per timed round (default: ${DEFAULT-VALUE})")
    int megabytes;

    @Option(names = "--seconds", defaultValue = "5", description = "duration of the timed detection run (default: ${DEFAULT-VALUE})")
    int seconds;

    @Override
    public Integer call() throws IOException {
        List<String> languages = ModelFamilies.openCodec(model).languageTable().codes();
        System.out.println("cpu: " + cpu() + "; java " + Runtime.version() + "; model languages: " + languages.size());
        detection(languages);
        segmentation();
        return 0;
    }

    private void detection(List<String> languages) {
        long rss0 = rssAfterGc();
        long t0 = System.nanoTime();
        Optional<LinguaDetector> built = LinguaDetector.forModel(c -> languages.contains(c) ? Optional.of(c) : Optional.empty());
        long created = System.nanoTime() - t0;
        long rss1 = rssAfterGc();
        LinguaDetector detector = built.orElseThrow(() -> new IllegalStateException("no detectable languages"));
        System.out.printf(Locale.ROOT, "detection: %d model languages detectable; set up in %.1f ms, resident memory +%.1f MB "
                + "(what a server pays at start)%n", detector.languages().size(), created / 1e6, (rss1 - rss0) / 1e6);
        t0 = System.nanoTime();
        Detection first = detector.detect(SENTENCES.getFirst());
        long firstUse = System.nanoTime() - t0;
        long rss2 = rssAfterGc();
        System.out.printf(Locale.ROOT, "detection: first use (loads the language models) %.0f ms -> %s; resident memory "
                + "+%.1f MB after it (%.1f MB heap in use after GC)%n", firstUse / 1e6, first.language(), (rss2 - rss1) / 1e6,
                heapUsed() / 1e6);
        for (int round = 0; round < 2; round++) {
            long n = 0;
            long chars = 0;
            long start = System.nanoTime();
            long end = start + seconds * 1_000_000_000L;
            while (System.nanoTime() < end) {
                for (String s : SENTENCES) {
                    detector.detect(s);
                    chars += s.length();
                    n++;
                }
            }
            double secs = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "detection round %d (%s): %.0f detections/s over %d short texts (mean %.0f chars)%n",
                    round + 1, round == 0 ? "warm-up" : "timed", n / secs, SENTENCES.size(), (double) chars / n);
        }
        System.out.printf(Locale.ROOT, "detection: resident memory now +%.1f MB over the start%n", (rssAfterGc() - rss0) / 1e6);
    }

    private void segmentation() {
        // Paragraph-sized records of 1-12 sentences with the usual separators, about `megabytes` MB in all.
        Random random = new Random(1);
        List<String> records = new ArrayList<>();
        long bytes = 0;
        while (bytes < megabytes * 1_000_000L) {
            StringBuilder sb = new StringBuilder();
            for (int i = 1 + random.nextInt(12); i > 0; i--) {
                String s = SENTENCES.get(random.nextInt(SENTENCES.size()));
                sb.append(s).append(i > 1 ? SEPARATORS[random.nextInt(SEPARATORS.length)] : "");
            }
            String record = sb.toString();
            records.add(record);
            bytes += record.getBytes(StandardCharsets.UTF_8).length;
        }
        SentenceSegmenter segmenter = new SentenceSegmenter();
        for (int round = 0; round < 3; round++) {
            long pieces = 0;
            long t0 = System.nanoTime();
            for (String r : records) {
                // The language a record is segmented with does not change ICU's cost much; use the server's path.
                pieces += segmenter.segment(r, "en").pieces().size();
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "segmentation round %d (%s): %.1f MB of UTF-8 text in %d records -> %d sentences "
                    + "in %.2f s = %.1f MB/s%n", round + 1, round == 0 ? "warm-up" : "timed", bytes / 1e6, records.size(),
                    pieces, secs, bytes / 1e6 / secs);
        }
    }

    private static long heapUsed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** VmRSS of this process after a full collection, in bytes (Linux). */
    private static long rssAfterGc() {
        System.gc();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self/status", e);
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    private static String cpu() {
        try {
            String family = null;
            String model = null;
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (family == null && line.startsWith("cpu family")) {
                    family = line.substring(line.indexOf(':') + 1).strip();
                } else if (model == null && line.matches("model\\s+:.*")) {
                    model = line.substring(line.indexOf(':') + 1).strip();
                }
            }
            return "family " + family + " model " + model;
        } catch (IOException e) {
            return "unknown";
        }
    }
}
