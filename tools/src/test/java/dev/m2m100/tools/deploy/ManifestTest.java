package dev.m2m100.tools.deploy;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.m2m100.server.Routes;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * The kustomize base (k8s/base/deployment.yaml) and the autoscalers (k8s/autoscaling) parsed into typed objects
 * and checked against the server, the CLI and themselves. KustomizeOverlayTest renders the overlays.
 */
class ManifestTest {

    private static final String FILE = Manifests.BASE;
    private static final List<String> AUTOSCALERS = List.of(Manifests.QUEUE_DEPTH_HPA, Manifests.CPU_HPA);

    private final Manifests manifests = Manifests.load(FILE);
    private final Deployment deployment = manifests.deployment();
    private final PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    private final Container server = Manifests.container(deployment, "server");
    private final Container download = Manifests.initContainer(deployment, "download-model");

    @Test
    void baseHoldsADeploymentServiceAndDisruptionBudgetAndEachAutoscalerFileOneAutoscaler() {
        assertEquals(List.of("Deployment", "Service", "PodDisruptionBudget"),
                manifests.objects().stream().map(HasMetadata::getKind).toList());
        assertEquals("policy/v1", manifests.pdb().getApiVersion());
        for (String file : AUTOSCALERS) {
            Manifests hpa = Manifests.load(file);
            assertEquals(List.of("HorizontalPodAutoscaler"), hpa.objects().stream().map(HasMetadata::getKind).toList());
            assertEquals("autoscaling/v2", hpa.hpa().getApiVersion());
        }
    }

    @Test
    void everyFieldIsAKnownKubernetesField() {
        for (String file : Stream.concat(Stream.of(FILE), AUTOSCALERS.stream()).toList()) {
            for (HasMetadata o : Manifests.load(file).objects()) {
                assertEquals(List.of(), UnknownFields.of(o),
                        file + ": " + o.getKind() + " has fields Kubernetes does not know (misspelt?)");
            }
        }
    }

    @Test
    void serverListensOnTheServersDefaultPort() {
        assertEquals(1, server.getPorts().size());
        assertEquals(Routes.DEFAULT_PORT, server.getPorts().getFirst().getContainerPort());
        assertEquals("TCP", server.getPorts().getFirst().getProtocol());
        assertEquals(String.valueOf(Routes.DEFAULT_PORT), Manifests.env(server, "PORT").orElseThrow());
    }

    @Test
    void serviceExposesTheContainerPort() {
        Service service = manifests.service();
        assertEquals(1, service.getSpec().getPorts().size());
        ServicePort port = service.getSpec().getPorts().getFirst();
        assertEquals(Routes.DEFAULT_PORT, port.getPort());
        assertEquals(Routes.DEFAULT_PORT, Manifests.resolvePort(server, port.getTargetPort()));
    }

    @Test
    void probesUseTheServersHealthAndReadinessRoutes() {
        assertProbe(server.getStartupProbe(), Routes.READY, "startupProbe");
        assertProbe(server.getReadinessProbe(), Routes.READY, "readinessProbe");
        assertProbe(server.getLivenessProbe(), Routes.HEALTH, "livenessProbe");
    }

    private void assertProbe(Probe probe, String path, String what) {
        assertNotNull(probe, what + " missing");
        HTTPGetAction get = probe.getHttpGet();
        assertNotNull(get, what + " must be an HTTP GET on the server");
        assertEquals(path, get.getPath(), what + " path");
        assertTrue(ServerContract.ROUTES.contains(get.getPath()), what + " path is not a server route");
        assertEquals(Routes.DEFAULT_PORT, Manifests.resolvePort(server, get.getPort()), what + " port");
        assertNotNull(probe.getTimeoutSeconds(), what + " timeout");
    }

