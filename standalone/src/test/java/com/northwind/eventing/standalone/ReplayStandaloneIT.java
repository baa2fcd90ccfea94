package com.northwind.eventing.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.northwind.eventing.common.registry.RestSchemaRegistryClient;
import com.northwind.eventing.common.serde.AvroWireDeserializer;
import com.northwind.eventing.schema.Envelope;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Replays on the jar, the whole way: a subscription created after its events were published gets them by a replay
 * (admin-api's worker, the replay topic, the router's copy for that subscription alone, redacted under its app's
 * grants, counted), once each, and so it does when the platform is killed mid-replay and started again; and so it
 * does from the event store, under each type's store policy, once the firehose no longer holds the range.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplayStandaloneIT {
    private static final Duration WAIT = Duration.ofMinutes(4);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SSN = "123-45-6789";
    private static final String EMAIL = "member@example.org";
    private static final String FIREHOSE = "eventing.firehose";
    private static final int IN_RANGE = 1_000;
    private static final int AFTER_RANGE = 100;

    @TempDir
    static Path dataDir;

    private static StandaloneProcess platform;
    private static String adminToken;
    private static String producerToken;
    private static AvroWireDeserializer<Envelope> envelopes;
    private static Instant from;
    private static Instant to;
    private static Set<String> inRange;

    @BeforeAll
    static void publishBeforeAnyLateSubscription() throws Exception {
        platform = new StandaloneProcess(dataDir);
        platform.start();
        adminToken = platform.adminToken();
        envelopes = new AvroWireDeserializer<>(
                new RestSchemaRegistryClient(platform.admin()), Envelope.getClassSchema(), true);
        created(platform.post(platform.admin() + "/v1/event-types", adminToken, """
                {"noun": "Claim", "verb": "Submitted", "object": "Replayed", "owner": "claims",
                 "schema": {"type": "object", "required": ["claimId"],
                            "properties": {"claimId": {"type": "string"},
                                           "member": {"type": "object",
                                                      "properties": {"ssn": {"type": "string"}}}}},
                 "sensitiveFields": [{"path": "/member/ssn", "classification": "PHI"}]}
                """));
        producerToken = JSON.readTree(created(platform.post(platform.admin() + "/v1/apps", adminToken, """
                        {"id": "replay-portal", "team": "claims", "publish": ["Claim.*.*"],
                         "rateLimit": {"eventsPerSecond": 100000, "burst": 100000}}
                        """)))
                .get("token")
                .asString();
        created(platform.post(platform.admin() + "/v1/apps", adminToken, """
                {"id": "replay-reader", "team": "bi", "read": []}"""));
        created(platform.post(platform.admin() + "/v1/subscriptions", adminToken, """
                {"id": "live-claims", "app": "replay-reader", "eventTypes": ["Claim.*.*"]}"""));

        from = Instant.now().minusSeconds(5);
        inRange = new HashSet<>();
        for (int batch = 0; batch < IN_RANGE / 50; batch++) {
            inRange.addAll(publish(producerToken, "Replayed", "in", batch));
        }
        Thread.sleep(1000);
        to = Instant.now();
        Thread.sleep(1000);
        // Events after the range in every firehose partition end the replay's read of it at once, without its
        // waiting a minute past `to` for late records.
        Set<String> after = new HashSet<>();
        for (int batch = 0; batch < AFTER_RANGE / 50; batch++) {
            after.addAll(publish(producerToken, "Replayed", "after", batch));
        }
        assertThat(inRange).hasSize(IN_RANGE);
        assertThat(after).hasSize(AFTER_RANGE);
        try (MongoClient client = MongoClients.create(platform.store())) {
            awaitTrue(
                    "every event stored",
                    () -> client.getDatabase("eventing").getCollection("events").countDocuments()
                            == IN_RANGE + AFTER_RANGE);
        }
        awaitTrue(
                "the live subscription has every event",
                () -> copies("live-claims").size() == IN_RANGE + AFTER_RANGE);
    }

    @AfterAll
    static void stopPlatform() throws Exception {
        if (envelopes != null) {
            envelopes.close();
        }
        if (platform != null) {
            platform.shutDown();
        }
    }

    @Test
    void shouldGiveALateSubscriptionEveryEventOfTheRangeOnceRedactedWhenReplayed() throws Exception {
        // given a subscription created after the events were published, its app not cleared for PHI
        created(platform.post(platform.admin() + "/v1/subscriptions", adminToken, """
                {"id": "late-claims", "app": "replay-reader", "eventTypes": ["Claim.*.*"]}"""));
        int liveBefore = copies("live-claims").size();

        // when
        String id = replay("late-claims", 5000);
        awaitTrue("the replay is done", () -> state(id).equals("DONE"));

        // then
        List<Copy> late = copies("late-claims");
        assertThat(late).extracting(Copy::eventId).doesNotHaveDuplicates();
        assertThat(late.stream().map(Copy::eventId).collect(Collectors.toSet())).isEqualTo(inRange);
        for (Copy c : late) {
            assertThat(c.replay()).isEqualTo(id);
            assertThat(c.event().getBody()).doesNotContain(SSN);
            assertThat(c.body("/member/ssn")).isEqualTo("***REDACTED***");
            assertThat(c.event().getRedactedPaths()).containsExactly("/member/ssn");
        }
        assertThat(copies("live-claims")).hasSize(liveBefore);
        assertCounts(id, 1000, 1000, 0);
    }

    @Test
    void shouldFinishWithEveryEventOnceAndTheCountsRightWhenKilledMidReplay() throws Exception {
        // given a replay of the range at 100 events a second, under way
        created(platform.post(platform.admin() + "/v1/subscriptions", adminToken, """
                {"id": "late-killed", "app": "replay-reader", "eventTypes": ["Claim.*.*"]}"""));
        int liveBefore = copies("live-claims").size();
        String id = replay("late-killed", 100);
        awaitTrue("the replay is under way", () -> read(id) >= 200);

        // when
        platform.kill();
        platform.start();
        awaitTrue("the replay is done", () -> state(id).equals("DONE"));

        // then
        List<Copy> late = copies("late-killed");
        assertThat(late).extracting(Copy::eventId).doesNotHaveDuplicates();
        assertThat(late.stream().map(Copy::eventId).collect(Collectors.toSet())).isEqualTo(inRange);
        assertThat(late).allSatisfy(c -> assertThat(c.replay()).isEqualTo(id));
        assertThat(copies("live-claims")).hasSize(liveBefore);
        assertCounts(id, 1000, 1000, 0);
    }

    // Last: it deletes the firehose's records, which the replays above read.
    @Test
    @Order(Integer.MAX_VALUE)
    void shouldGiveALateSubscriptionEveryEventOnceAsStoredWhenTheFirehoseNoLongerHoldsThem() throws Exception {
        // given 150 events of a type stored REDACT and 150 of one stored KEEP, stored, then gone from the firehose
        registerStoredType("Masked", "REDACT");
        registerStoredType("Kept", "KEEP");
        created(platform.post(platform.admin() + "/v1/apps", adminToken, """
                {"id": "replay-auditor", "team": "audit", "read": ["PII"]}"""));
        Instant storedFrom = Instant.now();
        Set<String> masked = new HashSet<>();
        Set<String> kept = new HashSet<>();
        for (int batch = 0; batch < 3; batch++) {
            masked.addAll(publish(producerToken, "Masked", "masked", batch));
            kept.addAll(publish(producerToken, "Kept", "kept", batch));
        }
        Thread.sleep(1000);
        Instant storedTo = Instant.now();
        Thread.sleep(1000);
        awaitTrue(
                "the store has every event of the range",
                () -> storedByType(storedFrom, storedTo)
                        .equals(Map.of("Claim.Submitted.Kept", 150L, "Claim.Submitted.Masked", 150L)));
        int liveBefore = copies("live-claims").size();
        deleteFirehoseRecords();
        // As in the range above: events after it in every partition end the firehose part at once.
        for (int batch = 0; batch < 2; batch++) {
            publish(producerToken, "Replayed", "after-store", batch);
        }
        awaitTrue(
                "the live subscription has every event",
                () -> copies("live-claims").size() == liveBefore + 100);
        created(platform.post(platform.admin() + "/v1/subscriptions", adminToken, """
                {"id": "store-late", "app": "replay-auditor",
                 "eventTypes": ["Claim.Submitted.Masked", "Claim.Submitted.Kept"]}"""));

        // when, at 1,000 a second: batches of 100, so three store pages, each going on after the one before
        String id = replay("store-late", storedFrom, storedTo, 1000);
        awaitTrue("the replay is done", () -> state(id).equals("DONE"));

        // then
        List<Copy> late = copies("store-late");
        assertThat(late).extracting(Copy::eventId).doesNotHaveDuplicates();
        assertThat(late).hasSize(300).allSatisfy(c -> assertThat(c.replay()).isEqualTo(id));
        assertThat(late.stream().map(Copy::eventId).collect(Collectors.toSet()))
                .containsAll(masked)
                .containsAll(kept);
        for (Copy c : late) {
            assertThat(c.event().getBody()).doesNotContain(SSN);
            assertThat(c.body("/member/ssn")).isEqualTo("***REDACTED***");
            if (masked.contains(c.eventId())) {
                // The store masked every sensitive field; the app's PII grant cannot bring back what is not there.
                assertThat(c.body("/claimId")).startsWith("C-masked-");
                assertThat(c.body("/member/email")).isEqualTo("***REDACTED***");
                assertThat(c.event().getRedactedPaths()).containsExactly("/member/ssn", "/member/email");
            } else {
                assertThat(c.body("/claimId")).startsWith("C-kept-");
                assertThat(c.body("/member/email")).isEqualTo(EMAIL);
                assertThat(c.event().getRedactedPaths()).containsExactly("/member/ssn");
            }
        }
        assertThat(copies("live-claims")).hasSize(liveBefore + 100);
        assertCounts(id, 300, 300, 0);
    }

    /** A type Claim.Submitted.{object} with an SSN (PHI) and an e-mail address (PII), stored under the policy. */
    private static void registerStoredType(String object, String storePolicy) throws Exception {
        created(platform.post(platform.admin() + "/v1/event-types", adminToken, """
                {"noun": "Claim", "verb": "Submitted", "object": "%s", "owner": "claims", "storePolicy": "%s",
                 "schema": {"type": "object", "required": ["claimId"],
                            "properties": {"claimId": {"type": "string"},
                                           "member": {"type": "object",
                                                      "properties": {"ssn": {"type": "string"},
                                                                     "email": {"type": "string"}}}}},
                 "sensitiveFields": [{"path": "/member/ssn", "classification": "PHI"},
                                     {"path": "/member/email", "classification": "PII"}]}
                """.formatted(object, storePolicy)));
    }

    /** The stored events received in [from, to), by type, as admin-api's stats API counts them. */
    private static Map<String, Long> storedByType(Instant from, Instant to) {
        Map<String, Long> byType = new TreeMap<>();
        try {
            JsonNode stats = JSON.readTree(platform.get(
                    platform.admin() + "/v1/stats?interval=minute&groupBy=eventType&from=" + from + "&to=" + to,
                    adminToken));
            for (JsonNode bucket : stats.get("buckets")) {
                bucket.get("counts")
                        .properties()
                        .forEach(e -> byType.merge(e.getKey(), e.getValue().asLong(), Long::sum));
            }
        } catch (Exception notServing) {
            return Map.of();
        }
        return byType;
    }

    /** Deletes every record of the firehose, as retention would: each partition's log now starts at its end. */
    private static void deleteFirehoseRecords() throws Exception {
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers()))) {
            List<TopicPartition> tps =
                    admin.describeTopics(List.of(FIREHOSE)).allTopicNames().get().get(FIREHOSE).partitions().stream()
                            .map(p -> new TopicPartition(FIREHOSE, p.partition()))
                            .toList();
            Map<TopicPartition, Long> end = offsets(admin, tps, OffsetSpec.latest());
            admin.deleteRecords(end.entrySet().stream()
                            .collect(Collectors.toMap(
                                    Map.Entry::getKey, e -> RecordsToDelete.beforeOffset(e.getValue()))))
                    .all()
                    .get();
            assertThat(offsets(admin, tps, OffsetSpec.earliest())).isEqualTo(end);
        }
    }

    private static Map<TopicPartition, Long> offsets(Admin admin, List<TopicPartition> tps, OffsetSpec spec)
            throws Exception {
        Map<TopicPartition, Long> out = new HashMap<>();
        admin.listOffsets(tps.stream().collect(Collectors.toMap(tp -> tp, tp -> spec)))
                .all()
                .get()
                .forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    private static void assertCounts(String id, long read, long delivered, long skipped) throws Exception {
        JsonNode status = JSON.readTree(platform.get(platform.admin() + "/v1/replays/" + id, adminToken));
        assertThat(status.path("read").asLong()).isEqualTo(read);
        assertThat(status.path("delivered").asLong()).isEqualTo(delivered);
        assertThat(status.path("skipped").asLong()).isEqualTo(skipped);
    }

    /** One copy on a subscription topic, read_committed: its event id, its replay id if replayed, the copy. */
    record Copy(String eventId, String replay, Envelope event) {
        /** The text at the pointer in the copy's body; null where the body has no text there. */
        String body(String pointer) {
            JsonNode at = JSON.readTree(event.getBody()).at(pointer);
            return at.isString() ? at.asString() : null;
        }
    }

    private static List<Copy> copies(String subscription) {
        List<Copy> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : platform.readCommitted("eventing.sub." + subscription)) {
            out.add(new Copy(
                    header(r, "eventing-event-id"),
                    header(r, "eventing-replay"),
                    envelopes.deserialize(r.topic(), r.value())));
        }
        return out;
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static String replay(String subscription, int ratePerSecond) throws Exception {
        return replay(subscription, from, to, ratePerSecond);
    }

    private static String replay(String subscription, Instant from, Instant to, int ratePerSecond) throws Exception {
        HttpResponse<String> r = platform.post(
                platform.admin() + "/v1/replays", adminToken, """
                {"subscription": "%s", "from": "%s", "to": "%s", "ratePerSecond": %d}""".formatted(subscription, from, to, ratePerSecond));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return JSON.readTree(r.body()).get("id").asString();
    }

    private static JsonNode status(String id) {
        try {
            return JSON.readTree(platform.get(platform.admin() + "/v1/replays/" + id, adminToken));
        } catch (Exception notServing) {
            return JSON.createObjectNode();
        }
    }

    private static String state(String id) {
        return status(id).path("state").asString("");
    }

    private static long read(String id) {
        return status(id).path("read").asLong();
    }

    /**
     * One batch of 50 events of type Claim.Submitted.{object} through the intake's REST API; answers the acknowledged
     * event ids.
     */
    private static List<String> publish(String token, String object, String part, int batch) throws Exception {
        StringBuilder events = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            events.append(i == 0 ? "" : ",").append("""
                            {"noun": "Claim", "verb": "Submitted", "object": "%s",
                             "metadata": {"transactionId": "tx-%s-%d-%d"},
                             "body": {"claimId": "C-%s-%d-%d", "member": {"ssn": "%s", "email": "%s"}}}
                            """.formatted(object, part, batch, i, part, batch, i, SSN, EMAIL));
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            HttpResponse<String> r =
                    platform.post(platform.intake() + "/v1/events/batch", token, "{\"events\": [" + events + "]}");
            // The intake takes the new app's events, and a new type's, once it has read the registry; until then it
            // refuses the request, or every event of it.
            if (r.statusCode() == 200) {
                List<String> ids = new ArrayList<>();
                for (JsonNode result : JSON.readTree(r.body()).get("results")) {
                    if (result.has("eventId")) {
                        ids.add(result.get("eventId").asString());
                    }
                }
                if (!ids.isEmpty()) {
                    assertThat(ids).as(r.body()).hasSize(50);
                    return ids;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the intake refused a batch: " + r.statusCode() + " " + r.body());
            }
            Thread.sleep(250);
        }
    }

    private static String created(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return r.body();
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        StandaloneProcess.awaitTrue(what, WAIT, condition);
    }
}
