package com.northwind.eventing.router;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.northwind.eventing.admin.AdminApiApplication;
import com.northwind.eventing.common.registry.RestSchemaRegistryClient;
import com.northwind.eventing.common.serde.AvroWireSerializer;
import com.northwind.eventing.common.store.StoreDocument;
import com.northwind.eventing.common.testing.KafkaBroker;
import com.northwind.eventing.common.testing.KafkaClusterExtension;
import com.northwind.eventing.router.topology.RouterTopology;
import com.northwind.eventing.schema.Envelope;
import com.northwind.eventing.schema.Metadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * A write error that a retry cannot mend stops the router: the broker refuses a copy for good (its topic's
 * {@code max.message.bytes} was lowered after the router last read it), so the router goes to ERROR with its health
 * DOWN and an ERROR naming the subscription and the topic, rather than replacing its thread and failing on the same
 * record for ever; and it commits nothing past that record, so that a restart after the operator mends it routes it.
 */
@ExtendWith(KafkaClusterExtension.class)
class RouterStopIT {
    private static final String ADMIN_TOKEN = "router-stop-admin-token-42";
    private static final String SERVICE_TOKEN = "stop-test-service-token-0123456789abcdef";
    private static final String APPLICATION_ID = "stop-router";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path stateDir;

    private static KafkaBroker kafka;
    private static ConfigurableApplicationContext admin;
    private static ConfigurableApplicationContext router;
    private static String adminUrl;

    @BeforeAll
    static void start(KafkaBroker broker) throws Exception {
        kafka = broker;
        admin = AdminApiApplication.builder()
                .run(
                        "--server.port=0",
                        "--spring.main.banner-mode=off",
                        "--eventing.admin-token=" + ADMIN_TOKEN,
                        "--eventing.schema-registry.service-token=" + SERVICE_TOKEN,
                        "--eventing.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                        "--eventing.registry.replication-factor=1",
                        "--eventing.subscriptions.replication-factor=1");
        adminUrl = "http://127.0.0.1:"
                + ((WebServerApplicationContext) admin).getWebServer().getPort();
        createFirehose();
    }

    @AfterAll
    static void stop() {
        if (router != null) {
            router.close();
        }
        if (admin != null) {
            // Other router tests share the broker: their routers must not be refused this subscription's copies.
            send(HttpRequest.newBuilder(URI.create(adminUrl + "/v1/subscriptions/stop-refused"))
                    .header("Authorization", "Bearer " + ADMIN_TOKEN)
                    .DELETE());
            admin.close();
        }
    }

