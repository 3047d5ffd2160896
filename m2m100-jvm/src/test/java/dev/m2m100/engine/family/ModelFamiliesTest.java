package dev.m2m100.engine.family;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.m2m100.engine.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which family a folder is: tokenizer_class first (tokenizer_config.json, then config.json), then its files. */
class ModelFamiliesTest {

    @Test
    void theFixturesNameTheirTokenizerClass() throws IOException {
        assertEquals("M2M100", ModelFamilies.of(Fixtures.tinyModel()).name());
        assertEquals("NLLB", ModelFamilies.of(Fixtures.nllbTiny()).name());
        assertEquals("NLLB", ModelFamilies.openCodec(Fixtures.nllbTiny()).family());
        assertEquals(4204, ModelFamilies.openCodec(Fixtures.nllbTiny()).vocabularySize());
    }

    @Test
    void withoutTokenizerClassTheFilesDecide(@TempDir Path tmp) throws IOException {
        Path m2m = copyWithoutClass(Fixtures.tinyModel(), tmp.resolve("m2m"),
                List.of("sentencepiece.bpe.model", "vocab.json", "special_tokens_map.json"));
        Path nllb = copyWithoutClass(Fixtures.nllbTiny(), tmp.resolve("nllb"),
                List.of("sentencepiece.bpe.model", "special_tokens_map.json"));
        assertEquals("M2M100", ModelFamilies.of(m2m).name());
        assertEquals("NLLB", ModelFamilies.of(nllb).name());
        assertEquals("eng_Latn", ModelFamilies.openCodec(nllb).languageTable().codes().get(46));
    }

    @Test
    void theFastClassNameMeansTheSameFamily(@TempDir Path tmp) throws IOException {
        Files.writeString(tmp.resolve("tokenizer_config.json"), "{\"tokenizer_class\": \"NllbTokenizerFast\"}");
        assertEquals("NLLB", ModelFamilies.of(tmp).name());
    }

    @Test
    void anUnknownFamilyNamesTheFolderAndWhatWasFound(@TempDir Path tmp) throws IOException {
        Files.writeString(tmp.resolve("tokenizer_config.json"), "{\"tokenizer_class\": \"MarianTokenizer\"}");
        UnknownModelFamilyException e = assertThrows(UnknownModelFamilyException.class, () -> ModelFamilies.of(tmp));
        assertTrue(e.getMessage().contains(tmp.toString()) && e.getMessage().contains("MarianTokenizer")
                && e.getMessage().contains("NllbTokenizer") && e.getMessage().contains("M2M100Tokenizer"), e.getMessage());

        Path empty = Files.createDirectory(tmp.resolve("empty"));
        Files.writeString(empty.resolve("config.json"), "{\"model_type\": \"m2m_100\"}");
        UnknownModelFamilyException e2 = assertThrows(UnknownModelFamilyException.class, () -> ModelFamilies.of(empty));
        assertTrue(e2.getMessage().contains(empty.toString()) && e2.getMessage().contains("[config.json]")
                && e2.getMessage().contains("match no family"), e2.getMessage());

        Files.writeString(tmp.resolve("tokenizer_config.json"), "{\"tokenizer_class\": ");
        IOException bad = assertThrows(IOException.class, () -> ModelFamilies.of(tmp));
        assertTrue(bad.getMessage().contains("tokenizer_config.json") && bad.getMessage().contains("invalid JSON"),
                bad.getMessage());
        assertThrows(java.nio.file.NoSuchFileException.class, () -> ModelFamilies.of(tmp.resolve("nope")));
    }

    private static Path copyWithoutClass(Path from, Path to, List<String> files) throws IOException {
        Files.createDirectories(to);
        for (String f : files) {
            Files.copy(from.resolve(f), to.resolve(f));
        }
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode config = (com.fasterxml.jackson.databind.node.ObjectNode)
                json.readTree(from.resolve("tokenizer_config.json").toFile());
        config.remove("tokenizer_class");
        Files.writeString(to.resolve("tokenizer_config.json"), config.toString());
        return to;
    }
}
