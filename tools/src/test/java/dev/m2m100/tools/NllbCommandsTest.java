package dev.m2m100.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.m2m100.tools.cli.Cli;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code tokenize} and {@code translate --ids} on testdata/nllb-tiny against every Hugging Face reference case:
 * the commands find the NLLB family in the folder themselves.
 */
class NllbCommandsTest {
    static final Path FIXTURE = Path.of("..", "testdata", "nllb-tiny");
    private static final ObjectMapper JSON = new ObjectMapper();

    record Run(int exit, String out, String err) {
        List<String> lines() {
            return out.isEmpty() ? List.of() : List.of(out.substring(0, out.length() - 1).split("\n", -1));
        }
    }

    static Run tokenize(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        TokenizeCommand cmd = new TokenizeCommand(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                out, new PrintStream(err, true, StandardCharsets.UTF_8));
        return execute(Cli.commandLine(cmd), out, err, args);
    }

    static Run translate(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        TranslateCommand cmd = new TranslateCommand(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return execute(Cli.commandLine(cmd), out, err, args);
    }

    private static Run execute(CommandLine cl, ByteArrayOutputStream out, ByteArrayOutputStream err, String... args) {
        cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void tokenizeEncodesAndDecodesEveryReferenceCase() throws IOException {
        JsonNode ref = JSON.readTree(FIXTURE.resolve("reference/tokenizer.json").toFile());
        Map<String, List<JsonNode>> byLang = new LinkedHashMap<>();
        ref.get("cases").forEach(c -> byLang.computeIfAbsent(c.get("src_lang").asText(), k -> new ArrayList<>()).add(c));
        int cases = 0;
        for (Map.Entry<String, List<JsonNode>> e : byLang.entrySet()) {
            StringBuilder texts = new StringBuilder();
            StringBuilder ids = new StringBuilder();
            List<String> wantIds = new ArrayList<>();
            List<String> wantSkip = new ArrayList<>();
            List<String> wantSpecial = new ArrayList<>();
            for (JsonNode c : e.getValue()) {
                texts.append(JSON.writeValueAsString(c.get("text").asText())).append('\n');
                String idLine = c.get("input_ids").toString();
                ids.append(idLine).append('\n');
                wantIds.add(idLine);
                wantSkip.add(JSON.writeValueAsString(c.get("decoded_skip_special").asText()));
                wantSpecial.add(JSON.writeValueAsString(c.get("decoded_with_special").asText()));
                cases++;
            }
            Run enc = tokenize(texts.toString(), "--model", FIXTURE.toString(), "--lang", e.getKey());
            assertEquals(0, enc.exit(), enc.err());
            assertEquals(wantIds, enc.lines(), e.getKey());
            Run dec = tokenize(ids.toString(), "--model", FIXTURE.toString(), "--decode");
            assertEquals(wantSkip, dec.lines(), e.getKey() + " decode");
            Run special = tokenize(ids.toString(), "--model", FIXTURE.toString(), "--decode", "--keep-special");
            assertEquals(wantSpecial, special.lines(), e.getKey() + " decode --keep-special");
        }
        assertEquals(40, cases);
        // A BCP-47 tag resolves to the model's code.
        Run tag = tokenize("\"Life is like a box of chocolates.\"\n", "--model", FIXTURE.toString(), "--lang", "en-US");
        assertEquals(ref.get("cases").get(0).get("input_ids").toString() + "\n", tag.out());
        Run bad = tokenize("\"x\"\n", "--model", FIXTURE.toString(), "--lang", "xx");
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("--lang") && bad.err().contains("'xx'") && bad.err().contains("eng_Latn"), bad.err());
    }

    /** Greedy is the model's default (no --beams), then --beams 5; both with --max-new-tokens 24, every case. */
    @Test
    void translateIdsEqualsTheReferenceForEveryCaseGreedyAndFiveBeams() throws IOException {
        JsonNode ref = JSON.readTree(FIXTURE.resolve("reference/model.json").toFile());
        for (JsonNode c : ref.get("cases")) {
            String from = c.get("src_lang").asText();
            String to = c.get("tgt_lang").asText();
            String input = TranslateCommandTest.input(c);
            Run greedy = translate(input, "--model", FIXTURE.toString(), "--from", from, "--to", to,
                    "--max-new-tokens", "24", "--ids", "--json");
            Run beams = translate(input, "--model", FIXTURE.toString(), "--from", from, "--to", to,
                    "--beams", "5", "--max-new-tokens", "24", "--ids", "--json");
            assertEquals(0, greedy.exit(), greedy.err());
            assertEquals(0, beams.exit(), beams.err());
            assertEquals(rows(c.get("greedy").get("sequences")), greedy.lines(), c.get("id").asText() + " greedy");
            assertEquals(rows(c.get("beam").get("sequences")), beams.lines(), c.get("id").asText() + " 5 beams");
        }
    }

    @Test
    void isoCodesWorkOnTheCommandLineAndUnknownOnesNameTheFlag() throws IOException {
        JsonNode c = JSON.readTree(FIXTURE.resolve("reference/model.json").toFile()).get("cases").get(0);
        assertEquals("eng_Latn", c.get("src_lang").asText());
        assertEquals("fra_Latn", c.get("tgt_lang").asText());
        Run iso = translate(TranslateCommandTest.input(c), "--model", FIXTURE.toString(), "--from", "EN", "--to", "fr-FR",
                "--max-new-tokens", "24", "--ids", "--json");
        assertEquals(0, iso.exit(), iso.err());
        assertEquals(rows(c.get("greedy").get("sequences")), iso.lines());
        Run bad = translate("Hello\n", "--model", FIXTURE.toString(), "--from", "en", "--to", "xx", "--ids");
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("--to") && bad.err().contains("'xx'"), bad.err());
    }

    private static List<String> rows(JsonNode sequences) throws IOException {
        List<String> out = new ArrayList<>();
        for (JsonNode row : sequences) {
            out.add(JSON.writeValueAsString(TranslateCommandTest.alone(row)));
        }
        return out;
    }
}
