package dev.m2m100.tools.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The kustomize overlays: their files parse, the CPU overlay's patches fit the base, every overlay renders with
 * kubectl's built-in kustomize (it works offline; skipped with the reason when kubectl is missing, while .ci/run
 * requires it), and every {@code kubectl apply|kustomize} the docs and manifests show names something that exists.
 */
class KustomizeOverlayTest {

    /** The overlays users apply (README.md, docs/OPERATIONS.md). */
    private static final List<String> OVERLAYS = List.of("k8s/gpu", "k8s/cpu");
    private static final String CPU = "k8s/cpu";

    private final Deployment base = Manifests.load(Manifests.BASE).deployment();

    @Test
    void cpuKustomizationBuildsOnTheBaseWithExistingPatches() {
        GenericKubernetesResource k = kustomization(CPU);
        assertEquals("kustomize.config.k8s.io/v1beta1", k.getApiVersion());
        assertEquals("Kustomization", k.getKind());
        assertEquals(List.of("../base"), list(k, "resources"));
        assertEquals(List.of("../autoscaling/cpu"), list(k, "components"));
        List<?> patches = list(k, "patches");
        assertEquals(2, patches.size());
        for (Object p : patches) {
            Map<?, ?> patch = (Map<?, ?>) p;
            RepositoryFiles.path(CPU + "/" + patch.get("path"));
            Map<?, ?> target = (Map<?, ?>) patch.get("target");
            assertEquals("Deployment", target.get("kind"));
            assertEquals(base.getMetadata().getName(), target.get("name"));
        }
    }

    @Test
    void gpuKustomizationIsTheBaseWithTheQueueDepthAutoscaler() {
        GenericKubernetesResource k = kustomization("k8s/gpu");
        assertEquals(List.of("../base"), list(k, "resources"));
        assertEquals(List.of("../autoscaling/queue-depth"), list(k, "components"));
    }

    @Test
    void cpuImageOverrideNamesTheBaseImage() {
        Map<?, ?> image = (Map<?, ?>) list(kustomization(CPU), "images").getFirst();
        String baseImage = Manifests.container(base, "server").getImage();
        assertEquals(baseImage.substring(0, baseImage.lastIndexOf(':')), image.get("name"));
        assertNotEquals(baseImage.substring(baseImage.lastIndexOf(':') + 1), image.get("newTag"));
    }

    @Test
    void strategicPatchRunsTheServerOnCpu() {
        Deployment patch = Manifests.load(CPU + "/deployment-cpu.yaml").deployment();
        assertEquals(List.of(), UnknownFields.of(patch));
        assertEquals(base.getMetadata().getName(), patch.getMetadata().getName());
        Container server = Manifests.container(patch, "server");
        Manifests.container(base, "server"); // the patch merges into an existing container
        assertEquals(Optional.of("cpu"), Manifests.env(server, "DEVICE"));
        server.getEnv().forEach(e -> assertTrue(ServerContract.DOCUMENTED_ENV.contains(e.getName()), e.getName()));
        assertFalse(server.getResources().getLimits().containsKey("nvidia.com/gpu"));
        assertTrue(server.getResources().getRequests().containsKey("cpu"));
    }

    @Test
    void jsonPatchRemovesPathsThatExistInTheBase() {
        List<?> ops = Manifests.SERIALIZATION.unmarshal(RepositoryFiles.read(CPU + "/remove-gpu.yaml"), List.class);
        JsonNode tree = baseDeploymentTree();
        assertFalse(ops.isEmpty());
        boolean removesGpu = false;
        for (Object o : ops) {
            Map<?, ?> op = (Map<?, ?>) o;
            String path = (String) op.get("path");
            assertEquals("remove", op.get("op"));
            // A remove of a missing path fails `kustomize build`: check each one exists in the base.
            assertFalse(tree.at(path).isMissingNode(), path + " does not exist in " + Manifests.BASE);
            removesGpu |= path.endsWith("/resources/limits/nvidia.com~1gpu");
        }
        assertTrue(removesGpu, "the overlay must drop the GPU limit");
        assertEquals("server", tree.at("/spec/template/spec/containers/0/name").asString(),
                "the JSON patch indexes containers/0, which must be the server");
    }

