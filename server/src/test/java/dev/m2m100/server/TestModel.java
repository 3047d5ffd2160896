package dev.m2m100.server;

import java.util.Map;

/**
 * Where the tests get their engine. Until the real engine lands in main this is the {@link FakeTranslator}
 * test double; afterwards it opens the tiny fixture model (testdata/m2m100-tiny) through the real engine.
 */
final class TestModel {
    private TestModel() {}

    static TranslationServer.TranslatorLoader loader(ServerConfig config) {
        return () -> new FakeTranslator(40, config.maxQueued());
    }

    static final boolean REAL = false;

    /** Settings every test server starts from; tests override single entries. */
    static Map<String, String> baseEnv() {
        return Map.of("HOST", "127.0.0.1", "PORT", "0");
    }
}
