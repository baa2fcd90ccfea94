package com.northwind.eventing.router.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.northwind.eventing.common.model.App;
import com.northwind.eventing.common.model.EventType;
import com.northwind.eventing.common.model.EventTypeVersion;
import com.northwind.eventing.common.model.RegistryTopics;
import com.northwind.eventing.common.model.SensitiveField;
import com.northwind.eventing.common.model.Subscription;
import com.northwind.eventing.common.model.SyntheticPolicy;
import com.northwind.eventing.common.model.TagFilter;
import com.northwind.eventing.common.registry.InMemorySchemaRegistryClient;
import com.northwind.eventing.common.registry.SchemaRegistryException;
import com.northwind.eventing.common.serde.AvroWireSerializer;
import com.northwind.eventing.common.serde.EnvelopeSerde;
import com.northwind.eventing.common.store.LedgerRecord;
import com.northwind.eventing.common.store.StoreDocument;
import com.northwind.eventing.common.tracing.Tracing;
import com.northwind.eventing.schema.Envelope;
import com.northwind.eventing.schema.Metadata;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The routing processor on its own, in Kafka's mock context: what it forwards for one firehose record, in order, and
 * when it fails the task instead.
 */
class RoutingProcessorTest {
    private static final String TYPE = "Claim.Submitted.Reconsideration";
    private static final String EVENT_ID = "0190f1d2-7c4e-7a3b-8c9d-0e1f2a3b4c5d";
    private static final String BODY = "{\"claimId\":\"C1\",\"member\":{\"id\":\"M1\",\"ssn\":\"123-45-6789\"}}";

    private final InMemorySchemaRegistryClient schemas = new InMemorySchemaRegistryClient();
    private final Serde<Envelope> envelopes = EnvelopeSerde.create(schemas, true);
    /** What the router's registry answers instead of registering, by subject. */
    private final Map<String, SchemaRegistryException> refusals = new HashMap<>();

    private final AvroWireSerializer<Envelope> encoder =
            new AvroWireSerializer<>(new RefusingRegistry(schemas, refusals), true);
    private final Map<String, Integer> limits = new HashMap<>();
    /** Partition counts of topics, where they differ from what their subscription says. */
    private final Map<String, Integer> partitionCounts = new HashMap<>();

    private final RecordLimits recordLimits = new RecordLimits() {
        @Override
        public int maxRecordBytes(String topic) {
            return limits.getOrDefault(topic, Integer.MAX_VALUE);
        }

        @Override
        public int partitions(String topic, int declared) {
            return partitionCounts.getOrDefault(topic, declared);
        }
    };
    private final RegistryViews views = new RegistryViews();
    private final MockProcessorContext<byte[], Outbound> context = new MockProcessorContext<>();
    private RoutingProcessor processor;

    @BeforeEach
    void start() {
        processor = new RoutingProcessor(
                envelopes.deserializer(),
                encoder,
                recordLimits,
                views,
                new DeadLetters(encoder, recordLimits),
                StoreDocument.TOPIC,
                null);
        processor.init(context);
        context.setRecordMetadata(RouterTopology.FIREHOSE, 5, 42);
        for (RegistryViews.Table t : RegistryViews.Table.values()) {
            views.opened(t, true);
        }
        views.changed(RegistryViews.Table.EVENT_TYPES, TYPE, json(eventType()));
        views.changed(RegistryViews.Table.APPS, "phi-reader", json(app("phi-reader", "PHI")));
        views.changed(RegistryViews.Table.APPS, "plain-reader", json(app("plain-reader")));
    }

