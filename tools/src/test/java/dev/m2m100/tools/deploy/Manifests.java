package dev.m2m100.tools.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/** The objects of a manifest file, parsed into fabric8's typed Kubernetes model. */
record Manifests(String file, List<HasMetadata> objects) {

    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    /** The base every overlay builds on: Deployment, Service, PodDisruptionBudget. */
    static final String BASE = "k8s/base/deployment.yaml";
    /** The autoscaler on the server's queue depth (default of the GPU overlay). */
    static final String QUEUE_DEPTH_HPA = "k8s/autoscaling/queue-depth/hpa.yaml";
    /** The autoscaler on CPU use (the CPU overlay's). */
    static final String CPU_HPA = "k8s/autoscaling/cpu/hpa.yaml";

    static Manifests load(String relativePath) {
        return parse(relativePath, RepositoryFiles.read(relativePath));
    }

    static Manifests parse(String name, String yaml) {
        Object parsed = SERIALIZATION.unmarshal(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
        List<?> items = parsed instanceof List<?> list ? list : List.of(parsed);
        List<HasMetadata> objects = items.stream().map(o -> {
            if (o instanceof HasMetadata h) {
                return h;
            }
            throw new IllegalStateException(name + ": not a Kubernetes object: " + o);
        }).toList();
        return new Manifests(name, objects);
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T single(Class<T> type) {
        List<T> found = all(type);
        if (found.size() != 1) {
            throw new IllegalStateException(file + ": expected one " + type.getSimpleName() + ", found " + found.size());
        }
        return found.getFirst();
    }

    Deployment deployment() {
        return single(Deployment.class);
    }

    Service service() {
        return single(Service.class);
    }

    HorizontalPodAutoscaler hpa() {
        return single(HorizontalPodAutoscaler.class);
    }

    PodDisruptionBudget pdb() {
        return single(PodDisruptionBudget.class);
    }

    static Container container(Deployment d, String name) {
        return d.getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> c.getName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no container named " + name));
    }

    static Container initContainer(Deployment d, String name) {
        return d.getSpec().getTemplate().getSpec().getInitContainers().stream()
                .filter(c -> c.getName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no init container named " + name));
    }

    static Optional<String> env(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst();
    }

    /** The container port a named or numbered port reference points to. */
    static int resolvePort(Container c, IntOrString port) {
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return c.getPorts().stream().filter(p -> port.getStrVal().equals(p.getName()))
                .mapToInt(p -> p.getContainerPort()).findFirst()
                .orElseThrow(() -> new IllegalStateException("container " + c.getName()
                        + " has no port named " + port.getStrVal()));
    }
}
