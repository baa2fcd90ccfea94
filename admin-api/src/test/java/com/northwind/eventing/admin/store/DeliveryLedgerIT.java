package com.northwind.eventing.admin.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoCollection;
import com.northwind.eventing.admin.AdminApiServer;
import com.northwind.eventing.admin.config.KafkaClients;
import com.northwind.eventing.common.testing.KafkaBroker;
import com.northwind.eventing.common.testing.KafkaClusterExtension;
import com.northwind.eventing.web.openapi.OpenApiDocument;
import com.northwind.eventing.web.testing.OpenApiSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * The delivery ledger's API on admin-api: ledger documents in a MongoDB wire-protocol server in memory, as the sink
 * writes them, and copies written to a real subscription topic on the test broker, where the offset lookup finds them.
 */
@ExtendWith(KafkaClusterExtension.class)
class DeliveryLedgerIT {
    private static final String TOPIC = "eventing.sub.ledger-billing";

    private static InMemoryMongo mongo;
    private static AdminApiServer admin;
    private static Instant now;

    @BeforeAll
    static void start(KafkaBroker kafka) throws Exception {
        mongo = new InMemoryMongo();
        now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        kafka.admin()
                .createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1)))
                .all()
                .get(30, TimeUnit.SECONDS);
        admin = new AdminApiServer(kafka, "--eventing.store.uri=" + mongo.uri()).start();
        // The in-memory server fails an insert that races with an index being added to its collection, and admin-api
        // adds its indexes in the background after start.
        Store store = admin.context().getBean(Store.class);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!store.indexed() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    @AfterAll
    static void stop(KafkaBroker kafka) throws Exception {
        admin.close();
        mongo.close();
        kafka.admin().deleteTopics(List.of(TOPIC)).all().get(30, TimeUnit.SECONDS);
    }

    @Test
    void shouldAnswerEachDeliveryWithTheCopysOffsetWhenTheCopyIsInItsTopic(KafkaBroker kafka) throws Exception {
        // given other records before and after the copy in its partition: another event's copy, and a copy of the
        // same event for another subscription
        long offset;
        try (KafkaProducer<String, String> producer = producer(kafka)) {
            for (int i = 0; i < 40; i++) {
                producer.send(copy(2, "ev-other-" + i, "billing-claims")).get();
            }
            producer.send(copy(2, "ev-found", "other-sub")).get();
            offset = producer.send(copy(2, "ev-found", "billing-claims")).get().offset();
            for (int i = 0; i < 10; i++) {
                producer.send(copy(2, "ev-later-" + i, "billing-claims")).get();
            }
        }
        deliveries().insertOne(ledger("ev-found", now, "billing-claims", 2));

        // when
        AdminApiServer.Response r = admin.get("/v1/events/ev-found/deliveries");

        // then
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode body = r.json();
        assertThat(body.get("eventId").asString()).isEqualTo("ev-found");
        assertThat(body.get("eventType").asString()).isEqualTo("Claim.Submitted.Reconsideration");
        assertThat(body.get("receivedAt").asString()).isEqualTo(now.toString());
        JsonNode delivered = body.get("deliveries").get(0);
        assertThat(delivered.toString())
                .isEqualTo("{\"subscription\":\"billing-claims\",\"app\":\"billing\",\"outcome\":\"DELIVERED\","
                        + "\"topic\":\"eventing.sub.ledger-billing\",\"partition\":2,\"offset\":" + offset
                        + ",\"redactedPaths\":[\"/member/ssn\"]}");
        assertThat(offset).isEqualTo(41);
        assertThat(body.get("deliveries").get(1).toString())
                .isEqualTo("{\"subscription\":\"tx-only\",\"app\":\"analytics\",\"outcome\":\"FILTERED\","
                        + "\"reason\":\"tags\"}");
        assertThat(body.get("deliveries").get(2).toString())
                .isEqualTo("{\"subscription\":\"orphan\",\"app\":\"gone\",\"outcome\":\"DEAD_LETTERED\","
                        + "\"reason\":\"app-not-registered\","
                        + "\"detail\":\"app gone of subscription orphan is not registered\"}");
    }

    @Test
    void shouldLeaveTheOffsetOutWhenTheCopyIsNotInItsPartition() {
        // given a ledger entry for partition 1, where no copy of the event is
        deliveries().insertOne(ledger("ev-missing", now, "billing-claims", 1));

        // when
        AdminApiServer.Response r = admin.get("/v1/events/ev-missing/deliveries");

        // then
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode delivered = r.json().get("deliveries").get(0);
        assertThat(delivered.get("partition").asInt()).isEqualTo(1);
        assertThat(delivered.has("offset")).isFalse();
    }

    @Test
    void shouldNotFindTheCopyWhenItIsFurtherThanTheScanReaches(KafkaBroker kafka) throws Exception {
        // given a copy behind 30 other records of its partition, and a lookup that reads 20 at most
        long offset;
        long start;
        try (KafkaProducer<String, String> producer = producer(kafka)) {
            start = producer.send(copy(0, "ev-far-first", "billing-claims"))
                    .get()
                    .offset();
            for (int i = 0; i < 29; i++) {
                producer.send(copy(0, "ev-far-" + i, "billing-claims")).get();
            }
            offset = producer.send(copy(0, "ev-far", "billing-claims")).get().offset();
        }
        KafkaClients clients = admin.context().getBean(KafkaClients.class);
        CopyOffsets narrow = new CopyOffsets(clients, properties(20));
        CopyOffsets wide = new CopyOffsets(clients, properties(40));
        CopyOffsets.Copy copy = new CopyOffsets.Copy(TOPIC, 0, "ev-far", "billing-claims", 0L);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();

        // when
        OptionalLong notReached = narrow.find(copy, deadline);
        OptionalLong reached = wide.find(copy, deadline);

        // then
        narrow.destroy();
        wide.destroy();
        assertThat(offset - start).isEqualTo(30);
        assertThat(notReached).isEmpty();
        assertThat(reached).hasValue(offset);
    }

    @Test
    void shouldAnswerNoDeliveriesWhenTheEventIsStoredWithoutALedgerDocument() {
        // given
        mongo.events()
                .insertOne(new Document("_id", "ev-unmatched")
                        .append("eventId", "ev-unmatched")
                        .append("eventType", "Member.Enrolled.Plan")
                        .append("metadata", new Document("receivedAt", Date.from(now))));

        // when
        AdminApiServer.Response r = admin.get("/v1/events/ev-unmatched/deliveries");

        // then
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.body())
                .isEqualTo("{\"eventId\":\"ev-unmatched\",\"eventType\":\"Member.Enrolled.Plan\",\"receivedAt\":\""
                        + now + "\",\"deliveries\":[]}");
    }

    @Test
    void shouldAnswerNotFoundWhenTheEventIsNeitherStoredNorInTheLedger() {
        // given nothing of ev-nowhere

        // when
        AdminApiServer.Response r = admin.get("/v1/events/ev-nowhere/deliveries");

        // then
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("type").asString()).isEqualTo("urn:eventing:problem:not-found");
    }

    @Test
    void shouldPageASubscriptionsDeliveriesNewestFirstWhenDocumentsArriveBetweenPages() {
        // given 20 events of subscription paged-sub, two to a second, and 5 of another subscription among them
        Instant base = now.minus(Duration.ofHours(2));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Instant at = base.plusSeconds(i / 2);
            deliveries().insertOne(ledger("pg-%02d".formatted(i), at, "paged-sub", 0));
        }
        for (int i = 0; i < 5; i++) {
            deliveries().insertOne(ledger("pg-other-" + i, base.plusSeconds(i), "another-sub", 0));
        }
        for (int i = 19; i >= 0; i--) {
            expected.add("pg-%02d".formatted(i));
        }
        String range = "from=" + base.minusSeconds(60) + "&to=" + now;

        // when the first page is read, then newer and older documents arrive, then the rest is read
        AdminApiServer.Response first = admin.get("/v1/subscriptions/paged-sub/deliveries?limit=7&" + range);
        deliveries().insertOne(ledger("pg-newer", base.plusSeconds(30), "paged-sub", 0));
        deliveries().insertOne(ledger("pg-older", base.minusSeconds(30), "paged-sub", 0));
        List<String> seen = ids(first);
        String cursor = first.json().get("nextCursor").asString();
        while (cursor != null) {
            AdminApiServer.Response page =
                    admin.get("/v1/subscriptions/paged-sub/deliveries?limit=7&" + range + "&cursor=" + cursor);
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            seen.addAll(ids(page));
            JsonNode next = page.json().get("nextCursor");
            cursor = next.isNull() ? null : next.asString();
        }

        // then
        expected.add("pg-older");
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.json().get("subscription").asString()).isEqualTo("paged-sub");
        assertThat(first.json().get("deliveries").get(0).toString())
                .isEqualTo("{\"eventId\":\"pg-19\",\"eventType\":\"Claim.Submitted.Reconsideration\",\"receivedAt\":\""
                        + base.plusSeconds(9)
                        + "\",\"outcome\":\"DELIVERED\",\"topic\":\"eventing.sub.ledger-billing\","
                        + "\"partition\":0,\"redactedPaths\":[\"/member/ssn\"]}");
        assertThat(seen).containsExactlyElementsOf(expected);
    }

    @Test
    void shouldListOnlyTheSubscriptionsOwnOutcomeWhenAskedForOne() {
        // given events where tx-only was filtered, and one where another subscription was filtered but tx-only
        // got the copy
        Instant base = now.minus(Duration.ofHours(3));
        for (int i = 0; i < 3; i++) {
            deliveries().insertOne(ledger("oc-" + i, base.plusSeconds(i), "billing-claims", 0));
        }
        deliveries()
                .insertOne(new Document("_id", "oc-delivered")
                        .append("eventId", "oc-delivered")
                        .append("eventType", "Claim.Submitted.Reconsideration")
                        .append("receivedAt", Date.from(base.plusSeconds(10)))
                        .append(
                                "deliveries",
                                List.of(
                                        new Document("subscription", "tx-only")
                                                .append("app", "analytics")
                                                .append("outcome", "DELIVERED")
                                                .append("topic", "eventing.sub.tx-only")
                                                .append("partition", 0),
                                        new Document("subscription", "denied")
                                                .append("app", "analytics")
                                                .append("outcome", "FILTERED")
                                                .append("reason", "content"))));
        String range = "from=" + base + "&to=" + base.plusSeconds(60);

        // when
        AdminApiServer.Response filtered = admin.get("/v1/subscriptions/tx-only/deliveries?outcome=FILTERED&" + range);
        AdminApiServer.Response delivered =
                admin.get("/v1/subscriptions/tx-only/deliveries?outcome=DELIVERED&" + range);

        // then
        assertThat(ids(filtered)).containsExactly("oc-2", "oc-1", "oc-0");
        assertThat(filtered.json().get("deliveries").get(0).get("reason").asString())
                .isEqualTo("tags");
        assertThat(ids(delivered)).containsExactly("oc-delivered");
        assertThat(delivered.json().get("nextCursor").isNull()).isTrue();
    }

    @Test
    void shouldListEverySubscriptionsDeadLettersNewestFirstWhenAskedAcrossSubscriptions() {
        // given an hour's ledger documents: two with a dead letter for orphan (and others' entries), one with two
        // dead letters, and one without any
        Instant base = now.minus(Duration.ofHours(5));
        deliveries().insertOne(ledger("dl-0", base, "billing-claims", 0));
        deliveries().insertOne(ledger("dl-1", base.plusSeconds(1), "billing-claims", 0));
        deliveries()
                .insertOne(new Document("_id", "dl-2")
                        .append("eventId", "dl-2")
                        .append("eventType", "Member.Enrolled.Plan")
                        .append("receivedAt", Date.from(base.plusSeconds(2)))
                        .append(
                                "deliveries",
                                List.of(
                                        new Document("subscription", "cards")
                                                .append("app", "cards-app")
                                                .append("outcome", "DEAD_LETTERED")
                                                .append("reason", "copy-refused")
                                                .append("detail", "subject eventing.sub.cards-value refused"),
                                        new Document("subscription", "members")
                                                .append("app", "crm")
                                                .append("outcome", "DEAD_LETTERED")
                                                .append("reason", "unroutable")
                                                .append("detail", "version 9 is not registered"))));
        deliveries()
                .insertOne(new Document("_id", "dl-clean")
                        .append("eventId", "dl-clean")
                        .append("eventType", "Member.Enrolled.Plan")
                        .append("receivedAt", Date.from(base.plusSeconds(3)))
                        .append(
                                "deliveries",
                                List.of(new Document("subscription", "members")
                                        .append("app", "crm")
                                        .append("outcome", "DELIVERED"))));
        String range = "from=" + base + "&to=" + base.plusSeconds(60);

        // when
        AdminApiServer.Response r = admin.get("/v1/deliveries?outcome=DEAD_LETTERED&" + range);

        // then
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("deliveries").toString())
                .isEqualTo("[{\"eventId\":\"dl-2\",\"eventType\":\"Member.Enrolled.Plan\",\"receivedAt\":\""
                        + base.plusSeconds(2)
                        + "\",\"subscription\":\"cards\",\"app\":\"cards-app\",\"outcome\":\"DEAD_LETTERED\","
                        + "\"reason\":\"copy-refused\",\"detail\":\"subject eventing.sub.cards-value refused\"},"
                        + "{\"eventId\":\"dl-2\",\"eventType\":\"Member.Enrolled.Plan\",\"receivedAt\":\""
                        + base.plusSeconds(2)
                        + "\",\"subscription\":\"members\",\"app\":\"crm\",\"outcome\":\"DEAD_LETTERED\","
                        + "\"reason\":\"unroutable\",\"detail\":\"version 9 is not registered\"},"
                        + "{\"eventId\":\"dl-1\",\"eventType\":\"Claim.Submitted.Reconsideration\",\"receivedAt\":\""
                        + base.plusSeconds(1)
                        + "\",\"subscription\":\"orphan\",\"app\":\"gone\",\"outcome\":\"DEAD_LETTERED\","
                        + "\"reason\":\"app-not-registered\","
                        + "\"detail\":\"app gone of subscription orphan is not registered\"},"
                        + "{\"eventId\":\"dl-0\",\"eventType\":\"Claim.Submitted.Reconsideration\",\"receivedAt\":\""
                        + base
                        + "\",\"subscription\":\"orphan\",\"app\":\"gone\",\"outcome\":\"DEAD_LETTERED\","
                        + "\"reason\":\"app-not-registered\","
                        + "\"detail\":\"app gone of subscription orphan is not registered\"}]");
        assertThat(r.json().get("nextCursor").isNull()).isTrue();
        assertThat(OpenApiSpec.load(OpenApiDocument.ADMIN)
                        .answerViolations("GET", "/v1/deliveries", r.status(), r.contentType(), r.json()))
                .isEmpty();
    }

    @Test
    void shouldPageAcrossSubscriptionsByEventWhenOneSubscriptionAndNoOutcomeIsAsked() {
        // given 9 events of all-sub, and 3 of another subscription among them
        Instant base = now.minus(Duration.ofHours(6));
        for (int i = 0; i < 9; i++) {
            deliveries().insertOne(ledger("all-%02d".formatted(i), base.plusSeconds(i), "all-sub", 0));
        }
        for (int i = 0; i < 3; i++) {
            deliveries().insertOne(ledger("all-other-" + i, base.plusSeconds(i), "all-other-sub", 0));
        }
        String range = "from=" + base + "&to=" + base.plusSeconds(60);

        // when the pages of 4 are read to the end
        List<String> seen = new ArrayList<>();
        List<String> subscriptions = new ArrayList<>();
        String cursor = "";
        int pages = 0;
        while (cursor != null) {
            AdminApiServer.Response page = admin.get("/v1/deliveries?subscription=all-sub&limit=4&" + range
                    + (cursor.isEmpty() ? "" : "&cursor=" + cursor));
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            seen.addAll(ids(page));
            page.json()
                    .get("deliveries")
                    .forEach(d -> subscriptions.add(d.get("subscription").asString()));
            JsonNode next = page.json().get("nextCursor");
            cursor = next.isNull() ? null : next.asString();
            pages++;
        }

        // then
        assertThat(pages).isEqualTo(3);
        assertThat(seen)
                .containsExactly(
                        "all-08", "all-07", "all-06", "all-05", "all-04", "all-03", "all-02", "all-01", "all-00");
        assertThat(subscriptions).containsOnly("all-sub");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "/v1/subscriptions/billing-claims/deliveries?cursor=not-a-cursor|400|cursor",
                "/v1/subscriptions/billing-claims/deliveries?cursor=djE6MTIzOmV2LTE%3D%3D%3D|400|cursor",
                "/v1/subscriptions/billing-claims/deliveries?limit=100000|422|limit",
                "/v1/subscriptions/billing-claims/deliveries?limit=0|422|limit",
                "/v1/subscriptions/billing-claims/deliveries?limit=99999999999999|400|limit",
                "/v1/subscriptions/billing-claims/deliveries?outcome=LOST|400|outcome",
                "/v1/subscriptions/billing-claims/deliveries?outcome=delivered|400|outcome",
                "/v1/subscriptions/billing-claims/deliveries?outcome=DELIVERED&outcome=FILTERED|400|outcome",
                "/v1/subscriptions/billing-claims/deliveries?from=yesterday|400|from",
                "/v1/subscriptions/billing-claims/deliveries?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z|422|from",
                "/v1/subscriptions/billing-claims/deliveries?type=Claim.*.*|400|type",
                "/v1/subscriptions/Billing%20Claims/deliveries|400|id",
                "/v1/subscriptions/%24where/deliveries|400|id",
                "/v1/events/ev-found/deliveries?offset=1|400|offset",
                "/v1/deliveries?subscription=Billing%20Claims|400|subscription",
                "/v1/deliveries?subscription=a&subscription=b|400|subscription",
                "/v1/deliveries?outcome=LOST|400|outcome",
                "/v1/deliveries?limit=0|422|limit",
                "/v1/deliveries?cursor=not-a-cursor|400|cursor",
                "/v1/deliveries?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z|422|from",
                "/v1/deliveries?id=billing-claims|400|id",
            })
    void shouldRefuseNamingTheParameterWhenAParameterIsHostile(String path, int status, String parameter) {
        // given the ledger as the other tests leave it

        // when
        AdminApiServer.Response r = admin.get(path);

        // then
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("parameter").asString()).isEqualTo(parameter);
        assertThat(r.json().get("type").asString())
                .isEqualTo(
                        status == 400 ? "urn:eventing:problem:malformed-request" : "urn:eventing:problem:validation");
    }

    @ParameterizedTest
    @CsvSource({"/v1/subscriptions/billing-claims%0A/deliveries", "/v1/events/ev%00x/deliveries"})
    void shouldRefuseThePathWhenAnIdHoldsAControlCharacter(String path) {
        // given the ledger as the other tests leave it

        // when
        AdminApiServer.Response r = admin.get(path);

        // then the HTTP edge refuses the path before any handler reads it
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("type").asString()).isEqualTo("urn:eventing:problem:malformed-request");
    }

    private static List<String> ids(AdminApiServer.Response page) {
        List<String> ids = new ArrayList<>();
        page.json().get("deliveries").forEach(d -> ids.add(d.get("eventId").asString()));
        return ids;
    }

    private static MongoCollection<Document> deliveries() {
        return mongo.client().getDatabase("eventing").getCollection("deliveries");
    }

    /** A ledger document as the sink writes it (docs/replay-and-ledger.md), one entry per outcome. */
    private static Document ledger(String eventId, Instant receivedAt, String deliveredTo, int partition) {
        return new Document("_id", eventId)
                .append("eventId", eventId)
                .append("eventType", "Claim.Submitted.Reconsideration")
                .append("receivedAt", Date.from(receivedAt))
                .append("expiresAt", Date.from(receivedAt.plus(Duration.ofDays(30))))
                .append("synthetic", false)
                .append(
                        "deliveries",
                        List.of(
                                new Document("subscription", deliveredTo)
                                        .append("app", "billing")
                                        .append("outcome", "DELIVERED")
                                        .append("topic", TOPIC)
                                        .append("partition", partition)
                                        .append("redactedPaths", List.of("/member/ssn")),
                                new Document("subscription", "tx-only")
                                        .append("app", "analytics")
                                        .append("outcome", "FILTERED")
                                        .append("reason", "tags"),
                                new Document("subscription", "orphan")
                                        .append("app", "gone")
                                        .append("outcome", "DEAD_LETTERED")
                                        .append("reason", "app-not-registered")
                                        .append("detail", "app gone of subscription orphan is not registered")));
    }

    /** A copy as the router writes it: keyed, with the event's and the subscription's headers. */
    private static ProducerRecord<String, String> copy(int partition, String eventId, String subscription) {
        ProducerRecord<String, String> r = new ProducerRecord<>(TOPIC, partition, "member-42", "copy");
        r.headers().add("eventing-event-id", eventId.getBytes(StandardCharsets.UTF_8));
        r.headers().add("eventing-event-type", "Claim.Submitted.Reconsideration".getBytes(StandardCharsets.UTF_8));
        r.headers().add("eventing-subscription", subscription.getBytes(StandardCharsets.UTF_8));
        return r;
    }

    private static KafkaProducer<String, String> producer(KafkaBroker kafka) {
        return new KafkaProducer<>(
                kafka.clientConfig(Map.of(ProducerConfig.ACKS_CONFIG, "all")),
                new StringSerializer(),
                new StringSerializer());
    }

    private static StoreProperties properties(int scan) {
        return new StoreProperties(null, null, null, null, null, null, null, null, null, null, scan, null);
    }
}