    @Test
    void probesAreSizedForModelLoadingAndForDraining() {
        Probe startup = server.getStartupProbe();
        int startupBudget = startup.getPeriodSeconds() * startup.getFailureThreshold();
        // A cold start loads ~2 GB of weights and warms up; liveness must not kill it meanwhile.
        assertTrue(startupBudget >= 300, "startup probe allows only " + startupBudget + " s for loading the model");
        Probe readiness = server.getReadinessProbe();
        int unreadyAfter = readiness.getPeriodSeconds() * readiness.getFailureThreshold();
        // Draining must take the pod out of the Service well within the preStop + drain window.
        assertTrue(unreadyAfter <= 15, "readiness takes " + unreadyAfter + " s to notice a draining pod");
        Probe liveness = server.getLivenessProbe();
        assertTrue(liveness.getFailureThreshold() >= 3, "liveness restarts on a single slow answer");
    }

    @Test
    void metricsAnnotationsPointAtTheMetricsRoute() {
        Map<String, String> annotations = deployment.getSpec().getTemplate().getMetadata().getAnnotations();
        assertEquals("true", annotations.get("prometheus.io/scrape"));
        assertEquals(Routes.METRICS, annotations.get("prometheus.io/path"));
        assertEquals(String.valueOf(Routes.DEFAULT_PORT), annotations.get("prometheus.io/port"));
    }

    @Test
    void initContainerRunsTheDownloadSubcommand() {
        assertRunsSubcommand(download, "download");
    }

    @Test
    void serverContainerRunsTheServeSubcommand() {
        assertRunsSubcommand(server, "serve");
    }

    /**
     * No {@code command:} (the image's ENTRYPOINT, the m2m100 launcher, runs), and the arguments are
     * accepted by the live picocli command line: the sub-command exists and every option parses.
     */
    private static void assertRunsSubcommand(Container c, String subcommand) {
        assertTrue(c.getCommand() == null || c.getCommand().isEmpty(),
                c.getName() + " must not override the image's entrypoint (the m2m100 launcher)");
        List<String> args = ServerContract.expandedArgs(c);
        assertFalse(args.isEmpty(), c.getName() + " has no arguments");
        assertEquals(subcommand, args.getFirst(), c.getName() + " sub-command");
        CommandLine cli = ServerContract.cli();
        assertTrue(cli.getSubcommands().containsKey(subcommand), "the CLI (tools/Main) has no sub-command '"
                + subcommand + "'; it has " + cli.getSubcommands().keySet());
        try {
            cli.parseArgs(args.toArray(String[]::new));
        } catch (ParameterException e) {
            fail(c.getName() + ": the CLI rejects " + args + ": " + e.getMessage());
        }
    }

    @Test
    void downloadIsPinnedToACommit() {
        List<String> args = ServerContract.expandedArgs(download);
        int i = args.indexOf("--revision");
        assertTrue(i > 0, "the download must name a revision: " + args);
        assertTrue(args.get(i + 1).matches("[0-9a-f]{40}"),
                "pin a commit hash, not a branch that moves: --revision " + args.get(i + 1));
    }

    @Test
    void theModelVolumeIsAccountedForAsEphemeralStorage() {
        Volume models = volume("models");
        assertNotNull(models.getEmptyDir(), "the base keeps the weights in an emptyDir");
        Quantity sizeLimit = models.getEmptyDir().getSizeLimit();
        assertNotNull(sizeLimit, "the models emptyDir has no sizeLimit");
        for (Container c : allContainers()) {
            Quantity request = c.getResources().getRequests().get("ephemeral-storage");
            assertNotNull(request, c.getName() + " requests no ephemeral-storage: the scheduler cannot see the "
                    + "space the model needs on the node");
            assertTrue(Quantity.getAmountInBytes(request).compareTo(Quantity.getAmountInBytes(sizeLimit)) <= 0,
                    c.getName() + " requests more ephemeral storage than the volume may hold");
        }
        // The 418M download (pytorch_model.bin, 1.9 GB) and its conversion must fit what the init container requests.
        assertTrue(Quantity.getAmountInBytes(download.getResources().getRequests().get("ephemeral-storage"))
                .longValue() >= 4L << 30, "the init container needs room for the .bin and its conversion");
    }

