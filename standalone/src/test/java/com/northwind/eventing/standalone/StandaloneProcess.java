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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The fat jar run as a user runs it ({@code java -jar standalone/target/eventing-standalone.jar}), on free ports and a
 * data directory of the test's, with the admin API and the intake called over HTTP. Its output goes to
 * {@code target/standalone-it.log}.
 */
final class StandaloneProcess implements AutoCloseable {
    // A start takes 10-20 s on an idle 2-core machine and 40 s or more when other builds share it.
    private static final Duration START_LIMIT = Duration.ofMinutes(3);

    final Path dataDir;
    final int kafkaPort = freePort();
    final int controllerPort = freePort();
    final int adminPort = freePort();
    final int intakePort = freePort();
    final int grpcPort = freePort();
    final int routerPort = freePort();
    final int storePort = freePort();
    final int connectPort = freePort();
    private static final Duration REQUEST_LIMIT = Duration.ofSeconds(30);

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private Process process;
    // Kills the platform if the test JVM is stopped (Ctrl-C, a cancelled CI job) before the test could.
    private final Thread killer = new Thread(this::close, "standalone-killer");

    private final List<String> extraArgs;
    private final Map<String, String> environment = new HashMap<>();

    /** @param extraArgs more arguments for the jar, such as Spring properties as {@code --key=value} */
    StandaloneProcess(Path dataDir, String... extraArgs) {
        this.dataDir = dataDir;
        this.extraArgs = List.of(extraArgs);
    }

    /** Sets an environment variable for the jar's process, from its next start on. */
    StandaloneProcess environment(String name, String value) {
        environment.put(name, value);
        return this;
    }

    String admin() {
        return "http://127.0.0.1:" + adminPort;
    }

    String intake() {
        return "http://127.0.0.1:" + intakePort;
    }

    String store() {
        return "mongodb://127.0.0.1:" + storePort;
    }

    String connect() {
        return "http://127.0.0.1:" + connectPort;
    }

    String bootstrapServers() {
        return "127.0.0.1:" + kafkaPort;
    }

    /** The admin token the platform wrote on its first start. */
    String adminToken() throws IOException {
        return Files.readString(dataDir.resolve("admin-token")).trim();
    }

    /** Starts the jar and waits until the whole platform answers, the router last. */
    void start() throws Exception {
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
                "--router-port=" + routerPort,
                "--store-port=" + storePort,
                "--connect-port=" + connectPort));
        command.addAll(extraArgs);
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(new File("target/standalone-it.log")));
        pb.environment().remove("EVENTING_ADMIN_TOKEN");
        pb.environment().putAll(environment);
        process = pb.start();
        try {
            Runtime.getRuntime().addShutdownHook(killer);
        } catch (IllegalArgumentException alreadyAdded) {
            // started again after a stop: the hook is there
        }
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        // The router starts last, so its health answering means the whole platform is up.
        String health = "http://127.0.0.1:" + routerPort + "/actuator/health";
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive())
                    .as("standalone exited early; see target/standalone-it.log")
                    .isTrue();
            try {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(URI.create(health))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
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

    /** SIGTERM, as a user's Ctrl-C or a service manager sends it; answers the exit status. */
    int stop() throws InterruptedException {
        process.destroy();
        assertThat(process.waitFor(60, TimeUnit.SECONDS))
                .as("standalone did not stop within 60 s of SIGTERM")
                .isTrue();
        return process.exitValue();
    }

    /** {@code kill -9}: the process ends at once, with nothing flushed or closed. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(30, TimeUnit.SECONDS))
                .as("standalone did not end within 30 s of SIGKILL")
                .isTrue();
    }

    /** For an {@code @AfterAll}: stops the platform with SIGTERM, as {@link #stop()}, and kills it if that fails. */
    void shutDown() throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return;
        }
        try {
            assertThat(stop()).isIn(0, 143);
        } finally {
            close();
        }
    }

    /** Kills a process the test left running, and waits for it to be gone before the data directory is removed. */
    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (Thread.currentThread() != killer) {
            try {
                Runtime.getRuntime().removeShutdownHook(killer);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting; the hook runs anyway
            }
        }
    }

    HttpResponse<String> post(String url, String token, String json) throws Exception {
        return post(url, token, json, null);
    }

    /** A JSON POST with an optional bearer token and an optional W3C traceparent. */
    HttpResponse<String> post(String url, String token, String json, String traceparent) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .timeout(REQUEST_LIMIT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (traceparent != null) {
            b.header("traceparent", traceparent);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A JSON PUT with the bearer token. */
    HttpResponse<String> put(String url, String token, String json) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(REQUEST_LIMIT)
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .PUT(HttpRequest.BodyPublishers.ofString(json))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** A GET that must answer 200; answers the body. */
    String get(String url, String token) throws Exception {
        HttpResponse<String> r = send(url, token);
        assertThat(r.statusCode()).as(url + " answered " + r.body()).isEqualTo(200);
        return r.body();
    }

    /** A GET with an optional bearer token, whatever it answers. */
    HttpResponse<String> send(String url, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(REQUEST_LIMIT);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A DELETE with an optional bearer token, whatever it answers. */
    HttpResponse<String> delete(String url, String token) throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(url)).timeout(REQUEST_LIMIT).DELETE();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Every record of the topic from its beginning to its end as of now, read_committed with no group. */
    List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false);
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    /** Waits until the condition holds, checking four times a second; fails naming what did not happen in time. */
    static void awaitTrue(String what, Duration within, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("not within " + within + ": " + what);
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }
}