    @Test
    void shouldForwardACopyPerSubscriptionThenTheStoreRecordWhenRouted() {
        subscribe(sub("cleared", "phi-reader", null));
        subscribe(sub("uncleared", "plain-reader", null));

        processor.process(firehoseRecord(event(BODY)));

        List<Record<byte[], Outbound>> out = forwarded();
        assertThat(out)
                .extracting(r -> r.value().topic())
                .containsExactlyInAnyOrder("eventing.sub.cleared", "eventing.sub.uncleared", "eventing.store");
        assertThat(out.get(2).value().topic()).isEqualTo("eventing.store");
        assertThat(copy(out, "eventing.sub.cleared").getBody()).isEqualTo(BODY);
        assertThat(copy(out, "eventing.sub.uncleared").getBody())
                .isEqualTo("{\"claimId\":\"C1\",\"member\":{\"id\":\"M1\",\"ssn\":\"***REDACTED***\"}}");
    }

    @Test
    void shouldKeyTheStoreRecordByEventIdAndNameTheFirehosePositionWhenRouted() {
        processor.process(firehoseRecord(event(BODY)));

        Record<byte[], Outbound> stored = forwarded().get(0);
        assertThat(stored.value().topic()).isEqualTo("eventing.store");
        assertThat(new String(stored.key(), StandardCharsets.UTF_8)).isEqualTo(EVENT_ID);
        assertThat(stored.timestamp()).isEqualTo(1_700_000_000_000L);
        JsonNode doc = RegistryTopics.JSON.readTree(stored.value().value());
        assertThat(doc.path("firehose").toString())
                .isEqualTo("{\"topic\":\"eventing.firehose\",\"partition\":5,\"offset\":42}");
        assertThat(doc.at("/body/member/ssn").asString()).isEqualTo("***REDACTED***");
        assertThat(header(stored.headers(), "eventing-event-id")).isEqualTo(EVENT_ID);
    }

    @Test
    void shouldShareOneEncodedCopyWhenSubscriptionsHaveTheSamePlanAndProjection() {
        subscribe(sub("first", "plain-reader", null));
        subscribe(sub("second", "plain-reader", null));
        subscribe(sub("projected", "plain-reader", List.of("claimId")));

        processor.process(firehoseRecord(event(BODY)));

        List<Record<byte[], Outbound>> out = forwarded();
        assertThat(value(out, "eventing.sub.first")).isSameAs(value(out, "eventing.sub.second"));
        assertThat(value(out, "eventing.sub.projected")).isNotSameAs(value(out, "eventing.sub.first"));
        assertThat(copy(out, "eventing.sub.projected").getBody()).isEqualTo("{\"claimId\":\"C1\"}");
        assertThat(header(record(out, "eventing.sub.first").headers(), "eventing-subscription"))
                .isEqualTo("first");
        assertThat(header(record(out, "eventing.sub.second").headers(), "eventing-subscription"))
                .isEqualTo("second");
    }

    @Test
    void shouldFilterOnTheCopyTheAppGetsWhenTheFilterReadsASensitiveField() {
        subscribe(withFilter("cleared", "phi-reader", "{\"/member/ssn\": [{\"prefix\": \"123\"}]}"));
        subscribe(withFilter("uncleared", "plain-reader", "{\"/member/ssn\": [{\"prefix\": \"123\"}]}"));
        subscribe(withFilter("masked", "plain-reader", "{\"/member/ssn\": [\"***REDACTED***\"]}"));

        processor.process(firehoseRecord(event(BODY)));

        assertThat(forwarded())
                .extracting(r -> r.value().topic())
                .containsExactly("eventing.sub.cleared", "eventing.sub.masked", "eventing.store");
    }

    @Test
    void shouldDeadLetterEachCopyThatCannotBeWrittenBesideItsGoodSiblingsWhenRouted() {
        subscribe(sub("good", "phi-reader", null));
        subscribe(sub("orphan", "gone-app", null));
        subscribe(sub("small", "phi-reader", null));
        limits.put("eventing.sub.small", 200);

        processor.process(firehoseRecord(event(BODY)));

        List<Record<byte[], Outbound>> out = forwarded();
        assertThat(out)
                .extracting(r -> r.value().topic())
                .containsExactlyInAnyOrder(
                        "eventing.sub.good", "eventing.deadletter", "eventing.deadletter", "eventing.store");
        assertThat(out)
                .filteredOn(r -> r.value().topic().equals("eventing.deadletter"))
                .extracting(r -> header(r.headers(), "eventing-deadletter-reason"))
                .anySatisfy(
                        reason -> assertThat(reason).isEqualTo("app gone-app of subscription orphan is not registered"))
                .anySatisfy(reason -> assertThat(reason)
                        .startsWith("cannot write the copy for subscription small to eventing.sub.small: the copy is"
                                + " up to ")
                        .endsWith(" bytes as a record, and topic eventing.sub.small takes at most 200"));
    }

