package dev.m2m100.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import dev.m2m100.tools.cli.Cli;
import java.io.PrintWriter;
import picocli.CommandLine;

/** {@code m2m100 translate} on the tiny fixture against the Hugging Face reference outputs. */
class TranslateCommandTest {
    static final Path FIXTURE = Path.of("..", "testdata", "m2m100-tiny");

    record Run(int exit, List<String> out, String err) {}

    static Run run(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        TranslateCommand command = new TranslateCommand(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        CommandLine cl = Cli.commandLine(command);
        cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        int exit = cl.execute(args);
        String text = out.toString(StandardCharsets.UTF_8);
        // One entry per printed line, empty translations included (every line ends with \n).
        List<String> lines = text.isEmpty() ? List.of()
                : Arrays.asList(text.substring(0, text.length() - 1).split("\n", -1));
        return new Run(exit, lines, err.toString(StandardCharsets.UTF_8));
    }

    static JsonNode reference() throws IOException {
        return new ObjectMapper().readTree(FIXTURE.resolve("reference/model.json").toFile());
    }

    /** The case's texts as input lines, one JSON string each. */
    static String input(JsonNode c) throws IOException {
        ObjectMapper json = new ObjectMapper();
        StringBuilder sb = new StringBuilder();
        for (JsonNode t : c.get("texts")) {
            sb.append(json.writeValueAsString(t.asText())).append('\n');
        }
        return sb.toString();
    }

    /**
     * Every case: beam ids with the model's default settings (5 beams from generation_config.json) and greedy
     * texts. (The engine's own parity test covers every mode × form; this pins the command's I/O.)
     */
    @Test
    void idsAndTextsEqualTheReferenceForEveryCase() throws IOException {
        ObjectMapper json = new ObjectMapper();
        for (JsonNode c : reference().get("cases")) {
            String from = c.get("src_lang").asText();
            String to = c.get("tgt_lang").asText();
            Run ids = run(input(c), "--model", FIXTURE.toString(), "--from", from, "--to", to,
                    "--max-new-tokens", "24", "--ids", "--json");
            assertEquals(0, ids.exit(), ids.err());
            JsonNode sequences = c.get("beam").get("sequences");
            assertEquals(sequences.size(), ids.out().size());
            for (int b = 0; b < sequences.size(); b++) {
                assertEquals(json.writeValueAsString(alone(sequences.get(b))), ids.out().get(b),
                        c.get("id").asText() + " beam row " + b);
            }
            Run texts = run(input(c), "--model", FIXTURE.toString(), "--from", from, "--to", to,
                    "--beams", "1", "--max-new-tokens", "24", "--json");
            assertEquals(0, texts.exit(), texts.err());
            List<String> want = new ArrayList<>();
            for (JsonNode t : c.get("greedy").get("texts")) {
                want.add(json.writeValueAsString(t.asText()));
            }
            assertEquals(want, texts.out(), c.get("id").asText() + " greedy texts");
        }
    }

    /** A padded reference row as generate() returns it alone: up to its first </s> after the start, no padding. */
    static List<Integer> alone(JsonNode row) {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < row.size(); i++) {
            ids.add(row.get(i).asInt());
            if (i > 0 && row.get(i).asInt() == 2) {
                break;
            }
        }
        return ids;
    }

    /** Plain text in and out by default, and the API's option names (--beam-size, --max-length) mean the same. */
    @Test
    void plainLinesInPlainTranslationsOut() throws IOException {
        ObjectMapper json = new ObjectMapper();
        for (JsonNode c : reference().get("cases")) {
            StringBuilder plain = new StringBuilder();
            boolean oneLineEach = true;
            for (JsonNode t : c.get("texts")) {
                oneLineEach &= !t.asText().contains("\n") && !t.asText().contains("\r");
                plain.append(t.asText()).append('\n');
            }
            if (!oneLineEach) {
                continue;
            }
            Run r = run(plain.toString(), "--model", FIXTURE.toString(), "--from", c.get("src_lang").asText(),
                    "--to", c.get("tgt_lang").asText(), "--beam-size", "1", "--max-length", "24");
            assertEquals(0, r.exit(), r.err());
            List<String> want = new ArrayList<>();
            for (JsonNode t : c.get("greedy").get("texts")) {
                want.add(t.asText().replaceAll("\\R", " "));
            }
            assertEquals(want, r.out(), c.get("id").asText());
            assertTrue(json.readTree(json.writeValueAsString(want)).isArray());
        }
    }

    /** Each bad line is reported with its number; the other lines are still translated, in place. */
    @Test
    void badLinesAreReportedByNumberAndTheRestIsTranslated() {
        Run r = run("\"Hello\"\nHello\n42\n\n\"World\"\n", "--model", FIXTURE.toString(), "--from", "en", "--to", "fr",
                "--json", "--max-length", "8");
        assertEquals(2, r.exit(), r.err());
        assertEquals(5, r.out().size(), String.join("\n", r.out()));
        assertTrue(r.out().get(0).startsWith("\""), r.out().get(0));
        assertEquals(List.of("null", "null", "null"), r.out().subList(1, 4));
        assertTrue(r.out().get(4).startsWith("\""), r.out().get(4));
        assertTrue(r.err().contains("line 2: not valid JSON"), r.err());
        assertTrue(r.err().contains("line 3: a JSON number"), r.err());
        assertTrue(r.err().contains("line 4: empty"), r.err());
        assertFalse(r.err().contains("line 1:") || r.err().contains("line 5:"), r.err());
    }

