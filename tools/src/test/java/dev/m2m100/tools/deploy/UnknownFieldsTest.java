package dev.m2m100.tools.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checkers the manifest tests rely on do catch what they are meant to catch. */
class UnknownFieldsTest {

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: x}
            spec:
              selector: {matchLabels: {a: b}}
              template:
                metadata: {labels: {a: b}}
                spec:
                  containers:
                    - name: c
                      image: i:1
                      args: ["serve", "--model", "$(MODEL_DIR)"]
                      readinesProbe: {httpGet: {path: /ready, port: 1}}
                      resources: {limits: {cpu: "1", memry: 1Gi}}
            """;

    @Test
    void findsMisspeltFieldsDeepInsideTheObject() {
        Deployment d = Manifests.parse("test", DEPLOYMENT).deployment();
        assertEquals(List.of("spec.template.spec.containers[0].readinesProbe"), UnknownFields.of(d));
    }

    @Test
    void findsNothingInACleanObject() {
        Deployment d = Manifests.parse("test", DEPLOYMENT.replace("readinesProbe", "readinessProbe")).deployment();
        assertEquals(List.of(), UnknownFields.of(d));
    }

    @Test
    void argumentReferencesMustBeDefinedEnvVars() {
        Container c = Manifests.parse("test", DEPLOYMENT).deployment().getSpec().getTemplate().getSpec()
                .getContainers().getFirst();
        AssertionError e = assertThrows(AssertionError.class, () -> ServerContract.expandedArgs(c));
        assertEquals("container c refers to $(MODEL_DIR) but defines no env var MODEL_DIR", e.getMessage());
    }
}
