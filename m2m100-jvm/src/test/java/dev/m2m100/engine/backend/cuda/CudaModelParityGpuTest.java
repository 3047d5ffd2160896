package dev.m2m100.engine.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;

import dev.m2m100.engine.EngineSettings;
import dev.m2m100.engine.GenerationOptions;
import dev.m2m100.engine.TextCodec;
import dev.m2m100.engine.TranslationEngine;
import dev.m2m100.engine.generation.GeneratedSequence;
import dev.m2m100.engine.model.M2M100Model;
import dev.m2m100.engine.model.ModelOptions;
import dev.m2m100.engine.testing.Fixtures;
import dev.m2m100.engine.testing.ReferenceCases;
import dev.m2m100.engine.testing.ReferenceComparison;
import dev.m2m100.engine.testing.ReferenceCases.Case;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole model on the CUDA backend against Hugging Face's outputs (testdata/m2m100-tiny/reference):
 * fp32 mode at the CPU tolerances (encoder states 1e-4, logits 5e-4) with identical greedy and beam ids;
 * fp16 mode with logits within 0.25 and identical greedy and beam ids.
 */
@Tag("gpu")
class CudaModelParityGpuTest {

    private static final ModelOptions FP32 = new ModelOptions("cuda", "f32", 1, 16, 64);
    private static final ModelOptions FP16 = new ModelOptions("cuda", "f16", 1, 16, 64);

    private static M2M100Model fp32;
    private static M2M100Model fp16;
    private static TranslationEngine fp32Engine;
    private static TranslationEngine fp16Engine;

    /** Ids only: these tests never go through text. */
    private static final TextCodec NO_TEXT = new TextCodec() {
        @Override
        public int[] encode(String text, String lang) {
            throw new UnsupportedOperationException("id-level test");
        }

        @Override
        public String decode(int[] ids) {
            throw new UnsupportedOperationException("id-level test");
        }

        @Override
        public int languageId(String lang) {
            throw new UnsupportedOperationException("id-level test");
        }

        @Override
        public List<String> languages() {
            return List.of();
        }
    };

    @BeforeAll
    static void load() throws IOException {
        CudaAvailability a = CudaAvailability.probe(0);
        if (!a.available()) {
            System.out.println("SKIPPING CudaModelParityGpuTest (GPU tests): " + a.reason());
            return;
        }
        fp32 = M2M100Model.load(Fixtures.tinyModel(), FP32);
        fp16 = M2M100Model.load(Fixtures.tinyModel(), FP16);
        M2M100Model forEngine32 = M2M100Model.load(Fixtures.tinyModel(), FP32);
        M2M100Model forEngine16 = M2M100Model.load(Fixtures.tinyModel(), FP16);
        fp32Engine = TranslationEngine.create(forEngine32, NO_TEXT, forEngine32.config().generation(), EngineSettings.DEFAULTS);
        fp16Engine = TranslationEngine.create(forEngine16, NO_TEXT, forEngine16.config().generation(), EngineSettings.DEFAULTS);
    }

    @AfterAll
    static void close() {
        Cleanup.all(Cleanup.closing(fp32Engine), Cleanup.closing(fp16Engine), Cleanup.closing(fp32),
                Cleanup.closing(fp16));
    }

    @BeforeEach
    void requireDevice() {
        if (fp32 == null) {
            org.junit.jupiter.api.Assumptions.abort("no usable CUDA device: " + CudaAvailability.probe(0).reason());
        }
    }

    static Stream<Case> cases() {
        return ReferenceCases.load().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void fp32EncoderStatesWithinCpuTolerance(Case c) {
        double worst = ReferenceComparison.encoderStates(c, fp32.encoderHiddenStates(c.sources()), 1e-4);
        System.out.printf("%s: cuda fp32 encoder max |diff| %.3g%n", c.id(), worst);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void teacherForcedLogits(Case c) {
        System.out.printf("%s: cuda fp32 logits max |diff| %.3g%n", c.id(), logitError(fp32, c, 5e-4));
        System.out.printf("%s: cuda fp16 logits max |diff| %.3g%n", c.id(), logitError(fp16, c, 0.25));
    }

    private static double logitError(M2M100Model model, Case c, double tolerance) {
        return ReferenceComparison.logits(c, model.decoderLogits(c.sources(), List.of(c.decoderIds())), tolerance);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void greedyAndBeamIdsEqualHuggingFace(Case c) {
        for (TranslationEngine engine : new TranslationEngine[] {fp32Engine, fp16Engine}) {
            String mode = engine == fp32Engine ? "fp32" : "fp16";
            List<GeneratedSequence> greedy = engine.generate(c.sources(), c.forcedBos(),
                    GenerationOptions.DEFAULTS.withNumBeams(1).withMaxNewTokens(24));
            List<GeneratedSequence> beam = engine.generate(c.sources(), c.forcedBos(),
                    GenerationOptions.DEFAULTS.withNumBeams(5).withMaxNewTokens(24));
            for (int b = 0; b < c.batch(); b++) {
                assertArrayEquals(Case.unpadded(c.greedy()[b]), greedy.get(b).tokens(), mode + " greedy " + c.id() + " row " + b);
                assertArrayEquals(Case.unpadded(c.beam()[b]), beam.get(b).tokens(), mode + " beam " + c.id() + " row " + b);
            }
        }
    }
}
