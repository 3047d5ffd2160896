package dev.m2m100.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.m2m100.engine.generation.EarlyStopping;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

class ModelConfigTest {
    private static final Path TINY = Path.of("..", "testdata", "m2m100-tiny");

    @Test
    void readsTheFixtureConfigAndGenerationConfig() throws IOException {
        ModelConfig c = ModelConfig.load(TINY);
        assertEquals(64, c.dModel());
        assertEquals(2, c.encoderLayers());
        assertEquals(2, c.decoderLayers());
        assertEquals(4, c.encoderAttentionHeads());
        assertEquals(128, c.decoderFfnDim());
        assertEquals(4101, c.vocabSize());
        assertEquals(256, c.maxPositionEmbeddings());
        assertEquals(16, c.headDim());
        assertTrue(c.scaleEmbedding());
        assertEquals(1, c.padTokenId());
        assertEquals(2, c.decoderStartTokenId());
        GenerationConfig g = c.generation();
        assertEquals(5, g.numBeams());
        assertEquals(200, g.maxLength());
        assertNull(g.maxNewTokens());
        assertEquals(EarlyStopping.TRUE, g.earlyStopping());
        assertEquals(1.0, g.lengthPenalty());
    }

    @Test
    void missingRequiredKeyIsNamed(@TempDir Path dir) throws IOException {
        String config = Files.readString(TINY.resolve("config.json")).replace("\"d_model\": 64,", "");
        Files.writeString(dir.resolve("config.json"), config);
        ConfigException e = assertThrows(ConfigException.class, () -> ModelConfig.load(dir));
        assertTrue(e.getMessage().contains("'d_model' is missing"), e.getMessage());
    }

    @Test
    void unknownKeysAreIgnoredAndMissingGenerationConfigFallsBack(@TempDir Path dir) throws IOException {
        String config = Files.readString(TINY.resolve("config.json")).replace("{", "{\"some_future_key\": [1, 2],");
        Files.writeString(dir.resolve("config.json"), config);
        ModelConfig c = ModelConfig.load(dir);
        assertEquals(64, c.dModel());
        assertEquals(1, c.generation().numBeams(), "Hugging Face's default without a generation config");
    }

    @Test
    void earlyStoppingAcceptsNeverAndRejectsOtherStrings(@TempDir Path dir) throws IOException {
        Files.copy(TINY.resolve("config.json"), dir.resolve("config.json"));
        String gen = Files.readString(TINY.resolve("generation_config.json"));
        Files.writeString(dir.resolve("generation_config.json"), gen.replace("\"early_stopping\": true", "\"early_stopping\": \"never\""));
        assertEquals(EarlyStopping.NEVER, ModelConfig.load(dir).generation().earlyStopping());

        Files.writeString(dir.resolve("generation_config.json"), gen.replace("\"early_stopping\": true", "\"early_stopping\": \"sometimes\""));
        ConfigException e = assertThrows(ConfigException.class, () -> ModelConfig.load(dir));
        assertTrue(e.getMessage().contains("early_stopping"), e.getMessage());
    }

    @Test
    void wrongTypeAndBrokenJsonAreClearErrors(@TempDir Path dir) throws IOException {
        String config = Files.readString(TINY.resolve("config.json")).replace("\"d_model\": 64", "\"d_model\": \"64\"");
        Files.writeString(dir.resolve("config.json"), config);
        ConfigException e = assertThrows(ConfigException.class, () -> ModelConfig.load(dir));
        assertTrue(e.getMessage().contains("'d_model' must be an integer"), e.getMessage());

        Files.writeString(dir.resolve("config.json"), "{ not json");
        IOException io = assertThrows(IOException.class, () -> ModelConfig.load(dir));
        assertTrue(io.getMessage().contains("not valid JSON"), io.getMessage());

        Files.delete(dir.resolve("config.json"));
        io = assertThrows(IOException.class, () -> ModelConfig.load(dir));
        assertTrue(io.getMessage().contains("no config.json"), io.getMessage());
    }

    // ---- out-of-range values: one line naming the file, the field and the range ----------------------------

    /** A copy of the fixture's config files in {@code dir} with {@code key}'s value in {@code file} replaced. */
    private static void withValue(Path dir, String file, String key, String value) throws IOException {
        for (String name : new String[] {"config.json", "generation_config.json"}) {
            String text = Files.readString(TINY.resolve(name));
            if (name.equals(file)) {
                String edited = text.replaceFirst("\"" + key + "\": [^,\n]+", "\"" + key + "\": " + value);
                assertTrue(!edited.equals(text), key + " not in " + name);
                text = edited;
            }
            Files.writeString(dir.resolve(name), text);
        }
    }

