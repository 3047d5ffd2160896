package dev.m2m100.server;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The engine the server tests run: the real one, over the tiny fixture model in testdata/m2m100-tiny. */
final class TestModel {
    static final Path TINY = Path.of("..", "testdata", "m2m100-tiny").toAbsolutePath().normalize();

    private TestModel() {}

    /** Opens the tiny model through {@link EngineLoader}, with the test's engine limits, on the CPU. */
    static TranslationServer.TranslatorLoader loader(ServerConfig config) {
        return () -> EngineLoader.open(config);
    }

    /** Settings every test server starts from; tests override single entries. */
    static Map<String, String> baseEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("HOST", "127.0.0.1");
        env.put("PORT", "0");
        env.put("MODEL_DIR", TINY.toString());
        env.put("DEVICE", "cpu");
        env.put("THREADS", "2");
        return env;
    }
}
