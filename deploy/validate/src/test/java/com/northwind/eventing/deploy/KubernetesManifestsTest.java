package com.northwind.eventing.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class KubernetesManifestsTest {

    /** The kinds the manifests use, by apiVersion/kind, and the Kubernetes API model each is checked against. */
    private static final Map<String, Class<?>> MODELS = Map.of(
            "v1/Namespace", V1Namespace.class,
            "v1/ConfigMap", V1ConfigMap.class,
            "v1/Secret", V1Secret.class,
            "v1/Service", V1Service.class,
            "apps/v1/Deployment", V1Deployment.class,
            "policy/v1/PodDisruptionBudget", V1PodDisruptionBudget.class,
            "autoscaling/v2/HorizontalPodAutoscaler", V2HorizontalPodAutoscaler.class,
            "networking.k8s.io/v1/NetworkPolicy", V1NetworkPolicy.class);

    private static final Gson GSON = io.kubernetes.client.openapi.JSON.getGson();

    @Test
    void shouldMatchTheKubernetesApiWhenEveryManifestIsRead() {
        // given
        Map<String, JsonObject> objects = manifests();

        // when
        List<String> errors = new ArrayList<>();
        objects.forEach((name, object) -> {
            try {
                validate(object);
            } catch (IllegalArgumentException e) {
                errors.add(name + ": " + e.getMessage());
            }
        });

        // then
        assertThat(errors).isEmpty();
        assertThat(objects.keySet())
                .contains(
                        "apps/v1/Deployment admin-api",
                        "apps/v1/Deployment intake",
                        "apps/v1/Deployment router",
                        "apps/v1/Deployment connect",
                        "autoscaling/v2/HorizontalPodAutoscaler intake",
                        "policy/v1/PodDisruptionBudget admin-api",
                        "policy/v1/PodDisruptionBudget intake",
                        "policy/v1/PodDisruptionBudget router",
                        "policy/v1/PodDisruptionBudget connect",
                        "networking.k8s.io/v1/NetworkPolicy default-deny",
                        "v1/Secret eventing-admin",
                        "v1/Secret eventing-service-token",
                        "v1/Secret eventing-store");
    }

    @Test
    void shouldBeRefusedWhenAContainerHasAMisspeltField() {
        // given
        JsonObject deployment = manifests().get("apps/v1/Deployment intake");
        deployment
                .getAsJsonObject("spec")
                .getAsJsonObject("template")
                .getAsJsonObject("spec")
                .getAsJsonArray("containers")
                .get(0)
                .getAsJsonObject()
                .addProperty("imagePullPolicyy", "Always");

        // when / then
        assertThatThrownBy(() -> validate(deployment))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("imagePullPolicyy");
    }

    @Test
    void shouldBeRefusedWhenARequiredFieldIsMissing() {
        // given
        JsonObject deployment = manifests().get("apps/v1/Deployment router");
        deployment.getAsJsonObject("spec").remove("selector");

        // when / then
        assertThatThrownBy(() -> validate(deployment))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("selector");
    }

    @Test
    void shouldBeRefusedWhenTheKindIsUnknown() {
        // given
        JsonObject object = manifests().get("v1/Service intake");
        object.addProperty("kind", "Servce");

        // when / then
        assertThatThrownBy(() -> validate(object))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("v1/Servce");
    }

    @Test
    void shouldRunEveryPodNonRootReadOnlyWithoutPrivilegesWhenTheDeploymentsAreRead() {
        // given
        List<JsonObject> deployments = manifests().entrySet().stream()
                .filter(entry -> entry.getKey().startsWith("apps/v1/Deployment "))
                .map(Map.Entry::getValue)
                .toList();

        // when / then
        assertThat(deployments).hasSize(4);
        for (JsonObject deployment : deployments) {
            V1Deployment model = GSON.fromJson(deployment, V1Deployment.class);
            var pod = model.getSpec().getTemplate().getSpec();
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
            assertThat(pod.getAutomountServiceAccountToken()).isFalse();
            pod.getContainers().forEach(container -> {
                assertThat(container.getSecurityContext().getReadOnlyRootFilesystem())
                        .isTrue();
                assertThat(container.getSecurityContext().getAllowPrivilegeEscalation())
                        .isFalse();
                assertThat(container.getSecurityContext().getCapabilities().getDrop())
                        .containsExactly("ALL");
                assertThat(container.getResources().getLimits()).containsKeys("cpu", "memory");
                assertThat(container.getReadinessProbe()).isNotNull();
                assertThat(container.getLivenessProbe()).isNotNull();
            });
        }
    }

    private static void validate(JsonObject object) {
        String type = object.get("apiVersion").getAsString() + "/"
                + object.get("kind").getAsString();
        Class<?> model = MODELS.get(type);
        if (model == null) {
            throw new IllegalArgumentException("no Kubernetes model is checked for " + type);
        }
        try {
            model.getMethod("validateJsonElement", JsonElement.class).invoke(null, object);
            // Types the field checks leave alone (numbers, quantities) must still read into the model.
            GSON.fromJson(object, model);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException(e.getCause().getMessage(), e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** Every object of deploy/kubernetes, the Secrets' example included, as "apiVersion/kind name". */
    private static Map<String, JsonObject> manifests() {
        Map<String, JsonObject> objects = new TreeMap<>();
        try (Stream<Path> files = Files.list(Repository.ROOT.resolve("deploy/kubernetes"))) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (!name.endsWith(".yaml") && !name.endsWith(".yaml.example")) {
                    continue;
                }
                for (Object document : Repository.yamlDocuments(Files.readString(file))) {
                    JsonObject object = GSON.toJsonTree(document).getAsJsonObject();
                    String key = object.get("apiVersion").getAsString() + "/"
                            + object.get("kind").getAsString() + " "
                            + object.getAsJsonObject("metadata").get("name").getAsString();
                    assertThat(objects.put(key, object)).as(key + " twice").isNull();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return objects;
    }
}
