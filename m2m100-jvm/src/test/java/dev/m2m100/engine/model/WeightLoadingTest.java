package dev.m2m100.engine.model;

import dev.m2m100.engine.backend.DeviceSpec;
import dev.m2m100.engine.backend.WeightDType;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.m2m100.engine.testing.Fixtures;
import dev.m2m100.engine.testing.TestCheckpoints;
import dev.m2m100.engine.testing.TestCheckpoints.Entry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightLoadingTest {

    @TempDir
    Path tmp;

    private static final ModelOptions ONE_THREAD = ModelOptions.DEFAULTS.withThreads(1);

    private static void assertMessage(Exception e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), () -> "message lacks '" + p + "':\n" + e.getMessage());
        }
    }

    @Test
    void missingTensorIsNamedWithItsExpectedShape() throws IOException {
        Map<String, Entry> t = TestCheckpoints.fixtureTensors();
        t.remove("model.decoder.layers.1.encoder_attn.k_proj.weight");
        t.remove("model.encoder.layer_norm.bias");
        Path dir = TestCheckpoints.writeModel(tmp.resolve("m"), t);
        WeightsException e = assertThrows(WeightsException.class, () -> M2M100Model.load(dir, ONE_THREAD));
        assertMessage(e, "2 problem(s)", "model.safetensors",
                "missing tensor 'model.decoder.layers.1.encoder_attn.k_proj.weight' [64, 64]",
                "missing tensor 'model.encoder.layer_norm.bias' [64]");
    }

    @Test
    void wrongShapeIsNamed() throws IOException {
        Map<String, Entry> t = TestCheckpoints.fixtureTensors();
        t.put("model.encoder.layers.0.fc1.weight", new Entry(new long[] {64, 128}, new float[64 * 128]));
        Path dir = TestCheckpoints.writeModel(tmp.resolve("m"), t);
        WeightsException e = assertThrows(WeightsException.class, () -> M2M100Model.load(dir, ONE_THREAD));
        assertMessage(e, "tensor 'model.encoder.layers.0.fc1.weight' has shape [64, 128], expected [128, 64]");
    }

    @Test
    void noEmbeddingMatrixListsTheSpellings() throws IOException {
        Map<String, Entry> t = TestCheckpoints.fixtureTensors();
        t.remove("model.shared.weight");
        Path dir = TestCheckpoints.writeModel(tmp.resolve("m"), t);
        WeightsException e = assertThrows(WeightsException.class, () -> M2M100Model.load(dir, ONE_THREAD));
        assertMessage(e, "missing the token embedding matrix [4101, 64]", "model.shared.weight", "lm_head.weight",
                "model.encoder.embed_tokens.weight", "model.decoder.embed_tokens.weight");
    }

    @Test
    void tiedEmbeddingsInAnySpellingGiveTheSameModel() throws IOException {
        Map<String, Entry> base = TestCheckpoints.fixtureTensors();
        Entry shared = base.remove("model.shared.weight");
        int[] source = {4011, 118, 406, 31, 2};
        int[] decoder = {2, 4017, 1878};
        float[][] expected;
        try (M2M100Model m = M2M100Model.load(Fixtures.tinyModel(), ONE_THREAD)) {
            expected = m.decoderLogits(source, decoder);
        }
        List<List<String>> spellings = List.of(
                List.of("lm_head.weight"),
                List.of("model.decoder.embed_tokens.weight"),
                List.of("model.encoder.embed_tokens.weight", "lm_head.weight"),
                List.of("model.shared.weight", "model.encoder.embed_tokens.weight",
                        "model.decoder.embed_tokens.weight", "lm_head.weight"));
        int i = 0;
        for (List<String> names : spellings) {
            Map<String, Entry> t = new java.util.TreeMap<>(base);
            names.forEach(n -> t.put(n, shared));
            Path dir = TestCheckpoints.writeModel(tmp.resolve("s" + i++), t);
            try (M2M100Model m = M2M100Model.load(dir, ONE_THREAD)) {
                float[][] got = m.decoderLogits(source, decoder);
                for (int p = 0; p < got.length; p++) {
                    assertArrayEquals(expected[p], got[p], 0f, names + " position " + p);
                }
            }
        }
    }

    @Test
    void untiedEmbeddingsAreRefused() throws IOException {
        Map<String, Entry> t = TestCheckpoints.fixtureTensors();
        float[] other = t.get("model.shared.weight").values().clone();
        other[5] += 1f;
        t.put("lm_head.weight", new Entry(new long[] {4101, 64}, other));
        Path dir = TestCheckpoints.writeModel(tmp.resolve("m"), t);
        WeightsException e = assertThrows(WeightsException.class, () -> M2M100Model.load(dir, ONE_THREAD));
        assertMessage(e, "tied embeddings differ", "model.shared.weight", "lm_head.weight");
    }

    @Test
    void unsupportedDeviceOrDtypeIsClear() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DeviceSpec.parse("tpu"));
        assertMessage(e, "device 'tpu'", "auto, cpu, cuda, cuda:N");
        e = assertThrows(IllegalArgumentException.class, () -> WeightDType.parse("f8"));
        assertMessage(e, "dtype 'f8'", "auto, f32, f16, bf16, int8");
        // An explicit CUDA device with a format CUDA does not store fails before anything is probed or loaded.
        e = assertThrows(IllegalArgumentException.class,
                () -> ONE_THREAD.withDevice(DeviceSpec.cuda(0)).withDtype(WeightDType.INT8));
        assertMessage(e, "cuda:0", "int8");
    }

    @Test
    void sinusoidalTableHasOffsetHalvesAndZeroPadRow() {
        float[] t = SinusoidalPositions.table(10, 8, 1);
        for (int c = 0; c < 8; c++) {
            org.junit.jupiter.api.Assertions.assertEquals(0f, t[8 + c], "pad row");
        }
        // row 2, frequency k = exp(-k ln(10000)/3): sin half then cos half
        for (int k = 0; k < 4; k++) {
            double f = Math.exp(-k * Math.log(10000) / 3);
            org.junit.jupiter.api.Assertions.assertEquals(Math.sin(2 * f), t[16 + k], 1e-6);
            org.junit.jupiter.api.Assertions.assertEquals(Math.cos(2 * f), t[16 + 4 + k], 1e-6);
        }
    }
}