    @Test
    void downloadWritesTheDirectoryTheServerReads() {
        List<String> args = ServerContract.expandedArgs(download);
        String out = args.get(args.indexOf("--out") + 1);
        assertEquals(out, Manifests.env(server, "MODEL_DIR").orElseThrow(), "the server reads another directory");
        VolumeMount written = mountContaining(download, out);
        VolumeMount read = mountContaining(server, out);
        assertEquals(written.getName(), read.getName(), "init and server containers use different volumes");
        assertEquals(written.getMountPath(), read.getMountPath());
        assertFalse(Boolean.TRUE.equals(written.getReadOnly()), "the download needs a writable volume");
        assertTrue(Boolean.TRUE.equals(read.getReadOnly()), "the server only reads the model");
    }

    private static VolumeMount mountContaining(Container c, String path) {
        return c.getVolumeMounts().stream().filter(m -> path.startsWith(m.getMountPath() + "/")).findFirst()
                .orElseThrow(() -> new AssertionError(c.getName() + " has no volume mounted above " + path));
    }

    @Test
    void serverHasBoundedResourcesAndOneGpu() {
        ResourceRequirements r = server.getResources();
        assertBounded(r, server.getName());
        assertEquals(new Quantity("1"), r.getLimits().get("nvidia.com/gpu"));
        assertBounded(download.getResources(), download.getName());
    }

    private static void assertBounded(ResourceRequirements r, String who) {
        for (String resource : List.of("cpu", "memory")) {
            Quantity request = r.getRequests().get(resource);
            Quantity limit = r.getLimits().get(resource);
            assertNotNull(request, who + " requests no " + resource);
            assertNotNull(limit, who + " has no " + resource + " limit");
            assertTrue(Quantity.getAmountInBytes(limit).compareTo(Quantity.getAmountInBytes(request)) >= 0,
                    who + ": " + resource + " limit below its request");
        }
    }

