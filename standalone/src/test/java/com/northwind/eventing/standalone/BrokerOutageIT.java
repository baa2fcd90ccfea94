package com.northwind.eventing.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.admin.AdminApiApplication;
import com.northwind.eventing.common.registry.RestSchemaRegistryClient;
import com.northwind.eventing.common.serde.AvroWireDeserializer;
import com.northwind.eventing.intake.IntakeApplication;
import com.northwind.eventing.schema.Envelope;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stops the broker in the middle of a publishing load and starts it again: every event the intake acknowledged with a
 * 202 is on the firehose afterwards, once, and nothing was acknowledged that is not there.
 */
class BrokerOutageIT {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ADMIN_TOKEN = "outage-admin-token-0123456789";
    /** The platform services' registry credential, as the standalone gives it to admin-api and the intake. */
    private static final String SERVICE_TOKEN = "outage-test-service-token-0123456789abcdef";

    @TempDir
    Path dataDir;

    @Test
    void shouldLoseNoAcknowledgedEventWhenBrokerStopsAndStartsUnderLoad() throws Exception {
        int kafkaPort = freePort();
        int controllerPort = freePort();
        EmbeddedKafka kafka = new EmbeddedKafka(dataDir.resolve("kafka"), "127.0.0.1", kafkaPort, controllerPort, null);
        kafka.start();
        ConfigurableApplicationContext admin = AdminApiApplication.builder()
                .run(
                        "--server.port=0",
                        "--eventing.admin-token=" + ADMIN_TOKEN,
                        "--eventing.schema-registry.service-token=" + SERVICE_TOKEN,
                        "--eventing.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                        "--eventing.registry.replication-factor=1");
        String adminUrl = "http://127.0.0.1:" + port(admin);
        ConfigurableApplicationContext intake = IntakeApplication.builder()
                .run(
                        "--server.port=0",
                        "--eventing.grpc.port=-1",
                        "--eventing.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                        "--eventing.schema-registry.url=" + adminUrl,
                        "--eventing.schema-registry.bearer-token=" + SERVICE_TOKEN,
                        "--eventing.firehose.partitions=3");
        String intakeUrl = "http://127.0.0.1:" + port(intake) + "/v1/events";
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try {
            call(http, adminUrl + "/v1/event-types", ADMIN_TOKEN, """
                    {"noun": "Claim", "verb": "Submitted", "object": "Outage", "owner": "t",
                     "schema": {"type": "object", "required": ["n"]}}
                    """);
            String token = JSON.readTree(
                            call(http, adminUrl + "/v1/apps", ADMIN_TOKEN, """
                            {"id": "outage", "team": "t", "publish": ["Claim.*.*"],
                             "rateLimit": {"eventsPerSecond": 1000000, "burst": 1000000}}
                            """).body())
                    .path("token")
                    .asString();

            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            AtomicInteger refused = new AtomicInteger();
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger sequence = new AtomicInteger();
            ExecutorService load = Executors.newFixedThreadPool(8);
            for (int t = 0; t < 8; t++) {
                load.submit(() -> {
                    while (running.get()) {
                        int n = sequence.incrementAndGet();
                        String event = "{\"noun\": \"Claim\", \"verb\": \"Submitted\", \"object\": \"Outage\","
                                + " \"metadata\": {\"transactionId\": \"tx-" + n + "\"}, \"body\": {\"n\": " + n + "}}";
                        try {
                            HttpResponse<String> r = call(http, intakeUrl, token, event);
                            if (r.statusCode() == 202) {
                                acknowledged.add(
                                        JSON.readTree(r.body()).path("eventId").asString());
                            } else {
                                refused.incrementAndGet();
                            }
                        } catch (RuntimeException e) {
                            refused.incrementAndGet();
                        }
                    }
                    return null;
                });
            }
            Thread.sleep(1500);
            int beforeOutage = acknowledged.size();
            kafka.close();
            Thread.sleep(3000);
            kafka = new EmbeddedKafka(dataDir.resolve("kafka"), "127.0.0.1", kafkaPort, controllerPort, null);
            kafka.start();
            int atRestart = acknowledged.size();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (acknowledged.size() < atRestart + 200 && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            running.set(false);
            load.shutdown();
            assertThat(load.awaitTermination(90, TimeUnit.SECONDS)).isTrue();

            List<String> onFirehose = firehoseEventIds(kafka.bootstrapServers(), adminUrl);
            Set<String> distinct = new HashSet<>(onFirehose);
            System.out.printf(
                    "BrokerOutageIT: %d acknowledged (%d before the outage), %d refused or failed, %d on the firehose%n",
                    acknowledged.size(), beforeOutage, refused.get(), onFirehose.size());

            assertThat(beforeOutage).as("events acknowledged before the outage").isGreaterThan(0);
            assertThat(acknowledged.size())
                    .as("acknowledged after the broker came back")
                    .isGreaterThan(atRestart);
            assertThat(distinct)
                    .as("every acknowledged event is on the firehose")
                    .containsAll(acknowledged);
            assertThat(onFirehose).as("no event is on the firehose twice").hasSameSizeAs(distinct);
        } finally {
            intake.close();
            admin.close();
            kafka.close();
        }
    }

    private static List<String> firehoseEventIds(String bootstrap, String registryUrl) {
        AvroWireDeserializer<Envelope> envelopes =
                new AvroWireDeserializer<>(new RestSchemaRegistryClient(registryUrl), Envelope.getClassSchema(), true);
        List<String> ids = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed"),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = c.partitionsFor("eventing.firehose").stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> c.position(p) < end.get(p))) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    ids.add(envelopes.deserialize(r.topic(), r.value()).getEventId());
                }
            }
        }
        return ids;
    }

    private static HttpResponse<String> call(HttpClient http, String url, String token, String json) {
        try {
            return http.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(60))
                            .header("Content-Type", "application/json")
                            .header("Authorization", "Bearer " + token)
                            .POST(HttpRequest.BodyPublishers.ofString(json))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
