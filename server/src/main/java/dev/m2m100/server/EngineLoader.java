package dev.m2m100.server;

import dev.m2m100.engine.Translator;

/** Opens the engine for the configured model folder, on the configured device. */
public final class EngineLoader {
    private EngineLoader() {}

    public static Translator open(ServerConfig config) throws Exception {
        // INTERIM: the engine's model-folder entry point (TranslationEngine over M2M100Model + M2M100Tokenizer)
        // is not in main yet; this is replaced by the real call when it lands.
        throw new IllegalStateException("this build cannot load a model folder yet (engine entry point pending): "
                + config.modelDir().orElse(null));
    }
}
