package dev.m2m100.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.m2m100.engine.safetensors.DType;
import dev.m2m100.engine.safetensors.SafetensorsCheckpoint;
import dev.m2m100.engine.testing.Fixtures;
import dev.m2m100.engine.testing.TestCheckpoints;
import dev.m2m100.engine.testing.TestCheckpoints.Entry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model loads from sharded and BF16 checkpoints. */
class CheckpointFormatsTest {

    @TempDir
    Path tmp;

    private static final ModelOptions OPTIONS = ModelOptions.DEFAULTS.withThreads(1);
    private static final int[] SOURCE = {4011, 118, 406, 31, 241, 44, 2};
    private static final int[] DECODER = {2, 4017, 1878, 1878};

    @Test
    void shardedCheckpointGivesTheSameLogitsAsTheSingleFile() throws IOException {
        Map<String, Entry> all = TestCheckpoints.fixtureTensors();
        Map<String, Entry> first = new TreeMap<>();
        Map<String, Entry> second = new TreeMap<>();
        StringBuilder index = new StringBuilder("{\"metadata\":{},\"weight_map\":{");
        for (Map.Entry<String, Entry> e : all.entrySet()) {
            boolean one = e.getKey().contains("encoder") || e.getKey().contains("shared");
            (one ? first : second).put(e.getKey(), e.getValue());
            index.append(index.charAt(index.length() - 1) == '{' ? "" : ",").append('"').append(e.getKey())
                    .append("\":\"model-0000").append(one ? 1 : 2).append("-of-00002.safetensors\"");
        }
        Path dir = tmp.resolve("sharded");
        Files.createDirectories(dir);
        Files.copy(Fixtures.tinyModel().resolve("config.json"), dir.resolve("config.json"));
        TestCheckpoints.writeF32(dir.resolve("model-00001-of-00002.safetensors"), first);
        TestCheckpoints.writeF32(dir.resolve("model-00002-of-00002.safetensors"), second);
        Files.writeString(dir.resolve(SafetensorsCheckpoint.INDEX_FILE), index.append("}}"));
        float[][] expected;
        try (M2M100Model m = M2M100Model.load(Fixtures.tinyModel(), OPTIONS)) {
            expected = m.decoderLogits(SOURCE, DECODER);
        }
        try (M2M100Model m = M2M100Model.load(dir, OPTIONS)) {
            float[][] got = m.decoderLogits(SOURCE, DECODER);
            for (int p = 0; p < got.length; p++) {
                assertArrayEquals(expected[p], got[p], 0f, "position " + p);
            }
        }
    }

    @Test
    void bf16CheckpointIsUpcastExactlyAndRuns() throws IOException {
        Map<String, Entry> all = TestCheckpoints.fixtureTensors();
        Path dir = tmp.resolve("bf16");
        Files.createDirectories(dir);
        Files.copy(Fixtures.tinyModel().resolve("config.json"), dir.resolve("config.json"));
        TestCheckpoints.write(dir.resolve("model.safetensors"), all, true);
        try (SafetensorsCheckpoint c = SafetensorsCheckpoint.open(dir)) {
            assertEquals(DType.BF16, c.info("model.shared.weight").dtype());
            for (Map.Entry<String, Entry> e : all.entrySet()) {
                float[] got = c.toFloat(e.getKey());
                float[] f32 = e.getValue().values();
                for (int i = 0; i < got.length; i++) {
                    float expected = Float.intBitsToFloat((TestCheckpoints.toBf16(f32[i]) & 0xffff) << 16);
                    assertEquals(expected, got[i], e.getKey() + "[" + i + "]");
                }
            }
        }
        try (M2M100Model m = M2M100Model.load(dir, OPTIONS)) {
            float[][] logits = m.decoderLogits(SOURCE, DECODER);
            assertEquals(DECODER.length, logits.length);
            for (float[] row : logits) {
                for (float v : row) {
                    assertTrue(Float.isFinite(v));
                }
            }
        }
    }
}