    /** A text longer than the model takes is a bad line, not a failed batch. */
    @Test
    void aTooLongLineIsReportedAndItsNeighboursTranslated() {
        String tooLong = "word ".repeat(2000);
        Run r = run("Hello\n" + tooLong + "\nWorld\n", "--model", FIXTURE.toString(), "--from", "en", "--to", "fr",
                "--max-length", "8", "--ids");
        assertEquals(2, r.exit(), r.err());
        assertEquals(3, r.out().size(), r.err());
        assertTrue(r.out().get(0).startsWith("[2,"), r.out().get(0));
        assertEquals("null", r.out().get(1));
        assertTrue(r.out().get(2).startsWith("[2,"), r.out().get(2));
        assertTrue(r.err().contains("line 2: the text is ") && r.err().contains("tokens long"), r.err());
    }

    /**
     * Output follows input while the input stays open: each line's translation arrives before the next line is
     * written (a filter that waited for the end of its input would print nothing until the pipe closed).
     */
    @Test
    void streamsWhileTheInputStaysOpen() throws Exception {
        PipedOutputStream feed = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(feed);
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        PrintStream stdout = new PrintStream(new LineSink(lines), true, StandardCharsets.UTF_8);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        TranslateCommand command = new TranslateCommand(stdin, stdout, new PrintStream(err, true, StandardCharsets.UTF_8));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> Cli.commandLine(command).execute(
                "--model", FIXTURE.toString(), "--from", "en", "--to", "fr", "--max-length", "8"));
        for (String text : List.of("Hello", "Life is like a box of chocolates.", "Goodbye")) {
            feed.write((text + "\n").getBytes(StandardCharsets.UTF_8));
            feed.flush();
            String line = lines.poll(60, TimeUnit.SECONDS);
            assertTrue(line != null, "no output for '" + text + "' while the input stays open; stderr: " + err);
            assertFalse(exit.isDone(), "the command ended before its input did");
        }
        feed.close();
        assertEquals(0, exit.get(60, TimeUnit.SECONDS), err.toString(StandardCharsets.UTF_8));
        assertTrue(lines.isEmpty(), "more output lines than input lines: " + lines);
    }

    /** Collects complete output lines as they are written. */
    private static final class LineSink extends OutputStream {
        private final BlockingQueue<String> lines;
        private final ByteArrayOutputStream current = new ByteArrayOutputStream();

        LineSink(BlockingQueue<String> lines) {
            this.lines = lines;
        }

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                lines.add(current.toString(StandardCharsets.UTF_8));
                current.reset();
            } else {
                current.write(b);
            }
        }
    }

    /** The command line shares the service's text layer: sentences one by one, whitespace kept, auto. */
    @Test
    void linesAreTranslatedSentenceBySentence() throws IOException {
        ObjectMapper json = new ObjectMapper();
        String[] flags = {"--model", FIXTURE.toString(), "--to", "fr", "--beams", "1", "--max-new-tokens", "8", "--json"};
        Run parts = run("\"Hello world.\"\n\"How are you?\"\n", concat(flags, "--from", "en"));
        assertEquals(0, parts.exit(), parts.err());
        String a = json.readValue(parts.out().get(0), String.class);
        String b = json.readValue(parts.out().get(1), String.class);
        Run whole = run(json.writeValueAsString("Hello world.\n\nHow are you?") + "\n"
                + json.writeValueAsString("Hello world. How are you?") + "\n", concat(flags, "--from", "en"));
        assertEquals(0, whole.exit(), whole.err());
        assertEquals(List.of(json.writeValueAsString(a + "\n\n" + b), json.writeValueAsString(a + " " + b)), whole.out());
        Run auto = run("\"Hello world. How are you?\"\n", concat(flags, "--from", "auto"));
        assertEquals(0, auto.exit(), auto.err());
        assertEquals(List.of(json.writeValueAsString(a + " " + b)), auto.out());
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void unknownLanguagesAndMissingModelsAreUsageErrors() {
        Run lang = run("Hello\n", "--model", FIXTURE.toString(), "--from", "en", "--to", "xx");
        assertEquals(2, lang.exit());
        assertTrue(lang.err().contains("unsupported language 'xx'"), lang.err());

        // A mistyped local folder is a path error, not a hub model id.
        Run model = run("Hello\n", "--model", "no/such/folder", "--from", "en", "--to", "fr");
        assertEquals(2, model.exit());
        assertTrue(model.err().contains("model folder ") && model.err().contains("no/such/folder does not exist"),
                model.err());
        assertFalse(model.err().contains("Exception"), model.err());

        Run pair = run("Hello\n", "--model", FIXTURE.toString(), "--from", "en", "--to", "fr", "--device", "cuda",
                "--dtype", "int8");
        assertEquals(2, pair.exit());
        assertTrue(pair.err().contains("cannot use dtype int8"), pair.err());
    }
}
