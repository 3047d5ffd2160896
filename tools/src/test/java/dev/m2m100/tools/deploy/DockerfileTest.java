package dev.m2m100.tools.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.m2m100.engine.Version;
import dev.m2m100.server.Routes;
import dev.m2m100.tools.Main;
import dev.m2m100.tools.deploy.DockerfileInstructions.Instruction;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Dockerfile (read as text) agrees with the server, the launcher and the Kubernetes manifests. */
class DockerfileTest {

    private static final String LAUNCHER_IN_IMAGE = "/opt/m2m100/bin/m2m100";
    private static final String LAUNCHER_SOURCE = "scripts/m2m100-container.sh";

    private final DockerfileInstructions dockerfile = DockerfileInstructions.parse(RepositoryFiles.read("Dockerfile"));
    private final DockerfileInstructions image = dockerfile.finalStage();

    @Test
    void isMultiStage() {
        assertTrue(dockerfile.named("FROM").size() >= 2);
        assertTrue(image.named("COPY").stream().anyMatch(c -> c.arguments().startsWith("--from=build ")),
                "the runtime stage copies the build stage's output");
    }

    @Test
    void exposesTheServersPort() {
        assertEquals(String.valueOf(Routes.DEFAULT_PORT), image.single("EXPOSE").arguments());
        assertEquals(String.valueOf(Routes.DEFAULT_PORT), env().get("PORT"));
    }

    @Test
    void healthcheckAsksAServerRouteOnTheServersPort() {
        String check = image.single("HEALTHCHECK").arguments();
        Matcher url = Pattern.compile("http://127\\.0\\.0\\.1:([^/\"]+)(/[A-Za-z0-9_/-]*)").matcher(check);
        assertTrue(url.find(), "no local URL in HEALTHCHECK: " + check);
        String port = url.group(1);
        assertTrue(port.equals(String.valueOf(Routes.DEFAULT_PORT)) || port.equals("${PORT}"), "port " + port);
        assertTrue(List.of(Routes.READY, Routes.HEALTH).contains(url.group(2)), "route " + url.group(2));
        assertTrue(check.contains("--start-period="), "model loading needs a start period");
        // The probe's tool must be in the image: the CUDA base images purge their curl.
        assertTrue(check.contains("CMD curl "), check);
        assertTrue(image.named("RUN").stream().anyMatch(r -> r.arguments().matches(".*apt-get install[^&]* curl\\b.*")),
                "the HEALTHCHECK uses curl but the runtime stage does not install it");
    }

    @Test
    void runsAsTheNonRootUserTheManifestsExpect() {
        String user = image.single("USER").arguments();
        String uid = user.split(":")[0];
        assertTrue(uid.matches("[0-9]+") && Long.parseLong(uid) > 0, "USER must be a numeric non-root uid: " + user);
        long runAsUser = Manifests.load(Manifests.BASE).deployment()
                .getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser();
        assertEquals(runAsUser, Long.parseLong(uid));
    }

    @Test
    void entrypointIsTheLauncherAndServesByDefault() {
        assertEquals("[\"" + LAUNCHER_IN_IMAGE + "\"]", image.single("ENTRYPOINT").arguments());
        assertEquals("[\"serve\"]", image.single("CMD").arguments());
        assertTrue(dockerfile.named("COPY").stream()
                        .anyMatch(c -> c.arguments().equals(LAUNCHER_SOURCE + " " + LAUNCHER_IN_IMAGE)),
                "the launcher " + LAUNCHER_SOURCE + " is not installed as " + LAUNCHER_IN_IMAGE);
    }

    @Test
    void launcherStartsTheCliWithTheRuntimeFlags() {
        String launcher = RepositoryFiles.read(LAUNCHER_SOURCE);
        assertTrue(launcher.contains("--add-modules jdk.incubator.vector"), "Vector API module");
        assertTrue(launcher.contains("--enable-native-access=ALL-UNNAMED"), "JCuda native access");
        assertTrue(launcher.contains("-Djava.io.tmpdir=\"$TMP_DIR\""), "JCuda unpacks natives to java.io.tmpdir");
        assertTrue(launcher.contains("${TMPDIR:-/tmp}") && launcher.contains("${JAVA_OPTS:-}"), "env hooks");
        assertTrue(launcher.contains(" " + Main.class.getName() + " \"$@\""), "main class");
        assertTrue(env().get("JAVA_OPTS").contains("-XX:MaxRAMPercentage="), "heap sized from the container limit");
        assertTrue(env().get("JAVA_OPTS").contains("-Xmn128m"),
                "young generation capped: load and warm-up garbage would otherwise stay resident");
        String jlink = dockerfile.named("RUN").stream().map(Instruction::arguments)
                .filter(a -> a.startsWith("jlink ")).findFirst().orElseThrow();
        assertTrue(jlink.contains("jdk.incubator.vector"), "the jlink'ed runtime lacks the Vector API");
    }

    @Test
    void runtimeIsACuda12ImageWithCublas() {
        Map<String, String> args = buildArgs();
        assertEquals("nvidia/cuda", args.get("RUNTIME_REPO"));
        // JCublas 12.6 needs libcublas.so.12: CUDA 12, and a "-runtime-" image (the "-base-" ones lack cuBLAS).
        assertTrue(args.get("RUNTIME_TAG").matches("12\\.[0-9]+\\.[0-9]+-(cudnn-)?runtime-ubuntu[0-9.]+"),
                args.get("RUNTIME_TAG"));
        assertEquals("${RUNTIME_REPO}:${RUNTIME_TAG} AS runtime", image.single("FROM").arguments());
        assertTrue(args.get("BUILD_TAG").contains("temurin-25"), "build with JDK 25: " + args.get("BUILD_TAG"));
    }

