package dev.m2m100.server;

import dev.m2m100.engine.TranslationEngine;
import dev.m2m100.engine.Translator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens the engine for the configured model folder, on the configured device, with the configured limits. */
public final class EngineLoader {
    private EngineLoader() {}

    public static Translator open(ServerConfig config) throws IOException {
        Path dir = config.modelDir().orElseThrow(() -> new IllegalArgumentException(
                "no model folder: set MODEL_DIR or pass --model DIR"));
        return open(dir, config);
    }

    /** Opens the engine for {@code dir} (already resolved to a local folder) with the configured limits. */
    public static Translator open(Path dir, ServerConfig config) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("model folder " + dir.toAbsolutePath() + " does not exist or is not a directory");
        }
        return TranslationEngine.open(dir, config.toEngineSettings());
    }
}
