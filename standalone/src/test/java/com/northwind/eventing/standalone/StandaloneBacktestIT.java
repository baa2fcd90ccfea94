package com.northwind.eventing.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The backtest on the jar agrees with the router: events of two types, with mixed tags, statuses and synthetic flags,
 * go the whole way (intake, firehose, router, Connect, store); a subscription's topic receives its copies; the same
 * subscription backtested as a draft over the same range counts exactly as many; and the delivery ledger of one event
 * names the one subscription that received it, where its copy is, and why the two others did not.
 */
class StandaloneBacktestIT {
    private static final Duration WAIT = Duration.ofMinutes(3);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TOPIC = "eventing.sub.bt-standalone";
    private static final String SUBSCRIPTION = """
            {"id": "bt-standalone", "app": "bt-reader", "eventTypes": ["Claim.*.Backtested"],
             "tags": {"anyOf": ["state:TX"]}, "synthetic": "EXCLUDE",
             "filter": {"/status": ["DENIED"]}, "include": ["claimId", "status"]}
            """;

    @TempDir
    Path dataDir;

    @Test
    void shouldCountAsManyMatchesAsTheSubscriptionsTopicReceivedWhenTheSameSubscriptionIsBacktested() throws Exception {
        try (StandaloneProcess platform = new StandaloneProcess(dataDir)) {
            platform.start();
            String adminToken = platform.adminToken();
            String producerToken = register(platform, adminToken);
            try (KafkaConsumer<byte[], byte[]> copies = consumer(platform)) {
                awaitProbeCopy(platform, producerToken, copies);
                Instant from = Instant.now();
                Set<String> published = new HashSet<>();
                // Event 0 is a Submitted one, tagged state:TX, real and DENIED: delivered to bt-standalone, left out
                // by bt-ca-only's tags and by bt-approved's content filter.
                String eventZero = null;
                for (int batch = 0; batch < 3; batch++) {
                    List<String> ids = publish(platform, producerToken, batch);
                    eventZero = eventZero == null ? ids.get(0) : eventZero;
                    published.addAll(ids);
                }
                try (MongoClient client = MongoClients.create(platform.store())) {
                    MongoCollection<Document> events =
                            client.getDatabase("eventing").getCollection("events");
                    // The store record is written in the router's transaction with the copies: once every event is
                    // stored, every copy is committed.
                    awaitTrue(
                            "every published event stored",
                            () -> events.countDocuments(
                                            new Document("_id", new Document("$in", List.copyOf(published))))
                                    == published.size());
                }
                Instant to = Instant.now().plusSeconds(1);
                long received = countCopies(copies, published);

                HttpResponse<String> r =
                        platform.post(platform.admin() + "/v1/subscriptions/backtest", adminToken, """
                        {"subscription": %s, "from": "%s", "to": "%s", "samples": 3}
                        """.formatted(
                                        SUBSCRIPTION, from, to));

                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                JsonNode answer = JSON.readTree(r.body());
                assertThat(published).hasSize(300);
                // Worked out from publish's rules over i = 0..299, checked in the router's order.
                assertThat(answer.get("examined").asLong()).isEqualTo(300);
                assertThat(answer.get("matched").asLong()).isEqualTo(received).isEqualTo(60);
                assertThat(answer.get("byReason").toString())
                        .isEqualTo("{\"synthetic\":75,\"tags\":75,\"content\":90}");
                assertThat(answer.get("byType").toString())
                        .isEqualTo("{\"Claim.Denied.Backtested\":20,\"Claim.Submitted.Backtested\":40}");
                assertThat(answer.get("samples").get(0).get("body").toString()).doesNotContain("ssn");
                assertThat(answer.get("truncated").asBoolean()).isFalse();

                // and the delivery ledger says where event 0 went and why not elsewhere
                JsonNode ledger = awaitDeliveries(platform, adminToken, eventZero);
                Map<String, JsonNode> bySubscription = new TreeMap<>();
                ledger.get("deliveries")
                        .forEach(d -> bySubscription.put(d.get("subscription").asString(), d));
                assertThat(bySubscription).containsOnlyKeys("bt-approved", "bt-ca-only", "bt-standalone");
                assertThat(bySubscription.get("bt-approved").get("outcome").asString())
                        .isEqualTo("FILTERED");
                assertThat(bySubscription.get("bt-approved").get("reason").asString())
                        .isEqualTo("content");
                assertThat(bySubscription.get("bt-ca-only").get("outcome").asString())
                        .isEqualTo("FILTERED");
                assertThat(bySubscription.get("bt-ca-only").get("reason").asString())
                        .isEqualTo("tags");
                JsonNode delivered = bySubscription.get("bt-standalone");
                assertThat(delivered.get("outcome").asString()).isEqualTo("DELIVERED");
                assertThat(delivered.get("topic").asString()).isEqualTo(TOPIC);
                assertThat(copyAt(
                                copies,
                                delivered.get("partition").asInt(),
                                delivered.get("offset").asLong()))
                        .isEqualTo(eventZero);

                // and each service's Prometheus scrape counts what happened, by registered names only
                String router = platform.get("http://127.0.0.1:" + platform.routerPort + "/actuator/prometheus", null);
                assertThat(sample(
                                router,
                                "eventing_router_copies_total{outcome=\"delivered\",reason=\"none\","
                                        + "subscription=\"bt-standalone\"}"))
                        .isGreaterThanOrEqualTo(60);
                assertThat(sample(
                                router,
                                "eventing_router_copies_total{outcome=\"filtered\",reason=\"tags\","
                                        + "subscription=\"bt-ca-only\"}"))
                        .isPositive();
                assertThat(sample(router, "eventing_router_running")).isEqualTo(1);
                assertThat(router).contains("eventing_router_latency_seconds_bucket{subscription=\"bt-standalone\"");
                String intake = platform.get(platform.intake() + "/actuator/prometheus", null);
                assertThat(sample(
                                intake,
                                "eventing_intake_events_total{app=\"bt-producer\",outcome=\"published\","
                                        + "type=\"Claim.Submitted.Backtested\"}"))
                        .isPositive();
                String admin = platform.get(platform.admin() + "/actuator/prometheus", null);
                assertThat(admin).contains("eventing_store_documents").contains("eventing_store_sink_lag_records");
                // and the dashboards and alert rules query only metrics the services export
                assertThat(dashboardMetrics())
                        .isNotEmpty()
                        .allSatisfy(name -> assertThat(
                                        LAG_METRICS.contains(name) || (router + intake + admin).contains(name))
                                .as(name + " is exported")
                                .isTrue());
            }
            assertThat(platform.stop()).isIn(0, 143);
        }
    }

