package dev.m2m100.tools.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds files of the repository from a test, whatever module directory Surefire runs it in. */
final class RepositoryFiles {

    private RepositoryFiles() {}

    /** The repository root: the nearest ancestor of the working directory that holds the launcher and the POM. */
    static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("m2m100")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no ancestor of " + Path.of("").toAbsolutePath()
                + " holds the m2m100 launcher and pom.xml");
    }

    static Path path(String relative) {
        Path p = root().resolve(relative);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("missing file " + p);
        }
        return p;
    }

    static String read(String relative) {
        try {
            return Files.readString(path(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