    @Test
    void keepsTmpAndModelsWritableUnderAReadOnlyRoot() {
        String volumes = image.single("VOLUME").arguments();
        assertTrue(volumes.contains("\"/models\"") && volumes.contains("\"/tmp\""), volumes);
        assertEquals("/tmp", env().get("TMPDIR"));
        assertTrue(env().get("M2M100_CACHE").startsWith("/models/"), "the model cache belongs on the volume");
    }

    @Test
    void buildsEveryMavenModuleFromAMinimalContext() {
        String pom = RepositoryFiles.read("pom.xml");
        Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(pom);
        List<String> dockerignore = RepositoryFiles.read(".dockerignore").lines()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertEquals("*", dockerignore.getFirst(), ".dockerignore should start by excluding everything");
        assertTrue(dockerignore.contains("**/target"), "build outputs must stay out of the context");
        int modules = 0;
        while (module.find()) {
            String m = module.group(1);
            modules++;
            assertTrue(dockerfile.named("COPY").stream().anyMatch(c -> c.arguments().equals(m + " " + m)),
                    "the Dockerfile does not COPY module " + m);
            assertTrue(dockerignore.contains("!" + m), ".dockerignore keeps module " + m + " out of the context");
        }
        assertTrue(modules >= 5, "modules found in pom.xml: " + modules);
        assertTrue(dockerignore.contains("!" + LAUNCHER_SOURCE));
        String build = dockerfile.named("RUN").stream().map(Instruction::arguments)
                .filter(a -> a.contains("mvn ")).findFirst().orElseThrow();
        assertTrue(build.contains("--mount=type=cache,target=/root/.m2"), "dependency cache");
        assertTrue(build.contains(" package"), build);
    }

    /**
     * The tools jar ships files from testdata/ (the tools POM's resources): the build context and the build stage
     * must have them, or the image build fails while every local build works.
     */
    @Test
    void theTestdataFilesTheToolsJarShipsReachTheBuildStage() {
        List<String> dockerignore = RepositoryFiles.read(".dockerignore").lines().map(String::strip).toList();
        String copies = dockerfile.named("COPY").stream().map(Instruction::arguments).reduce("", (a, b) -> a + "\n" + b);
        Matcher resource = Pattern.compile("<directory>\\$\\{project.basedir}/\\.\\./([^<]+)</directory>\\s*<includes>(.*?)</includes>",
                Pattern.DOTALL).matcher(RepositoryFiles.read("tools/pom.xml"));
        int files = 0;
        while (resource.find()) {
            Matcher include = Pattern.compile("<include>([^<]+)</include>").matcher(resource.group(2));
            while (include.find()) {
                String file = resource.group(1) + "/" + include.group(1);
                files++;
                RepositoryFiles.path(file);
                assertTrue(dockerignore.contains("!" + file), ".dockerignore keeps " + file + " out of the context");
                assertTrue(copies.contains(file), "the Dockerfile does not COPY " + file);
            }
        }
        assertTrue(files >= 5, "testdata files shipped by tools: " + files);
        assertTrue(copies.contains("scripts/run-java.sh /opt/m2m100/bin/run-java.sh"),
                "the launcher sources run-java.sh from its own folder");
        assertTrue(dockerignore.contains("!scripts/run-java.sh"));
    }

    @Test
    void imageIsLabelledWithTheProductVersion() {
        assertEquals(Version.current(), buildArgs().get("VERSION"), "ARG VERSION must be the POM's version");
        assertTrue(image.named("LABEL").stream().anyMatch(l -> l.arguments().contains(
                "org.opencontainers.image.version=\"${VERSION}\"")), "no version label on the image");
    }

    @Test
    void baseImagesArePinned() {
        Map<String, String> args = buildArgs();
        for (String tag : List.of("BUILD_TAG", "RUNTIME_TAG")) {
            String value = args.get(tag);
            assertNotNull(value, tag);
            assertFalse(value.equals("latest") || !value.matches(".*[0-9]+\\.[0-9]+.*"), tag + " is not pinned: " + value);
        }
    }

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        for (Instruction i : image.named("ENV")) {
            // ENV K=V K2="V 2" ... (the form this Dockerfile uses)
            Matcher kv = Pattern.compile("([A-Z0-9_]+)=(\"[^\"]*\"|\\S+)").matcher(i.arguments());
            while (kv.find()) {
                env.put(kv.group(1), kv.group(2).replace("\"", ""));
            }
        }
        return env;
    }

    private Map<String, String> buildArgs() {
        Map<String, String> args = new HashMap<>();
        for (Instruction i : dockerfile.named("ARG")) {
            String[] kv = i.arguments().split("=", 2);
            if (kv.length == 2) {
                args.put(kv[0], kv[1]);
            }
        }
        return args;
    }

    @Test
    void parserJoinsContinuationsAndSkipsComments() {
        DockerfileInstructions d = DockerfileInstructions.parse("""
                # comment
                FROM a:1 AS x
                RUN one \\
                    two
                EXPOSE 1
                """);
        assertEquals(List.of("FROM", "RUN", "EXPOSE"), d.all().stream().map(Instruction::keyword).toList());
        assertEquals("one two", d.single("RUN").arguments().replaceAll("\\s+", " "));
        assertEquals(3, d.single("RUN").line());
        assertEquals(List.of("FROM", "RUN", "EXPOSE"), d.finalStage().all().stream().map(Instruction::keyword).toList());
    }
}