    /**
     * The consumer lag gauges appear only once a consumer group commits on a subscription topic and admin-api measured
     * it (every 30 s); {@code SubscriptionLagIT} shows them on admin-api's scrape.
     */
    private static final Set<String> LAG_METRICS =
            Set.of("eventing_subscription_consumer_lag_records", "eventing_subscription_lag_records");

    /** Every metric name the Grafana dashboards and the Prometheus alert rules in {@code deploy/} read. */
    private static Set<String> dashboardMetrics() throws java.io.IOException {
        java.nio.file.Path deploy = java.nio.file.Path.of("..", "deploy");
        List<java.nio.file.Path> files = new java.util.ArrayList<>();
        try (java.util.stream.Stream<java.nio.file.Path> dashboards =
                java.nio.file.Files.list(deploy.resolve("grafana").resolve("dashboards"))) {
            dashboards.filter(f -> f.toString().endsWith(".json")).forEach(files::add);
        }
        files.add(deploy.resolve("prometheus").resolve("alerts.yml"));
        Set<String> names = new TreeSet<>();
        java.util.regex.Pattern metric = java.util.regex.Pattern.compile("\\beventing_[a-z_]+");
        for (java.nio.file.Path f : files) {
            java.util.regex.Matcher m = metric.matcher(java.nio.file.Files.readString(f));
            while (m.find()) {
                names.add(m.group());
            }
        }
        return names;
    }

