package com.northwind.eventing.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the fat jar as a user does ({@code java -jar standalone/target/eventing-standalone.jar}), registers through the
 * admin API, stops it with SIGTERM and starts it again on the same data directory.
 */
class StandaloneIT {
    private static final Duration START_LIMIT = Duration.ofSeconds(60);
    private final HttpClient http = HttpClient.newHttpClient();
    private Process process;

    @TempDir
    Path dataDir;

    @AfterEach
    void killLeftover() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }

    @Test
    void shouldKeepRegistryAndTopicsWhenStoppedAndStartedAgain() throws Exception {
        int kafkaPort = freePort();
        int controllerPort = freePort();
        int adminPort = freePort();
        int intakePort = freePort();
        int grpcPort = freePort();
        int routerPort = freePort();
        String admin = "http://127.0.0.1:" + adminPort;
        String intake = "http://127.0.0.1:" + intakePort + "/v1/events";
        String event = """
                {"noun": "Claim", "verb": "Submitted", "object": "Reconsideration",
                 "metadata": {"transactionId": "tx-1"}, "body": {"member": {"ssn": "123-45-6789"}}}
                """;

        start(kafkaPort, controllerPort, adminPort, intakePort, grpcPort, routerPort);
        String token = Files.readString(dataDir.resolve("admin-token")).trim();
        int created = post(admin + "/v1/event-types", token, """
                {"noun": "Claim", "verb": "Submitted", "object": "Reconsideration", "owner": "claims",
                 "schema": {"type": "object", "properties": {"member": {"type": "object"}}},
                 "sensitiveFields": [{"path": "/member/ssn", "classification": "PHI"}]}
                """);
        HttpResponse<String> app = send(admin + "/v1/apps", token, """
                {"id": "claims-portal", "team": "claims", "publish": ["Claim.*.*"], "read": ["PHI"]}
                """);
        String appToken = app.body().replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");
        int sub = post(admin + "/v1/subscriptions", token, """
                {"id": "portal-claims", "app": "claims-portal", "eventTypes": ["Claim.Submitted.*"]}
                """);
        int schema = post(admin + "/subjects/standalone-value/versions", null, """
                {"schema": "{\\"type\\": \\"string\\"}"}
                """);
        int publishedBefore = post(intake, appToken, event);
        int stopExit = stop();
        start(kafkaPort, controllerPort, adminPort, intakePort, grpcPort, routerPort);
        int publishedAfter = post(intake, appToken, event);

        assertThat(List.of(created, app.statusCode(), sub, schema)).containsExactly(201, 201, 201, 200);
        assertThat(publishedBefore).isEqualTo(202);
        assertThat(publishedAfter).isEqualTo(202);
        assertThat(stopExit).isIn(0, 143);
        assertThat(Files.readString(dataDir.resolve("admin-token")).trim()).isEqualTo(token);
        assertThat(Files.getPosixFilePermissions(dataDir.resolve("admin-token")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(get(admin + "/v1/event-types/Claim.Submitted.Reconsideration", token))
                .contains("\"eventType\":\"Claim.Submitted.Reconsideration\"");
        assertThat(get(admin + "/v1/apps/claims-portal", token)).contains("\"read\":[\"PHI\"]");
        assertThat(get(admin + "/v1/subscriptions/portal-claims", token))
                .contains("\"topic\":\"eventing.sub.portal-claims\"");
        assertThat(get(admin + "/subjects/standalone-value/versions", null)).isEqualTo("[1]");
        assertThat(topics(kafkaPort))
                .contains(
                        "eventing.sub.portal-claims",
                        "eventing.registry.subscriptions",
                        "eventing.firehose",
                        "eventing.deadletter");
        assertThat(stop()).isIn(0, 143);
    }

    private void start(int kafkaPort, int controllerPort, int adminPort, int intakePort, int grpcPort, int routerPort)
            throws Exception {
        Path jar = Path.of("target", "eventing-standalone.jar").toAbsolutePath();
        assertThat(jar).exists();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g",
                "-jar",
                jar.toString(),
                "--data-dir=" + dataDir,
                "--kafka-port=" + kafkaPort,
                "--controller-port=" + controllerPort,
                "--admin-port=" + adminPort,
                "--intake-port=" + intakePort,
                "--grpc-port=" + grpcPort,
                "--router-port=" + routerPort));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(new File("target/standalone-it.log")));
        pb.environment().remove("EVENTING_ADMIN_TOKEN");
        process = pb.start();
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        // The router starts last, so its health answering means the whole platform is up.
        String health = "http://127.0.0.1:" + routerPort + "/actuator/health";
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive())
                    .as("standalone exited early; see target/standalone-it.log")
                    .isTrue();
            try {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(URI.create(health)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new AssertionError("standalone did not serve " + health + " within " + START_LIMIT);
    }

    /** SIGTERM, as a user's Ctrl-C or a service manager sends it. */
    private int stop() throws InterruptedException {
        process.destroy();
        assertThat(process.waitFor(60, TimeUnit.SECONDS))
                .as("standalone did not stop within 60 s of SIGTERM")
                .isTrue();
        return process.exitValue();
    }

    private int post(String url, String token, String json) throws Exception {
        return send(url, token, json).statusCode();
    }

    private HttpResponse<String> send(String url, String token, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String get(String url, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url + " answered " + r.body()).isEqualTo(200);
        return r.body();
    }

    private static Set<String> topics(int kafkaPort) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + kafkaPort))) {
            return admin.listTopics().names().get(30, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
