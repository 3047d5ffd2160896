package dev.m2m100.tokenizer.sentencepiece;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.m2m100.tokenizer.Fixtures;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Differential test against the C++ SentencePiece (spm_encode 0.1.97): golden pieces and ids for
 * thousands of generated strings, and spm_decode's text for piece sequences. Regenerate with tokenizer/src/test/scripts/make_spm_golden.py.
 */
class SentencePieceGoldenTest {

    @Test
    void m2m100TinyBpeModelMatchesSpmEncode() throws IOException {
        SentencePieceModel model = SentencePieceModel.load(Fixtures.modelDir().resolve("sentencepiece.bpe.model"));
        check(model, "/spm/golden-m2m100-tiny.jsonl", 3000);
    }

    @Test
    void unigramModelWithUserSymbolsMatchesSpmEncode() throws IOException {
        SentencePieceModel model = loadResource("/spm/unigram-test.model");
        assertEquals("UNIGRAM", model.proto().getTrainerSpec().getModelType().name());
        assertTrue(model.proto().getTrainerSpec().getUserDefinedSymbolsCount() > 0);
        check(model, "/spm/golden-unigram.jsonl", 1500);
    }

    @Test
    void bpeModelWithUserSymbolsMatchesSpmEncode() throws IOException {
        SentencePieceModel model = loadResource("/spm/bpe-user-symbols.model");
        assertEquals("BPE", model.proto().getTrainerSpec().getModelType().name());
        assertTrue(model.proto().getTrainerSpec().getUserDefinedSymbolsCount() > 0);
        check(model, "/spm/golden-bpe-user-symbols.jsonl", 1500);
    }

    @Test
    void decodingRandomPieceSequencesMatchesSpmDecode() throws IOException {
        SentencePieceModel model = SentencePieceModel.load(Fixtures.modelDir().resolve("sentencepiece.bpe.model"));
        ObjectMapper json = new ObjectMapper();
        List<String> failures = new ArrayList<>();
        int lines = 0;
        try (InputStream in = SentencePieceGoldenTest.class.getResourceAsStream("/spm/golden-decode-m2m100-tiny.jsonl")) {
            if (in == null) {
                throw new IOException("missing test resource /spm/golden-decode-m2m100-tiny.jsonl");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                lines++;
                JsonNode c = json.readTree(line);
                List<String> pieces = new ArrayList<>();
                c.get("pieces").forEach(p -> pieces.add(p.asText()));
                String decoded = model.decodePieces(pieces);
                if (!decoded.equals(c.get("decoded").asText())) {
                    failures.add("line " + lines + " " + pieces + "\n  expected "
                            + json.writeValueAsString(c.get("decoded").asText()) + "\n  got      "
                            + json.writeValueAsString(decoded));
                }
            }
        }
        assertEquals(1000, lines);
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + lines + " decodes differ from spm_decode; first ones:\n"
                    + String.join("\n", failures.subList(0, Math.min(10, failures.size()))));
        }
    }

    private static SentencePieceModel loadResource(String name) throws IOException {
        try (InputStream in = SentencePieceGoldenTest.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing test resource " + name);
            }
            return SentencePieceModel.parse(in.readAllBytes(), name);
        }
    }

    private static void check(SentencePieceModel model, String golden, int expectedLines) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> failures = new ArrayList<>();
        int lines = 0;
        try (InputStream in = SentencePieceGoldenTest.class.getResourceAsStream(golden)) {
            if (in == null) {
                throw new IOException("missing test resource " + golden);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                lines++;
                JsonNode c = json.readTree(line);
                String text = c.get("text").asText();
                List<String> expectedPieces = new ArrayList<>();
                c.get("pieces").forEach(p -> expectedPieces.add(p.asText()));
                int[] expectedIds = Fixtures.ints(c.get("ids"));
                List<String> pieces = model.encodeAsPieces(text);
                int[] ids = model.encodeAsIds(text);
                if (!pieces.equals(expectedPieces) || !Arrays.equals(ids, expectedIds)) {
                    failures.add(golden + " line " + lines + " " + json.writeValueAsString(text)
                            + "\n  expected " + expectedPieces + " " + Arrays.toString(expectedIds)
                            + "\n  got      " + pieces + " " + Arrays.toString(ids));
                }
                String decoded = model.decodePieces(expectedPieces);
                if (!decoded.equals(c.get("decoded").asText())) {
                    failures.add(golden + " line " + lines + " decode of " + expectedPieces
                            + "\n  expected " + json.writeValueAsString(c.get("decoded").asText())
                            + "\n  got      " + json.writeValueAsString(decoded));
                }
            }
        }
        assertEquals(expectedLines, lines, golden + ": number of golden lines");
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + lines + " strings differ from spm_encode; first ones:\n"
                    + String.join("\n", failures.subList(0, Math.min(10, failures.size()))));
        }
    }
}