    /** A sample's value in a Prometheus scrape; NaN when it is not there. */
    private static double sample(String scrape, String name) {
        return scrape.lines()
                .filter(l -> l.startsWith(name + " "))
                .mapToDouble(
                        l -> Double.parseDouble(l.substring(name.length() + 1).trim()))
                .findFirst()
                .orElse(Double.NaN);
    }

    /** Registers two event types, a producer app, a reader app cleared for nothing, and the subscription. */
    private static String register(StandaloneProcess platform, String adminToken) throws Exception {
        for (String verb : List.of("Submitted", "Denied")) {
            HttpResponse<String> type =
                    platform.post(platform.admin() + "/v1/event-types", adminToken, """
                    {"noun": "Claim", "verb": "%s", "object": "Backtested", "owner": "claims",
                     "schema": {"type": "object", "required": ["claimId"],
                                "properties": {"claimId": {"type": "string"}, "status": {"type": "string"},
                                               "member": {"type": "object",
                                                          "properties": {"ssn": {"type": "string"}}}}},
                     "sensitiveFields": [{"path": "/member/ssn", "classification": "PHI"}]}
                    """.formatted(verb));
            assertThat(type.statusCode()).as(type.body()).isEqualTo(201);
        }
        HttpResponse<String> producer = platform.post(platform.admin() + "/v1/apps", adminToken, """
                {"id": "bt-producer", "team": "claims", "publish": ["Claim.*.*"],
                 "rateLimit": {"eventsPerSecond": 100000, "burst": 100000}}
                """);
        assertThat(producer.statusCode()).as(producer.body()).isEqualTo(201);
        HttpResponse<String> reader = platform.post(platform.admin() + "/v1/apps", adminToken, """
                {"id": "bt-reader", "team": "bi", "read": []}
                """);
        assertThat(reader.statusCode()).as(reader.body()).isEqualTo(201);
        // Created before the backtested subscription, so a router that has read that one has read these too.
        for (String other : List.of("""
                {"id": "bt-ca-only", "app": "bt-reader", "eventTypes": ["Claim.Submitted.Backtested"],
                 "tags": {"anyOf": ["state:CA"]}}
                """, """
                {"id": "bt-approved", "app": "bt-reader", "eventTypes": ["Claim.Submitted.Backtested"],
                 "filter": {"/status": ["APPROVED"]}}
                """)) {
            HttpResponse<String> created = platform.post(platform.admin() + "/v1/subscriptions", adminToken, other);
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        }
        HttpResponse<String> sub = platform.post(platform.admin() + "/v1/subscriptions", adminToken, SUBSCRIPTION);
        assertThat(sub.statusCode()).as(sub.body()).isEqualTo(201);
        return JSON.readTree(producer.body()).get("token").asString();
    }

