package com.northwind.eventing.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Kafka is never reached without SASL: in docker-compose the broker takes SASL on every listener and denies what no
 * ACL allows, and every service (and the Connect worker) logs in with SCRAM-SHA-512; in Kubernetes every service's
 * configuration names SASL and its JAAS line comes from a Secret. No deployment file holds a password. Each check is
 * run on the repository's files and on a copy broken the way it guards against.
 */
class KafkaSecurityTest {
    private static final String SCRAM = "SCRAM-SHA-512";
    private static final List<String> CLIENT_PREFIXES = List.of("", "consumer.", "producer.", "admin.");

    @Test
    void shouldRunTheBrokerWithSaslAndDenyByDefaultWhenTheComposeFileIsRead() {
        // given
        Map<String, Object> compose = compose();

        // when
        List<String> problems = brokerProblems(compose);

        // then
        assertThat(problems).isEmpty();
    }

    @Test
    void shouldFindTheBrokerOpenWhenAListenerIsPlaintextOrTheAuthorizerIsMissingOrEveryoneIsAllowed() {
        // given
        Map<String, Object> plaintext = compose();
        environment(plaintext, "kafka")
                .put(
                        "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP",
                        "INTERNAL:PLAINTEXT,CONTROLLER:SASL_PLAINTEXT,EXTERNAL:SASL_PLAINTEXT");
        Map<String, Object> noAuthorizer = compose();
        environment(noAuthorizer, "kafka").remove("KAFKA_AUTHORIZER_CLASS_NAME");
        Map<String, Object> everyone = compose();
        environment(everyone, "kafka").put("KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND", "true");

        // when
        List<String> listener = brokerProblems(plaintext);
        List<String> authorizer = brokerProblems(noAuthorizer);
        List<String> allowed = brokerProblems(everyone);

        // then
        assertThat(listener).containsExactly("kafka: listener INTERNAL is PLAINTEXT, not SASL");
        assertThat(authorizer)
                .containsExactly("kafka: KAFKA_AUTHORIZER_CLASS_NAME is not the StandardAuthorizer but null");
        assertThat(allowed).containsExactly("kafka: KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND is not false but true");
    }

    @Test
    void shouldConnectEveryComposeServiceToKafkaWithScramWhenTheComposeFileIsRead() {
        // given
        Map<String, Object> compose = compose();
        Properties connect = properties(Repository.read("deploy/connect/connect-distributed.properties"));

        // when
        List<String> problems = new ArrayList<>(composeClientProblems(compose));
        problems.addAll(workerProblems("connect", connect));

        // then
        assertThat(problems).isEmpty();
        assertThat(kafkaClients(compose)).containsExactly("schema-registry", "admin-api", "intake", "router");
    }

    @Test
    void shouldFindAComposeServiceWithoutSaslWhenItsLoginIsRemoved() {
        // given
        Map<String, Object> compose = compose();
        environment(compose, "intake").remove("EVENTING_KAFKA_PROPERTIES_SECURITY_PROTOCOL");
        environment(compose, "router").remove("EVENTING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG");
        Properties connect = properties(Repository.read("deploy/connect/connect-distributed.properties"));
        connect.remove("consumer.sasl.jaas.config");

        // when
        List<String> problems = new ArrayList<>(composeClientProblems(compose));
        problems.addAll(workerProblems("connect", connect));

        // then
        assertThat(problems)
                .containsExactly(
                        "intake: connects to Kafka without security.protocol SASL_*",
                        "router: connects to Kafka without a SCRAM login (sasl.jaas.config)",
                        "connect: consumer.sasl.jaas.config has no SCRAM login");
    }

    @Test
    void shouldConnectEveryKubernetesServiceToKafkaWithScramFromSecretsWhenTheManifestsAreRead() {
        // given
        Map<String, Map<String, Object>> objects = kubernetes();

        // when
        List<String> problems = kubernetesProblems(objects);

        // then
        assertThat(problems).isEmpty();
    }

