package dev.m2m100.engine.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the committed test fixtures from whichever folder the tests run in. */
public final class Fixtures {
    private Fixtures() {}

    /** testdata/m2m100-tiny, found by walking up from the working directory. */
    public static Path tinyModel() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("testdata").resolve("m2m100-tiny");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("testdata/m2m100-tiny not found above " + Path.of("").toAbsolutePath());
    }
}
