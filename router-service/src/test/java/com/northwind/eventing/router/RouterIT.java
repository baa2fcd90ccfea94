package com.northwind.eventing.router;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.admin.AdminApiApplication;
import com.northwind.eventing.common.registry.RestSchemaRegistryClient;
import com.northwind.eventing.common.serde.AvroWireDeserializer;
import com.northwind.eventing.common.testing.KafkaBroker;
import com.northwind.eventing.common.testing.KafkaClusterExtension;
import com.northwind.eventing.common.tracing.EventAttributes;
import com.northwind.eventing.common.tracing.Tracing;
import com.northwind.eventing.intake.IntakeApplication;
import com.northwind.eventing.schema.Envelope;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * From intake to consumer topics on the test broker: the real admin-api, intake and router, each in its own context
 * in this JVM. One event reaches two subscriptions, in the clear for the app cleared for PHI and redacted for the
 * other; a subscription made while everything runs receives the next event. A copy too large for its topic goes to
 * the dead-letter topic, redacted of its sensitive fields and readable through the registry, while the other
 * subscription, and the next event, are still routed. The intake and the router trace into one in-memory exporter, so
 * that every event here is routed with tracing on, and one event's whole trace is checked.
 */
@ExtendWith(KafkaClusterExtension.class)
class RouterIT {
    private static final String ADMIN_TOKEN = "router-test-admin-token-42";
    /** An SSN with more to it than the mask: the redacted event is then no larger than the one published. */
    private static final String LONG_SSN = "123-45-6789, issued 1990 in Springfield, Illinois";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The platform services' registry credential: the only one that may write eventing.* subjects. */
    private static final String SERVICE_TOKEN = "router-test-service-token-0123456789abcdef";

    @TempDir
    static Path stateDir;