    @Test
    void shouldFindAKubernetesServiceWithoutSaslWhenItsLoginIsRemoved() {
        // given
        Map<String, Map<String, Object>> objects = kubernetes();
        data(objects, "router-config").remove("EVENTING_KAFKA_PROPERTIES_SECURITY_PROTOCOL");
        data(objects, "intake-config").put("EVENTING_KAFKA_MININSYNCREPLICAS", "1");
        containerEnv(objects, "admin-api")
                .removeIf(e -> e.get("name").equals("EVENTING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG"));
        containerEnv(objects, "connect").removeIf(e -> e.get("name").equals("EVENTING_KAFKA_CONNECT_PASSWORD"));

        // when
        List<String> problems = kubernetesProblems(objects);

        // then
        assertThat(problems)
                .containsExactly(
                        "admin-api: no EVENTING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG from a Secret",
                        "connect: no EVENTING_KAFKA_CONNECT_PASSWORD from a Secret",
                        "intake: EVENTING_KAFKA_MININSYNCREPLICAS is 1, not 2",
                        "router: connects to Kafka without security.protocol SASL_*");
    }

    @Test
    void shouldHoldNoPasswordWhenTheDeploymentFilesAreRead() {
        // given
        Map<String, String> files = deploymentFiles();

        // when
        List<String> literals = new ArrayList<>();
        files.forEach((name, text) -> literals.addAll(secretLiterals(name, text)));

        // then
        assertThat(files)
                .containsKeys(
                        "docker-compose.yml",
                        "deploy/compose/kafka-setup.sh",
                        "deploy/kubernetes/strimzi/kafka-users.yaml",
                        "deploy/connect/connect-distributed.properties");
        assertThat(literals).isEmpty();
    }

    @Test
    void shouldFindAPasswordWhenOneIsWrittenIntoAFile() {
        // given
        String compose = Repository.read("docker-compose.yml")
                .replace(
                        "password=\"${EVENTING_KAFKA_INTAKE_PASSWORD:?set EVENTING_KAFKA_INTAKE_PASSWORD (see"
                                + " deploy/compose/env.example)}\"",
                        "password=\"intake-secret\"");
        String worker = Repository.read("deploy/connect/connect-distributed.properties")
                .replace(
                        "password=\"${env:EVENTING_KAFKA_CONNECT_PASSWORD}\";\nproducer",
                        "password=\"hunter2\";\nproducer");
        String env = "EVENTING_KAFKA_ADMIN_PASSWORD=0123abcd\n";

        // when
        List<String> literals = new ArrayList<>(secretLiterals("docker-compose.yml", compose));
        literals.addAll(secretLiterals("connect-distributed.properties", worker));
        literals.addAll(secretLiterals(".env", env));

        // then
        assertThat(literals)
                .containsExactly(
                        "docker-compose.yml: password=\"intake-secret",
                        "connect-distributed.properties: password=\"hunter2",
                        ".env: EVENTING_KAFKA_ADMIN_PASSWORD=0123abcd");
    }

    // ---- docker-compose ----

