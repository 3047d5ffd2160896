package dev.m2m100.engine.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the committed test fixtures from whichever folder the tests run in. */
public final class Fixtures {
    private Fixtures() {}

    /** testdata/m2m100-tiny, found by walking up from the working directory. */
    public static Path tinyModel() {
        return testdata("m2m100-tiny");
    }

    /** testdata/nllb-tiny: the NLLB-200 layout (NllbTokenizer, greedy generation_config) on the same network. */
    public static Path nllbTiny() {
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
}
