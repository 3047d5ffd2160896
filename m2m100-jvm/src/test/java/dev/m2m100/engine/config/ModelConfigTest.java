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
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelConfig.load(dir));
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
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelConfig.load(dir));
        assertTrue(e.getMessage().contains("early_stopping"), e.getMessage());
    }

    @Test
    void wrongTypeAndBrokenJsonAreClearErrors(@TempDir Path dir) throws IOException {
        String config = Files.readString(TINY.resolve("config.json")).replace("\"d_model\": 64", "\"d_model\": \"64\"");
        Files.writeString(dir.resolve("config.json"), config);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelConfig.load(dir));
        assertTrue(e.getMessage().contains("'d_model' must be an integer"), e.getMessage());

        Files.writeString(dir.resolve("config.json"), "{ not json");
        IOException io = assertThrows(IOException.class, () -> ModelConfig.load(dir));
        assertTrue(io.getMessage().contains("not valid JSON"), io.getMessage());

        Files.delete(dir.resolve("config.json"));
        io = assertThrows(IOException.class, () -> ModelConfig.load(dir));
        assertTrue(io.getMessage().contains("no config.json"), io.getMessage());
    }
}
