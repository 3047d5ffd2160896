package dev.m2m100.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.m2m100.engine.EngineSettings;
import dev.m2m100.engine.GenerationOptions;
import dev.m2m100.engine.IdsOnlyCodec;
import dev.m2m100.engine.TranslationEngine;
import dev.m2m100.engine.config.ModelConfig;
import dev.m2m100.engine.generation.GeneratedSequence;
import dev.m2m100.engine.safetensors.SafetensorsCheckpoint;
import dev.m2m100.engine.testing.Fixtures;
import dev.m2m100.engine.testing.ReferenceCases;
import dev.m2m100.engine.testing.ReferenceCases.Case;
import dev.m2m100.engine.testing.ReferenceComparison;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Evidence on the CPU that the CUDA fp16-activation design meets the bounds its GPU test asserts
 * (CudaModelParityGpuTest): with fp16 weights, fp16 activations and fp16 KV caches emulated
 * ({@link F16ActivationEmulation}), every fixture case keeps Hugging Face's greedy and beam ids and its logits stay
 * within 0.25. It says nothing about the CUDA kernels themselves, only about the precision of the design.
 */
class F16ActivationEmulationTest {

    private static M2M100Model emulated() throws IOException {
        ModelConfig config = ModelConfig.load(Fixtures.tinyModel());
        try (SafetensorsCheckpoint store = SafetensorsCheckpoint.open(Fixtures.tinyModel())) {
            return M2M100Model.create(config, CheckpointWeights.open(store, config), new F16ActivationEmulation(),
                    ModelOptions.DEFAULTS);
        }
    }

    @Test
    void everyFixtureCaseKeepsItsIdsAndLogitsWithinTheFp16Tolerance() throws IOException {
        double worst = 0;
        try (M2M100Model model = emulated()) {
            for (Case c : ReferenceCases.load()) {
                double w = ReferenceComparison.logits(c, model.decoderLogits(c.sources(), List.of(c.decoderIds())),
                        0.25);
                System.out.printf("%s: emulated f16 activations, logits max |diff| %.3g%n", c.id(), w);
                worst = Math.max(worst, w);
            }
        }
        assertTrue(worst > 0, "the emulation must round something");
        M2M100Model forEngine = emulated();
        try (TranslationEngine engine = TranslationEngine.create(forEngine, IdsOnlyCodec.INSTANCE,
                forEngine.config().generation(), EngineSettings.DEFAULTS)) {
            for (Case c : ReferenceCases.load()) {
                List<GeneratedSequence> greedy = engine.generate(c.sources(), c.forcedBos(),
                        GenerationOptions.DEFAULTS.withNumBeams(1).withMaxNewTokens(24));
                List<GeneratedSequence> beam = engine.generate(c.sources(), c.forcedBos(),
                        GenerationOptions.DEFAULTS.withNumBeams(5).withMaxNewTokens(24));
                for (int b = 0; b < c.batch(); b++) {
                    assertArrayEquals(Case.unpadded(c.greedy()[b]), greedy.get(b).tokens(), "greedy " + c.id() + " row " + b);
                    assertArrayEquals(Case.unpadded(c.beam()[b]), beam.get(b).tokens(), "beam " + c.id() + " row " + b);
                }
            }
        }
        System.out.printf("emulated f16 activations: worst logit |diff| over all cases %.3g%n", worst);
    }
}
