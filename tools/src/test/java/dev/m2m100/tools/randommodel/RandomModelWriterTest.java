package dev.m2m100.tools.randommodel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.m2m100.engine.config.ModelConfig;
import dev.m2m100.engine.model.M2M100Model;
import dev.m2m100.engine.model.ModelOptions;
import dev.m2m100.engine.safetensors.SafetensorsWriter.Dtype;
import dev.m2m100.tools.convert.FloatFormats;
import dev.m2m100.tools.ParsedSafetensors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RandomModelWriterTest {

    static final Path FIXTURE = Path.of("..", "testdata", "m2m100-tiny");
    /** Tiny dims, same layer counts as the fixture so the tensor names must match it exactly. */
    static final Preset SMALL = new Preset("small-test", 32, 2, 2, 4, 48, 4101, 64);

    @Test
    void realPresetsHaveTheRealParameterCounts() {
        assertEquals(483_905_536L, M2M100Layout.parameterCount(Preset.M2M100_418M));
        // 1.2B: 24+24 layers, ffn 8192: an independent count per layer = 1,239,470,080.
        long d = 1024, f = 8192, v = 128112;
        long attn = 4 * (d * d + d);
        long ffn = d * f + f + f * d + d;
        long enc = attn + ffn + 2 * 2 * d;
        long dec = 2 * attn + ffn + 3 * 2 * d;
        assertEquals(v * d + 24 * enc + 24 * dec + 2 * 2 * d, M2M100Layout.parameterCount(Preset.M2M100_1_2B));
        assertEquals(1_239_470_080L, M2M100Layout.parameterCount(Preset.M2M100_1_2B));
    }

    @Test
    void namesMatchTheFixtureCheckpoint() throws IOException {
        JsonNode checks = new ObjectMapper().readTree(FIXTURE.resolve("reference/checks.json").toFile());
        TreeSet<String> want = new TreeSet<>();
        checks.get("safetensors_tensors").fieldNames().forEachRemaining(want::add);
        TreeSet<String> got = new TreeSet<>();
        M2M100Layout.tensors(new Preset("fixture", 64, 2, 2, 4, 128, 4101, 256)).forEach(e -> got.add(e.name()));
        assertEquals(want, got);
        for (M2M100Layout.Entry e : M2M100Layout.tensors(new Preset("fixture", 64, 2, 2, 4, 128, 4101, 256))) {
            long[] shape = new ObjectMapper().convertValue(checks.get("safetensors_tensors").get(e.name()), long[].class);
            assertArrayEquals(shape, e.shape(), e.name());
        }
    }

    @Test
    void smallPresetIsWrittenAndReadsBack(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("model");
        long params = RandomModelWriter.write(SMALL, out, 7, Dtype.F32, FIXTURE);
        ParsedSafetensors p = ParsedSafetensors.read(out.resolve("model.safetensors"));

        assertEquals("pt", p.header().get("__metadata__").get("format").asText());
        List<String> names = new ArrayList<>(p.order());
        names.remove("__metadata__");
        assertEquals(89, names.size());
        assertEquals(new ArrayList<>(new TreeSet<>(names)), names, "one dtype: sorted by name");
        long total = 0;
        long offset = 0;
        for (String n : names) {
            JsonNode t = p.header().get(n);
            assertEquals("F32", t.get("dtype").asText());
            long numel = 1;
            for (JsonNode d : t.get("shape")) {
                numel *= d.asLong();
            }
            assertEquals(offset, t.get("data_offsets").get(0).asLong(), n);
            offset += numel * 4;
            assertEquals(offset, t.get("data_offsets").get(1).asLong(), n);
            total += numel;
        }
        assertEquals(params, total);
        assertEquals(offset, p.data().length);
        assertArrayEquals(new long[] {4101, 32}, new ObjectMapper().convertValue(p.header().get("model.shared.weight").get("shape"), long[].class));
        assertArrayEquals(new long[] {48, 32}, new ObjectMapper().convertValue(p.header().get("model.encoder.layers.1.fc1.weight").get("shape"), long[].class));
        assertFalse(p.header().has("lm_head.weight"));

        // Value statistics by role.
        float[] w = floats(p.bytes("model.shared.weight"));
        assertEquals(0.0, mean(w), 1e-3);
        assertEquals(0.02, std(w), 1e-3);
        for (int i = 32; i < 64; i++) {
            assertEquals(0f, w[i], "pad row (id 1) is zero");
        }
        float[] fc = floats(p.bytes("model.decoder.layers.0.fc2.weight"));
        assertEquals(0.02, std(fc), 2e-3);
        float[] ln = floats(p.bytes("model.encoder.layer_norm.weight"));
        assertEquals(1.0, mean(ln), 0.02);
        float[] bias = floats(p.bytes("model.decoder.layers.1.fc1.bias"));
        assertTrue(Math.abs(mean(bias)) < 0.002 && std(bias) < 0.01 && std(bias) > 0, "biases ~0 but not all zero");

        // The folder is a loadable model folder with the tokenizer files.
        ModelConfig c = ModelConfig.load(out);
        assertEquals(32, c.dModel());
        assertEquals(4101, c.vocabSize());
        assertEquals(5, c.generation().numBeams());
        for (String f : List.of("sentencepiece.bpe.model", "vocab.json", "tokenizer_config.json", "special_tokens_map.json")) {
            assertArrayEquals(Files.readAllBytes(FIXTURE.resolve(f)), Files.readAllBytes(out.resolve(f)), f);
        }
    }

    @Test
    void seedDeterminesTheBytesAndDtypesConvert(@TempDir Path tmp) throws IOException {
        RandomModelWriter.write(SMALL, tmp.resolve("a"), 1, Dtype.F32, FIXTURE);
        RandomModelWriter.write(SMALL, tmp.resolve("b"), 1, Dtype.F32, FIXTURE);
        RandomModelWriter.write(SMALL, tmp.resolve("c"), 2, Dtype.F32, FIXTURE);
        RandomModelWriter.write(SMALL, tmp.resolve("h"), 1, Dtype.BF16, FIXTURE);
        byte[] a = Files.readAllBytes(tmp.resolve("a/model.safetensors"));
        assertArrayEquals(a, Files.readAllBytes(tmp.resolve("b/model.safetensors")));
        assertFalse(java.util.Arrays.equals(a, Files.readAllBytes(tmp.resolve("c/model.safetensors"))));

        ParsedSafetensors f32 = ParsedSafetensors.read(tmp.resolve("a/model.safetensors"));
        ParsedSafetensors bf = ParsedSafetensors.read(tmp.resolve("h/model.safetensors"));
        assertEquals("BF16", bf.header().get("model.shared.weight").get("dtype").asText());
        float[] x = floats(f32.bytes("model.shared.weight"));
        ByteBuffer b = ByteBuffer.wrap(bf.bytes("model.shared.weight")).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : x) {
            assertEquals(FloatFormats.toBf16(v), b.getShort());
        }
        assertEquals("bfloat16", new ObjectMapper().readTree(tmp.resolve("h/config.json").toFile()).get("torch_dtype").asText());
    }

    @Test
    void engineLoadsTheRandomModelInEveryDtype(@TempDir Path tmp) throws IOException {
        int[] source = {4011, 120, 356, 2};
        float[][] reference = null;
        for (Dtype dtype : List.of(Dtype.F32, Dtype.BF16, Dtype.F16)) {
            Path dir = tmp.resolve(dtype.name());
            RandomModelWriter.write(SMALL, dir, 3, dtype, FIXTURE);
            try (M2M100Model model = M2M100Model.load(dir, ModelOptions.DEFAULTS)) {
                float[][] states = model.encoderHiddenStates(List.of(source)).getFirst();
                assertEquals(source.length, states.length);
                assertEquals(SMALL.dModel(), states[0].length);
                for (float[] row : states) {
                    for (float v : row) {
                        assertTrue(Float.isFinite(v), dtype + ": non-finite encoder state");
                    }
                }
                if (reference == null) {
                    reference = states;
                } else {
                    // Same seed: the 16-bit files are roundings of the f32 weights, so states stay close.
                    for (int i = 0; i < states.length; i++) {
                        for (int j = 0; j < states[i].length; j++) {
                            assertEquals(reference[i][j], states[i][j], 0.1, dtype + " state [" + i + "][" + j + "]");
                        }
                    }
                }
            }
        }
    }

    /** NLLB-200 shapes: 256,206 ids (the tokenizer's 256,204 and two spare rows), 12/24 layers, 3.3B twice as wide. */
    @Test
    void nllbPresetsHaveTheirRealParameterCounts() {
        assertEquals(615_073_792L, M2M100Layout.parameterCount(Preset.NLLB_600M));
        assertEquals(1_370_638_336L, M2M100Layout.parameterCount(Preset.NLLB_1_3B));
        assertEquals(3_344_863_232L, M2M100Layout.parameterCount(Preset.NLLB_3_3B));
        assertEquals(Preset.M2M100_1_2B, Preset.byName("m2m100_1_2B"));
        assertEquals(Preset.NLLB_600M, Preset.byName("facebook/nllb-200-distilled-600M"));
        assertEquals(Preset.NLLB_3_3B, Preset.byName("NLLB_3_3B"));
    }

    /** A small NLLB-family folder with the bundled NLLB tokenizer: the engine finds the family, greedy by default. */
    @Test
    void nllbFolderIsServedAsNllb(@TempDir Path tmp) throws IOException {
        Preset small = new Preset("nllb-small", "test/nllb-small", PresetFamily.NLLB, 32, 1, 1, 4, 48, 4206, 64);
        Path dir = tmp.resolve("nllb");
        RandomModelWriter.writeWithBundledTokenizer(small, dir, 5, Dtype.F32);
        JsonNode config = new ObjectMapper().readTree(dir.resolve("config.json").toFile());
        assertEquals("NllbTokenizer", config.get("tokenizer_class").textValue());
        assertTrue(java.nio.file.Files.exists(dir.resolve("tokenizer_config.json")));
        assertTrue(!java.nio.file.Files.exists(dir.resolve("vocab.json")));
        try (dev.m2m100.engine.TranslationEngine engine = dev.m2m100.engine.TranslationEngine.open(dir,
                dev.m2m100.engine.EngineSettings.DEFAULTS.withDevice(dev.m2m100.engine.backend.DeviceSpec.CPU))) {
            assertEquals("NLLB", engine.codec().family());
            assertEquals(1, engine.generationConfig().numBeams());
            assertEquals(202, engine.languages().size());
            List<String> out = engine.translateNow(List.of("Hello world."), "eng_Latn", "fra_Latn",
                    dev.m2m100.engine.GenerationOptions.DEFAULTS.withMaxNewTokens(4));
            assertEquals(1, out.size());
        }
    }

    private static float[] floats(byte[] b) {
        float[] f = new float[b.length / 4];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
        return f;
    }

    private static double mean(float[] x) {
        double s = 0;
        for (float v : x) {
            s += v;
        }
        return s / x.length;
    }

    private static double std(float[] x) {
        double m = mean(x);
        double s = 0;
        for (float v : x) {
            s += (v - m) * (v - m);
        }
        return Math.sqrt(s / x.length);
    }
}
