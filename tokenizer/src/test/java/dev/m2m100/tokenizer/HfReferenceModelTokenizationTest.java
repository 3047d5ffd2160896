package dev.m2m100.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The tokenizer parts of reference/model.json: padded batch input ids and attention masks, and the
 * texts HF's batch_decode gave for the greedy and beam sequences.
 */
class HfReferenceModelTokenizationTest {

    private static final JsonNode REF = Fixtures.reference("model.json");

    @TestFactory
    Stream<DynamicTest> everyModelCase() {
        M2M100Tokenizer tok = Fixtures.tokenizer();
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : REF.get("cases")) {
            String name = c.get("id").asText();
            tests.add(DynamicTest.dynamicTest(name + " batch encoding", () -> {
                List<String> texts = new ArrayList<>();
                c.get("texts").forEach(t -> texts.add(t.asText()));
                BatchEncoding enc = tok.encodeBatch(texts, c.get("src_lang").asText());
                JsonNode ids = c.get("input_ids");
                JsonNode mask = c.get("attention_mask");
                assertEquals(ids.size(), enc.batchSize(), name + ": batch size");
                for (int r = 0; r < ids.size(); r++) {
                    assertArrayEquals(Fixtures.ints(ids.get(r)), enc.inputIds()[r], name + ": input_ids row " + r);
                    assertArrayEquals(Fixtures.ints(mask.get(r)), enc.attentionMask()[r],
                            name + ": attention_mask row " + r);
                }
                assertEquals(c.get("forced_bos_token_id").asInt(), tok.languageId(c.get("tgt_lang").asText()),
                        name + ": forced_bos_token_id");
            }));
            for (String mode : List.of("greedy", "beam")) {
                tests.add(DynamicTest.dynamicTest(name + " " + mode + " texts", () -> {
                    JsonNode seqs = c.get(mode).get("sequences");
                    JsonNode texts = c.get(mode).get("texts");
                    assertEquals(seqs.size(), texts.size(), name + ": " + mode + " sizes");
                    for (int r = 0; r < seqs.size(); r++) {
                        assertEquals(texts.get(r).asText(), tok.decode(Fixtures.ints(seqs.get(r))),
                                name + ": " + mode + " text of row " + r);
                    }
                }));
            }
        }
        return tests.stream();
    }
}
