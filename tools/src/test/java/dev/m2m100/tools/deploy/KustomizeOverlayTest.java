package dev.m2m100.tools.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The CPU-only kustomize overlay (k8s/cpu): its files parse, its patches fit the base, and (with kubectl) it renders. */
class KustomizeOverlayTest {

    private static final String OVERLAY = "k8s/cpu";

    private final Deployment base = Manifests.load("k8s/deployment.yaml").deployment();
    private final GenericKubernetesResource kustomization = Manifests.SERIALIZATION.unmarshal(
            RepositoryFiles.read(OVERLAY + "/kustomization.yaml"), GenericKubernetesResource.class);

    @Test
    void kustomizationReferencesTheBaseAndExistingPatches() {
        assertEquals("kustomize.config.k8s.io/v1beta1", kustomization.getApiVersion());
        assertEquals("Kustomization", kustomization.getKind());
        assertEquals(List.of("../deployment.yaml"), list("resources"));
        List<?> patches = list("patches");
        assertEquals(2, patches.size());
        for (Object p : patches) {
            Map<?, ?> patch = (Map<?, ?>) p;
            RepositoryFiles.path(OVERLAY + "/" + patch.get("path"));
            Map<?, ?> target = (Map<?, ?>) patch.get("target");
            assertEquals("Deployment", target.get("kind"));
            assertEquals(base.getMetadata().getName(), target.get("name"));
        }
    }

    @Test
    void imageOverrideNamesTheBaseImage() {
        Map<?, ?> image = (Map<?, ?>) list("images").getFirst();
        String baseImage = Manifests.container(base, "server").getImage();
        assertEquals(baseImage.substring(0, baseImage.lastIndexOf(':')), image.get("name"));
        assertNotEquals(baseImage.substring(baseImage.lastIndexOf(':') + 1), image.get("newTag"));
    }

    @Test
    void strategicPatchRunsTheServerOnCpu() {
        Manifests patchFile = Manifests.load(OVERLAY + "/deployment-cpu.yaml");
        Deployment patch = patchFile.deployment();
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
        List<?> ops = Manifests.SERIALIZATION.unmarshal(RepositoryFiles.read(OVERLAY + "/remove-gpu.yaml"), List.class);
        JsonNode tree = baseDeploymentTree();
        assertFalse(ops.isEmpty());
        boolean removesGpu = false;
        for (Object o : ops) {
            Map<?, ?> op = (Map<?, ?>) o;
            String path = (String) op.get("path");
            assertEquals("remove", op.get("op"));
            // A remove of a missing path fails `kustomize build`: check each one exists in the base.
            assertFalse(tree.at(path).isMissingNode(), path + " does not exist in k8s/deployment.yaml");
            removesGpu |= path.endsWith("/resources/limits/nvidia.com~1gpu");
        }
        assertTrue(removesGpu, "the overlay must drop the GPU limit");
        assertEquals("server", tree.at("/spec/template/spec/containers/0/name").asText(),
                "the JSON patch indexes containers/0, which must be the server");
    }

    /** Renders the overlay with kubectl's built-in kustomize when kubectl is installed (it works offline). */
    @Test
    void rendersToACpuOnlyDeploymentWithKubectl() throws Exception {
        Optional<Path> kubectl = onPath("kubectl");
        assumeTrue(kubectl.isPresent(), "kubectl is not on the PATH: overlay not rendered");
        Process p = new ProcessBuilder(kubectl.get().toString(), "kustomize", "--load-restrictor",
                "LoadRestrictionsNone", RepositoryFiles.root().resolve(OVERLAY).toString())
                .redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "kubectl kustomize did not finish");
        String yaml = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), yaml);

        Manifests rendered = Manifests.parse("kubectl kustomize " + OVERLAY, yaml);
        Manifests gpu = Manifests.load("k8s/deployment.yaml");
        assertEquals(kinds(gpu), kinds(rendered));
        for (HasMetadata o : rendered.objects()) {
            assertEquals(List.of(), UnknownFields.of(o), o.getKind());
        }
        Deployment d = rendered.deployment();
        assertFalse(yaml.contains("nvidia.com/gpu"), "GPU request or toleration left in the CPU variant");
        assertTrue(d.getSpec().getTemplate().getSpec().getTolerations().isEmpty());
        Container server = Manifests.container(d, "server");
        assertEquals(Optional.of("cpu"), Manifests.env(server, "DEVICE"));
        assertTrue(server.getImage().endsWith("-cpu"), server.getImage());
        assertEquals(server.getImage(), Manifests.initContainer(d, "download-model").getImage());
        // Everything not meant to change did not: probes, ports, security, the other objects.
        Container gpuServer = Manifests.container(gpu.deployment(), "server");
        assertEquals(gpuServer.getStartupProbe(), server.getStartupProbe());
        assertEquals(gpuServer.getReadinessProbe(), server.getReadinessProbe());
        assertEquals(gpuServer.getLivenessProbe(), server.getLivenessProbe());
        assertEquals(gpuServer.getPorts(), server.getPorts());
        assertEquals(gpuServer.getSecurityContext(), server.getSecurityContext());
        assertEquals(gpuServer.getArgs(), server.getArgs());
        assertEquals(gpu.service().getSpec(), rendered.service().getSpec());
        assertEquals(gpu.hpa().getSpec(), rendered.hpa().getSpec());
        assertEquals(gpu.pdb().getSpec(), rendered.pdb().getSpec());
    }

    /**
     * The base Deployment as a plain tree, as kustomize patches it. Read with fabric8's own YAML reader
     * (Jackson 3); fabric8's asJson cannot be used here: Helidon's BOM pins jackson-annotations 2.21, older
     * than Jackson 3.2's serializers need (JsonApplyView).
     */
    private static JsonNode baseDeploymentTree() {
        List<JsonNode> docs = new YAMLMapper().readerFor(JsonNode.class)
                .<JsonNode>readValues(RepositoryFiles.read("k8s/deployment.yaml")).readAll();
        return docs.stream().filter(d -> d.path("kind").asString().equals("Deployment")).findFirst().orElseThrow();
    }

    private static List<String> kinds(Manifests m) {
        return m.objects().stream().map(HasMetadata::getKind).sorted().toList();
    }

    private List<?> list(String key) {
        Object value = kustomization.getAdditionalProperties().get(key);
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