    @Test
    void shouldDeadLetterTheRecordAloneWhenItCannotBeRead() {
        subscribe(new Subscription(
                "claims",
                "phi-reader",
                List.of("Claim.*.*"),
                null,
                null,
                null,
                List.of(),
                "eventing.sub.claims",
                1,
                Instant.EPOCH));
        Envelope unregistered = event(BODY);
        unregistered.setEventType("Claim.Submitted.Unknown");
        unregistered.setObject("Unknown");
        Envelope unknownVersion = event(BODY);
        unknownVersion.setBodySchemaVersion(7);

        List<String> reasons = new java.util.ArrayList<>();
        for (Record<byte[], byte[]> r : List.of(
                new Record<>(bytes("tx-1"), bytes("not an envelope"), 0L),
                firehoseRecord(unregistered),
                firehoseRecord(unknownVersion),
                firehoseRecord(event("{\"claimId\": ")))) {
            context.resetForwards();
            processor.process(r);
            List<Record<byte[], Outbound>> out = forwarded();
            assertThat(out).extracting(o -> o.value().topic()).containsExactly("eventing.deadletter");
            reasons.add(header(out.get(0).headers(), "eventing-deadletter-reason"));
        }

        assertThat(reasons)
                .containsExactly(
                        "cannot deserialize the envelope: not in the Confluent wire format: magic byte is 110,"
                                + " expected 0",
                        "event type Claim.Submitted.Unknown is not registered",
                        "event type Claim.Submitted.Reconsideration has no version 7",
                        "the body of event " + EVENT_ID + " is not JSON");
    }