    @Test
    void podRunsAsNonRootWithAReadOnlyRootFilesystem() {
        assertTrue(pod.getSecurityContext().getRunAsNonRoot());
        assertTrue(pod.getSecurityContext().getRunAsUser() > 0);
        assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType());
        assertFalse(pod.getAutomountServiceAccountToken(), "the server needs no API token");
        for (Container c : allContainers()) {
            SecurityContext sc = c.getSecurityContext();
            assertNotNull(sc, c.getName() + " has no securityContext");
            assertAll(c.getName(),
                    () -> assertFalse(sc.getAllowPrivilegeEscalation()),
                    () -> assertTrue(sc.getReadOnlyRootFilesystem()),
                    () -> assertEquals(List.of("ALL"), sc.getCapabilities().getDrop()),
                    () -> assertTrue(sc.getPrivileged() == null || !sc.getPrivileged()));
        }
    }

    @Test
    void everyContainerHasAWritableTmpFromAnEmptyDir() {
        // JCuda unpacks its natives into java.io.tmpdir; the root filesystem is read-only.
        for (Container c : allContainers()) {
            VolumeMount tmp = c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/tmp")).findFirst()
                    .orElseThrow(() -> new AssertionError(c.getName() + " has no /tmp mount"));
            assertFalse(Boolean.TRUE.equals(tmp.getReadOnly()));
            Volume v = volume(tmp.getName());
            assertNotNull(v.getEmptyDir(), "/tmp of " + c.getName() + " is not an emptyDir");
        }
    }

    @Test
    void everyMountedVolumeIsDeclared() {
        for (Container c : allContainers()) {
            for (VolumeMount m : c.getVolumeMounts()) {
                volume(m.getName());
            }
        }
    }

    private Volume volume(String name) {
        return pod.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume named " + name));
    }

    @Test
    void terminationGracePeriodCoversPreStopAndDrain() {
        int drain = Integer.parseInt(Manifests.env(server, "DRAIN_TIMEOUT_SECONDS").orElseThrow());
        int requestTimeout = Integer.parseInt(Manifests.env(server, "REQUEST_TIMEOUT_SECONDS").orElseThrow());
        List<String> preStop = server.getLifecycle().getPreStop().getExec().getCommand();
        assertEquals("sleep", preStop.getFirst());
        int sleep = Integer.parseInt(preStop.get(1));
        long grace = pod.getTerminationGracePeriodSeconds();
        assertTrue(requestTimeout <= drain, "a request admitted just before SIGTERM could outlive the drain");
        assertTrue(grace >= sleep + drain, "grace " + grace + " s < preStop " + sleep + " s + drain " + drain + " s");
        assertTrue(grace <= sleep + drain + 30, "grace " + grace + " s is far beyond the drain: slow rollouts");
    }

    @Test
    void selectorsMatchThePodLabels() {
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        assertSelects(deployment.getSpec().getSelector(), podLabels, "Deployment");
        Service service = manifests.service();
        assertFalse(service.getSpec().getSelector().isEmpty());
        assertTrue(podLabels.entrySet().containsAll(service.getSpec().getSelector().entrySet()),
                "Service selector " + service.getSpec().getSelector() + " misses the pods " + podLabels);
        PodDisruptionBudget pdb = manifests.pdb();
        assertSelects(pdb.getSpec().getSelector(), podLabels, "PodDisruptionBudget");
    }

    private static void assertSelects(LabelSelector selector, Map<String, String> labels, String who) {
        assertTrue(selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty(),
                who + ": only matchLabels are checked here");
        assertFalse(selector.getMatchLabels().isEmpty(), who + " selects everything");
        assertTrue(labels.entrySet().containsAll(selector.getMatchLabels().entrySet()),
                who + " selector " + selector.getMatchLabels() + " misses the pods " + labels);
    }

    @Test
    void autoscalersTargetTheDeployment() {
        for (String file : AUTOSCALERS) {
            HorizontalPodAutoscaler hpa = Manifests.load(file).hpa();
            assertEquals("apps/v1", hpa.getSpec().getScaleTargetRef().getApiVersion(), file);
            assertEquals("Deployment", hpa.getSpec().getScaleTargetRef().getKind(), file);
            assertEquals(deployment.getMetadata().getName(), hpa.getSpec().getScaleTargetRef().getName(), file);
            assertTrue(hpa.getSpec().getMinReplicas() >= 1 && hpa.getSpec().getMinReplicas() <= hpa.getSpec().getMaxReplicas(), file);
            assertFalse(hpa.getSpec().getMetrics().isEmpty(), file);
        }
        assertEquals(null, deployment.getSpec().getReplicas(), "the autoscaler owns the replica count");
        HorizontalPodAutoscaler cpu = Manifests.load(Manifests.CPU_HPA).hpa();
        assertEquals("cpu", cpu.getSpec().getMetrics().getFirst().getResource().getName());
        HorizontalPodAutoscaler queue = Manifests.load(Manifests.QUEUE_DEPTH_HPA).hpa();
        assertEquals(cpu.getMetadata().getName(), queue.getMetadata().getName(),
                "switching the component must replace the autoscaler, not run a second one beside it");
        assertEquals("Pods", queue.getSpec().getMetrics().getFirst().getType());
    }

    @Test
    void disruptionBudgetLeavesOneReplicaServing() {
        PodDisruptionBudget pdb = manifests.pdb();
        assertEquals(1, pdb.getSpec().getMinAvailable().getIntVal());
        for (String file : AUTOSCALERS) {
            assertTrue(Manifests.load(file).hpa().getSpec().getMinReplicas() > pdb.getSpec().getMinAvailable().getIntVal(),
                    file + ": with minReplicas == minAvailable no node could ever be drained");
        }
    }

    @Test
    void onlyDocumentedEnvironmentVariablesAreSet() {
        for (Container c : allContainers()) {
            c.getEnv().forEach(e -> assertTrue(ServerContract.DOCUMENTED_ENV.contains(e.getName()),
                    c.getName() + " sets " + e.getName() + ", which nothing reads"));
        }
    }

    @Test
    void initAndServerRunTheSameImage() {
        assertEquals(server.getImage(), download.getImage());
        assertTrue(server.getImage().contains(":") && !server.getImage().endsWith(":latest"), "pin the image tag");
    }

    private List<Container> allContainers() {
        return Stream.concat(pod.getInitContainers().stream(), pod.getContainers().stream()).toList();
    }
}