    @Test
    void theAdapterRuleExposesTheMetricTheQueueDepthAutoscalerUses() {
        HorizontalPodAutoscaler hpa = Manifests.load(Manifests.QUEUE_DEPTH_HPA).hpa();
        String metric = hpa.getSpec().getMetrics().getFirst().getPods().getMetric().getName();
        JsonNode values = new YAMLMapper().readTree(
                RepositoryFiles.read("k8s/autoscaling/queue-depth/prometheus-adapter-values.yaml"));
        JsonNode rule = values.at("/rules/custom/0");
        assertFalse(rule.isMissingNode(), "no custom rule in the adapter values");
        assertEquals(metric, rule.at("/name/as").asString());
        assertTrue(rule.at("/seriesQuery").asString().startsWith(metric + "{"), rule.toString());
        assertEquals("pod", rule.at("/resources/overrides/pod/resource").asString());
        assertEquals("namespace", rule.at("/resources/overrides/namespace/resource").asString());
    }

    @Test
    void everyOverlayRendersWithKubectl() {
        Path kubectl = kubectl();
        Manifests baseFile = Manifests.load(Manifests.BASE);
        for (String overlay : OVERLAYS) {
            Manifests rendered = Manifests.parse("kubectl kustomize " + overlay, render(kubectl, overlay));
            assertEquals(List.of("Deployment", "HorizontalPodAutoscaler", "PodDisruptionBudget", "Service"),
                    rendered.objects().stream().map(HasMetadata::getKind).sorted().toList(), overlay);
            for (HasMetadata o : rendered.objects()) {
                assertEquals(List.of(), UnknownFields.of(o), overlay + " " + o.getKind());
            }
            Container server = Manifests.container(rendered.deployment(), "server");
            Container baseServer = Manifests.container(baseFile.deployment(), "server");
            // Everything not meant to change did not: probes, ports, security, arguments, the other objects.
            assertEquals(baseServer.getStartupProbe(), server.getStartupProbe(), overlay);
            assertEquals(baseServer.getReadinessProbe(), server.getReadinessProbe(), overlay);
            assertEquals(baseServer.getLivenessProbe(), server.getLivenessProbe(), overlay);
            assertEquals(baseServer.getPorts(), server.getPorts(), overlay);
            assertEquals(baseServer.getSecurityContext(), server.getSecurityContext(), overlay);
            assertEquals(baseServer.getArgs(), server.getArgs(), overlay);
            assertEquals(baseFile.service().getSpec(), rendered.service().getSpec(), overlay);
            assertEquals(baseFile.pdb().getSpec(), rendered.pdb().getSpec(), overlay);
            assertEquals(server.getImage(), Manifests.initContainer(rendered.deployment(), "download-model").getImage());
            assertTrue(server.getResources().getRequests().containsKey("ephemeral-storage"), overlay);
        }
    }

    @Test
    void gpuOverlayRunsOnOneGpuAndScalesOnQueueDepth() {
        Manifests gpu = Manifests.parse("k8s/gpu", render(kubectl(), "k8s/gpu"));
        Container server = Manifests.container(gpu.deployment(), "server");
        assertEquals(Optional.of("cuda"), Manifests.env(server, "DEVICE"));
        assertEquals(new Quantity("1"), server.getResources().getLimits().get("nvidia.com/gpu"));
        assertEquals("Pods", gpu.hpa().getSpec().getMetrics().getFirst().getType());
        assertEquals(Manifests.load(Manifests.QUEUE_DEPTH_HPA).hpa().getSpec(), gpu.hpa().getSpec());
    }

    @Test
    void cpuOverlayHasNoGpuAndScalesOnCpu() {
        String yaml = render(kubectl(), CPU);
        Manifests cpu = Manifests.parse(CPU, yaml);
        Deployment d = cpu.deployment();
        assertFalse(yaml.contains("nvidia.com/gpu"), "GPU request or toleration left in the CPU variant");
        assertTrue(d.getSpec().getTemplate().getSpec().getTolerations().isEmpty());
        Container server = Manifests.container(d, "server");
        assertEquals(Optional.of("cpu"), Manifests.env(server, "DEVICE"));
        assertTrue(server.getImage().endsWith("-cpu"), server.getImage());
        assertEquals(Manifests.load(Manifests.CPU_HPA).hpa().getSpec(), cpu.hpa().getSpec());
    }