    @Test
    void shouldStopWithHealthDownAndCommitNothingPastTheRecordWhenTheBrokerRefusesACopyForGood() throws Exception {
        adminPost("/v1/event-types", """
                {"noun": "Stop", "verb": "Submitted", "object": "Claim", "owner": "claims",
                 "schema": {"type": "object"}}
                """);
        adminPost("/v1/apps", """
                {"id": "stop-reader", "team": "care", "publish": [], "read": []}
                """);
        String topic =
                JSON.readTree(adminPost("/v1/subscriptions", """
                        {"id": "stop-refused", "app": "stop-reader", "eventTypes": ["Stop.*.*"]}
                        """)).path("topic").asString();
        router = RouterApplication.builder()
                .run(
                        "--server.port=0",
                        "--spring.main.banner-mode=off",
                        "--eventing.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                        "--eventing.schema-registry.url=" + adminUrl,
                        "--eventing.schema-registry.bearer-token=" + SERVICE_TOKEN,
                        "--eventing.router.state-dir=" + stateDir.resolve("router"),
                        "--eventing.router.application-id=" + APPLICATION_ID,
                        // This broker is shared with the aggregator's tests, whose rules and timers an aggregator here
                        // would take up and write outputs from onto the firehose partition this test counts offsets on.
                        "--eventing.aggregator.enabled=false");
        ListAppender<ILoggingEvent> errors = captureErrors();
        RouterStreams streams = router.getBean(RouterStreams.class);
        RecordMetadata first;
        RecordMetadata refused;
        try (KafkaProducer<String, Envelope> producer = producer()) {
            // The router reads the topic's limit for the first copy, and trusts it for a minute.
            first = producer.send(new ProducerRecord<>(RouterTopology.FIREHOSE, "tx-stop", event("stop-1")))
                    .get(30, TimeUnit.SECONDS);
            await("the first copy", () -> committedValues(topic).size() == 1);

            try (Admin a = kafka.admin()) {
                a.incrementalAlterConfigs(Map.of(
                                new ConfigResource(ConfigResource.Type.TOPIC, topic),
                                List.of(new AlterConfigOp(
                                        new ConfigEntry("max.message.bytes", "200"), AlterConfigOp.OpType.SET))))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }
            refused = producer.send(new ProducerRecord<>(RouterTopology.FIREHOSE, "tx-stop", event("stop-2")))
                    .get(30, TimeUnit.SECONDS);
        }
        await("the router to stop", () -> streams.streams().state() == KafkaStreams.State.ERROR);

        Health health = streams.health();
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("state", "ERROR");
        assertThat(errors.list)
                .filteredOn(e -> e.getLevel() == Level.ERROR)
                .map(ILoggingEvent::getFormattedMessage)
                .anySatisfy(m -> assertThat(m)
                        .contains("topic " + topic)
                        .contains("subscription stop-refused")
                        .contains("event stop-2"))
                .anySatisfy(m -> assertThat(m).startsWith("Router stops: "));
        assertThat(committedValues(topic))
                .hasSize(1)
                .allSatisfy(v ->
                        assertThat(new String(v, StandardCharsets.ISO_8859_1)).contains("stop-1"));
        assertThat(committedKeys(StoreDocument.TOPIC)).contains("stop-1").doesNotContain("stop-2");
        TopicPartition partition = new TopicPartition(RouterTopology.FIREHOSE, refused.partition());
        assertThat(first.partition()).isEqualTo(refused.partition());
        try (Admin a = kafka.admin()) {
            // Stable: a transactional offset commit still pending fails the read rather than being left out.
            OffsetAndMetadata committed = a.listConsumerGroupOffsets(
                            APPLICATION_ID, new ListConsumerGroupOffsetsOptions().requireStable(true))
                    .partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS)
                    .get(partition);
            long end = a.listOffsets(Map.of(partition, OffsetSpec.latest()))
                    .all()
                    .get(30, TimeUnit.SECONDS)
                    .get(partition)
                    .offset();
            // The offsets in the message, so that a failure says what else was written to the partition.
            String offsets = "first " + first.offset() + ", refused " + refused.offset() + ", committed " + committed
                    + ", end " + end;
            assertThat(committed).as(offsets).isNotNull();
            assertThat(committed.offset()).as(offsets).isEqualTo(refused.offset());
            assertThat(end).as(offsets).isEqualTo(refused.offset() + 1);
        }
    }

    /** Collects the router's ERROR lines; attached once the services have set their logging up. */
    private static ListAppender<ILoggingEvent> captureErrors() {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        return appender;
    }

    private static Envelope event(String eventId) {
        Instant now = Instant.now();
        return Envelope.newBuilder()
                .setEventId(eventId)
                .setNoun("Stop")
                .setVerb("Submitted")
                .setObject("Claim")
                .setEventType("Stop.Submitted.Claim")
                .setMetadata(Metadata.newBuilder()
                        .setTransactionId("tx-stop")
                        .setOccurredAt(now)
                        .setReceivedAt(now)
                        .setProducerApp("claims-intake")
                        .build())
                .setSynthetic(false)
                // Random, so that even compressed its copy is larger than the limit the topic is given.
                .setBody("{\"claimId\": \"C-1\", \"note\": \"" + random(20) + "\"}")
                .setBodySchemaVersion(1)
                .build();
    }

    private static String random(int uuids) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < uuids; i++) {
            b.append(UUID.randomUUID());
        }
        return b.toString();
    }

    private static void createFirehose() throws InterruptedException {
        try (Admin a = kafka.admin()) {
            a.createTopics(List.of(new NewTopic(RouterTopology.FIREHOSE, Optional.of(3), Optional.empty())))
                    .all()
                    .get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create " + RouterTopology.FIREHOSE, e);
            }
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot create " + RouterTopology.FIREHOSE, e);
        }
    }

    private static KafkaProducer<String, Envelope> producer() {
        return new KafkaProducer<>(
                kafka.clientConfig(Map.of(ProducerConfig.ACKS_CONFIG, "all")),
                new StringSerializer(),
                new AvroWireSerializer<>(new RestSchemaRegistryClient(adminUrl, "Bearer " + SERVICE_TOKEN), true));
    }

    private static List<byte[]> committedValues(String topic) {
        return readCommitted(topic).stream().map(ConsumerRecord::value).toList();
    }

    private static List<String> committedKeys(String topic) {
        return readCommitted(topic).stream()
                .map(r -> r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8))
                .toList();
    }

    /** Every record in the topic, read committed from the start up to its last stable offsets. */
    private static List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                kafka.clientConfig(Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    private static String adminPost(String path, String json) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(adminUrl + path))
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
        if (r.statusCode() != 201) {
            throw new IllegalStateException("POST " + path + " answered " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void await(String what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            Thread.sleep(200);
        }
    }
}