    @Test
    void shouldFailTheTaskAndForwardNothingWhenNoRegistryViewIsOpen() {
        RegistryViews closed = new RegistryViews();
        RoutingProcessor unopened = new RoutingProcessor(
                envelopes.deserializer(),
                encoder,
                recordLimits,
                closed,
                new DeadLetters(encoder, recordLimits),
                StoreDocument.TOPIC,
                null);
        unopened.init(context);

        assertThatThrownBy(() -> unopened.process(firehoseRecord(event(BODY))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the registry tables are not open");

        assertThat(context.forwarded()).isEmpty();
    }

    @Test
    void shouldForwardNoStoreRecordWhenTheStoreIsOff() {
        RoutingProcessor unstored = new RoutingProcessor(
                envelopes.deserializer(),
                encoder,
                recordLimits,
                views,
                new DeadLetters(encoder, recordLimits),
                null,
                null);
        unstored.init(context);
        subscribe(sub("good", "phi-reader", null));

        unstored.process(firehoseRecord(event(BODY)));

        assertThat(forwarded()).extracting(r -> r.value().topic()).containsExactly("eventing.sub.good");
    }

    @Test
    void shouldLedgerEachTypeMatchedSubscriptionWithItsOutcomeAndReasonWhenRouted() {
        RoutingProcessor ledgered = ledgered();
        subscribe(sub("a-delivered", "phi-reader", null));
        subscribe(withSynthetic("b-synthetic", SyntheticPolicy.ONLY));
        subscribe(withTags("c-tags", new TagFilter(List.of(), List.of("state:TX"), List.of())));
        subscribe(withFilter("d-content", "phi-reader", "{\"/claimId\": [\"C9\"]}"));
        subscribe(sub("e-orphan", "gone-app", null));
        subscribe(sub("f-small", "phi-reader", List.of("claimId")));
        subscribe(sub("g-refused", "plain-reader", List.of("member")));
        subscribe(sub("h-redacted", "plain-reader", null));
        subscribe(new Subscription(
                "i-members",
                "phi-reader",
                List.of("Member.*.*"),
                null,
                null,
                null,
                List.of(),
                "eventing.sub.i-members",
                1,
                Instant.EPOCH));
        limits.put("eventing.sub.f-small", 200);
        refusals.put("eventing.sub.g-refused-value", new SchemaRegistryException(409, 409, "incompatible"));

        ledgered.process(firehoseRecord(event(BODY)));

        Record<byte[], Outbound> ledger = record(forwarded(), "eventing.ledger");
        JsonNode doc = RegistryTopics.JSON.readTree(ledger.value().value());
        assertThat(new String(ledger.key(), StandardCharsets.UTF_8)).isEqualTo(EVENT_ID);
        assertThat(header(ledger.headers(), "eventing-event-type")).isEqualTo(TYPE);
        JsonNode deliveries = doc.get("deliveries");
        assertThat(deliveries).hasSize(8);
        assertThat(deliveries.get(0).toString())
                .isEqualTo("{\"subscription\":\"a-delivered\",\"app\":\"phi-reader\",\"outcome\":\"DELIVERED\","
                        + "\"topic\":\"eventing.sub.a-delivered\",\"partition\":0,\"redactedPaths\":[]}");
        assertThat(deliveries.get(1).toString())
                .isEqualTo("{\"subscription\":\"b-synthetic\",\"app\":\"phi-reader\",\"outcome\":\"FILTERED\","
                        + "\"reason\":\"synthetic\"}");
        assertThat(deliveries.get(2).toString())
                .isEqualTo("{\"subscription\":\"c-tags\",\"app\":\"phi-reader\",\"outcome\":\"FILTERED\","
                        + "\"reason\":\"tags\"}");
        assertThat(deliveries.get(3).toString())
                .isEqualTo("{\"subscription\":\"d-content\",\"app\":\"phi-reader\",\"outcome\":\"FILTERED\","
                        + "\"reason\":\"content\"}");
        assertThat(deliveries.get(4).toString())
                .isEqualTo("{\"subscription\":\"e-orphan\",\"app\":\"gone-app\",\"outcome\":\"DEAD_LETTERED\","
                        + "\"reason\":\"app-not-registered\","
                        + "\"detail\":\"app gone-app of subscription e-orphan is not registered\"}");
        assertThat(deliveries.get(5).path("reason").asString()).isEqualTo("copy-too-large");
        assertThat(deliveries.get(5).path("detail").asString())
                .startsWith(
                        "cannot write the copy for subscription f-small to eventing.sub.f-small: the copy is up to");
        assertThat(deliveries.get(6).path("outcome").asString()).isEqualTo("DEAD_LETTERED");
        assertThat(deliveries.get(6).path("reason").asString()).isEqualTo("copy-refused");
        assertThat(deliveries.get(7).toString())
                .isEqualTo("{\"subscription\":\"h-redacted\",\"app\":\"plain-reader\",\"outcome\":\"DELIVERED\","
                        + "\"topic\":\"eventing.sub.h-redacted\",\"partition\":0,"
                        + "\"redactedPaths\":[\"/member/ssn\"]}");
    }

    @Test
    void shouldCountEachSubscriptionsOutcomeWithoutWritingALedgerWhenTheLedgerIsOff() {
        io.micrometer.core.instrument.simple.SimpleMeterRegistry meters =
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        RoutingProcessor counted = new RoutingProcessor(
                envelopes.deserializer(),
                encoder,
                recordLimits,
                views,
                new DeadLetters(encoder, recordLimits),
                StoreDocument.TOPIC,
                null,
                new RouterMeters(meters),
                Tracing.off());
        counted.init(context);
        subscribe(sub("a-delivered", "phi-reader", null));
        subscribe(withTags("c-tags", new TagFilter(List.of(), List.of("state:TX"), List.of())));
        subscribe(withFilter("d-content", "phi-reader", "{\"/claimId\": [\"C9\"]}"));
        subscribe(sub("e-orphan", "gone-app", null));
        subscribe(sub("h-redacted", "plain-reader", null));

        counted.process(firehoseRecord(event(BODY)));
        counted.process(firehoseRecord(event(BODY)));
        counted.process(new Record<>(bytes("k"), new byte[] {0, 0, 0, 0, 1, 2}, 0L));

        assertThat(forwarded()).extracting(r -> r.value().topic()).doesNotContain("eventing.ledger");
        assertThat(copies(meters, "a-delivered", "delivered", "none")).isEqualTo(2);
        assertThat(copies(meters, "c-tags", "filtered", "tags")).isEqualTo(2);
        assertThat(copies(meters, "d-content", "filtered", "content")).isEqualTo(2);
        assertThat(copies(meters, "e-orphan", "dead_lettered", "app-not-registered"))
                .isEqualTo(2);
        assertThat(copies(meters, "h-redacted", "delivered", "none")).isEqualTo(2);
        assertThat(meters.get("eventing.router.redacted")
                        .tag("subscription", "h-redacted")
                        .counter()
                        .count())
                .isEqualTo(2);
        assertThat(meters.get("eventing.router.redacted")
                        .tag("subscription", "a-delivered")
                        .counter()
                        .count())
                .isZero();
        assertThat(meters.get("eventing.router.latency")
                        .tag("subscription", "a-delivered")
                        .timer()
                        .count())
                .isEqualTo(2);
        assertThat(meters.get("eventing.router.unreadable").counter().count()).isEqualTo(1);
    }

    private static double copies(
            io.micrometer.core.instrument.MeterRegistry meters, String subscription, String outcome, String reason) {
        return meters.get("eventing.router.copies")
                .tag("subscription", subscription)
                .tag("outcome", outcome)
                .tag("reason", reason)
                .counter()
                .count();
    }

    @Test
    void shouldWriteTheLedgerRecordInExtendedJsonAfterTheStoreRecordWhenRouted() {
        RoutingProcessor ledgered = ledgered();
        subscribe(sub("a", "phi-reader", null));

        ledgered.process(firehoseRecord(event(BODY)));

        List<Record<byte[], Outbound>> out = forwarded();
        assertThat(out)
                .extracting(r -> r.value().topic())
                .containsExactly("eventing.sub.a", "eventing.store", "eventing.ledger");
        assertThat(new String(out.get(2).value().value(), StandardCharsets.UTF_8))
                .isEqualTo("{\"_id\":\"" + EVENT_ID + "\",\"eventId\":\"" + EVENT_ID + "\",\"eventType\":\"" + TYPE
                        + "\",\"receivedAt\":{\"$date\":\"2026-01-05T10:00:01.000Z\"},"
                        + "\"expiresAt\":{\"$date\":\"2026-02-04T10:00:01.000Z\"},\"synthetic\":false,"
                        + "\"deliveries\":[{\"subscription\":\"a\",\"app\":\"phi-reader\",\"outcome\":\"DELIVERED\","
                        + "\"topic\":\"eventing.sub.a\",\"partition\":0,\"redactedPaths\":[]}]}");
    }

    @Test
    void shouldLedgerUnroutableForEveryTypeMatchedSubscriptionWhenTheWholeRecordIsDeadLettered() {
        RoutingProcessor ledgered = ledgered();
        subscribe(sub("a", "phi-reader", null));
        subscribe(sub("b", "plain-reader", null));
        Envelope unknownVersion = event(BODY);
        unknownVersion.setBodySchemaVersion(7);

        ledgered.process(firehoseRecord(unknownVersion));

        List<Record<byte[], Outbound>> out = forwarded();
        assertThat(out).extracting(r -> r.value().topic()).containsExactly("eventing.deadletter", "eventing.ledger");
        JsonNode deliveries =
                RegistryTopics.JSON.readTree(out.get(1).value().value()).get("deliveries");
        assertThat(deliveries.toString())
                .isEqualTo("[{\"subscription\":\"a\",\"app\":\"phi-reader\",\"outcome\":\"DEAD_LETTERED\","
                        + "\"reason\":\"unroutable\",\"detail\":\"event type " + TYPE + " has no version 7\"},"
                        + "{\"subscription\":\"b\",\"app\":\"plain-reader\",\"outcome\":\"DEAD_LETTERED\","
                        + "\"reason\":\"unroutable\",\"detail\":\"event type " + TYPE + " has no version 7\"}]");
    }

    @Test
    void shouldExpireTheLedgerRecordAfterSevenDaysWhenTheTypeIsNotRegistered() {
        RoutingProcessor ledgered = ledgered();
        subscribe(new Subscription(
                "claims",
                "phi-reader",
                List.of("Claim.*.*"),
                null,
                null,
                null,
                List.of(),
                "eventing.sub.claims",
                1,
                Instant.EPOCH));
        Envelope unregistered = event(BODY);
        unregistered.setEventType("Claim.Submitted.Unknown");
        unregistered.setObject("Unknown");

        ledgered.process(firehoseRecord(unregistered));

        JsonNode doc = RegistryTopics.JSON.readTree(
                record(forwarded(), "eventing.ledger").value().value());
        assertThat(doc.get("expiresAt").toString()).isEqualTo("{\"$date\":\"2026-01-12T10:00:01.000Z\"}");
        assertThat(doc.at("/deliveries/0/reason").asString()).isEqualTo("unroutable");
    }

    @Test
    void shouldWriteNoLedgerRecordWhenNoSubscriptionMatchesTheType() {
        RoutingProcessor ledgered = ledgered();

        ledgered.process(firehoseRecord(event(BODY)));

        assertThat(forwarded()).extracting(r -> r.value().topic()).containsExactly("eventing.store");
    }

    @Test
    void shouldSendTheCopyToTheKeysPartitionOfTheTopicsOwnCountWhenItDiffersFromTheSubscriptions() {
        RoutingProcessor ledgered = ledgered();
        subscribe(new Subscription(
                "kept",
                "phi-reader",
                List.of(TYPE),
                null,
                null,
                null,
                List.of(),
                "eventing.sub.kept",
                12,
                Instant.EPOCH));
        partitionCounts.put("eventing.sub.kept", 6);

        ledgered.process(new Record<>(
                bytes("member-7"), envelopes.serializer().serialize(RouterTopology.FIREHOSE, event(BODY)), 0L));

        List<Record<byte[], Outbound>> out = forwarded();
        assertThat(record(out, "eventing.sub.kept").value().partition()).isEqualTo(5);
        assertThat(record(out, "eventing.store").value().partition()).isEqualTo(Outbound.ANY_PARTITION);
        assertThat(RegistryTopics.JSON
                        .readTree(record(out, "eventing.ledger").value().value())
                        .at("/deliveries/0/partition")
                        .asInt())
                .isEqualTo(5);
    }

    @Test
    void shouldWriteTheStoreAndLedgerRecordsToTheFirehosePartitionsNumberWhenTheTopicsCountsAreKnown() {
        RoutingProcessor ledgered = ledgered();
        subscribe(sub("cleared", "phi-reader", null));
        partitionCounts.put("eventing.store", 6);
        partitionCounts.put("eventing.ledger", 4);

        ledgered.process(firehoseRecord(event(BODY)));

        List<Record<byte[], Outbound>> out = forwarded();
        assertThat(record(out, "eventing.store").value().partition()).isEqualTo(5);
        assertThat(record(out, "eventing.ledger").value().partition()).isEqualTo(1);
    }

    private RoutingProcessor ledgered() {
        RoutingProcessor p = new RoutingProcessor(
                envelopes.deserializer(),
                encoder,
                recordLimits,
                views,
                new DeadLetters(encoder, recordLimits),
                StoreDocument.TOPIC,
                LedgerRecord.TOPIC);
        p.init(context);
        return p;
    }

    private static Subscription withSynthetic(String id, SyntheticPolicy policy) {
        return new Subscription(
                id, "phi-reader", List.of(TYPE), null, policy, null, List.of(), "eventing.sub." + id, 1, Instant.EPOCH);
    }

    private static Subscription withTags(String id, TagFilter tags) {
        return new Subscription(
                id, "phi-reader", List.of(TYPE), tags, null, null, List.of(), "eventing.sub." + id, 1, Instant.EPOCH);
    }

    private void subscribe(Subscription s) {
        views.changed(RegistryViews.Table.SUBSCRIPTIONS, s.id(), json(s));
        views.publish();
    }

    @SuppressWarnings("unchecked") // the processor forwards Record<byte[], Outbound> only
    private List<Record<byte[], Outbound>> forwarded() {
        return context.forwarded().stream()
                .map(f -> (Record<byte[], Outbound>) (Record<?, ?>) f.record())
                .toList();
    }

    private Record<byte[], byte[]> firehoseRecord(Envelope e) {
        views.publish();
        return new Record<>(
                bytes("tx-42"), envelopes.serializer().serialize(RouterTopology.FIREHOSE, e), 1_700_000_000_000L);
    }

    private static Record<byte[], Outbound> record(List<Record<byte[], Outbound>> out, String topic) {
        return out.stream()
                .filter(r -> r.value().topic().equals(topic))
                .findFirst()
                .orElseThrow();
    }

    private static byte[] value(List<Record<byte[], Outbound>> out, String topic) {
        return record(out, topic).value().value();
    }

    private Envelope copy(List<Record<byte[], Outbound>> out, String topic) {
        return envelopes.deserializer().deserialize(topic, value(out, topic));
    }

    private static Subscription sub(String id, String app, List<String> include) {
        return new Subscription(
                id,
                app,
                List.of(TYPE),
                null,
                null,
                null,
                include == null ? List.of() : include,
                "eventing.sub." + id,
                1,
                Instant.EPOCH);
    }

    private static Subscription withFilter(String id, String app, String filter) {
        return new Subscription(
                id,
                app,
                List.of(TYPE),
                null,
                null,
                RegistryTopics.JSON.readTree(filter),
                List.of(),
                "eventing.sub." + id,
                1,
                Instant.EPOCH);
    }

    private static EventType eventType() {
        return new EventType(
                "Claim",
                "Submitted",
                "Reconsideration",
                "a claim",
                "claims",
                30,
                null,
                List.of(new EventTypeVersion(
                        1,
                        RegistryTopics.JSON.readTree("{\"type\":\"object\"}"),
                        List.of(new SensitiveField("/member/ssn", "PHI")),
                        Instant.EPOCH)),
                Instant.EPOCH,
                Instant.EPOCH);
    }

    private static App app(String id, String... read) {
        return new App(id, "team", List.of(), List.of(read), List.of(), null, Instant.EPOCH, Instant.EPOCH);
    }

    private static Envelope event(String body) {
        return Envelope.newBuilder()
                .setEventId(EVENT_ID)
                .setNoun("Claim")
                .setVerb("Submitted")
                .setObject("Reconsideration")
                .setEventType(TYPE)
                .setMetadata(Metadata.newBuilder()
                        .setTransactionId("tx-42")
                        .setOccurredAt(Instant.parse("2026-01-05T10:00:00.123Z"))
                        .setReceivedAt(Instant.parse("2026-01-05T10:00:01Z"))
                        .setProducerApp("claims-intake")
                        .build())
                .setTags(List.of())
                .setSynthetic(false)
                .setBody(body)
                .setBodySchemaVersion(1)
                .build();
    }

    private static byte[] json(Object value) {
        return RegistryTopics.JSON.writeValueAsBytes(value);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String header(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