    /**
     * Every {@code kubectl apply -k DIR}, {@code kubectl kustomize DIR} and {@code kubectl apply -f FILE} written in
     * the README, docs/*.md and the manifests' comments names an overlay this test renders or a file that exists,
     * and no document still tells users to apply the base or a file that moved.
     */
    @Test
    void everyDocumentedKubectlCommandNamesSomethingThatWorks() throws IOException {
        Pattern command = Pattern.compile("kubectl (?:apply -k|kustomize|apply -f) +(k8s/[^\\s|`'\"]*)");
        TreeSet<String> seen = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        for (Path doc : documents()) {
            Matcher m = command.matcher(Files.readString(doc));
            while (m.find()) {
                String target = m.group(1).replaceAll("/$", "");
                seen.add(target);
                String where = RepositoryFiles.root().relativize(doc) + ": " + m.group();
                if (m.group().contains("apply -f")) {
                    if (!Files.isRegularFile(RepositoryFiles.root().resolve(target))) {
                        problems.add(where + " (no such file)");
                    }
                } else if (!OVERLAYS.contains(target)) {
                    problems.add(where + " (not one of the rendered overlays " + OVERLAYS + ")");
                }
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(seen.containsAll(OVERLAYS), "the docs never show how to apply " + OVERLAYS + "; seen " + seen);
    }

    private static List<Path> documents() throws IOException {
        Path root = RepositoryFiles.root();
        List<Path> docs = new ArrayList<>(List.of(root.resolve("README.md"), root.resolve("Dockerfile")));
        try (Stream<Path> md = Files.list(root.resolve("docs"))) {
            md.filter(p -> p.toString().endsWith(".md")).forEach(docs::add);
        }
        try (Stream<Path> k8s = Files.walk(root.resolve("k8s"))) {
            k8s.filter(p -> p.toString().endsWith(".yaml")).forEach(docs::add);
        }
        return docs;
    }

    /** kubectl on the PATH, or the test is skipped saying so (.ci/run requires it). */
    private static Path kubectl() {
        Optional<Path> kubectl = onPath("kubectl");
        assumeTrue(kubectl.isPresent(), "kubectl is not on the PATH: overlays not rendered (.ci/run renders them)");
        return kubectl.get();
    }

    private static String render(Path kubectl, String overlay) {
        try {
            Process p = new ProcessBuilder(kubectl.toString(), "kustomize", RepositoryFiles.root().resolve(overlay).toString())
                    .redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "kubectl kustomize " + overlay + " did not finish");
            String yaml = new String(out, StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), "kubectl kustomize " + overlay + ":\n" + yaml);
            return yaml;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * The base Deployment as a plain tree, as kustomize patches it. Read with fabric8's own YAML reader
     * (Jackson 3); fabric8's asJson cannot be used here: Helidon's BOM pins jackson-annotations 2.21, older
     * than Jackson 3.2's serializers need (JsonApplyView).
     */
    private static JsonNode baseDeploymentTree() {
        List<JsonNode> docs = new YAMLMapper().readerFor(JsonNode.class)
                .<JsonNode>readValues(RepositoryFiles.read(Manifests.BASE)).readAll();
        return docs.stream().filter(d -> d.path("kind").asString().equals("Deployment")).findFirst().orElseThrow();
    }

    private static GenericKubernetesResource kustomization(String dir) {
        return Manifests.SERIALIZATION.unmarshal(RepositoryFiles.read(dir + "/kustomization.yaml"),
                GenericKubernetesResource.class);
    }

    private static List<?> list(GenericKubernetesResource k, String key) {
        Object value = k.getAdditionalProperties().get(key);
        assertTrue(value instanceof List<?>, "kustomization." + key + " is not a list: " + value);
        return (List<?>) value;
    }

    private static Optional<Path> onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
