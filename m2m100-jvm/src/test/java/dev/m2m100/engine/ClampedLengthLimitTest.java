package dev.m2m100.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.m2m100.engine.backend.DeviceSpec;
import dev.m2m100.engine.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A generation_config.json max_length beyond the model's positions is the operator's mistake: it is lowered at load,
 * so requests without their own limit are served instead of refused.
 */
class ClampedLengthLimitTest {

    @Test
    void requestsWithoutOptionsAreServedUnderAClampedMaxLength(@TempDir Path dir) throws IOException {
        Path tiny = Fixtures.tinyModel().toAbsolutePath();
        try (Stream<Path> files = Files.list(tiny)) {
            for (Path f : files.toList()) {
                if (Files.isRegularFile(f) && !f.getFileName().toString().equals("generation_config.json")) {
                    Files.copy(f, dir.resolve(f.getFileName()));
                }
            }
        }
        String gen = Files.readString(tiny.resolve("generation_config.json"))
                .replace("\"max_length\": 200", "\"max_length\": 2147483647");
        Files.writeString(dir.resolve("generation_config.json"), gen);
        try (TranslationEngine engine = TranslationEngine.open(dir, EngineSettings.DEFAULTS.withDevice(DeviceSpec.CPU))) {
            assertEquals(256, engine.generationConfig().maxLength());
            List<String> out = engine.translate(List.of("Hello world."), "en", "fr", GenerationOptions.DEFAULTS).join();
            assertEquals(1, out.size());
        }
    }
}
