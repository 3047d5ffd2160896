package dev.m2m100.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every case of reference/tokenizer.json (Hugging Face transformers 4.43.4 outputs), exactly. */
class HfReferenceTokenizerTest {

    private static final JsonNode REF = Fixtures.reference("tokenizer.json");

    @Test
    void headerFiguresMatch() {
        M2M100Tokenizer tok = Fixtures.tokenizer();
        assertEquals(REF.get("len_tokenizer").asInt(), tok.size(), "len(tokenizer)");
        assertEquals(REF.get("len_vocab_json").asInt() + 100, tok.size());
        List<String> codes = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : REF.get("lang_code_to_id").properties()) {
            codes.add(e.getKey());
            assertEquals(e.getValue().asInt(), tok.languageId(e.getKey()), "lang id of " + e.getKey());
            assertEquals(e.getKey(), tok.languageOfId(e.getValue().asInt()));
        }
        assertEquals(codes, tok.languages(), "language order");
        assertTrue(REF.get("cases").size() >= 39, "expected the 39 reference cases");
    }

    @TestFactory
    Stream<DynamicTest> everyCase() {
        M2M100Tokenizer tok = Fixtures.tokenizer();
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : REF.get("cases")) {
            String name = c.get("id").asText();
            tests.add(DynamicTest.dynamicTest(name, () -> {
                String text = c.get("text").asText();
                String lang = c.get("src_lang").asText();
                List<String> expectedTokens = new ArrayList<>();
                c.get("tokens").forEach(t -> expectedTokens.add(t.asText()));
                assertEquals(expectedTokens, tok.tokenize(text), name + ": tokens");
                int[] expectedIds = Fixtures.ints(c.get("input_ids"));
                int[] ids = tok.encode(text, lang);
                assertArrayEquals(expectedIds, ids, name + ": input_ids, got " + Arrays.toString(ids));
                assertEquals(c.get("decoded_skip_special").asText(), tok.decode(expectedIds),
                        name + ": decoded_skip_special");
                assertEquals(c.get("decoded_with_special").asText(), tok.decodeWithSpecial(expectedIds),
                        name + ": decoded_with_special");
            }));
        }
        return tests.stream();
    }
}
