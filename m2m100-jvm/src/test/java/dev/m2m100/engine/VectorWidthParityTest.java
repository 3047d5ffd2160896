package dev.m2m100.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.m2m100.engine.backend.cpu.CpuBackend;
import dev.m2m100.engine.backend.cpu.gemm.VectorWidth;
import dev.m2m100.engine.backend.cpu.gemm.WeightFormat;
import dev.m2m100.engine.config.ModelConfig;
import dev.m2m100.engine.family.ModelFamilies;
import dev.m2m100.engine.generation.GeneratedSequence;
import dev.m2m100.engine.model.CheckpointWeights;
import dev.m2m100.engine.model.M2M100Model;
import dev.m2m100.engine.model.ModelOptions;
import dev.m2m100.engine.safetensors.SafetensorsCheckpoint;
import dev.m2m100.engine.testing.Fixtures;
import dev.m2m100.engine.testing.ReferenceCases;
import dev.m2m100.engine.testing.ReferenceCases.Case;
import dev.m2m100.engine.testing.ReferenceComparison;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fixture model with the GEMM at 256 and at 512 bits, each width built explicitly whatever this machine's
 * default is: Hugging Face's greedy and beam ids at both widths (alone and batched), teacher-forced logits within
 * the parity tolerance at both and bit-identical between them, and batch invariance at both.
 */
class VectorWidthParityTest {
    static final double LOGIT_TOLERANCE = 5e-4; // M2M100ParityTest's
    static final GenerationOptions GREEDY = GenerationParityTest.GREEDY;
    static final GenerationOptions BEAM = GenerationParityTest.BEAM;

    private static final Map<VectorWidth, TranslationEngine> ENGINES = new EnumMap<>(VectorWidth.class);
    private static final Map<VectorWidth, M2M100Model> MODELS = new EnumMap<>(VectorWidth.class);

    @BeforeAll
    static void load() throws IOException {
        for (VectorWidth width : VectorWidth.values()) {
            ENGINES.put(width, TranslationEngine.create(model(width), ModelFamilies.openCodec(Fixtures.tinyModel()),
                    ModelConfig.load(Fixtures.tinyModel()).generation(), EngineSettings.DEFAULTS));
            MODELS.put(width, model(width));
        }
    }

    private static M2M100Model model(VectorWidth width) throws IOException {
        return model(width, WeightFormat.F32);
    }

    private static M2M100Model model(VectorWidth width, WeightFormat format) throws IOException {
        Path dir = Fixtures.tinyModel();
        ModelConfig config = ModelConfig.load(dir);
        try (SafetensorsCheckpoint store = SafetensorsCheckpoint.open(dir)) {
            return M2M100Model.create(config, CheckpointWeights.open(store, config),
                    new CpuBackend(2, format, width), ModelOptions.DEFAULTS.withThreads(2));
        }
    }

    @AfterAll
    static void close() {
        ENGINES.values().forEach(TranslationEngine::close);
        MODELS.values().forEach(M2M100Model::close);
    }

    static Stream<Case> cases() {
        return ReferenceCases.load().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void greedyAndBeamIdsAreTheReferenceAtBothWidths(Case c) {
        for (VectorWidth width : VectorWidth.values()) {
            TranslationEngine engine = ENGINES.get(width);
            List<GeneratedSequence> greedy = engine.generate(c.sources(), c.forcedBos(), GREEDY);
            List<GeneratedSequence> beam = engine.generate(c.sources(), c.forcedBos(), BEAM);
            for (int b = 0; b < c.batch(); b++) {
                String what = c.id() + " " + width + " row " + b;
                int[] wantGreedy = GenerationParityTest.alone(c.greedy()[b]);
                int[] wantBeam = GenerationParityTest.alone(c.beam()[b]);
                assertArrayEquals(wantGreedy, greedy.get(b).tokens(), what + " greedy batched");
                assertArrayEquals(wantBeam, beam.get(b).tokens(), what + " beam batched");
                assertArrayEquals(wantGreedy, engine.generate(List.of(c.source(b)), c.forcedBos(), GREEDY).get(0).tokens(),
                        what + " greedy alone");
                assertArrayEquals(wantBeam, engine.generate(List.of(c.source(b)), c.forcedBos(), BEAM).get(0).tokens(),
                        what + " beam alone");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void logitsAreWithinToleranceAndIdenticalAcrossWidths(Case c) {
        float[][][] narrow = MODELS.get(VectorWidth.BITS_256).decoderLogits(c.sources(), List.of(c.decoderIds()));
        float[][][] wide = MODELS.get(VectorWidth.BITS_512).decoderLogits(c.sources(), List.of(c.decoderIds()));
        ReferenceComparison.logits(c, narrow, LOGIT_TOLERANCE);
        ReferenceComparison.logits(c, wide, LOGIT_TOLERANCE);
        assertEquals(narrow.length, wide.length);
        for (int b = 0; b < narrow.length; b++) {
            for (int t = 0; t < narrow[b].length; t++) {
                assertArrayEquals(narrow[b][t], wide[b][t], 0f, c.id() + " row " + b + " position " + t);
            }
        }
    }

    /** bf16, f16 and int8 weights take the 512-bit GEMM through widened f32 blocks: the same logits as at 256. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = WeightFormat.class, names = {"BF16", "F16", "INT8"})
    void compactFormatsGiveTheSameLogitsAtBothWidths(WeightFormat format) throws IOException {
        try (M2M100Model narrow = model(VectorWidth.BITS_256, format);
             M2M100Model wide = model(VectorWidth.BITS_512, format)) {
            for (Case c : ReferenceCases.load()) {
                float[][][] a = narrow.decoderLogits(c.sources(), List.of(c.decoderIds()));
                float[][][] b = wide.decoderLogits(c.sources(), List.of(c.decoderIds()));
                for (int row = 0; row < a.length; row++) {
                    for (int t = 0; t < a[row].length; t++) {
                        assertArrayEquals(a[row][t], b[row][t], 0f, format + " " + c.id() + " row " + row + " position " + t);
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void batchEqualsSingleAtBothWidths(Case c) {
        for (VectorWidth width : VectorWidth.values()) {
            M2M100Model model = MODELS.get(width);
            List<float[][]> batched = model.encoderHiddenStates(c.sources());
            float[][][] batchedLogits = model.decoderLogits(c.sources(), List.of(c.decoderIds()));
            for (int b = 0; b < c.batch(); b++) {
                float[][] alone = model.encoderHiddenStates(List.of(c.source(b))).getFirst();
                for (int t = 0; t < alone.length; t++) {
                    assertArrayEquals(alone[t], batched.get(b)[t], 0f, c.id() + " " + width + " encoder row " + b + " token " + t);
                }
                float[][] aloneLogits = model.decoderLogits(c.source(b), c.decoderIds()[b]);
                for (int t = 0; t < aloneLogits.length; t++) {
                    assertArrayEquals(aloneLogits[t], batchedLogits[b][t], 0f, c.id() + " " + width + " logits row " + b
                            + " position " + t);
                }
            }
        }
    }
}