    /**
     * Publishes probe events the subscription takes until a copy of one reaches its topic: then the intake has read
     * the producer app and the router the subscription. The probes are received before the backtest's range.
     */
    private static void awaitProbeCopy(StandaloneProcess platform, String token, KafkaConsumer<byte[], byte[]> copies)
            throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            platform.post(platform.intake() + "/v1/events", token, """
                    {"noun": "Claim", "verb": "Submitted", "object": "Backtested", "tags": ["state:TX"],
                     "metadata": {"transactionId": "tx-probe"}, "body": {"claimId": "probe", "status": "DENIED"}}
                    """);
            if (!copies.poll(Duration.ofSeconds(1)).isEmpty()) {
                return;
            }
        }
        throw new AssertionError("no probe copy reached " + TOPIC + " within " + WAIT);
    }

    /**
     * One batch of 100: event i (i = 100 * batch + k) is of the Denied type when i is odd, else Submitted; synthetic
     * when i % 4 == 3; tagged state:CA instead of state:TX when i % 3 == 2; DENIED when i % 5 < 2, else APPROVED.
     */
    private static List<String> publish(StandaloneProcess platform, String token, int batch) throws Exception {
        StringBuilder events = new StringBuilder();
        for (int k = 0; k < 100; k++) {
            int i = 100 * batch + k;
            events.append(k == 0 ? "" : ",").append("""
                    {"noun": "Claim", "verb": "%s", "object": "Backtested", "tags": ["%s"], "synthetic": %s,
                     "metadata": {"transactionId": "tx-%d"},
                     "body": {"claimId": "C-%d", "status": "%s", "member": {"ssn": "123-45-6789"}}}
                    """.formatted(
                            i % 2 == 1 ? "Denied" : "Submitted",
                            i % 3 == 2 ? "state:CA" : "state:TX",
                            i % 4 == 3,
                            i,
                            i,
                            i % 5 < 2 ? "DENIED" : "APPROVED"));
        }
        HttpResponse<String> r =
                platform.post(platform.intake() + "/v1/events/batch", token, "{\"events\": [" + events + "]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<String> ids = new java.util.ArrayList<>();
        for (JsonNode result : JSON.readTree(r.body()).get("results")) {
            assertThat(result.has("eventId")).as(result.toString()).isTrue();
            ids.add(result.get("eventId").asString());
        }
        return ids;
    }

    /** The event's delivery ledger, once the store has it. */
    private static JsonNode awaitDeliveries(StandaloneProcess platform, String adminToken, String eventId)
            throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            HttpResponse<String> r =
                    platform.send(platform.admin() + "/v1/events/" + eventId + "/deliveries", adminToken);
            if (r.statusCode() == 200) {
                JsonNode answer = JSON.readTree(r.body());
                if (!answer.get("deliveries").isEmpty()) {
                    return answer;
                }
            }
            assertThat(System.nanoTime()).as("the ledger of event " + eventId).isLessThan(deadline);
            Thread.sleep(250);
        }
    }

    /** The event id of the copy at the partition and offset (read_committed). */
    private static String copyAt(KafkaConsumer<byte[], byte[]> consumer, int partition, long offset) {
        TopicPartition tp = new TopicPartition(TOPIC, partition);
        consumer.seek(tp, offset);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r :
                    consumer.poll(Duration.ofMillis(500)).records(tp)) {
                if (r.offset() == offset) {
                    Header id = r.headers().lastHeader("eventing-event-id");
                    return id == null ? null : new String(id.value(), StandardCharsets.UTF_8);
                }
            }
        }
        throw new AssertionError("no record at " + tp + "@" + offset);
    }

    private static KafkaConsumer<byte[], byte[]> consumer(StandaloneProcess platform) {
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        platform.bootstrapServers(),
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> partitions = c.partitionsFor(TOPIC).stream()
                .map(p -> new TopicPartition(TOPIC, p.partition()))
                .toList();
        c.assign(partitions);
        c.seekToBeginning(partitions);
        return c;
    }

    /** Reads the topic to its end (read_committed) and counts the copies of the given events. */
    private static long countCopies(KafkaConsumer<byte[], byte[]> consumer, Set<String> events) {
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
        consumer.seekToBeginning(consumer.assignment());
        long count = 0;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
            assertThat(System.nanoTime())
                    .as("the topic read to its end in time")
                    .isLessThan(deadline);
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                Header id = r.headers().lastHeader("eventing-event-id");
                if (id != null && events.contains(new String(id.value(), StandardCharsets.UTF_8))) {
                    count++;
                }
            }
        }
        return count;
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("not within " + WAIT + ": " + what);
    }
}
