package dev.m2m100.tools.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.m2m100.engine.Version;
import dev.m2m100.tools.Main;
import dev.m2m100.tools.cli.Cli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * One version everywhere, the POM's: {@code --version}, every image tag the docs, the Dockerfile and the manifests
 * show (the OpenAPI document and /metrics are checked in the server's tests).
 */
class VersionTest {

    @Test
    void versionIsThePomsProjectVersion() {
        String pom = RepositoryFiles.read("pom.xml");
        Matcher m = Pattern.compile("<artifactId>m2m100-parent</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
        assertTrue(m.find(), "no version in pom.xml");
        assertEquals(m.group(1), Version.current());
    }

    @Test
    void dashDashVersionSaysIt() {
        StringWriter out = new StringWriter();
        CommandLine cl = Cli.commandLine(new Main());
        cl.setOut(new PrintWriter(out));
        assertEquals(0, cl.execute("--version"));
        assertEquals("m2m100-jvm " + Version.current(), out.toString().strip());
    }

    @Test
    void everyImageTagInDocsDockerfileAndManifestsIsTheVersion() throws IOException {
        Pattern tag = Pattern.compile("m2m100-jvm:([0-9][^\\s\"'`,)]*)");
        List<String> wrong = new ArrayList<>();
        int seen = 0;
        for (Path file : files()) {
            Matcher m = tag.matcher(Files.readString(file));
            while (m.find()) {
                seen++;
                String t = m.group(1);
                if (!t.equals(Version.current()) && !t.equals(Version.current() + "-cpu")) {
                    wrong.add(RepositoryFiles.root().relativize(file) + ": " + m.group());
                }
            }
        }
        assertEquals(List.of(), wrong, "image tags that are not the version " + Version.current());
        assertTrue(seen >= 10, "image tags found: " + seen);
        assertTrue(RepositoryFiles.read("k8s/cpu/kustomization.yaml").contains("newTag: " + Version.current() + "-cpu"));
    }

    private static List<Path> files() throws IOException {
        Path root = RepositoryFiles.root();
        List<Path> files = new ArrayList<>(List.of(root.resolve("README.md"), root.resolve("Dockerfile")));
        for (String dir : List.of("docs", "k8s")) {
            try (Stream<Path> walk = Files.walk(root.resolve(dir))) {
                walk.filter(p -> p.toString().endsWith(".md") || p.toString().endsWith(".yaml")).forEach(files::add);
            }
        }
        return files;
    }
}
