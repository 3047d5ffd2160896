package dev.m2m100.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
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
        int exit = new CommandLine(command).execute(args);
        String text = out.toString(StandardCharsets.UTF_8);
        List<String> lines = text.isEmpty() ? List.of() : Arrays.asList(text.split("\n"));
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
                    "--max-new-tokens", "24", "--ids");
            assertEquals(0, ids.exit(), ids.err());
            JsonNode sequences = c.get("beam").get("sequences");
            assertEquals(sequences.size(), ids.out().size());
            for (int b = 0; b < sequences.size(); b++) {
                assertEquals(json.writeValueAsString(alone(sequences.get(b))), ids.out().get(b),
                        c.get("id").asText() + " beam row " + b);
            }
            Run texts = run(input(c), "--model", FIXTURE.toString(), "--from", from, "--to", to,
                    "--beams", "1", "--max-new-tokens", "24");
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

    @Test
    void aLineThatIsNotAJsonStringIsAClearErrorAndNonZeroExit() {
        Run notJson = run("\"fine\"\nHello\n", "--model", FIXTURE.toString(), "--from", "en", "--to", "fr");
        assertEquals(2, notJson.exit());
        assertTrue(notJson.err().contains("line 2 is not valid JSON"), notJson.err());
        assertTrue(notJson.out().isEmpty(), "nothing is translated when the input is bad");

        Run number = run("42\n", "--model", FIXTURE.toString(), "--from", "en", "--to", "fr");
        assertEquals(2, number.exit());
        assertTrue(number.err().contains("line 1 is a JSON number"), number.err());

        Run empty = run("\"a\"\n\n", "--model", FIXTURE.toString(), "--from", "en", "--to", "fr");
        assertEquals(2, empty.exit());
        assertTrue(empty.err().contains("line 2 is empty"), empty.err());
    }

    /** The command line shares the service's text layer: sentences one by one, whitespace kept, auto. */
    @Test
    void linesAreTranslatedSentenceBySentence() throws IOException {
        ObjectMapper json = new ObjectMapper();
        String[] flags = {"--model", FIXTURE.toString(), "--to", "fr", "--beams", "1", "--max-new-tokens", "8"};
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
    void unknownLanguagesAndMissingModelsAreClearErrors() {
        Run lang = run("\"Hello\"\n", "--model", FIXTURE.toString(), "--from", "en", "--to", "xx");
        assertEquals(2, lang.exit());
        assertTrue(lang.err().contains("unsupported language 'xx'"), lang.err());

        Run model = run("\"Hello\"\n", "--model", "no/such/folder", "--from", "en", "--to", "fr");
        assertEquals(1, model.exit());
        assertTrue(model.err().contains("no/such/folder"), model.err());
    }
}
