package dev.m2m100.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.m2m100.engine.backend.DeviceSpec;
import dev.m2m100.engine.config.ModelConfig;
import dev.m2m100.engine.generation.EarlyStopping;
import dev.m2m100.engine.generation.GeneratedSequence;
import dev.m2m100.engine.generation.HfOracle;
import dev.m2m100.engine.generation.SearchSettings;
import dev.m2m100.engine.generation.ToyLms;
import dev.m2m100.engine.generation.ToyStepModel;
import dev.m2m100.engine.testing.Fixtures;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * NLLB-200 end to end against Hugging Face: every case of testdata/nllb-tiny/reference/model.json through
 * {@link TranslationEngine#open} (family chosen from the folder, NllbTokenizer, scheduler, CPU model). The
 * model's own defaults (generation_config.json: no num_beams) are greedy; 5 beams are asked for per request and
 * then stop as {@code early_stopping=false} does. Ids identical alone and batched, beam scores within 1e-4,
 * texts identical.
 */
class NllbGenerationParityTest {
    static final int MAX_NEW_TOKENS = 24;
    /** Nothing but the length: the model's defaults must be greedy. */
    static final GenerationOptions DEFAULTS = GenerationOptions.DEFAULTS.withMaxNewTokens(MAX_NEW_TOKENS);
    static final GenerationOptions BEAM = DEFAULTS.withNumBeams(5);

    static TranslationEngine engine;
    static JsonNode reference;

    @BeforeAll
    static void load() throws IOException {
        engine = TranslationEngine.open(Fixtures.nllbTiny(), EngineSettings.DEFAULTS.withDevice(DeviceSpec.CPU));
        reference = new ObjectMapper().readTree(Fixtures.nllbTiny().resolve("reference/model.json").toFile());
    }

    @AfterAll
    static void close() {
        if (engine != null) {
            engine.close();
        }
    }

    static Stream<Arguments> cases() throws IOException {
        JsonNode root = new ObjectMapper().readTree(Fixtures.nllbTiny().resolve("reference/model.json").toFile());
        List<Arguments> out = new ArrayList<>();
        root.get("cases").forEach(c -> out.add(Arguments.of(c.get("id").asText(), c)));
        return out.stream();
    }

    @Test
    void theFolderIsNllbAndItsDefaultsAreGreedy() {
        assertEquals("NLLB", engine.codec().family());
        assertEquals(11, reference.get("cases").size());
        assertEquals(1, engine.generationConfig().numBeams());
        assertEquals(EarlyStopping.FALSE, engine.generationConfig().earlyStopping());
        assertEquals(202, engine.languages().size());
        assertEquals("eng_Latn", engine.languages().get(46));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void defaultSearchIsTheGreedyReference(String id, JsonNode c) {
        check(c, "greedy", DEFAULTS, false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void fiveBeamsMatchTheBeamReference(String id, JsonNode c) {
        check(c, "beam", BEAM, true);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decodedTextsAreIdentical(String id, JsonNode c) {
        List<String> texts = GenerationParityTest.strings(c.get("texts"));
        String from = c.get("src_lang").asText();
        String to = c.get("tgt_lang").asText();
        for (int b = 0; b < texts.size(); b++) {
            assertArrayEquals(GenerationParityTest.ints(c.get("input_ids").get(b), c.get("attention_mask").get(b)),
                    engine.codec().encode(texts.get(b), from), "tokenizer input ids of text " + b);
        }
        // The engine passes "" through without the model; HF decodes the generated ids of "" (a repeated token or
        // a language code, all special or gibberish): compare the non-empty texts.
        List<String> greedy = engine.translateNow(texts, from, to, DEFAULTS);
        List<String> beam = engine.translateNow(texts, from, to, BEAM);
        for (int b = 0; b < texts.size(); b++) {
            if (!texts.get(b).isEmpty()) {
                assertEquals(c.get("greedy").get("texts").get(b).asText(), greedy.get(b), "greedy text " + b);
                assertEquals(c.get("beam").get("texts").get(b).asText(), beam.get(b), "beam text " + b);
            }
        }
    }

    private static void check(JsonNode c, String mode, GenerationOptions options, boolean scored) {
        int lang = c.get("forced_bos_token_id").asInt();
        assertEquals(lang, engine.codec().languageId(c.get("tgt_lang").asText()));
        JsonNode ref = c.get(mode);
        List<int[]> sources = new ArrayList<>();
        for (int b = 0; b < c.get("input_ids").size(); b++) {
            sources.add(GenerationParityTest.ints(c.get("input_ids").get(b), c.get("attention_mask").get(b)));
        }
        List<GeneratedSequence> batched = engine.generate(sources, lang, options);
        for (int b = 0; b < sources.size(); b++) {
            int[] want = GenerationParityTest.alone(GenerationParityTest.ints(ref.get("sequences").get(b), null));
            GeneratedSequence single = engine.generate(List.of(sources.get(b)), lang, options).get(0);
            assertArrayEquals(want, single.tokens(), mode + " row " + b + " alone");
            assertArrayEquals(want, batched.get(b).tokens(), mode + " row " + b + " batched");
            if (scored) {
                double score = ref.get("sequences_scores").get(b).asDouble();
                assertEquals(score, single.score(), 1e-4, "beam score of row " + b + " alone");
                assertEquals(score, batched.get(b).score(), 1e-4, "beam score of row " + b + " batched");
            } else {
                assertTrue(Float.isNaN(single.score()), "greedy has no score");
            }
        }
    }

    /**
     * Beyond the reference: inputs where 5 beams and greedy differ on the real nllb-tiny model. There the engine
     * (KV caches, backend top-k, scheduler) must give what the plain restatement of Hugging Face's search gives
     * over the same model's uncached teacher-forced logits: same ids, score within 1e-4.
     */
    @Test
    void whereBeamsDifferFromGreedyTheEngineMatchesTheOracleOnTheRealModel() throws IOException {
        ModelConfig config = ModelConfig.load(Fixtures.nllbTiny());
        // The tokenizer reference's 40 texts (many scripts) and the CLI's quoted line, into five targets.
        List<String> texts = new ArrayList<>();
        List<String> from = new ArrayList<>();
        for (JsonNode c : new ObjectMapper().readTree(Fixtures.nllbTiny().resolve("reference/tokenizer.json").toFile())
                .get("cases")) {
            texts.add(c.get("text").asText());
            from.add(c.get("src_lang").asText());
        }
        texts.add("\"Life is like a box of chocolates.\"");
        from.add("eng_Latn");
        String[] targets = {"zho_Hans", "jpn_Jpan", "deu_Latn", "eng_Latn", "kor_Hang"};
        int differing = 0;
        try (dev.m2m100.engine.model.M2M100Model uncached = dev.m2m100.engine.model.M2M100Model.load(
                Fixtures.nllbTiny(), dev.m2m100.engine.model.ModelOptions.DEFAULTS.withThreads(1))) {
            ToyStepModel.Lm lm = (source, consumed) -> {
                float[][] logits = uncached.decoderLogits(source, consumed);
                return logits[logits.length - 1];
            };
            HfOracle oracle = new HfOracle(new ToyStepModel(uncached.vocabSize(), uncached.maxPositions(), lm));
            for (int t = 0; t < texts.size(); t++) {
                for (String target : targets) {
                    int[] source = engine.codec().encode(texts.get(t), from.get(t));
                    int lang = engine.codec().languageId(target);
                    GeneratedSequence beams = engine.generate(List.of(source), lang, BEAM).getFirst();
                    GeneratedSequence greedy = engine.generate(List.of(source), lang, DEFAULTS).getFirst();
                    if (java.util.Arrays.equals(beams.tokens(), greedy.tokens())) {
                        continue;
                    }
                    differing++;
                    GeneratedSequence want = oracle.beam(source, SearchSettings.resolve(config.generation(), BEAM, lang));
                    String what = texts.get(t) + " " + from.get(t) + " -> " + target;
                    assertArrayEquals(want.tokens(), beams.tokens(), what);
                    assertEquals(want.score(), beams.score(), 1e-4, what + " score");
                    assertArrayEquals(oracle.greedy(source, SearchSettings.resolve(config.generation(), DEFAULTS, lang))
                            .tokens(), greedy.tokens(), what + " greedy");
                }
            }
        }
        System.out.printf("nllb-tiny: 5 beams differ from greedy on %d of %d inputs%n", differing,
                texts.size() * targets.length);
        assertTrue(differing >= 3, "too few inputs where beams differ from greedy: " + differing);
    }

    /**
     * The fixture's beams equal greedy, so its beam cases cannot tell the stopping rules apart. Here the search
     * settings come from nllb-tiny's own generation_config.json (5 beams asked for; early_stopping false, length
     * penalty 1 from the file) over toy models where beam search and greedy differ: every result equals the
     * plain Hugging Face restatement, and enough cases differ from greedy and from early_stopping=true.
     */
    @Test
    void nllbBeamSettingsAgreeWithTheOracleWhereBeamsDiffer() throws IOException {
        ModelConfig config = ModelConfig.load(Fixtures.nllbTiny());
        int lang = 8;
        int[] source = {9, 10, 2};
        SearchSettings nllb = SearchSettings.resolve(config.generation(), BEAM, lang);
        assertEquals(EarlyStopping.FALSE, nllb.earlyStopping());
        assertEquals(5, nllb.numBeams());
        SearchSettings greedy = SearchSettings.resolve(config.generation(), DEFAULTS, lang);
        assertEquals(1, greedy.numBeams());
        SearchSettings eager = SearchSettings.resolve(config.generation(),
                new GenerationOptions(5, MAX_NEW_TOKENS, null, null, null, true), lang);
        int differFromGreedy = 0;
        int differFromEager = 0;
        for (long seed = 0; seed < 40; seed++) {
            ToyStepModel toy = new ToyStepModel(16, 64, ToyLms.hashed(16, seed, 0.25));
            HfOracle oracle = new HfOracle(toy);
            GeneratedSequence beams;
            GeneratedSequence first;
            GeneratedSequence stopEarly;
            try (TranslationEngine e = TranslationEngine.create(toy, IdsOnlyCodec.INSTANCE, config.generation(),
                    EngineSettings.DEFAULTS)) {
                beams = e.generate(List.of(source), lang, BEAM).getFirst();
                first = e.generate(List.of(source), lang, DEFAULTS).getFirst();
                stopEarly = e.generate(List.of(source), lang, new GenerationOptions(5, MAX_NEW_TOKENS, null, null, null,
                        true)).getFirst();
            }
            assertEquals(oracle.beam(source, nllb), beams, "seed " + seed);
            assertEquals(oracle.beam(source, eager), stopEarly, "seed " + seed + " early stopping");
            assertArrayEquals(oracle.greedy(source, greedy).tokens(), first.tokens(), "seed " + seed + " greedy");
            if (!java.util.Arrays.equals(beams.tokens(), first.tokens())) {
                differFromGreedy++;
            }
            if (!beams.equals(stopEarly)) {
                differFromEager++;
            }
        }
        assertNotEquals(0, differFromGreedy, "no toy case where 5 beams differ from greedy");
        assertNotEquals(0, differFromEager, "no toy case where early_stopping false differs from true");
        System.out.printf("nllb beam settings: %d/40 differ from greedy, %d/40 from early_stopping=true%n",
                differFromGreedy, differFromEager);
    }
}
