package com.northwind.eventing.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.common.registry.RestSchemaRegistryClient;
import com.northwind.eventing.common.serde.AvroWireDeserializer;
import com.northwind.eventing.schema.Envelope;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
 * Aggregation rules on the jar, through the public APIs only: rules and types registered with the admin API, inputs
 * published through the intake with an app's token, and the aggregator's outputs read from an app's subscription
 * topic read_committed, as the router routed and redacted them, and in the delivery ledger.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneAggregationIT {
    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SSN = "123-45-6789";
    private static final String SUBMITTED = "Claim.Submitted.Aggregated";
    private static final String COMPLETED = "Claim.Completed.Aggregated";
    private static final String ABSENCE_DEADLINE = "PT5S";
    private static final Duration SLA_WINDOW = Duration.ofSeconds(5);
    /** The aggregator closes an sla window this long after its end (docs/aggregations.md). */
    private static final Duration SLA_GRACE = Duration.ofSeconds(10);

    @TempDir
    static Path dataDir;

    private static StandaloneProcess platform;
    private static String adminToken;
    private static String producerToken;
    private static AvroWireDeserializer<Envelope> envelopes;

    @BeforeAll
    static void registerTypesRulesAndSubscriptions() throws Exception {
        platform = new StandaloneProcess(dataDir);
        platform.start();
        adminToken = platform.adminToken();
        envelopes = new AvroWireDeserializer<>(
                new RestSchemaRegistryClient(platform.admin()), Envelope.getClassSchema(), true);

        // combine: Submitted (with a PHI SSN), Priced and Approved make Completed, which declares where the SSN lands
        type("""
                {"noun": "Claim", "verb": "Submitted", "object": "Aggregated", "owner": "claims",
                 "schema": {"type": "object", "required": ["claimId"],
                            "properties": {"claimId": {"type": "string"},
                                           "member": {"type": "object", "properties": {"ssn": {"type": "string"}}}}},
                 "sensitiveFields": [{"path": "/member/ssn", "classification": "PHI"}],
                 "example": {"claimId": "C-1", "member": {"ssn": "000-00-0000"}}}
                """);
        type("""
                {"noun": "Claim", "verb": "Priced", "object": "Aggregated", "owner": "claims",
                 "schema": {"type": "object", "required": ["claimId", "amount"],
                            "properties": {"claimId": {"type": "string"}, "amount": {"type": "number"}}},
                 "example": {"claimId": "C-1", "amount": 10}}
                """);
        type("""
                {"noun": "Claim", "verb": "Approved", "object": "Aggregated", "owner": "claims",
                 "schema": {"type": "object", "required": ["claimId"], "properties": {"claimId": {"type": "string"}}},
                 "example": {"claimId": "C-1"}}
                """);
        type("""
                {"noun": "Claim", "verb": "Completed", "object": "Aggregated", "owner": "claims",
                 "schema": {"type": "object", "required": ["key", "events"],
                            "properties": {"key": {"type": "string"}, "events": {"type": "object"}}},
                 "sensitiveFields": [{"path": "/events/Claim.Submitted.Aggregated/member/ssn",
                                      "classification": "PHI"}]}
                """);
        // absence: a Requested reconsideration not Acknowledged within the deadline is Overdue
        type("""
                {"noun": "Reconsideration", "verb": "Requested", "object": "Aggregated", "owner": "claims",
                 "schema": {"type": "object", "required": ["requestId"],
                            "properties": {"requestId": {"type": "string"}}},
                 "example": {"requestId": "R-1"}}
                """);
        type("""
                {"noun": "Reconsideration", "verb": "Acknowledged", "object": "Aggregated", "owner": "claims",
                 "schema": {"type": "object", "required": ["requestId"],
                            "properties": {"requestId": {"type": "string"}}},
                 "example": {"requestId": "R-1"}}
                """);
        type("""
                {"noun": "Reconsideration", "verb": "Overdue", "object": "Aggregated", "owner": "claims",
                 "schema": {"type": "object", "required": ["key", "deadline", "start"]}}
                """);
        // sla: Filed claims counted per state: tag and window
        type("""
                {"noun": "Claim", "verb": "Filed", "object": "Aggregated", "owner": "claims",
                 "schema": {"type": "object", "required": ["claimId"], "properties": {"claimId": {"type": "string"}}}}
                """);
        type("""
                {"noun": "Claim", "verb": "Counted", "object": "Aggregated", "owner": "claims",
                 "schema": {"type": "object", "required": ["windowStart", "windowEnd", "count"],
                            "properties": {"count": {"type": "integer"}}}}
                """);

        producerToken = JSON.readTree(created(platform.post(platform.admin() + "/v1/apps", adminToken, """
                        {"id": "agg-producer", "team": "claims", "publish": ["Claim.*.*", "Reconsideration.*.*"]}
                        """)))
                .get("token")
                .asString();
        // Not cleared for PHI: it reads the outputs as a consumer does, redacted.
        created(platform.post(platform.admin() + "/v1/apps", adminToken, """
                {"id": "agg-reader", "team": "bi", "read": []}"""));
        subscribe("agg-completed", COMPLETED);
        subscribe("agg-overdue", "Reconsideration.Overdue.Aggregated");
        subscribe("agg-counted", "Claim.Counted.Aggregated");

        rule("""
                {"id": "claim-complete", "kind": "combine", "window": "PT1H", "output": "Claim.Completed.Aggregated",
                 "inputs": [{"eventType": "Claim.Submitted.Aggregated", "key": "/claimId"},
                            {"eventType": "Claim.Priced.Aggregated", "key": "/claimId"},
                            {"eventType": "Claim.Approved.Aggregated", "key": "/claimId"}]}
                """);
        rule("""
                {"id": "reconsideration-overdue", "kind": "absence", "deadline": "%s",
                 "start": {"eventType": "Reconsideration.Requested.Aggregated", "key": "/requestId"},
                 "expected": {"eventType": "Reconsideration.Acknowledged.Aggregated", "key": "/requestId"},
                 "output": "Reconsideration.Overdue.Aggregated"}
                """.formatted(ABSENCE_DEADLINE));
        rule("""
                {"id": "filed-by-state", "kind": "sla", "eventType": "Claim.Filed.Aggregated", "tagPrefix": "state:",
                 "window": "%s", "output": "Claim.Counted.Aggregated"}
                """.formatted(SLA_WINDOW));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (platform != null) {
            platform.shutDown();
        }
    }

    @Test
    @Order(1)
    void shouldEmitOneRedactedCompletionForTheClaimWithAllThreeInputsWhenAnotherHasTwo() throws Exception {
        // given claim A with all three inputs, claim B with two
        publish(SUBMITTED, "C-B", "tx-B-submitted", "[]", """
                {"claimId": "C-B", "member": {"ssn": "%s"}}""".formatted(SSN));
        publish("Claim.Priced.Aggregated", "C-B", "tx-B-priced", "[]", """
                {"claimId": "C-B", "amount": 20}""");

        // when
        publish(SUBMITTED, "C-A", "tx-A-submitted", "[\"state:TX\"]", """
                {"claimId": "C-A", "member": {"ssn": "%s"}}""".formatted(SSN));
        publish("Claim.Priced.Aggregated", "C-A", "tx-A-priced", "[\"channel:web\"]", """
                {"claimId": "C-A", "amount": 125.5}""");
        publish("Claim.Approved.Aggregated", "C-A", "tx-A-approved", "[\"state:TX\", \"priority:high\"]", """
                {"claimId": "C-A"}""");

        // then
        awaitTrue("a completion for claim A", () -> !copies("agg-completed").isEmpty());
        // What would follow A's output has had the time to follow it.
        Thread.sleep(3000);
        List<Copy> completed = copies("agg-completed");
        assertThat(completed).hasSize(1);
        Envelope a = completed.get(0).event();
        assertThat(completed.get(0).key()).isEqualTo("C-A");
        assertThat(a.getEventType()).isEqualTo(COMPLETED);
        assertThat(body(a, "/key").asString()).isEqualTo("C-A");
        assertThat(a.getBody()).doesNotContain(SSN);
        assertThat(body(a, "/events/Claim.Submitted.Aggregated/member/ssn").asString())
                .isEqualTo("***REDACTED***");
        assertThat(a.getRedactedPaths()).containsExactly("/events/Claim.Submitted.Aggregated/member/ssn");
        assertThat(body(a, "/events/Claim.Priced.Aggregated/amount").asDouble()).isEqualTo(125.5);
        assertThat(body(a, "/events/Claim.Approved.Aggregated/claimId").asString())
                .isEqualTo("C-A");
        assertThat(a.getMetadata().getProducerApp()).isEqualTo("eventing-aggregator");
        assertThat(a.getTags()).containsExactly("channel:web", "priority:high", "state:TX");
        assertThat(a.getMetadata().getTransactionId()).isEqualTo("tx-A-submitted");
    }

    @Test
    @Order(2)
    void shouldShowTheCompletionDeliveredInTheLedgerWhenItsDeliveriesAreAsked() throws Exception {
        // given
        awaitTrue("a completion for claim A", () -> !copies("agg-completed").isEmpty());
        String eventId = copies("agg-completed").get(0).event().getEventId();

        // when
        awaitTrue(
                "the completion's delivery is in the ledger",
                () -> deliveries(eventId).path("deliveries").size() > 0);

        // then
        JsonNode deliveries = deliveries(eventId);
        assertThat(deliveries.path("eventType").asString()).isEqualTo(COMPLETED);
        assertThat(deliveries.path("deliveries")).hasSize(1);
        JsonNode delivery = deliveries.path("deliveries").get(0);
        assertThat(delivery.path("subscription").asString()).isEqualTo("agg-completed");
        assertThat(delivery.path("app").asString()).isEqualTo("agg-reader");
        assertThat(delivery.path("outcome").asString()).isEqualTo("DELIVERED");
        assertThat(delivery.path("topic").asString()).isEqualTo("eventing.sub.agg-completed");
    }

    @Test
    @Order(3)
    void shouldReportOnlyTheRequestNotAcknowledgedWhenItsDeadlinePasses() throws Exception {
        // given K1 acknowledged within the deadline
        publish("Reconsideration.Requested.Aggregated", "K1", "tx-K1", "[]", """
                {"requestId": "K1"}""");
        publish("Reconsideration.Acknowledged.Aggregated", "K1", "tx-K1-ack", "[]", """
                {"requestId": "K1"}""");

        // when K2 is not
        Instant before = Instant.now();
        publish("Reconsideration.Requested.Aggregated", "K2", "tx-K2", "[\"state:CA\"]", """
                {"requestId": "K2"}""");
        Instant after = Instant.now();

        // then
        awaitTrue("an overdue reconsideration", () -> !copies("agg-overdue").isEmpty());
        // K1's deadline was before K2's: its output, were there one, would have come by now; give it some more.
        Thread.sleep(3000);
        List<Copy> overdue = copies("agg-overdue");
        assertThat(overdue).hasSize(1);
        Envelope k2 = overdue.get(0).event();
        assertThat(body(k2, "/key").asString()).isEqualTo("K2");
        assertThat(body(k2, "/start/requestId").asString()).isEqualTo("K2");
        assertThat(k2.getMetadata().getTransactionId()).isEqualTo("tx-K2");
        assertThat(k2.getTags()).containsExactly("state:CA");
        // The deadline is the start's receipt plus 5 s; the output comes after it, within the timers' second and a
        // commit (and a loaded machine's slack).
        Instant deadline = Instant.parse(body(k2, "/deadline").asString());
        assertThat(deadline).isBetween(before.plusSeconds(5), after.plusSeconds(5));
        Instant emitted = k2.getMetadata().getReceivedAt();
        assertThat(emitted).isAfterOrEqualTo(deadline).isBefore(deadline.plusSeconds(10));
    }

    @Test
    @Order(4)
    void shouldCountEachStateTagOnceOverItsWindowsWhenTheyClose() throws Exception {
        // given 3 claims filed in Texas, 2 in California, 1 with no state: tag
        for (int i = 0; i < 3; i++) {
            publish(
                    "Claim.Filed.Aggregated",
                    "F-TX-" + i,
                    "tx-F-TX-" + i,
                    "[\"state:TX\", \"channel:web\"]",
                    """
                    {"claimId": "F-TX-%d"}""".formatted(i));
        }
        for (int i = 0; i < 2; i++) {
            publish("Claim.Filed.Aggregated", "F-CA-" + i, "tx-F-CA-" + i, "[\"state:CA\"]", """
                    {"claimId": "F-CA-%d"}""".formatted(i));
        }
        publish("Claim.Filed.Aggregated", "F-NONE", "tx-F-NONE", "[\"channel:web\"]", """
                {"claimId": "F-NONE"}""");
        Instant lastPublished = Instant.now();

        // when every window that holds them has closed, and a little more
        awaitTrue(
                "the windows' counts",
                () -> countsByTag().getOrDefault("state:TX", 0L) >= 3
                        && countsByTag().getOrDefault("state:CA", 0L) >= 2);
        long wait = Duration.between(
                        Instant.now(), lastPublished.plus(SLA_WINDOW).plus(SLA_GRACE))
                .plusSeconds(3)
                .toMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }

        // then, over however many windows the events fell into
        assertThat(countsByTag()).isEqualTo(Map.of("state:TX", 3L, "state:CA", 2L));
        for (Copy c : copies("agg-counted")) {
            Envelope e = c.event();
            assertThat(e.getMetadata().getProducerApp()).isEqualTo("eventing-aggregator");
            assertThat(e.getTags()).containsExactly(body(e, "/tag").asString());
            assertThat(Duration.between(
                            Instant.parse(body(e, "/windowStart").asString()),
                            Instant.parse(body(e, "/windowEnd").asString())))
                    .isEqualTo(SLA_WINDOW);
        }
    }

    // Last: it deletes the combine rule the tests above use.
    @Test
    @Order(Integer.MAX_VALUE)
    void shouldEmitNothingMoreWhenTheRuleIsDeleted() throws Exception {
        // given
        awaitTrue("a completion for claim A", () -> !copies("agg-completed").isEmpty());
        HttpResponse<String> deleted =
                platform.delete(platform.admin() + "/v1/aggregations/claim-complete", adminToken);
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
        // The aggregator follows the rules' topic as a global table: the tombstone reaches it moments after the 204.
        Thread.sleep(2000);

        // when claim C gets all three inputs
        publish(SUBMITTED, "C-C", "tx-C-submitted", "[]", """
                {"claimId": "C-C", "member": {"ssn": "%s"}}""".formatted(SSN));
        publish("Claim.Priced.Aggregated", "C-C", "tx-C-priced", "[]", """
                {"claimId": "C-C", "amount": 30}""");
        publish("Claim.Approved.Aggregated", "C-C", "tx-C-approved", "[]", """
                {"claimId": "C-C"}""");

        // then
        Thread.sleep(10_000);
        assertThat(copies("agg-completed")).extracting(Copy::key).containsExactly("C-A");
    }

    /** The counts of the sla outputs read so far, summed per tag over their windows. */
    private static Map<String, Long> countsByTag() {
        Map<String, Long> counts = new TreeMap<>();
        for (Copy c : copies("agg-counted")) {
            JsonNode tag = body(c.event(), "/tag");
            counts.merge(
                    tag.isNull() ? "null" : tag.asString(),
                    body(c.event(), "/count").asLong(),
                    Long::sum);
        }
        return counts;
    }

    private static JsonNode deliveries(String eventId) {
        try {
            HttpResponse<String> r =
                    platform.send(platform.admin() + "/v1/events/" + eventId + "/deliveries", adminToken);
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : JSON.createObjectNode();
        } catch (Exception notServing) {
            return JSON.createObjectNode();
        }
    }

    private static JsonNode body(Envelope e, String pointer) {
        return JSON.readTree(e.getBody()).at(pointer);
    }

    /** One copy on a subscription topic, read_committed: its record key and its envelope. */
    record Copy(String key, Envelope event) {}

    private static List<Copy> copies(String subscription) {
        List<Copy> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : platform.readCommitted("eventing.sub." + subscription)) {
            out.add(new Copy(
                    r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8),
                    envelopes.deserialize(r.topic(), r.value())));
        }
        return out;
    }

    /** Publishes one event with the producer's token; retries while the intake has not read the app or type yet. */
    private static void publish(String type, String key, String transactionId, String tags, String body)
            throws Exception {
        String[] nvo = type.split("\\.");
        String event = """
                {"noun": "%s", "verb": "%s", "object": "%s", "key": "%s",
                 "metadata": {"transactionId": "%s"}, "tags": %s, "body": %s}
                """.formatted(nvo[0], nvo[1], nvo[2], key, transactionId, tags, body);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            HttpResponse<String> r = platform.post(platform.intake() + "/v1/events", producerToken, event);
            if (r.statusCode() == 202) {
                return;
            }
            // 401, 403 and 422 (unknown type) until the intake has read the new app and types.
            assertThat(r.statusCode()).as(r.body()).isIn(401, 403, 422);
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the intake refused " + type + ": " + r.statusCode() + " " + r.body());
            }
            Thread.sleep(250);
        }
    }

    private static void type(String json) throws Exception {
        created(platform.post(platform.admin() + "/v1/event-types", adminToken, json));
    }

    private static void subscribe(String id, String type) throws Exception {
        created(platform.post(platform.admin() + "/v1/subscriptions", adminToken, """
                {"id": "%s", "app": "agg-reader", "eventTypes": ["%s"]}""".formatted(id, type)));
    }

    private static void rule(String json) throws Exception {
        created(platform.post(platform.admin() + "/v1/aggregations", adminToken, json));
    }

    private static String created(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return r.body();
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        StandaloneProcess.awaitTrue(what, WAIT, condition);
    }
}