    private static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();
    private static final OpenTelemetrySdk SDK = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(SPANS))
                    .build())
            .build();
    /** Given to the intake's and the router's contexts in place of the one they make from the environment. */
    private static final ApplicationContextInitializer<ConfigurableApplicationContext> TRACED =
            c -> c.getBeanFactory().registerSingleton("testTracing", Tracing.of(SDK));

    private static KafkaBroker kafka;
    private static ConfigurableApplicationContext admin;
    private static ConfigurableApplicationContext intake;
    private static ConfigurableApplicationContext router;
    private static String adminUrl;
    private static String intakeUrl;

    @BeforeAll
    static void start(KafkaBroker broker) {
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
        adminUrl = "http://127.0.0.1:" + port(admin);
        intake = IntakeApplication.builder()
                .initializers(TRACED)
                .run(
                        "--server.port=0",
                        "--spring.main.banner-mode=off",
                        "--eventing.grpc.port=-1",
                        "--eventing.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                        "--eventing.schema-registry.url=" + adminUrl,
                        "--eventing.schema-registry.bearer-token=" + SERVICE_TOKEN,
                        "--eventing.firehose.partitions=3");
        intakeUrl = "http://127.0.0.1:" + port(intake);
        router = RouterApplication.builder()
                .initializers(TRACED)
                .run(
                        "--server.port=0",
                        "--spring.main.banner-mode=off",
                        "--eventing.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                        "--eventing.schema-registry.url=" + adminUrl,
                        "--eventing.schema-registry.bearer-token=" + SERVICE_TOKEN,
                        "--eventing.router.state-dir=" + stateDir.resolve("router"));
    }

    @AfterAll
    static void stop() {
        for (ConfigurableApplicationContext c : new ConfigurableApplicationContext[] {router, intake, admin}) {
            if (c != null) {
                c.close();
            }
        }
        SDK.close();
    }

    @Test
    void shouldTraceOneEventFromTheCallersTraceparentThroughTheFirehoseToEachCopyWhenTracingIsOn() {
        adminPost("/v1/event-types", """
                {"noun": "Traced", "verb": "Submitted", "object": "Claim", "owner": "claims",
                 "schema": {"type": "object", "properties": {"member": {"type": "object"}}},
                 "sensitiveFields": [{"path": "/member/ssn", "classification": "PHI"}]}
                """);
        String producer =
                JSON.readTree(adminPost("/v1/apps", """
                        {"id": "traced-intake", "team": "claims", "publish": ["Traced.*.*"], "read": []}
                        """)).path("token").asString();
        adminPost("/v1/apps", """
                {"id": "traced-reader", "team": "care", "publish": [], "read": []}
                """);
        adminPost("/v1/subscriptions", """
                {"id": "traced-tx", "app": "traced-reader", "eventTypes": ["Traced.*.*"],
                 "tags": {"anyOf": ["state:TX"]}}
                """);
        adminPost("/v1/subscriptions", """
                {"id": "traced-ny", "app": "traced-reader", "eventTypes": ["Traced.Submitted.*"],
                 "tags": {"anyOf": ["state:NY"]}}
                """);
        awaitRouterSees("registry-subscriptions", "traced-tx");
        awaitRouterSees("registry-subscriptions", "traced-ny");
        String event = """
                {"noun": "Traced", "verb": "Submitted", "object": "Claim", "tags": ["state:TX", "line:dental"],
                 "metadata": {"transactionId": "tx-traced-1"},
                 "body": {"member": {"ssn": "123-45-6789", "name": "Ann Example"}}}
                """;

        String eventId = post(producer, event, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                .path("eventId")
                .asString();
        ConsumerRecord<byte[], byte[]> copy =
                readRecords("eventing.sub.traced-tx", 1).get(0);
        await(
                "the event's seven spans",
                () -> trace("4bf92f3577b34da6a3ce929d0e0e4736").size() >= 7);
        List<SpanData> spans = trace("4bf92f3577b34da6a3ce929d0e0e4736");

        SpanData publish = span(spans, "publish");
        SpanData send = span(spans, "send eventing.firehose");
        SpanData process = span(spans, "process eventing.firehose");
        SpanData delivered = span(spans, "copy traced-tx");
        SpanData filtered = span(spans, "copy traced-ny");
        assertThat(spans)
                .extracting(SpanData::getName)
                .containsExactlyInAnyOrder(
                        "publish",
                        "send eventing.firehose",
                        "process eventing.firehose",
                        "copy traced-tx",
                        "copy traced-ny",
                        "store eventing.store",
                        "ledger eventing.ledger");
        assertThat(publish.getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(publish.getParentSpanId()).isEqualTo("00f067aa0ba902b7");
        assertThat(send.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(send.getParentSpanId()).isEqualTo(publish.getSpanId());
        assertThat(process.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(process.getParentSpanId()).isEqualTo(send.getSpanId());
        assertThat(spans)
                .filteredOn(s -> s.getName().startsWith("copy ")
                        || s.getName().startsWith("store ")
                        || s.getName().startsWith("ledger "))
                .allSatisfy(s -> assertThat(s.getParentSpanId()).isEqualTo(process.getSpanId()));
        assertThat(spans)
                .allSatisfy(s -> assertThat(s.getAttributes().get(EventAttributes.TAGS))
                        .containsExactly("state:TX", "line:dental"));
        assertThat(spans)
                .allSatisfy(s -> assertThat(s.getAttributes().get(EventAttributes.EVENT_ID))
                        .isEqualTo(eventId));
        assertThat(publish.getAttributes().get(EventAttributes.PRODUCER_APP)).isEqualTo("traced-intake");
        assertThat(delivered.getAttributes().get(EventAttributes.OUTCOME)).isEqualTo("DELIVERED");
        assertThat(delivered.getAttributes().get(EventAttributes.MESSAGING_DESTINATION))
                .isEqualTo("eventing.sub.traced-tx");
        assertThat(filtered.getAttributes().get(EventAttributes.OUTCOME)).isEqualTo("FILTERED");
        assertThat(filtered.getAttributes().get(EventAttributes.REASON)).isEqualTo("tags");
        assertThat(header(copy.headers(), "traceparent"))
                .isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-" + delivered.getSpanId() + "-01");
        assertThat(spans)
                .flatExtracting(s -> s.getAttributes().asMap().values())
                .map(String::valueOf)
                .noneMatch(v -> v.contains("123-45-6789") || v.contains("Ann Example"));
    }

    /** The finished spans of one trace. */
    private static List<SpanData> trace(String traceId) {
        return SPANS.getFinishedSpanItems().stream()
                .filter(s -> s.getTraceId().equals(traceId))
                .toList();
    }

    private static SpanData span(List<SpanData> spans, String name) {
        return spans.stream()
                .filter(s -> s.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no span " + name + " in " + spans));
    }

    @Test
    void shouldRedactPhiForTheAppNotClearedAndDeliverToSubscriptionMadeWhileRunning() {
        adminPost("/v1/event-types", """
                {"noun": "Claim", "verb": "Submitted", "object": "Routed", "owner": "claims",
                 "schema": {"type": "object", "properties": {"member": {"type": "object"}}},
                 "sensitiveFields": [{"path": "/member/ssn", "classification": "PHI"}]}
                """);
        String producer =
                JSON.readTree(adminPost("/v1/apps", """
                        {"id": "claims-intake", "team": "claims", "publish": ["Claim.*.*"], "read": []}
                        """)).path("token").asString();
        adminPost("/v1/apps", """
                {"id": "care-portal", "team": "care", "publish": [], "read": ["PHI"]}
                """);
        adminPost("/v1/apps", """
                {"id": "analytics", "team": "data", "publish": [], "read": []}
                """);
        String cleared = topic(adminPost("/v1/subscriptions", """
                {"id": "care-claims", "app": "care-portal", "eventTypes": ["Claim.Submitted.*"]}
                """));
        String redacted = topic(adminPost("/v1/subscriptions", """
                {"id": "analytics-claims", "app": "analytics", "eventTypes": ["Claim.*.*"]}
                """));
        awaitRouterSees("registry-subscriptions", "care-claims");
        awaitRouterSees("registry-subscriptions", "analytics-claims");

        String firstId = publish(producer, "tx-1");
        List<Envelope> clearCopies = read(cleared, 1);
        List<Envelope> redactedCopies = read(redacted, 1);

        assertThat(cleared).isEqualTo("eventing.sub.care-claims");
        assertThat(clearCopies).singleElement().satisfies(e -> {
            assertThat(e.getEventId()).isEqualTo(firstId);
            assertThat(JSON.readTree(e.getBody()).at("/member/ssn").asString()).isEqualTo("123-45-6789");
            assertThat(e.getRedactedPaths()).isEmpty();
        });
        assertThat(redactedCopies).singleElement().satisfies(e -> {
            assertThat(e.getEventId()).isEqualTo(firstId);
            JsonNode body = JSON.readTree(e.getBody());
            assertThat(body.at("/member/ssn").asString()).isEqualTo("***REDACTED***");
            assertThat(body.at("/member/name").asString()).isEqualTo("Ann Example");
            assertThat(e.getRedactedPaths()).containsExactly("/member/ssn");
        });

        String late = topic(adminPost("/v1/subscriptions", """
                {"id": "care-late", "app": "care-portal", "eventTypes": ["Claim.Submitted.Routed"]}
                """));
        awaitRouterSees("registry-subscriptions", "care-late");
        String secondId = publish(producer, "tx-2");
        List<Envelope> lateCopies = read(late, 1);
        List<Envelope> clearAfter = read(cleared, 2);

        assertThat(lateCopies).extracting(Envelope::getEventId).containsExactly(secondId);
        assertThat(clearAfter).extracting(Envelope::getEventId).containsExactly(firstId, secondId);
    }

    @Test
    void shouldCreateTheStoreTopicWithTheFirehosesPartitionsWhenStarting() throws Exception {
        int partitions;

        try (Admin a = kafka.admin()) {
            partitions = a.describeTopics(List.of("eventing.store"))
                    .allTopicNames()
                    .get(30, TimeUnit.SECONDS)
                    .get("eventing.store")
                    .partitions()
                    .size();
        }

        assertThat(partitions).isEqualTo(3);
        assertThat(kafka.topicConfig("eventing.store", "cleanup.policy")).isEqualTo("delete");
        assertThat(kafka.topicConfig("eventing.store", "retention.ms")).isEqualTo("604800000");
    }

    @Test
    void shouldCreateTheLedgerReplayAndCountsTopicsWhenStarting() throws Exception {
        Map<String, Integer> partitions;

        try (Admin a = kafka.admin()) {
            partitions = new java.util.TreeMap<>();
            a.describeTopics(List.of("eventing.ledger", "eventing.replay", "eventing.replays.counts"))
                    .allTopicNames()
                    .get(30, TimeUnit.SECONDS)
                    .forEach((name, d) -> partitions.put(name, d.partitions().size()));
        }

        assertThat(partitions)
                .containsExactly(
                        Map.entry("eventing.ledger", 3),
                        Map.entry("eventing.replay", 3),
                        Map.entry("eventing.replays.counts", 1));
        assertThat(kafka.topicConfig("eventing.ledger", "cleanup.policy")).isEqualTo("delete");
        assertThat(kafka.topicConfig("eventing.ledger", "retention.ms")).isEqualTo("604800000");
        assertThat(kafka.topicConfig("eventing.replay", "retention.ms")).isEqualTo("604800000");
        assertThat(kafka.topicConfig("eventing.replays.counts", "cleanup.policy"))
                .isEqualTo("compact");
    }

    @Test
    void shouldLedgerOneDeliveryWhereTheCopyIsAndTwoFilteredWhenThreeSubscriptionsMatchTheTypeAndOneReceives() {
        adminPost("/v1/event-types", """
                {"noun": "Claim", "verb": "Submitted", "object": "Ledgered", "owner": "claims",
                 "schema": {"type": "object", "properties": {"member": {"type": "object"}, "status": {"type": "string"}}},
                 "sensitiveFields": [{"path": "/member/ssn", "classification": "PHI"}]}
                """);
        String producer =
                JSON.readTree(adminPost("/v1/apps", """
                        {"id": "ledger-intake", "team": "claims", "publish": ["Claim.*.*"], "read": []}
                        """)).path("token").asString();
        adminPost("/v1/apps", """
                {"id": "ledger-reader", "team": "data", "publish": [], "read": []}
                """);
        adminPost("/v1/subscriptions", """
                {"id": "ledger-all", "app": "ledger-reader", "eventTypes": ["Claim.Submitted.Ledgered"],
                 "partitions": 4}
                """);
        adminPost("/v1/subscriptions", """
                {"id": "ledger-denied", "app": "ledger-reader", "eventTypes": ["Claim.*.Ledgered"],
                 "filter": {"/status": ["DENIED"]}}
                """);
        adminPost("/v1/subscriptions", """
                {"id": "ledger-tx", "app": "ledger-reader", "eventTypes": ["Claim.Submitted.*"],
                 "tags": {"anyOf": ["state:TX"]}}
                """);
        for (String id : List.of("ledger-all", "ledger-denied", "ledger-tx")) {
            awaitRouterSees("registry-subscriptions", id);
        }

        String eventId = publish(producer, "Claim", "Submitted", "Ledgered", "tx-ledger-1", "123-45-6789", "member-7")
                .path("eventId")
                .asString();

        List<ConsumerRecord<byte[], byte[]>> copies = readRecords("eventing.sub.ledger-all", 1);
        assertThat(copies)
                .singleElement()
                .satisfies(c -> assertThat(c.partition()).isEqualTo(3));
        List<ConsumerRecord<byte[], byte[]>> ledger = readRecords(
                "eventing.ledger", r -> eventId.equals(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(ledger).hasSize(1);
        JsonNode doc = JSON.readTree(ledger.get(0).value());
        assertThat(doc.get("deliveries").toString())
                .isEqualTo("[{\"subscription\":\"ledger-all\",\"app\":\"ledger-reader\",\"outcome\":\"DELIVERED\","
                        + "\"topic\":\"eventing.sub.ledger-all\",\"partition\":3,\"redactedPaths\":[\"/member/ssn\"]},"
                        + "{\"subscription\":\"ledger-denied\",\"app\":\"ledger-reader\",\"outcome\":\"FILTERED\","
                        + "\"reason\":\"content\"},"
                        + "{\"subscription\":\"ledger-tx\",\"app\":\"ledger-reader\",\"outcome\":\"FILTERED\","
                        + "\"reason\":\"tags\"}]");
        assertThat(doc.path("eventType").asString()).isEqualTo("Claim.Submitted.Ledgered");
        assertThat(header(ledger.get(0).headers(), "eventing-event-id")).isEqualTo(eventId);
    }

    @Test
    void shouldDeadLetterTheCopyTooLargeForItsTopicRedactedAndRouteTheNextEvents() throws Exception {
        adminPost("/v1/event-types", """
                {"noun": "Oversize", "verb": "Submitted", "object": "Claim", "owner": "claims",
                 "schema": {"type": "object"},
                 "sensitiveFields": [{"path": "/member/ssn", "classification": "PHI"}]}
                """);
        String producer =
                JSON.readTree(adminPost("/v1/apps", """
                        {"id": "oversize-intake", "team": "claims", "publish": ["Oversize.*.*"], "read": []}
                        """)).path("token").asString();
        adminPost("/v1/apps", """
                {"id": "oversize-reader", "team": "care", "publish": [], "read": []}
                """);
        String small = topic(adminPost("/v1/subscriptions", """
                {"id": "oversize-small", "app": "oversize-reader", "eventTypes": ["Oversize.*.*"]}
                """));
        String fine = topic(adminPost("/v1/subscriptions", """
                {"id": "oversize-fine", "app": "oversize-reader", "eventTypes": ["Oversize.*.*"]}
                """));
        // Every copy of these events is larger than this, so the broker would refuse each one sent to it.
        try (Admin a = kafka.admin()) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, small);
            a.incrementalAlterConfigs(Map.of(
                            topic,
                            List.of(new AlterConfigOp(
                                    new ConfigEntry("max.message.bytes", "200"), AlterConfigOp.OpType.SET))))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        awaitRouterSees("registry-subscriptions", "oversize-small");
        awaitRouterSees("registry-subscriptions", "oversize-fine");

        JsonNode first = publish(producer, "Oversize", "Submitted", "Claim", "tx-big-1", LONG_SSN);
        JsonNode second = publish(producer, "Oversize", "Submitted", "Claim", "tx-big-2", LONG_SSN);
        List<Envelope> delivered = read(fine, 2);
        List<ConsumerRecord<byte[], byte[]>> dead = readDeadLetters("oversize-small", 2);

        assertThat(delivered)
                .extracting(Envelope::getEventId)
                .containsExactlyInAnyOrder(
                        first.path("eventId").asString(), second.path("eventId").asString());
        assertThat(read(small, 0)).isEmpty();
        assertThat(dead).hasSize(2);
        for (JsonNode published : List.of(first, second)) {
            ConsumerRecord<byte[], byte[]> letter = dead.stream()
                    .filter(r -> envelope(r.value())
                            .getEventId()
                            .equals(published.path("eventId").asString()))
                    .findFirst()
                    .orElseThrow();
            // Read as any consumer of the dead-letter topic reads it: by its schema id, from the registry.
            Envelope redacted = envelope(letter.value());
            assertThat(JSON.readTree(redacted.getBody()).at("/member/ssn").asString())
                    .isEqualTo("***REDACTED***");
            assertThat(JSON.readTree(redacted.getBody()).at("/member/name").asString())
                    .isEqualTo("Ann Example");
            assertThat(redacted.getRedactedPaths()).containsExactly("/member/ssn");
            assertThat(new String(letter.value(), java.nio.charset.StandardCharsets.ISO_8859_1))
                    .doesNotContain("123-45-6789");
            Headers h = letter.headers();
            assertThat(header(h, "eventing-deadletter-exception"))
                    .isEqualTo("org.apache.kafka.common.errors.RecordTooLargeException");
            assertThat(header(h, "eventing-deadletter-reason"))
                    .startsWith(
                            "cannot write the copy for subscription oversize-small to eventing.sub.oversize-small: ")
                    .endsWith("takes at most 200");
            assertThat(header(h, "eventing-deadletter-topic")).isEqualTo("eventing.firehose");
            assertThat(header(h, "eventing-deadletter-partition"))
                    .isEqualTo(published.path("partition").asString());
            assertThat(header(h, "eventing-deadletter-offset"))
                    .isEqualTo(published.path("offset").asString());
            assertThat(h.lastHeader("eventing-deadletter-sha256")).isNull();
        }
        assertThat(JSON.readTree(adminGet("/subjects/eventing.deadletter-value/versions")))
                .hasSize(1);
    }

    /** Publishes one claim; the intake follows the registry within a second, so 401 and 422 are retried for 5 s. */
    private static String publish(String token, String transactionId) {
        return publish(token, "Claim", "Submitted", "Routed", transactionId)
                .path("eventId")
                .asString();
    }

    /** Publishes one event and answers the intake's 202 body (eventId, partition, offset). */
    private static JsonNode publish(String token, String noun, String verb, String object, String transactionId) {
        return publish(token, noun, verb, object, transactionId, "123-45-6789");
    }

    /** Publishes one event whose member has the given SSN. */
    private static JsonNode publish(
            String token, String noun, String verb, String object, String transactionId, String ssn) {
        return publish(token, noun, verb, object, transactionId, ssn, null);
    }

    /** Publishes one event with a key, or none when null. */
    private static JsonNode publish(
            String token, String noun, String verb, String object, String transactionId, String ssn, String key) {
        String event =
                """
                {"noun": "%s", "verb": "%s", "object": "%s",%s
                 "metadata": {"transactionId": "%s"},
                 "body": {"member": {"ssn": "%s", "name": "Ann Example"}}}
                """.formatted(noun, verb, object, key == null ? "" : " \"key\": \"" + key + "\",", transactionId, ssn);
        return post(token, event, null);
    }

    /** Publishes the event, with a W3C traceparent unless null, and answers the intake's 202 body. */
    private static JsonNode post(String token, String event, String traceparent) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(intakeUrl + "/v1/events"))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(event));
            if (traceparent != null) {
                request.header("traceparent", traceparent);
            }
            HttpResponse<String> r = send(request);
            if (r.statusCode() == 202) {
                return JSON.readTree(r.body());
            }
            if ((r.statusCode() != 401 && r.statusCode() != 422) || System.nanoTime() > deadline) {
                throw new IllegalStateException("publish answered " + r.statusCode() + " " + r.body());
            }
            sleep(100);
        }
    }

    /** Waits until the router's global table holds the key, so the next event is routed with it. */
    private static void awaitRouterSees(String store, String key) {
        KafkaStreams streams = router.getBean(RouterStreams.class).streams();
        await("the router to see " + key + " in " + store, () -> {
            try {
                ReadOnlyKeyValueStore<String, Object> view =
                        streams.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.keyValueStore()));
                return view.get(key) != null;
            } catch (InvalidStateStoreException e) {
                return false;
            }
        });
    }

    /** Reads the topic from the start with read_committed until it holds the expected number of records. */
    private static List<ConsumerRecord<byte[], byte[]>> readRecords(String topic, int expected) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        readRecords(topic, r -> true, out, expected);
        return out;
    }

    /** Reads the topic from the start with read_committed for the one record that {@code wanted} picks, and any twin. */
    private static List<ConsumerRecord<byte[], byte[]>> readRecords(
            String topic, java.util.function.Predicate<ConsumerRecord<byte[], byte[]>> wanted) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        readRecords(topic, wanted, out, 1);
        return out;
    }

    private static void readRecords(
            String topic,
            java.util.function.Predicate<ConsumerRecord<byte[], byte[]>> wanted,
            List<ConsumerRecord<byte[], byte[]>> out,
            int expected) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed"),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (wanted.test(r)) {
                        out.add(r);
                    }
                }
            }
            // Anything beyond the expected records would be a duplicate: give it a moment to show.
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                if (wanted.test(r)) {
                    out.add(r);
                }
            }
        }
    }

    /** Reads the topic from the start with read_committed until it holds the expected number of envelopes. */
    private static List<Envelope> read(String topic, int expected) {
        AvroWireDeserializer<Envelope> envelopes =
                new AvroWireDeserializer<>(new RestSchemaRegistryClient(adminUrl), Envelope.getClassSchema(), true);
        return readRecords(topic, expected).stream()
                .map(r -> envelopes.deserialize(r.topic(), r.value()))
                .toList();
    }

    /** Reads the dead-letter topic from the start, read_committed, for the dead letters of one subscription. */
    private static List<ConsumerRecord<byte[], byte[]>> readDeadLetters(String subscription, int expected) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        readRecords(
                "eventing.deadletter",
                r -> subscription.equals(header(r.headers(), "eventing-subscription")),
                out,
                expected);
        return out;
    }

    /** An envelope in the wire format, its schema looked up by id in the registry. */
    private static Envelope envelope(byte[] value) {
        return new AvroWireDeserializer<Envelope>(
                        new RestSchemaRegistryClient(adminUrl), Envelope.getClassSchema(), true)
                .deserialize("eventing.firehose", value);
    }

    private static String header(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null ? null : new String(h.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String topic(String subscriptionJson) {
        return JSON.readTree(subscriptionJson).path("topic").asString();
    }

    private static String adminGet(String path) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(adminUrl + path))
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .GET());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + r.statusCode() + " " + r.body());
        }
        return r.body();
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

    private static void await(String what, BooleanSupplier done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            sleep(100);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }
}
