package dev.m2m100.engine;

import dev.m2m100.engine.backend.DeviceSpec;
import dev.m2m100.engine.backend.WeightDType;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.m2m100.engine.generation.GeneratedSequence;
import dev.m2m100.engine.testing.Fixtures;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * End to end against Hugging Face: every case of testdata/m2m100-tiny/reference/model.json through
 * {@link TranslationEngine} (tokenizer, scheduler, CPU model). Greedy and beam ids must be identical — for each
 * input alone and for the case's inputs decoded together — beam scores within 1e-4, decoded texts identical.
 */
class GenerationParityTest {
    static final int MAX_NEW_TOKENS = 24; // the reference's setting
    static final GenerationOptions GREEDY = new GenerationOptions(1, MAX_NEW_TOKENS, null, null, null, null);
    /** Beam settings from generation_config.json (5 beams, early stopping, length penalty 1), max_new_tokens 24. */
    static final GenerationOptions BEAM = GenerationOptions.DEFAULTS.withMaxNewTokens(MAX_NEW_TOKENS);

    static TranslationEngine engine;
    static double maxScoreDelta;
    static JsonNode reference;

    @BeforeAll
    static void load() throws IOException {
        engine = TranslationEngine.open(Fixtures.tinyModel(), EngineSettings.DEFAULTS.withDevice(DeviceSpec.CPU));
        reference = new ObjectMapper().readTree(Fixtures.tinyModel().resolve("reference/model.json").toFile());
    }

    @AfterAll
    static void close() {
        if (engine != null) {
            engine.close();
        }
        System.out.printf("GenerationParityTest: largest beam score difference to Hugging Face %.3g%n", maxScoreDelta);
    }

    static Stream<Arguments> cases() throws IOException {
        JsonNode root = new ObjectMapper().readTree(Fixtures.tinyModel().resolve("reference/model.json").toFile());
        List<Arguments> out = new ArrayList<>();
        root.get("cases").forEach(c -> out.add(Arguments.of(c.get("id").asText(), c)));
        return out.stream();
    }

    @Test
    void allTwelveCasesAreHere() {
        assertEquals(12, reference.get("cases").size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void greedyIdsAreIdenticalAloneAndBatched(String id, JsonNode c) {
        checkIds(c, "greedy", GREEDY, false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void beamIdsAreIdenticalAndScoresCloseAloneAndBatched(String id, JsonNode c) {
        checkIds(c, "beam", BEAM, true);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decodedTextsAreIdentical(String id, JsonNode c) {
        List<String> texts = new ArrayList<>();
        c.get("texts").forEach(t -> texts.add(t.asText()));
        String from = c.get("src_lang").asText();
        String to = c.get("tgt_lang").asText();
        for (int b = 0; b < texts.size(); b++) {
            if (!texts.get(b).isEmpty()) {
                assertArrayEquals(ints(c.get("input_ids").get(b), c.get("attention_mask").get(b)),
                        engine.codec().encode(texts.get(b), from), "tokenizer input ids of text " + b);
            }
        }
        assertEquals(strings(c.get("greedy").get("texts")), engine.translateNow(texts, from, to, GREEDY));
        assertEquals(strings(c.get("beam").get("texts")), engine.translateNow(texts, from, to, BEAM));
    }

    private static void checkIds(JsonNode c, String mode, GenerationOptions options, boolean scored) {
        int lang = c.get("forced_bos_token_id").asInt();
        JsonNode ref = c.get(mode);
        List<int[]> sources = new ArrayList<>();
        for (int b = 0; b < c.get("input_ids").size(); b++) {
            sources.add(ints(c.get("input_ids").get(b), c.get("attention_mask").get(b)));
        }
        List<GeneratedSequence> batched = engine.generate(sources, lang, options);
        for (int b = 0; b < sources.size(); b++) {
            int[] want = alone(ints(ref.get("sequences").get(b), null));
            GeneratedSequence single = engine.generate(List.of(sources.get(b)), lang, options).get(0);
            assertArrayEquals(want, single.tokens(), mode + " row " + b + " alone");
            assertArrayEquals(want, batched.get(b).tokens(), mode + " row " + b + " batched");
            if (scored) {
                double score = ref.get("sequences_scores").get(b).asDouble();
                maxScoreDelta = Math.max(maxScoreDelta, Math.max(Math.abs(score - single.score()),
                        Math.abs(score - batched.get(b).score())));
                assertEquals(score, single.score(), 1e-4, "beam score of row " + b + " alone");
                assertEquals(score, batched.get(b).score(), 1e-4, "beam score of row " + b + " batched");
            } else {
                assertTrue(Float.isNaN(single.score()));
            }
        }
    }

    /**
     * Continuous batching with the real model: every case in both modes submitted at once from several threads,
     * under tight limits (3 active sequences, 12 rows) so sequences join and leave the running batch between
     * steps and the encoder sees varied batches; every result still equals the reference.
     */
    @Test
    void everythingAtOnceUnderTightLimitsStillMatches() throws Exception {
        EngineSettings tight = new EngineSettings(DeviceSpec.CPU, WeightDType.AUTO, 0, 1024, 3, 12);
        try (TranslationEngine small = TranslationEngine.open(Fixtures.tinyModel(), tight);
             java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(6)) {
            List<java.util.concurrent.Future<?>> checks = new ArrayList<>();
            for (JsonNode c : reference.get("cases")) {
                for (String mode : List.of("greedy", "beam")) {
                    checks.add(pool.submit(() -> {
                        int lang = c.get("forced_bos_token_id").asInt();
                        List<int[]> sources = new ArrayList<>();
                        for (int b = 0; b < c.get("input_ids").size(); b++) {
                            sources.add(ints(c.get("input_ids").get(b), c.get("attention_mask").get(b)));
                        }
                        List<GeneratedSequence> got = small.generate(sources, lang, mode.equals("greedy") ? GREEDY : BEAM);
                        for (int b = 0; b < sources.size(); b++) {
                            assertArrayEquals(alone(ints(c.get(mode).get("sequences").get(b), null)), got.get(b).tokens(),
                                    c.get("id").asText() + " " + mode + " row " + b);
                        }
                        return null;
                    }));
                }
            }
            for (java.util.concurrent.Future<?> f : checks) {
                f.get(120, java.util.concurrent.TimeUnit.SECONDS);
            }
            assertTrue(small.stats().decodeSteps() > 0);
        }
    }

    /** A row of a batch as generate() returns it for that input alone: cut after its first </s>, no padding. */
    static int[] alone(int[] padded) {
        for (int i = 1; i < padded.length; i++) {
            if (padded[i] == 2) {
                return Arrays.copyOf(padded, i + 1);
            }
        }
        return padded;
    }

    static int[] ints(JsonNode row, JsonNode mask) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < row.size(); i++) {
            if (mask == null || mask.get(i).asInt() == 1) {
                out.add(row.get(i).asInt());
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(t -> out.add(t.asText()));
        return out;
    }
}