    private static String loadError(Path dir) {
        ConfigException e = assertThrows(ConfigException.class, () -> ModelConfig.load(dir));
        assertTrue(e.getMessage().lines().count() == 1, e.getMessage());
        return e.getMessage();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            encoder_attention_heads | 0          | encoder_attention_heads must be between 1 and 1024, got 0
            decoder_attention_heads | -4         | decoder_attention_heads must be between 1 and 1024, got -4
            decoder_attention_heads | 3          | d_model 64 must be divisible by decoder_attention_heads, got 3
            max_position_embeddings | -5         | max_position_embeddings must be between 2 and 1048576, got -5
            max_position_embeddings | 2147483647 | max_position_embeddings must be between 2 and 1048576, got 2147483647
            decoder_layers          | -1         | decoder_layers must be between 1 and 256, got -1
            decoder_layers          | 1000000    | decoder_layers must be between 1 and 256, got 1000000
            encoder_layers          | 0          | encoder_layers must be between 1 and 256, got 0
            d_model                 | 2147483648 | d_model must be between 1 and 65536, got 2147483648
            encoder_ffn_dim         | 0          | encoder_ffn_dim must be between 1 and 65536, got 0
            vocab_size              | 16777217   | vocab_size must be between 1 and 16777216, got 16777217
            pad_token_id            | 4101       | pad_token_id must be between 0 and 4100, got 4101
            """)
    void outOfRangeModelValuesNameFileFieldAndRange(String key, String value, String message, @TempDir Path dir)
            throws IOException {
        withValue(dir, "config.json", key, value);
        String m = loadError(dir);
        assertTrue(m.contains("config.json: " + message), m);
    }

    @Test
    void productsThatOverflowOneMatrixAreRefused(@TempDir Path dir) throws IOException {
        withValue(dir, "config.json", "d_model", "65536");
        String config = Files.readString(dir.resolve("config.json")).replace("\"vocab_size\": 4101", "\"vocab_size\": 65536");
        Files.writeString(dir.resolve("config.json"), config);
        String m = loadError(dir);
        assertTrue(m.contains("config.json: vocab_size (65536) x d_model (65536) must be at most"), m);
    }

    @Test
    void realCheckpointShapesAreInsideTheBounds(@TempDir Path dir) throws IOException {
        // NLLB-200 3.3B, the largest shape this engine targets (m2m100_1.2B is smaller in every field)
        String config = Files.readString(TINY.resolve("config.json"))
                .replace("\"d_model\": 64", "\"d_model\": 2048")
                .replace("\"decoder_layers\": 2", "\"decoder_layers\": 24")
                .replace("\"encoder_layers\": 2", "\"encoder_layers\": 24")
                .replace("\"decoder_attention_heads\": 4", "\"decoder_attention_heads\": 16")
                .replace("\"encoder_attention_heads\": 4", "\"encoder_attention_heads\": 16")
                .replace("\"decoder_ffn_dim\": 128", "\"decoder_ffn_dim\": 8192")
                .replace("\"encoder_ffn_dim\": 128", "\"encoder_ffn_dim\": 8192")
                .replace("\"max_position_embeddings\": 256", "\"max_position_embeddings\": 1024")
                .replace("\"vocab_size\": 4101", "\"vocab_size\": 256206");
        Files.writeString(dir.resolve("config.json"), config);
        ModelConfig c = ModelConfig.load(dir);
        assertEquals(2048, c.dModel());
        assertEquals(256206, c.vocabSize());
        assertEquals(128, c.headDim());
    }

    @Test
    void zeroBeamsInTheGenerationConfigFailAtLoad(@TempDir Path dir) throws IOException {
        withValue(dir, "generation_config.json", "num_beams", "0");
        String m = loadError(dir);
        assertTrue(m.contains("generation_config.json: num_beams must be between 1 and 1024, got 0"), m);
    }

    @Test
    void lengthLimitsBeyondThePositionsAreLoweredToWhatTheModelAllows(@TempDir Path dir) throws IOException {
        withValue(dir, "generation_config.json", "max_length", "2147483647");
        GenerationConfig g = ModelConfig.load(dir).generation();
        assertEquals(256, g.maxLength(), "the start token counts: 256 ids fill the 256 positions");

        String gen = Files.readString(dir.resolve("generation_config.json")).replace("{", "{\"max_new_tokens\": 2147483647,");
        Files.writeString(dir.resolve("generation_config.json"), gen);
        assertEquals(255, ModelConfig.load(dir).generation().maxNewTokens(), "1 + max_new_tokens = 256 ids");
    }

    @Test
    void tokenIdsOutsideTheVocabularyAreRefused(@TempDir Path dir) throws IOException {
        withValue(dir, "generation_config.json", "eos_token_id", "-1");
        String m = loadError(dir);
        assertTrue(m.contains("generation_config.json: eos_token_id must be between 0 and 4100, got -1"), m);
    }
}
