package com.northwind.eventing.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.common.acl.AclBinding;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The service principals' ACLs are written three times: in {@link KafkaAuth.ServiceAcls} (what the standalone grants
 * with {@code --kafka-auth=scram}, the source), in docker-compose's {@code deploy/compose/service-acls.txt} and in the
 * Strimzi {@code KafkaUser} resources of {@code deploy/kubernetes/strimzi/kafka-users.yaml}. They must not drift.
 */
class KafkaAclsConsistencyTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void shouldGrantTheComposeServicesExactlyTheStandalonesAclsWhenTheAclFileIsRead() throws IOException {
        // given
        TreeSet<String> code = fromCode();

        // when
        TreeSet<String> compose = fromComposeFile(Files.readString(ROOT.resolve("deploy/compose/service-acls.txt")));

        // then
        assertThat(compose).containsExactlyElementsOf(code);
        assertThat(code).hasSize(74);
    }

    @Test
    void shouldGrantTheKubernetesUsersExactlyTheStandalonesAclsWhenTheKafkaUsersAreRead() throws IOException {
        // given
        TreeSet<String> code = fromCode();

        // when
        TreeSet<String> strimzi =
                fromKafkaUsers(Files.readString(ROOT.resolve("deploy/kubernetes/strimzi/kafka-users.yaml")));

        // then
        assertThat(strimzi).containsExactlyElementsOf(code);
        assertThat(code).hasSize(74);
    }

    /** Each ACL as "User:svc-x TYPE PATTERN name OPERATION". */
    private static TreeSet<String> fromCode() {
        TreeSet<String> acls = new TreeSet<>();
        for (AclBinding b : KafkaAuth.ServiceAcls.all()) {
            acls.add(b.entry().principal() + " " + b.pattern().resourceType() + " "
                    + b.pattern().patternType() + " " + b.pattern().name() + " "
                    + b.entry().operation());
        }
        return acls;
    }

    private static TreeSet<String> fromComposeFile(String text) {
        TreeSet<String> acls = new TreeSet<>();
        for (String line : text.lines().toList()) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.trim().split("\\s+");
            for (String operation : f[4].split(",")) {
                acls.add("User:" + f[0] + " " + f[1] + " " + f[2] + " " + f[3] + " " + operation);
            }
        }
        return acls;
    }

    @SuppressWarnings("unchecked")
    private static TreeSet<String> fromKafkaUsers(String text) {
        TreeSet<String> acls = new TreeSet<>();
        for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(text)) {
            if (document == null) {
                continue;
            }
            Map<String, Object> user = (Map<String, Object>) document;
            assertThat(user.get("kind")).isEqualTo("KafkaUser");
            String name = (String) ((Map<String, Object>) user.get("metadata")).get("name");
            Map<String, Object> spec = (Map<String, Object>) user.get("spec");
            assertThat(((Map<String, Object>) spec.get("authentication")).get("type"))
                    .isEqualTo("scram-sha-512");
            Map<String, Object> authorization = (Map<String, Object>) spec.get("authorization");
            assertThat(authorization.get("type")).isEqualTo("simple");
            for (Map<String, Object> acl : (List<Map<String, Object>>) authorization.get("acls")) {
                Map<String, Object> resource = (Map<String, Object>) acl.get("resource");
                String type = snake((String) resource.get("type"));
                // Strimzi's cluster resource has no name or pattern; Kafka's is LITERAL "kafka-cluster".
                String pattern = type.equals("CLUSTER")
                        ? "LITERAL kafka-cluster"
                        : ("prefix".equals(resource.get("patternType")) ? "PREFIXED" : "LITERAL") + " "
                                + resource.get("name");
                for (String operation : (List<String>) acl.get("operations")) {
                    acls.add("User:" + name + " " + type + " " + pattern + " " + snake(operation));
                }
            }
        }
        return acls;
    }

    /** Strimzi's camel case (transactionalId, DescribeConfigs) as Kafka's enum names. */
    private static String snake(String camel) {
        return camel.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }
}