    private static List<String> brokerProblems(Map<String, Object> compose) {
        Map<String, Object> env = environment(compose, "kafka");
        List<String> problems = new ArrayList<>();
        for (String entry :
                String.valueOf(env.get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP")).split(",")) {
            String[] listener = entry.split(":");
            if (!listener[1].startsWith("SASL_")) {
                problems.add("kafka: listener " + listener[0] + " is " + listener[1] + ", not SASL");
            }
        }
        Object authorizer = env.get("KAFKA_AUTHORIZER_CLASS_NAME");
        if (!"org.apache.kafka.metadata.authorizer.StandardAuthorizer".equals(authorizer)) {
            problems.add("kafka: KAFKA_AUTHORIZER_CLASS_NAME is not the StandardAuthorizer but " + authorizer);
        }
        Object everyone = env.get("KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND");
        if (!"false".equals(String.valueOf(everyone))) {
            problems.add("kafka: KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND is not false but " + everyone);
        }
        if (!"User:svc-broker".equals(env.get("KAFKA_SUPER_USERS"))) {
            problems.add("kafka: KAFKA_SUPER_USERS is not User:svc-broker alone but " + env.get("KAFKA_SUPER_USERS"));
        }
        return problems;
    }

    /** The services whose environment names the broker, other than the broker and its set-up. */
    private static List<String> kafkaClients(Map<String, Object> compose) {
        List<String> clients = new ArrayList<>();
        services(compose).forEach((name, service) -> {
            if (name.equals("kafka") || name.equals("kafka-setup")) {
                return;
            }
            Map<String, Object> env = environment(compose, name);
            if (env.values().stream().anyMatch(v -> String.valueOf(v).contains("kafka:9092"))) {
                clients.add(name);
            }
        });
        return clients;
    }

    private static List<String> composeClientProblems(Map<String, Object> compose) {
        List<String> problems = new ArrayList<>();
        for (String name : kafkaClients(compose)) {
            Map<String, String> login = new LinkedHashMap<>();
            environment(compose, name).forEach((key, value) -> {
                if (key.endsWith("SECURITY_PROTOCOL")) {
                    login.put("security.protocol", String.valueOf(value));
                } else if (key.endsWith("SASL_MECHANISM")) {
                    login.put("sasl.mechanism", String.valueOf(value));
                } else if (key.endsWith("SASL_JAAS_CONFIG")) {
                    login.put("sasl.jaas.config", String.valueOf(value));
                }
            });
            problems.addAll(loginProblems(name, login));
        }
        return problems;
    }

    private static List<String> loginProblems(String name, Map<String, String> login) {
        List<String> problems = new ArrayList<>();
        if (!login.getOrDefault("security.protocol", "").startsWith("SASL_")) {
            problems.add(name + ": connects to Kafka without security.protocol SASL_*");
        } else if (!SCRAM.equals(login.get("sasl.mechanism"))) {
            problems.add(name + ": connects to Kafka without sasl.mechanism " + SCRAM);
        } else if (!login.getOrDefault("sasl.jaas.config", "").contains("ScramLoginModule required username=\"svc-")) {
            problems.add(name + ": connects to Kafka without a SCRAM login (sasl.jaas.config)");
        }
        return problems;
    }

    /** A Connect worker's configuration: the worker and each client it makes for its tasks log in. */
    private static List<String> workerProblems(String name, Properties worker) {
        List<String> problems = new ArrayList<>();
        for (String prefix : CLIENT_PREFIXES) {
            if (!worker.getProperty(prefix + "security.protocol", "").startsWith("SASL_")) {
                problems.add(name + ": " + prefix + "security.protocol is not SASL_*");
            }
            if (!SCRAM.equals(worker.getProperty(prefix + "sasl.mechanism"))) {
                problems.add(name + ": " + prefix + "sasl.mechanism is not " + SCRAM);
            }
            if (!worker.getProperty(prefix + "sasl.jaas.config", "").contains("ScramLoginModule required")) {
                problems.add(name + ": " + prefix + "sasl.jaas.config has no SCRAM login");
            }
        }
        return problems;
    }

    // ---- Kubernetes ----

    private static List<String> kubernetesProblems(Map<String, Map<String, Object>> objects) {
        List<String> problems = new ArrayList<>();
        for (String name : List.of("admin-api", "intake", "router")) {
            Map<String, Object> config = data(objects, name + "-config");
            Map<String, String> login = new LinkedHashMap<>();
            login.put("security.protocol", String.valueOf(config.get("EVENTING_KAFKA_PROPERTIES_SECURITY_PROTOCOL")));
            login.put("sasl.mechanism", String.valueOf(config.get("EVENTING_KAFKA_PROPERTIES_SASL_MECHANISM")));
            // The JAAS line is a Secret's: what the check needs is that it comes from one.
            login.put("sasl.jaas.config", "ScramLoginModule required username=\"svc-\"");
            if (!fromSecret(containerEnv(objects, name), "EVENTING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG")) {
                problems.add(name + ": no EVENTING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG from a Secret");
            }
            if (!"2".equals(config.get("EVENTING_KAFKA_MININSYNCREPLICAS"))) {
                problems.add(name + ": EVENTING_KAFKA_MININSYNCREPLICAS is "
                        + config.get("EVENTING_KAFKA_MININSYNCREPLICAS") + ", not 2");
            }
            problems.addAll(loginProblems(name, login));
        }
        problems.addAll(workerProblems(
                "connect",
                properties(String.valueOf(data(objects, "connect-config").get("eventing-connect.properties")))));
        if (!fromSecret(containerEnv(objects, "connect"), "EVENTING_KAFKA_CONNECT_PASSWORD")) {
            problems.add("connect: no EVENTING_KAFKA_CONNECT_PASSWORD from a Secret");
        }
        problems.sort(null);
        return problems;
    }

    private static boolean fromSecret(List<Map<String, Object>> env, String variable) {
        return env.stream()
                .filter(e -> variable.equals(e.get("name")))
                .map(e -> (Map<?, ?>) e.get("valueFrom"))
                .anyMatch(from -> from != null && from.get("secretKeyRef") != null);
    }

    // ---- passwords ----

    /**
     * Where a password or token is given a value in a file, as a YAML key or as an assignment (a JAAS option, a
     * property, a shell or .env variable): the value must be a reference ({@code ${VAR}}, {@code $VAR},
     * {@code $(command)}, {@code ${env:VAR}}), empty (an example to fill in), a boolean (a Kubernetes switch such as
     * {@code automountServiceAccountToken}) or the placeholder {@code REPLACE-ME}.
     */
    private static final List<Pattern> SECRETS = List.of(
            Pattern.compile("(?im)^([ \\t-]*[\\w.-]*(?:password|token):[ \\t]*[\"']?)([^\"'\\s#]*)"),
            Pattern.compile("(?i)((?:[\\w.-]*(?:password|token)|user_[\\w-]+)=\\\\?[\"']?)([^\"'\\\\\\s;,\\]}]*)"));

    private static List<String> secretLiterals(String name, String text) {
        List<String> literals = new ArrayList<>();
        for (Pattern secret : SECRETS) {
            Matcher m = secret.matcher(text);
            while (m.find()) {
                String value = m.group(2);
                if (!value.isEmpty()
                        && !value.startsWith("$")
                        && !List.of("REPLACE-ME", "true", "false").contains(value)) {
                    literals.add(name + ": " + m.group(1).strip() + value);
                }
            }
        }
        return literals;
    }

    private static Map<String, String> deploymentFiles() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("docker-compose.yml", Repository.read("docker-compose.yml"));
        for (String dir : List.of("deploy/compose", "deploy/connect", "deploy/kubernetes")) {
            try (Stream<Path> walk = Files.walk(Repository.ROOT.resolve(dir))) {
                for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                    String relative = Repository.ROOT.relativize(file).toString();
                    files.put(relative, Files.readString(file));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }

    // ---- reading ----

    @SuppressWarnings("unchecked")
    private static Map<String, Object> compose() {
        return (Map<String, Object>)
                Repository.yamlDocuments(Repository.read("docker-compose.yml")).get(0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> services(Map<String, Object> compose) {
        return (Map<String, Map<String, Object>>) compose.get("services");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> environment(Map<String, Object> compose, String service) {
        Object env = services(compose).get(service).get("environment");
        return env == null ? new LinkedHashMap<>() : (Map<String, Object>) env;
    }

    private static Properties properties(String text) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** The objects of deploy/kubernetes/*.yaml by kind and name ("ConfigMap router-config"). */
    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> kubernetes() {
        Map<String, Map<String, Object>> objects = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(Repository.ROOT.resolve("deploy/kubernetes"))) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                for (Object document : Repository.yamlDocuments(Files.readString(file))) {
                    Map<String, Object> object = (Map<String, Object>) document;
                    Map<String, Object> metadata = (Map<String, Object>) object.get("metadata");
                    objects.put(object.get("kind") + " " + metadata.get("name"), object);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return objects;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> data(Map<String, Map<String, Object>> objects, String configMap) {
        return (Map<String, Object>) objects.get("ConfigMap " + configMap).get("data");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> containerEnv(Map<String, Map<String, Object>> objects, String deployment) {
        Map<String, Object> spec =
                (Map<String, Object>) objects.get("Deployment " + deployment).get("spec");
        Map<String, Object> template = (Map<String, Object>) spec.get("template");
        Map<String, Object> pod = (Map<String, Object>) template.get("spec");
        Map<String, Object> container = ((List<Map<String, Object>>) pod.get("containers")).get(0);
        return (List<Map<String, Object>>) container.get("env");
    }
}
