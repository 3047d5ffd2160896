package dev.m2m100.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Locates testdata/m2m100-tiny from the module or repository directory and caches the loaded tokenizer. */
public final class Fixtures {

    private static M2M100Tokenizer tokenizer;

    private Fixtures() {
    }

    public static Path modelDir() {
        return testdata("m2m100-tiny");
    }

    public static Path nllbDir() {
        return testdata("nllb-tiny");
    }

    private static Path testdata(String name) {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("testdata").resolve(name);
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("testdata/" + name + " not found above " + Path.of("").toAbsolutePath());
    }

    public static synchronized M2M100Tokenizer tokenizer() {
        if (tokenizer == null) {
            try {
                tokenizer = M2M100Tokenizer.load(modelDir());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return tokenizer;
    }

    public static JsonNode reference(String name) {
        return reference(modelDir(), name);
    }

    public static JsonNode reference(Path model, String name) {
        try {
            return new ObjectMapper().readTree(model.resolve("reference").resolve(name).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }
}
