package dev.m2m100.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * NllbTokenizer against every case of testdata/nllb-tiny/reference/tokenizer.json (Hugging Face transformers
 * 4.43.4, slow NllbTokenizer), exactly; and the three ways a folder pins the id layout.
 */
class NllbTokenizerTest {

    private static final JsonNode REF = Fixtures.reference(Fixtures.nllbDir(), "tokenizer.json");
    private static final NllbTokenizer TOK = load(Fixtures.nllbDir());

    private static NllbTokenizer load(Path dir) {
        try {
            return NllbTokenizer.load(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void headerFiguresMatch() {
        assertEquals(REF.get("len_tokenizer").asInt(), TOK.size(), "len(tokenizer)");
        assertEquals(REF.get("mask_token_id").asInt(), TOK.maskId());
        assertEquals(REF.get("sp_model_size").asInt(), TOK.sentencePiece().size());
        assertEquals(REF.get("fairseq_offset").asInt(), NllbTokenizer.FAIRSEQ_OFFSET);
        assertLayout(REF, TOK);
        assertEquals(40, REF.get("cases").size(), "expected the 40 reference cases");
    }

    private static void assertLayout(JsonNode ref, NllbTokenizer tok) {
        List<String> codes = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : ref.get("lang_code_to_id").properties()) {
            codes.add(e.getKey());
            assertEquals(e.getValue().asInt(), tok.languageId(e.getKey()), "lang id of " + e.getKey());
            assertEquals(e.getKey(), tok.languageOfId(e.getValue().asInt()));
        }
        assertEquals(codes, tok.languages(), "language order");
        assertEquals(NllbLanguages.CODES, tok.languages(), "fairseq order");
    }

    @TestFactory
    Stream<DynamicTest> everyCase() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : REF.get("cases")) {
            String name = c.get("id").asText();
            tests.add(DynamicTest.dynamicTest(name, () -> {
                String text = c.get("text").asText();
                String lang = c.get("src_lang").asText();
                List<String> expectedTokens = new ArrayList<>();
                c.get("tokens").forEach(t -> expectedTokens.add(t.asText()));
                assertEquals(expectedTokens, TOK.tokenize(text), name + ": tokens");
                int[] expectedIds = Fixtures.ints(c.get("input_ids"));
                int[] ids = TOK.encode(text, lang);
                assertArrayEquals(expectedIds, ids, name + ": input_ids, got " + Arrays.toString(ids));
                assertEquals(c.get("decoded_skip_special").asText(), TOK.decode(expectedIds),
                        name + ": decoded_skip_special");
                assertEquals(c.get("decoded_with_special").asText(), TOK.decodeWithSpecial(expectedIds),
                        name + ": decoded_with_special");
            }));
        }
        return tests.stream();
    }

    @Test
    void specialIdsAndNames() {
        assertEquals(0, TOK.bosId());
        assertEquals(1, TOK.padId());
        assertEquals(2, TOK.eosId());
        assertEquals(3, TOK.unkId());
        assertNull(TOK.languageOfId(5));
        assertEquals("English", NllbLanguages.name("eng_Latn"));
        for (String code : TOK.languages()) {
            assertTrue(NllbLanguages.name(code) != null, code);
        }
        UnsupportedLanguageException e = assertThrows(UnsupportedLanguageException.class, () -> TOK.encode("x", "en"));
        assertEquals("en", e.code());
        // Past len(tokenizer) (the real checkpoint's two spare rows): <unk>, never an exception.
        assertEquals("<unk>", TOK.idToTokenString(4204));
        assertEquals("", TOK.decode(new int[] {2, 4047, 2, 1}));
    }

    /** Without added_tokens_decoder, the ids follow the fairseq layout that the real checkpoints have. */
    @Test
    void fairseqLayoutWithoutPinnedIds(@TempDir Path tmp) throws IOException {
        Path dir = copy(tmp.resolve("legacy"));
        ObjectNode config = (ObjectNode) new ObjectMapper().readTree(dir.resolve(NllbTokenizer.CONFIG_FILE).toFile());
        config.remove("added_tokens_decoder");
        Files.writeString(dir.resolve(NllbTokenizer.CONFIG_FILE), config.toString());
        NllbTokenizer tok = NllbTokenizer.load(dir);
        assertLayout(REF, tok);
        assertEquals(4203, tok.maskId());
        assertEquals(TOK.tokenize("The cat   <mask> on"), tok.tokenize("The cat   <mask> on"));
    }

    /** tokenizer.json's added_tokens pin the ids when tokenizer_config.json does not (the real repository). */
    @Test
    void fastTokenizerFilePinsTheIds(@TempDir Path tmp) throws IOException {
        Path dir = copy(tmp.resolve("fast"));
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = (ObjectNode) json.readTree(dir.resolve(NllbTokenizer.CONFIG_FILE).toFile());
        JsonNode decoder = config.remove("added_tokens_decoder");
        ObjectNode fast = json.createObjectNode();
        ArrayNode added = fast.putArray("added_tokens");
        // Reversed and shifted codes: the file's ids win over the fairseq layout.
        decoder.properties().forEach(e -> {
            ObjectNode t = ((ObjectNode) e.getValue().deepCopy());
            int id = Integer.parseInt(e.getKey());
            t.put("id", id >= 4001 ? 4001 + 4203 - id : id);
            added.add(t);
        });
        Files.writeString(dir.resolve(NllbTokenizer.CONFIG_FILE), config.toString());
        Files.writeString(dir.resolve(NllbTokenizer.FAST_TOKENIZER_FILE), fast.toString());
        NllbTokenizer tok = NllbTokenizer.load(dir);
        assertEquals(4001, tok.maskId());
        assertEquals(4203, tok.languageId("ace_Arab"));
        assertEquals("zul_Latn", tok.languages().getFirst());
        assertEquals(4001 + 4203 - 4047, tok.encode("", "eng_Latn")[0]);
    }

    @Test
    void missingAndInconsistentFilesGiveClearErrors(@TempDir Path tmp) throws IOException {
        IOException noDir = assertThrows(NoSuchFileException.class, () -> NllbTokenizer.load(tmp.resolve("nope")));
        assertTrue(noDir.getMessage().contains("nope"), noDir.getMessage());
        for (String f : List.of(NllbTokenizer.SPM_FILE, NllbTokenizer.CONFIG_FILE)) {
            Path dir = copy(tmp.resolve("missing-" + f));
            Files.delete(dir.resolve(f));
            IOException e = assertThrows(NoSuchFileException.class, () -> NllbTokenizer.load(dir));
            assertTrue(e.getMessage().contains(f), e.getMessage());
        }
        Path moved = copy(tmp.resolve("moved"));
        String config = Files.readString(moved.resolve(NllbTokenizer.CONFIG_FILE));
        Files.writeString(moved.resolve(NllbTokenizer.CONFIG_FILE), config.replace("\"4001\"", "\"17\""));
        IOException e = assertThrows(IOException.class, () -> NllbTokenizer.load(moved));
        assertTrue(e.getMessage().contains("ace_Arab") && e.getMessage().contains("17"), e.getMessage());
    }

    private static Path copy(Path to) throws IOException {
        Files.createDirectories(to);
        for (String f : List.of(NllbTokenizer.SPM_FILE, NllbTokenizer.CONFIG_FILE, NllbTokenizer.SPECIAL_TOKENS_FILE)) {
            Files.copy(Fixtures.nllbDir().resolve(f), to.resolve(f));
        }
        return to;
    }
}
