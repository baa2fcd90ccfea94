package com.northwind.eventing.router.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.northwind.eventing.common.model.App;
import com.northwind.eventing.common.model.EventType;
import com.northwind.eventing.common.model.EventTypeVersion;
import com.northwind.eventing.common.model.RegistryTopics;
import com.northwind.eventing.common.model.SensitiveField;
import com.northwind.eventing.common.model.StorePolicy;
import com.northwind.eventing.common.model.Subscription;
import com.northwind.eventing.common.model.SyntheticPolicy;
import com.northwind.eventing.common.model.TagFilter;
import com.northwind.eventing.common.registry.InMemorySchemaRegistryClient;
import com.northwind.eventing.common.registry.SchemaRegistryClient;
import com.northwind.eventing.common.registry.SchemaRegistryException;
import com.northwind.eventing.common.serde.EnvelopeSerde;
import com.northwind.eventing.common.store.LedgerRecord;
import com.northwind.eventing.common.store.StoreDocument;
import com.northwind.eventing.common.tracing.EventAttributes;
import com.northwind.eventing.common.tracing.Tracing;
import com.northwind.eventing.schema.Envelope;
import com.northwind.eventing.schema.Metadata;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class RouterTopologyTest {
    private static final String TYPE = "Claim.Submitted.Reconsideration";
    private static final String BODY = "{\"claimId\":\"C1\",\"status\":\"APPROVED\",\"amount\":250,"
            + "\"member\":{\"id\":\"M1\",\"ssn\":\"123-45-6789\"},"
            + "\"lines\":[{\"code\":\"A\",\"ssn\":\"111\"},{\"code\":\"B\",\"ssn\":\"222\"}]}";

    /** A body whose sensitive values are longer than the mask, so that redacting it leaves it no larger. */
    private static final String LONG_BODY = "{\"claimId\":\"C1\",\"status\":\"APPROVED\","
            + "\"member\":{\"id\":\"M1\",\"ssn\":\"123-45-6789, issued 1990 in Springfield, Illinois\"},"
            + "\"lines\":[{\"code\":\"A\",\"ssn\":\"111-11-1111, the subscriber's spouse, since 2004\"}]}";

    private static final String LONG_BODY_REDACTED = "{\"claimId\":\"C1\",\"status\":\"APPROVED\","
            + "\"member\":{\"id\":\"M1\",\"ssn\":\"***REDACTED***\"},"
            + "\"lines\":[{\"code\":\"A\",\"ssn\":\"***REDACTED***\"}]}";

    /** The dead-letter reason for a body that is not JSON: it names the event, never quotes the body. */
    private static final String NOT_JSON = "the body of event 0190f1d2-7c4e-7a3b-8c9d-0e1f2a3b4c5d is not JSON";

    @TempDir
    Path stateDir;

    private final InMemorySchemaRegistryClient schemas = new InMemorySchemaRegistryClient();
    private final Serde<Envelope> envelopes = EnvelopeSerde.create(schemas, true);
    /** What the router's registry answers instead of registering, by subject. */
    private final Map<String, SchemaRegistryException> refusals = new ConcurrentHashMap<>();
    /** Record limits of subscription topics, by topic; none when absent. */
    private final Map<String, Integer> limits = new ConcurrentHashMap<>();
    /** What learning a topic's record limit throws instead, by topic. */
    private final Map<String, RuntimeException> limitFailures = new ConcurrentHashMap<>();

    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> firehose;
    private TestInputTopic<byte[], byte[]> replay;
    private TestInputTopic<String, byte[]> subscriptions;
    private TestInputTopic<String, byte[]> eventTypes;
    private TestInputTopic<String, byte[]> apps;
    private long offsetSeen;

    @BeforeEach
    void start() {
        start(Tracing.off());
    }

    /** Builds the topology and its driver anew, with the given tracing. */
    private void start(Tracing tracing) {
        if (driver != null) {
            driver.close();
        }
        Properties props = RouterTopology.properties("unused:9092", "router-test", stateDir.toString());
        SchemaRegistryClient routerRegistry = new RefusingRegistry(schemas, refusals);
        RecordLimits recordLimits = topic -> {
            RuntimeException failure = limitFailures.get(topic);
            if (failure != null) {
                throw failure;
            }
            return limits.getOrDefault(topic, Integer.MAX_VALUE);
        };
        driver = new TopologyTestDriver(
                RouterTopology.build(
                        routerRegistry, recordLimits, RouterTopology.Topics.PLATFORM, RouterMetrics.NONE, tracing),
                props);
        firehose =
                driver.createInputTopic(RouterTopology.FIREHOSE, new ByteArraySerializer(), new ByteArraySerializer());
        replay = driver.createInputTopic(RouterTopology.REPLAY, new ByteArraySerializer(), new ByteArraySerializer());
        subscriptions = driver.createInputTopic(
                RegistryTopics.SUBSCRIPTIONS, new StringSerializer(), new ByteArraySerializer());
        eventTypes =
                driver.createInputTopic(RegistryTopics.EVENT_TYPES, new StringSerializer(), new ByteArraySerializer());
        apps = driver.createInputTopic(RegistryTopics.APPS, new StringSerializer(), new ByteArraySerializer());
        eventTypes.pipeInput(TYPE, json(eventType()));
        apps.pipeInput("phi-reader", json(app("phi-reader", "PHI")));
        apps.pipeInput("plain-reader", json(app("plain-reader")));
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void shouldDeliverOneCopyToEachMatchingSubscriptionWhenTypesMatch() {
        subscribe(sub("all-claims", "phi-reader", List.of("Claim.*.*")));
        subscribe(sub("exact", "phi-reader", List.of(TYPE)));
        subscribe(sub("members", "phi-reader", List.of("Member.*.*")));

        publish(event(BODY));

        assertThat(output("all-claims")).hasSize(1);
        assertThat(output("exact")).hasSize(1);
        assertThat(output("members")).isEmpty();
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void shouldSetHeadersAndPropagateTraceparentWhenDelivering() {
        subscribe(sub("a", "phi-reader", List.of(TYPE)));
        Headers headers = new RecordHeaders();
        headers.add("traceparent", bytes("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
        headers.add("other", bytes("not propagated"));

        firehose.pipeInput(new TestRecord<>(bytes("tx-42"), serialize(event(BODY)), headers));

        TestRecord<byte[], Envelope> out = output("a").get(0);
        assertThat(header(out.headers(), "eventing-event-id")).isEqualTo("0190f1d2-7c4e-7a3b-8c9d-0e1f2a3b4c5d");
        assertThat(header(out.headers(), "eventing-event-type")).isEqualTo(TYPE);
        assertThat(header(out.headers(), "eventing-subscription")).isEqualTo("a");
        assertThat(header(out.headers(), "eventing-synthetic")).isEqualTo("false");
        assertThat(header(out.headers(), "traceparent"))
                .isEqualTo("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        assertThat(out.headers().lastHeader("other")).isNull();
        assertThat(new String(out.key(), StandardCharsets.UTF_8)).isEqualTo("tx-42");
    }

    @Test
    void shouldGiveEachCopyItsCopySpansTraceparentWhenTracingIsOn() {
        InMemorySpanExporter spans = traced();
        subscribe(sub("a", "phi-reader", List.of(TYPE)));
        subscribe(sub("b", "plain-reader", List.of(TYPE)));
        Headers headers = new RecordHeaders();
        headers.add("traceparent", bytes("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
        headers.add("tracestate", bytes("vendor=1"));

        firehose.pipeInput(
                new TestRecord<>(bytes("tx-42"), serialize(event(BODY, List.of("state:TX"), false)), headers));

        SpanData process = span(spans, "process eventing.firehose");
        SpanData a = span(spans, "copy a");
        SpanData b = span(spans, "copy b");
        assertThat(process.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(process.getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
        assertThat(process.getParentSpanId()).isEqualTo("b7ad6b7169203331");
        assertThat(List.of(a.getParentSpanId(), b.getParentSpanId())).containsOnly(process.getSpanId());
        assertThat(header(output("a").get(0).headers(), "traceparent"))
                .isEqualTo("00-0af7651916cd43dd8448eb211c80319c-" + a.getSpanId() + "-01");
        assertThat(header(output("b").get(0).headers(), "traceparent"))
                .isEqualTo("00-0af7651916cd43dd8448eb211c80319c-" + b.getSpanId() + "-01");
        assertThat(a.getAttributes().get(EventAttributes.OUTCOME)).isEqualTo("DELIVERED");
        assertThat(a.getAttributes().get(EventAttributes.TAGS)).containsExactly("state:TX");
    }

    @Test
    void shouldMarkEveryMatchingCopyDeadLetteredWhenTheWholeRecordIsDeadLetteredWithTracingOn() {
        InMemorySpanExporter spans = traced();
        subscribe(sub("a", "phi-reader", List.of(TYPE)));
        subscribe(withTags("tx", new TagFilter(List.of(), List.of("state:TX"), List.of())));

        publish(event("{\"claimId\": "));

        assertThat(deadLetters()).hasSize(1);
        assertThat(List.of(span(spans, "copy a"), span(spans, "copy tx"))).allSatisfy(s -> {
            assertThat(s.getAttributes().get(EventAttributes.OUTCOME)).isEqualTo("DEAD_LETTERED");
            assertThat(s.getAttributes().get(EventAttributes.REASON)).isEqualTo("unroutable");
        });
        assertThat(span(spans, "process eventing.firehose").getAttributes().get(EventAttributes.OUTCOME))
                .isEqualTo("DEAD_LETTERED");
    }

    @Test
    void shouldNameTheReasonOfAFilteredCopyAndWriteNoBodyValueInAnyAttributeWhenTracingIsOn() {
        InMemorySpanExporter spans = traced();
        subscribe(sub("a", "plain-reader", List.of(TYPE)));
        subscribe(withFilter("denied", "{\"/status\": [\"DENIED\"]}"));

        publish(event(LONG_BODY));

        SpanData denied = span(spans, "copy denied");
        assertThat(denied.getAttributes().get(EventAttributes.OUTCOME)).isEqualTo("FILTERED");
        assertThat(denied.getAttributes().get(EventAttributes.REASON)).isEqualTo("content");
        assertThat(spans.getFinishedSpanItems())
                .extracting(SpanData::getName)
                .containsExactlyInAnyOrder(
                        "process eventing.firehose",
                        "copy a",
                        "copy denied",
                        "store eventing.store",
                        "ledger eventing.ledger");
        assertThat(spans.getFinishedSpanItems())
                .flatExtracting(s -> s.getAttributes().asMap().values())
                .map(String::valueOf)
                .noneMatch(v -> v.contains("123-45-6789")
                        || v.contains("Springfield")
                        || v.contains("APPROVED")
                        || v.contains("C1"));
    }

    @Test
    void shouldGiveEachCopyItsOwnSubscriptionHeaderWhenCopiesShareTheEventsHeaders() {
        subscribe(sub("a", "phi-reader", List.of(TYPE)));
        subscribe(sub("b", "phi-reader", List.of(TYPE)));
        subscribe(sub("c", "plain-reader", List.of(TYPE)));
        Headers headers = new RecordHeaders();
        headers.add("traceparent", bytes("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
        headers.add("tracestate", bytes("vendor=opaque"));

        firehose.pipeInput(new TestRecord<>(bytes("tx-42"), serialize(event(BODY)), headers));
        firehose.pipeInput(new TestRecord<>(bytes("tx-43"), serialize(event(BODY))));

        for (String id : List.of("a", "b", "c")) {
            List<TestRecord<byte[], Envelope>> copies = output(id);
            assertThat(copies).hasSize(2);
            assertThat(copies.get(0).headers().toArray())
                    .extracting(h -> h.key() + "=" + new String(h.value(), StandardCharsets.UTF_8))
                    .containsExactly(
                            "eventing-event-id=0190f1d2-7c4e-7a3b-8c9d-0e1f2a3b4c5d",
                            "eventing-event-type=" + TYPE,
                            "eventing-subscription=" + id,
                            "eventing-synthetic=false",
                            "traceparent=00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                            "tracestate=vendor=opaque");
            // The next event's copies carry no trace context of the one before.
            assertThat(copies.get(1).headers().toArray())
                    .extracting(h -> h.key())
                    .containsExactly(
                            "eventing-event-id", "eventing-event-type", "eventing-subscription", "eventing-synthetic");
            assertThat(header(copies.get(1).headers(), "eventing-subscription")).isEqualTo(id);
        }
    }

    @Test
    void shouldWriteTheFirehoseBytesAgainWhenACopyChangesNothing() {
        subscribe(sub("cleared", "phi-reader", List.of(TYPE)));
        subscribe(sub("uncleared", "plain-reader", List.of(TYPE)));
        byte[] original = serialize(event(BODY));

        firehose.pipeInput(bytes("tx-42"), original);

        assertThat(rawOutput("cleared")).containsExactly(original);
        assertThat(rawOutput("uncleared").get(0)).isNotEqualTo(original);
    }

    @Test
    void shouldWriteACopyOfItsOwnWhenTheEventListsRedactedPaths() {
        subscribe(sub("cleared", "phi-reader", List.of(TYPE)));
        Envelope listed = event(BODY);
        listed.setRedactedPaths(List.of("/member/ssn"));

        publish(listed);

        Envelope copy = output("cleared").get(0).value();
        assertThat(copy.getBody()).isEqualTo(BODY);
        assertThat(copy.getRedactedPaths()).isEmpty();
    }

    @Test
    void shouldRedactUnclearedFieldsWhenAppLacksGrant() {
        subscribe(sub("cleared", "phi-reader", List.of(TYPE)));
        subscribe(sub("uncleared", "plain-reader", List.of(TYPE)));

        publish(event(BODY));

        Envelope cleared = output("cleared").get(0).value();
        Envelope uncleared = output("uncleared").get(0).value();
        assertThat(cleared.getBody()).isEqualTo(BODY);
        assertThat(cleared.getRedactedPaths()).isEmpty();
        assertThat(body(uncleared).at("/member/ssn").stringValue()).isEqualTo("***REDACTED***");
        assertThat(body(uncleared).at("/lines/1/ssn").stringValue()).isEqualTo("***REDACTED***");
        assertThat(body(uncleared).at("/member/id").stringValue()).isEqualTo("M1");
        assertThat(uncleared.getRedactedPaths()).containsExactly("/member/ssn", "/lines/0/ssn", "/lines/1/ssn");
        assertThat(uncleared.getBody()).doesNotContain("123-45-6789", "111", "222");
    }

    @Test
    void shouldApplyNewGrantToNextEventWhenAppChanges() {
        subscribe(sub("s", "plain-reader", List.of(TYPE)));
        publish(event(BODY));

        apps.pipeInput("plain-reader", json(app("plain-reader", "PHI")));
        publish(event(BODY));

        List<TestRecord<byte[], Envelope>> out = output("s");
        assertThat(out.get(0).value().getRedactedPaths()).hasSize(3);
        assertThat(out.get(1).value().getRedactedPaths()).isEmpty();
    }

    @Test
    void shouldRedactUnderTheChangedTypeWhenItsSensitiveFieldsChange() {
        subscribe(sub("s", "plain-reader", List.of(TYPE)));
        publish(event(BODY));

        EventType before = eventType();
        EventTypeVersion v1 = before.version(1);
        List<SensitiveField> more = new ArrayList<>(v1.sensitiveFields());
        more.add(new SensitiveField("/member/id", "PHI"));
        eventTypes.pipeInput(
                TYPE,
                json(new EventType(
                        before.noun(),
                        before.verb(),
                        before.object(),
                        before.description(),
                        before.owner(),
                        before.retentionDays(),
                        before.example(),
                        List.of(new EventTypeVersion(1, v1.schema(), more, v1.createdAt())),
                        before.createdAt(),
                        before.updatedAt())));
        publish(event(BODY));

        List<TestRecord<byte[], Envelope>> out = output("s");
        assertThat(out.get(0).value().getRedactedPaths()).doesNotContain("/member/id");
        assertThat(body(out.get(0).value()).at("/member/id").stringValue()).isEqualTo("M1");
        assertThat(out.get(1).value().getRedactedPaths()).contains("/member/id");
        assertThat(body(out.get(1).value()).at("/member/id").stringValue()).isEqualTo("***REDACTED***");
    }

    @Test
    void shouldProjectBeforeRedactingWhenSubscriptionHasInclude() {
        Subscription s = new Subscription(
                "proj",
                "plain-reader",
                List.of(TYPE),
                null,
                null,
                null,
                List.of("claimId", "member"),
                "eventing.sub.proj",
                1,
                Instant.EPOCH);
        subscribe(s);

        publish(event(BODY));

        Envelope out = output("proj").get(0).value();
        assertThat(out.getBody())
                .isEqualTo("{\"claimId\":\"C1\",\"member\":{\"id\":\"M1\",\"ssn\":\"***REDACTED***\"}}");
        assertThat(out.getRedactedPaths()).containsExactly("/member/ssn");
    }

    @Test
    void shouldGiveEachSubscriptionTheCopyForItsAppAndProjectionWhenSeveralShareAnApp() {
        subscribe(sub("plain-a", "plain-reader", List.of(TYPE)));
        subscribe(sub("plain-b", "plain-reader", List.of(TYPE)));
        subscribe(new Subscription(
                "plain-proj",
                "plain-reader",
                List.of(TYPE),
                null,
                null,
                null,
                List.of("claimId"),
                "eventing.sub.plain-proj",
                1,
                Instant.EPOCH));
        subscribe(sub("phi", "phi-reader", List.of(TYPE)));

        publish(event(BODY));

        Envelope a = output("plain-a").get(0).value();
        Envelope b = output("plain-b").get(0).value();
        assertThat(a.getBody()).isEqualTo(b.getBody()).doesNotContain("123-45-6789", "111", "222");
        assertThat(b.getRedactedPaths()).containsExactly("/member/ssn", "/lines/0/ssn", "/lines/1/ssn");
        Envelope projected = output("plain-proj").get(0).value();
        assertThat(projected.getBody()).isEqualTo("{\"claimId\":\"C1\"}");
        assertThat(projected.getRedactedPaths()).isEmpty();
        assertThat(output("phi").get(0).value().getBody()).isEqualTo(BODY);
    }

    @Test
    void shouldKeepDecimalsAsTheyCameWhenRedacting() {
        subscribe(sub("plain", "plain-reader", List.of(TYPE)));

        publish(event("{\"amount\":125.10,\"huge\":1E+400,\"member\":{\"ssn\":\"123-45-6789\"}}"));

        Envelope out = output("plain").get(0).value();
        assertThat(out.getBody())
                .isEqualTo("{\"amount\":125.10,\"huge\":1E+400,\"member\":{\"ssn\":\"***REDACTED***\"}}");
    }

    @Test
    void shouldSelectByTagsWhenSubscriptionHasTagFilter() {
        subscribe(withTags("all-of", new TagFilter(List.of("state:TX", "line:dental"), List.of(), List.of())));
        subscribe(withTags("any-of", new TagFilter(List.of(), List.of("state:CA", "state:TX"), List.of())));
        subscribe(withTags("none-of", new TagFilter(List.of(), List.of(), List.of("state:TX"))));
        subscribe(withTags("all-of-missing", new TagFilter(List.of("state:NY"), List.of(), List.of())));

        publish(event(BODY, List.of("state:TX", "line:dental"), false));

        assertThat(output("all-of")).hasSize(1);
        assertThat(output("any-of")).hasSize(1);
        assertThat(output("none-of")).isEmpty();
        assertThat(output("all-of-missing")).isEmpty();
    }

    @Test
    void shouldSelectByContentWhenSubscriptionHasFilter() {
        subscribe(withFilter("exact", "{\"/status\": [\"APPROVED\"]}"));
        subscribe(withFilter("prefix", "{\"/status\": [{\"prefix\": \"APP\"}]}"));
        subscribe(withFilter("anything-but", "{\"/status\": [{\"anything-but\": [\"APPROVED\"]}]}"));
        subscribe(withFilter("numeric", "{\"/amount\": [{\"numeric\": [\">\", 100, \"<=\", 5000]}]}"));
        subscribe(withFilter("numeric-out", "{\"/amount\": [{\"numeric\": [\">\", 1000]}]}"));
        subscribe(withFilter("exists", "{\"/member/id\": [{\"exists\": true}]}"));
        subscribe(withFilter("not-exists", "{\"/member/name\": [{\"exists\": true}]}"));
        subscribe(withFilter("and", "{\"/status\": [\"APPROVED\"], \"/amount\": [1]}"));
        subscribe(withFilter("or", "{\"/status\": [\"DENIED\", {\"prefix\": \"APPR\"}]}"));

        publish(event(BODY));

        assertThat(output("exact")).hasSize(1);
        assertThat(output("prefix")).hasSize(1);
        assertThat(output("anything-but")).isEmpty();
        assertThat(output("numeric")).hasSize(1);
        assertThat(output("numeric-out")).isEmpty();
        assertThat(output("exists")).hasSize(1);
        assertThat(output("not-exists")).isEmpty();
        assertThat(output("and")).isEmpty();
        assertThat(output("or")).hasSize(1);
    }

    @Test
    void shouldHonourSyntheticPolicyWhenEventIsSyntheticOrReal() {
        subscribe(withSynthetic("exclude", SyntheticPolicy.EXCLUDE));
        subscribe(withSynthetic("include", SyntheticPolicy.INCLUDE));
        subscribe(withSynthetic("only", SyntheticPolicy.ONLY));

        publish(event(BODY, List.of(), true));
        publish(event(BODY, List.of(), false));

        assertThat(output("exclude")).extracting(r -> r.value().getSynthetic()).containsExactly(false);
        assertThat(output("include")).extracting(r -> r.value().getSynthetic()).containsExactly(true, false);
        assertThat(output("only")).extracting(r -> r.value().getSynthetic()).containsExactly(true);
    }

    @Test
    void shouldStopDeliveringWhenSubscriptionIsDeleted() {
        subscribe(sub("gone", "phi-reader", List.of(TYPE)));
        publish(event(BODY));

        subscriptions.pipeInput("gone", (byte[]) null);
        publish(event(BODY));

        assertThat(output("gone")).hasSize(1);
    }

    @Test
    void shouldDeadLetterOnlyTheDigestWhenRecordIsNotAnEnvelope() {
        subscribe(sub("a", "phi-reader", List.of(TYPE)));

        firehose.pipeInput(bytes("k"), bytes("not avro"));
        publish(event(BODY));

        TestRecord<byte[], byte[]> dead = deadLetters().get(0);
        assertThat(dead.value()).isNull();
        assertThat(header(dead.headers(), "eventing-deadletter-size")).isEqualTo("8");
        assertThat(header(dead.headers(), "eventing-deadletter-sha256"))
                .isEqualTo("91e55b23a803f8b3f498144072399c4d1ea97e4cbf21f98ad6e038dcef669068");
        assertThat(header(dead.headers(), "eventing-deadletter-reason")).startsWith("cannot deserialize the envelope");
        assertThat(header(dead.headers(), "eventing-deadletter-exception"))
                .isEqualTo("org.apache.kafka.common.errors.SerializationException");
        assertThat(header(dead.headers(), "eventing-deadletter-topic")).isEqualTo("eventing.firehose");
        assertThat(header(dead.headers(), "eventing-deadletter-partition")).isEqualTo("0");
        assertThat(header(dead.headers(), "eventing-deadletter-offset")).isEqualTo("0");
        assertThat(output("a")).hasSize(1);
    }

    @Test
    void shouldDeadLetterWhenSchemaIdIsUnknown() {
        subscribe(sub("a", "phi-reader", List.of(TYPE)));

        firehose.pipeInput(bytes("k"), new byte[] {0, 0, 0, 0, 99, 1, 2});

        assertThat(header(deadLetters().get(0).headers(), "eventing-deadletter-reason"))
                .startsWith("cannot deserialize the envelope: cannot find schema 99");
        assertThat(output("a")).isEmpty();
    }

    @Test
    void shouldDeadLetterOnlyTheDigestWhenEventTypeIsNotRegistered() {
        subscribe(sub("a", "plain-reader", List.of("*.*.*")));
        Envelope unknown = Envelope.newBuilder(event(BODY))
                .setNoun("Member")
                .setEventType("Member.Submitted.Reconsideration")
                .build();
        byte[] original = serialize(unknown);

        firehose.pipeInput(bytes("tx-42"), original);

        assertThat(output("a")).isEmpty();
        TestRecord<byte[], byte[]> dead = deadLetters().get(0);
        assertThat(header(dead.headers(), "eventing-deadletter-reason"))
                .isEqualTo("event type Member.Submitted.Reconsideration is not registered");
        assertDigestOnly(dead, original);
    }

    @Test
    void shouldDeadLetterOnlyTheDigestWhenBodySchemaVersionIsUnknown() {
        subscribe(sub("a", "plain-reader", List.of(TYPE)));
        byte[] original = serialize(
                Envelope.newBuilder(event(BODY)).setBodySchemaVersion(7).build());

        firehose.pipeInput(bytes("tx-42"), original);

        assertThat(output("a")).isEmpty();
        TestRecord<byte[], byte[]> dead = deadLetters().get(0);
        assertThat(header(dead.headers(), "eventing-deadletter-reason"))
                .isEqualTo("event type Claim.Submitted.Reconsideration has no version 7");
        assertDigestOnly(dead, original);
    }

    @Test
    void shouldDeadLetterOnlyThatCopyWhenSubscribingAppIsNotRegistered() {
        subscribe(sub("orphan", "nobody", List.of(TYPE)));
        subscribe(sub("fine", "plain-reader", List.of(TYPE)));

        publish(event(BODY));

        assertThat(output("orphan")).isEmpty();
        assertThat(output("fine")).hasSize(1);
        TestRecord<byte[], byte[]> dead = deadLetters().get(0);
        assertThat(header(dead.headers(), "eventing-deadletter-reason"))
                .isEqualTo("app nobody of subscription orphan is not registered");
        assertThat(header(dead.headers(), "eventing-subscription")).isEqualTo("orphan");
    }

    @Test
    void shouldDeadLetterOnlyTheDigestWhenBodyIsNotJson() {
        subscribe(sub("a", "phi-reader", List.of(TYPE)));
        subscribe(sub("orphan", "nobody", List.of(TYPE)));
        byte[] original = serialize(event("{\"member\":{\"ssn\":\"123-45-6789\"} not json"));

        firehose.pipeInput(bytes("tx-42"), original);

        assertThat(output("a")).isEmpty();
        List<TestRecord<byte[], byte[]>> dead = deadLetters();
        assertThat(dead).hasSize(1);
        assertThat(header(dead.get(0).headers(), "eventing-deadletter-reason")).isEqualTo(NOT_JSON);
        assertDigestOnly(dead.get(0), original);
    }

    @Test
    void shouldDeadLetterOnlyTheDigestWhenABodyNumberCannotBeReadForAFilterThoughTheTextRedacts() {
        subscribe(withFilter("exact", "{\"/status\": [\"APPROVED\"]}"));
        byte[] original = serialize(event("{\"status\":\"APPROVED\",\"x\":1e99999999999,\"member\":{\"ssn\":\"1\"}}"));

        firehose.pipeInput(bytes("tx-42"), original);

        assertDigestOnly(deadLetters().get(0), original);
    }

    @Test
    void shouldDeadLetterWhenBodyHasMoreThanOneValueWhateverTheCopiesNeed() {
        // One copy redacted from the text, one passed through unread: neither is made from a body that is not JSON.
        subscribe(sub("plain", "plain-reader", List.of(TYPE)));
        subscribe(sub("phi", "phi-reader", List.of(TYPE)));

        publish(event(BODY + " {\"member\":{\"ssn\":\"999-99-9999\"}}"));

        assertThat(output("plain")).isEmpty();
        assertThat(output("phi")).isEmpty();
        var dead = deadLetters();
        assertThat(dead).hasSize(1);
        assertThat(header(dead.get(0).headers(), "eventing-deadletter-reason")).isEqualTo(NOT_JSON);
    }

    @Test
    void shouldDeadLetterWhenBodyIsEmptyEvenThoughAFilterWouldMatchIt() {
        // An empty body reads as a missing node, and {"exists": false} matches one.
        subscribe(withFilter("absent", "{\"/status\": [{\"exists\": false}]}"));

        publish(event(" "));

        assertThat(output("absent")).isEmpty();
        assertThat(header(deadLetters().get(0).headers(), "eventing-deadletter-reason"))
                .isEqualTo(NOT_JSON);
    }

    @Test
    void shouldNotQuoteTheBodyWhenAFilterCannotReadOneOfItsNumbers() {
        // No BigDecimal holds this exponent; the parse failure's own message would quote it.
        subscribe(withFilter("exact", "{\"/status\": [\"APPROVED\"]}"));

        publish(event("{\"status\":\"APPROVED\",\"x\":1e99999999999}"));

        assertThat(output("exact")).isEmpty();
        assertThat(header(deadLetters().get(0).headers(), "eventing-deadletter-reason"))
                .isEqualTo(NOT_JSON);
    }

    @Test
    void shouldIgnoreSubscriptionWhenItsRegistryValueIsUnreadable() {
        subscriptions.pipeInput("broken", bytes("{oops"));
        subscribe(sub("a", "phi-reader", List.of(TYPE)));

        publish(event(BODY));

        assertThat(output("a")).hasSize(1);
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void shouldDeadLetterOnlyThatCopyWhenRegistryRefusesItsSubject() {
        subscribe(sub("refused", "phi-reader", List.of(TYPE)));
        subscribe(sub("fine", "phi-reader", List.of(TYPE)));
        refusals.put(
                "eventing.sub.refused-value",
                new SchemaRegistryException(409, 409, "Schema being registered is incompatible"));
        Headers headers = new RecordHeaders();
        headers.add("traceparent", bytes("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
        byte[] original = serialize(event(LONG_BODY));

        firehose.pipeInput(new TestRecord<>(bytes("tx-42"), original, headers));
        publish(event(BODY));

        assertThat(output("refused")).isEmpty();
        assertThat(output("fine")).hasSize(2);
        List<TestRecord<byte[], byte[]>> dead = deadLetters();
        assertThat(dead).hasSize(2);
        Envelope redacted = deadLetter(dead.get(0));
        assertThat(redacted.getBody()).isEqualTo(LONG_BODY_REDACTED);
        assertThat(redacted.getRedactedPaths()).containsExactly("/member/ssn", "/lines/0/ssn");
        assertThat(dead.get(0).headers().lastHeader("eventing-deadletter-sha256"))
                .isNull();
        assertThat(new String(dead.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("tx-42");
        assertThat(header(dead.get(0).headers(), "eventing-deadletter-reason"))
                .isEqualTo("cannot write the copy for subscription refused to eventing.sub.refused: cannot get a"
                        + " schema id for subject eventing.sub.refused-value: Schema being registered is incompatible"
                        + " (status 409, error code 409)");
        assertThat(header(dead.get(0).headers(), "eventing-deadletter-exception"))
                .isEqualTo("org.apache.kafka.common.errors.SerializationException");
        assertThat(header(dead.get(0).headers(), "eventing-deadletter-topic")).isEqualTo("eventing.firehose");
        assertThat(header(dead.get(0).headers(), "eventing-deadletter-partition"))
                .isEqualTo("0");
        assertThat(header(dead.get(0).headers(), "eventing-deadletter-offset")).isEqualTo("0");
        assertThat(header(dead.get(0).headers(), "eventing-subscription")).isEqualTo("refused");
        assertThat(header(dead.get(0).headers(), "traceparent"))
                .isEqualTo("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        assertThat(header(dead.get(1).headers(), "eventing-deadletter-offset")).isEqualTo("1");
    }

    @Test
    void shouldDeadLetterCopyWhenItIsTooLargeForItsTopic() {
        subscribe(sub("small", "phi-reader", List.of(TYPE)));
        subscribe(sub("fine", "phi-reader", List.of(TYPE)));
        limits.put("eventing.sub.small", 1000);

        publish(event("{\"claimId\":\"C1\",\"note\":\"" + "x".repeat(1000) + "\"}"));
        publish(event(BODY));

        assertThat(output("small")).extracting(r -> r.value().getBody()).containsExactly(BODY);
        assertThat(output("fine")).hasSize(2);
        TestRecord<byte[], byte[]> dead = deadLetters().get(0);
        assertThat(header(dead.headers(), "eventing-deadletter-exception"))
                .isEqualTo("org.apache.kafka.common.errors.RecordTooLargeException");
        assertThat(header(dead.headers(), "eventing-deadletter-reason"))
                .startsWith("cannot write the copy for subscription small to eventing.sub.small: the copy is up to ")
                .endsWith(" bytes as a record, and topic eventing.sub.small takes at most 1000");
        assertThat(header(dead.headers(), "eventing-subscription")).isEqualTo("small");
        assertThat(deadLetter(dead).getBody()).isEqualTo("{\"claimId\":\"C1\",\"note\":\"" + "x".repeat(1000) + "\"}");
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void shouldFailTheTaskAndDeadLetterNothingWhenRegistryCannotBeReached() {
        subscribe(sub("a", "phi-reader", List.of(TYPE)));
        refusals.put(
                "eventing.sub.a-value",
                new SchemaRegistryException("cannot reach the registry", new java.net.ConnectException("refused")));

        assertThatThrownBy(() -> publish(event(BODY))).isInstanceOf(StreamsException.class);

        assertThat(deadLetters()).isEmpty();
        assertThat(output("a")).isEmpty();
    }

    @Test
    void shouldFailTheTaskWhenRegistryRefusesTheRoutersCredentials() {
        subscribe(sub("a", "phi-reader", List.of(TYPE)));
        refusals.put("eventing.sub.a-value", new SchemaRegistryException(401, 40101, "Unauthorized"));

        assertThatThrownBy(() -> publish(event(BODY))).isInstanceOf(StreamsException.class);

        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void shouldRunExactlyOnceWhenConfigured() {
        Properties props = RouterTopology.properties("broker:9092", "router", "/tmp/state");

        assertThat(props.getProperty("processing.guarantee")).isEqualTo("exactly_once_v2");
        assertThat(props.getProperty("application.id")).isEqualTo("router");
        assertThat(props.getProperty("bootstrap.servers")).isEqualTo("broker:9092");
        assertThat(props.getProperty("state.dir")).isEqualTo("/tmp/state");
    }

    @Test
    void shouldInstallCopyFailureHandlerAndFailOnGlobalTableErrorsWhenConfigured() {
        Properties props = RouterTopology.properties("broker:9092", "router", "/tmp/state");

        assertThat(props.get("production.exception.handler")).isEqualTo(CopyFailureHandler.class);
        assertThat(props.get("processing.exception.handler"))
                .isEqualTo(org.apache.kafka.streams.errors.LogAndFailProcessingExceptionHandler.class);
        assertThat(props.get("processing.exception.handler.global.enabled")).isEqualTo(true);
        assertThat(props.get("errors.dead.letter.queue.topic.name")).isNull();
    }

    @Test
    void shouldDeadLetterTheRedactedEventWhenRedactingMakesItLargerThanTheRecord() {
        subscribe(sub("orphan", "nobody", List.of(TYPE)));
        byte[] original = serialize(event(BODY));

        firehose.pipeInput(bytes("tx-42"), original);

        TestRecord<byte[], byte[]> dead = deadLetters().get(0);
        assertThat(dead.value().length).isGreaterThan(original.length);
        Envelope redacted = deadLetter(dead);
        assertThat(redacted.getBody())
                .isEqualTo("{\"claimId\":\"C1\",\"status\":\"APPROVED\",\"amount\":250,"
                        + "\"member\":{\"id\":\"M1\",\"ssn\":\"***REDACTED***\"},"
                        + "\"lines\":[{\"code\":\"A\",\"ssn\":\"***REDACTED***\"},"
                        + "{\"code\":\"B\",\"ssn\":\"***REDACTED***\"}]}");
        assertThat(redacted.getRedactedPaths()).containsExactly("/member/ssn", "/lines/0/ssn", "/lines/1/ssn");
        assertThat(dead.headers().lastHeader("eventing-deadletter-sha256")).isNull();
    }

    @Test
    void shouldDeadLetterOnlyTheDigestWhenTheRedactedEventDoesNotFitTheDeadLetterTopic() {
        subscribe(sub("orphan", "nobody", List.of(TYPE)));
        byte[] original = serialize(event(LONG_BODY));
        limits.put(RouterTopology.DEADLETTER, original.length);

        firehose.pipeInput(bytes("tx-42"), original);

        TestRecord<byte[], byte[]> dead = deadLetters().get(0);
        assertDigestOnly(dead, original);
        assertThat(header(dead.headers(), "eventing-deadletter-offset")).isEqualTo("0");
    }

    @Test
    void shouldDeadLetterTheEventRedactedOfEverySensitiveFieldWhenTheSubscribingAppIsNotRegistered() {
        subscribe(sub("orphan", "nobody", List.of(TYPE)));
        byte[] original = serialize(event(LONG_BODY));

        firehose.pipeInput(bytes("tx-42"), original);

        TestRecord<byte[], byte[]> dead = deadLetters().get(0);
        Envelope redacted = deadLetter(dead);
        assertThat(redacted.getBody()).isEqualTo(LONG_BODY_REDACTED);
        assertThat(redacted.getRedactedPaths()).containsExactly("/member/ssn", "/lines/0/ssn");
        assertThat(redacted.getEventId()).isEqualTo("0190f1d2-7c4e-7a3b-8c9d-0e1f2a3b4c5d");
        assertThat(dead.headers().lastHeader("eventing-deadletter-size")).isNull();
        assertThat(header(dead.headers(), "eventing-deadletter-offset")).isEqualTo("0");
    }

    @Test
    void shouldDeadLetterTheEventRedactedOfTheSensitiveFieldsOfEveryVersionWhenItsTypeHasSeveral() {
        JsonNode schema = RegistryTopics.JSON.readTree("{\"type\":\"object\"}");
        eventTypes.pipeInput(
                TYPE,
                json(eventType(
                        new EventTypeVersion(
                                1,
                                schema,
                                List.of(
                                        new SensitiveField("/member/ssn", "PHI"),
                                        new SensitiveField("/member/dob", "PHI")),
                                Instant.EPOCH),
                        new EventTypeVersion(
                                2,
                                schema,
                                List.of(new SensitiveField("/member/ssn", "PHI"), new SensitiveField("/card", "PCI")),
                                Instant.EPOCH))));
        subscribe(sub("orphan", "nobody", List.of(TYPE)));
        subscribe(sub("phi", "phi-reader", List.of(TYPE)));
        String body = "{\"member\":{\"ssn\":\"123-45-6789, issued 1990\",\"dob\":\"born 1970-01-01 in Springfield\"},"
                + "\"card\":\"4111 1111 1111 1111, expires 2031\",\"note\":\"n\"}";

        publish(Envelope.newBuilder(event(body)).setBodySchemaVersion(2).build());

        assertThat(deadLetter(deadLetters().get(0)).getBody())
                .isEqualTo("{\"member\":{\"ssn\":\"***REDACTED***\",\"dob\":\"***REDACTED***\"},"
                        + "\"card\":\"***REDACTED***\",\"note\":\"n\"}");
        // A copy of a version 2 event is redacted of what version 2 and later declare: /member/dob is not among it.
        assertThat(output("phi").get(0).value().getBody())
                .isEqualTo(
                        "{\"member\":{\"ssn\":\"123-45-6789, issued 1990\",\"dob\":\"born 1970-01-01 in Springfield\"},"
                                + "\"card\":\"***REDACTED***\",\"note\":\"n\"}");
    }

    @Test
    void shouldDeadLetterTheFirehoseBytesWhenTheEventHoldsNoSensitiveValue() {
        subscribe(sub("orphan", "nobody", List.of(TYPE)));
        byte[] original = serialize(event("{\"claimId\":\"C1\",\"member\":{\"id\":\"M1\"}}"));

        firehose.pipeInput(bytes("tx-42"), original);

        assertThat(deadLetters().get(0).value()).isEqualTo(original);
    }

    @Test
    void shouldDeadLetterOnlyTheDigestWhenTheRegistryRefusesTheDeadLetterSubject() {
        subscribe(sub("orphan", "nobody", List.of(TYPE)));
        refusals.put(
                "eventing.deadletter-value",
                new SchemaRegistryException(409, 409, "Schema being registered is incompatible"));
        byte[] original = serialize(event(BODY));

        firehose.pipeInput(bytes("tx-42"), original);

        assertDigestOnly(deadLetters().get(0), original);
    }

    @Test
    void shouldDeadLetterTheCopyRedactedOfEverythingWhenItIsTooLargeForItsTopicThoughItsAppIsCleared() {
        subscribe(sub("small", "phi-reader", List.of(TYPE)));
        limits.put("eventing.sub.small", 100);

        publish(event(LONG_BODY));

        TestRecord<byte[], byte[]> dead = deadLetters().get(0);
        assertThat(header(dead.headers(), "eventing-subscription")).isEqualTo("small");
        assertThat(deadLetter(dead).getBody()).doesNotContain("123-45-6789", "111-11-1111");
        assertThat(deadLetter(dead).getRedactedPaths()).containsExactly("/member/ssn", "/lines/0/ssn");
    }

    @Test
    void shouldFilterOnTheBodyAsTheAppGetsItWhenTheFilterReadsAFieldTheAppIsNotClearedFor() {
        subscribe(withFilter("plain-prefix", "plain-reader", "{\"/member/ssn\": [{\"prefix\": \"123\"}]}"));
        subscribe(withFilter("plain-exists", "plain-reader", "{\"/member/ssn\": [{\"exists\": true}]}"));
        subscribe(withFilter("plain-mask", "plain-reader", "{\"/member/ssn\": [\"***REDACTED***\"]}"));
        subscribe(withFilter("plain-element", "plain-reader", "{\"/lines/1/ssn\": [{\"numeric\": [\">\", 200]}]}"));
        subscribe(withFilter("plain-public", "plain-reader", "{\"/member/id\": [\"M1\"]}"));
        subscribe(withFilter("phi-prefix", "phi-reader", "{\"/member/ssn\": [{\"prefix\": \"123\"}]}"));
        subscribe(withFilter("phi-element", "phi-reader", "{\"/lines/1/ssn\": [{\"numeric\": [\">\", 200]}]}"));

        publish(event(BODY.replace("\"222\"", "222")));

        assertThat(output("plain-prefix")).isEmpty();
        assertThat(output("plain-exists")).hasSize(1);
        assertThat(output("plain-mask")).hasSize(1);
        assertThat(output("plain-element")).isEmpty();
        assertThat(output("plain-public")).hasSize(1);
        assertThat(output("phi-prefix")).hasSize(1);
        assertThat(output("phi-element")).hasSize(1);
    }

    @Test
    void shouldFilterOnTheRedactedElementsWhenTheFilterReadsAnArrayWhoseElementsAreSensitive() {
        JsonNode schema = RegistryTopics.JSON.readTree("{\"type\":\"object\"}");
        eventTypes.pipeInput(
                TYPE,
                json(eventType(new EventTypeVersion(
                        1, schema, List.of(new SensitiveField("/codes/*", "PHI")), Instant.EPOCH))));
        subscribe(withFilter("plain", "plain-reader", "{\"/codes\": [{\"prefix\": \"F32\"}]}"));
        subscribe(withFilter("phi", "phi-reader", "{\"/codes\": [{\"prefix\": \"F32\"}]}"));

        publish(event("{\"codes\":[\"E11.9\",\"F32.1\"]}"));

        assertThat(output("plain")).isEmpty();
        assertThat(output("phi")).hasSize(1);
    }

    @Test
    void shouldFilterTheSubscriptionOfAnUnregisteredAppOnTheBodyRedactedOfEverythingWhenDeadLettering() {
        subscribe(withFilter("orphan-prefix", "nobody", "{\"/member/ssn\": [{\"prefix\": \"123\"}]}"));
        subscribe(withFilter("orphan-exists", "nobody", "{\"/member/ssn\": [{\"exists\": true}]}"));

        publish(event(BODY));

        assertThat(deadLetters())
                .extracting(r -> header(r.headers(), "eventing-subscription"))
                .containsExactly("orphan-exists");
    }

    @Test
    void shouldRedactAFieldMadeSensitiveInALaterVersionWhenTheEventIsStampedWithAnEarlierOne() {
        JsonNode schema = RegistryTopics.JSON.readTree("{\"type\":\"object\"}");
        eventTypes.pipeInput(
                TYPE,
                json(eventType(
                        new EventTypeVersion(
                                1, schema, List.of(new SensitiveField("/member/ssn", "PHI")), Instant.EPOCH),
                        new EventTypeVersion(
                                2,
                                schema,
                                List.of(
                                        new SensitiveField("/member/ssn", "PHI"),
                                        new SensitiveField("/member/dob", "PHI")),
                                Instant.EPOCH))));
        subscribe(sub("plain", "plain-reader", List.of(TYPE)));
        subscribe(sub("phi", "phi-reader", List.of(TYPE)));

        publish(event("{\"member\":{\"ssn\":\"123-45-6789\",\"dob\":\"1970-01-01\"}}"));

        Envelope plain = output("plain").get(0).value();
        assertThat(plain.getBody()).isEqualTo("{\"member\":{\"ssn\":\"***REDACTED***\",\"dob\":\"***REDACTED***\"}}");
        assertThat(plain.getRedactedPaths()).containsExactly("/member/ssn", "/member/dob");
        assertThat(plain.getBodySchemaVersion()).isEqualTo(1);
        assertThat(output("phi").get(0).value().getBody())
                .isEqualTo("{\"member\":{\"ssn\":\"123-45-6789\",\"dob\":\"1970-01-01\"}}");
    }

    // --- fixtures

    @Test
    void shouldStoreEachEventOnceRedactedBesideItsCopiesWhenRouted() {
        subscribe(sub("a", "phi-reader", List.of(TYPE)));
        subscribe(sub("b", "plain-reader", List.of(TYPE)));

        firehose.pipeInput(new TestRecord<>(bytes("tx-42"), serialize(event(BODY)), new RecordHeaders()));

        assertThat(output("a")).hasSize(1);
        assertThat(output("b")).hasSize(1);
        List<TestRecord<String, String>> stored = stored();
        assertThat(stored).hasSize(1);
        assertThat(stored.get(0).key()).isEqualTo("0190f1d2-7c4e-7a3b-8c9d-0e1f2a3b4c5d");
        JsonNode doc = RegistryTopics.JSON.readTree(stored.get(0).value());
        assertThat(doc.path("_id").asString()).isEqualTo("0190f1d2-7c4e-7a3b-8c9d-0e1f2a3b4c5d");
        assertThat(doc.path("storePolicy").asString()).isEqualTo("REDACT");
        assertThat(doc.path("body").toString())
                .isEqualTo("{\"claimId\":\"C1\",\"status\":\"APPROVED\",\"amount\":250,"
                        + "\"member\":{\"id\":\"M1\",\"ssn\":\"***REDACTED***\"},"
                        + "\"lines\":[{\"code\":\"A\",\"ssn\":\"***REDACTED***\"},"
                        + "{\"code\":\"B\",\"ssn\":\"***REDACTED***\"}]}");
        assertThat(doc.path("redactedPaths").toString())
                .isEqualTo("[\"/member/ssn\",\"/lines/0/ssn\",\"/lines/1/ssn\"]");
        assertThat(doc.path("synthetic").asBoolean()).isFalse();
        assertThat(header(stored.get(0).headers(), "eventing-event-type")).isEqualTo(TYPE);
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void shouldStoreTheFirehoseRecordsTraceparentWhenItCarriesOne() {
        subscribe(sub("a", "phi-reader", List.of(TYPE)));
        Headers traced = new RecordHeaders();
        traced.add("traceparent", bytes("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));

        firehose.pipeInput(new TestRecord<>(bytes("tx-42"), serialize(event(BODY)), traced));
        firehose.pipeInput(new TestRecord<>(bytes("tx-42"), serialize(event(BODY)), new RecordHeaders()));

        assertThat(stored())
                .extracting(r -> RegistryTopics.JSON
                        .readTree(r.value())
                        .path("traceparent")
                        .asString(""))
                .containsExactly("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "");
    }

    @Test
    void shouldStoreTheFirehosePartitionAndOffsetWhenEventsFollowEachOther() {
        subscribe(sub("a", "phi-reader", List.of(TYPE)));

        publish(event(BODY));
        publish(event(BODY));
        publish(event(BODY));

        assertThat(stored())
                .extracting(r ->
                        RegistryTopics.JSON.readTree(r.value()).path("firehose").toString())
                .containsExactly(
                        "{\"topic\":\"eventing.firehose\",\"partition\":0,\"offset\":0}",
                        "{\"topic\":\"eventing.firehose\",\"partition\":0,\"offset\":1}",
                        "{\"topic\":\"eventing.firehose\",\"partition\":0,\"offset\":2}");
    }

    @Test
    void shouldStoreNothingButStillDeliverWhenTheTypesStorePolicyIsNone() {
        eventTypes.pipeInput(TYPE, json(eventType(version(1, StorePolicy.NONE))));
        subscribe(sub("a", "phi-reader", List.of(TYPE)));

        publish(event(BODY));

        assertThat(output("a")).hasSize(1);
        assertThat(stored()).isEmpty();
    }

    @Test
    void shouldStoreNoSensitiveValueWhenTheTypesStorePolicyIsRemove() {
        eventTypes.pipeInput(TYPE, json(eventType(version(1, StorePolicy.REMOVE))));
        subscribe(sub("a", "phi-reader", List.of(TYPE)));

        publish(event(BODY));

        String doc = stored().get(0).value();
        assertThat(RegistryTopics.JSON.readTree(doc).path("body").toString())
                .isEqualTo("{\"claimId\":\"C1\",\"status\":\"APPROVED\",\"amount\":250,"
                        + "\"member\":{\"id\":\"M1\"},\"lines\":[{\"code\":\"A\"},{\"code\":\"B\"}]}");
        assertThat(doc).doesNotContain("123-45-6789").doesNotContain("111").doesNotContain("222");
        assertThat(body(output("a").get(0).value()).at("/member/ssn").asString())
                .isEqualTo("123-45-6789");
    }

    @Test
    void shouldStoreTheBodyAsSentWhenTheTypesStorePolicyIsKeep() {
        eventTypes.pipeInput(TYPE, json(eventType(version(1, StorePolicy.KEEP))));

        publish(event(BODY));

        JsonNode doc = RegistryTopics.JSON.readTree(stored().get(0).value());
        assertThat(doc.at("/body/member/ssn").asString()).isEqualTo("123-45-6789");
        assertThat(doc.path("redactedPaths").toString()).isEqualTo("[]");
    }

    @Test
    void shouldStoreTheSyntheticFlagWhenTheEventIsSynthetic() {
        publish(event(BODY, List.of("test:load"), true));

        JsonNode doc = RegistryTopics.JSON.readTree(stored().get(0).value());
        assertThat(doc.path("synthetic").asBoolean()).isTrue();
        assertThat(doc.path("tags").toString()).isEqualTo("[\"test:load\"]");
    }

    @Test
    void shouldStoreTheEventWhenNoSubscriptionMatchesIt() {
        subscribe(sub("members", "phi-reader", List.of("Member.*.*")));

        publish(event(BODY));

        assertThat(output("members")).isEmpty();
        assertThat(deadLetters()).isEmpty();
        List<TestRecord<String, String>> stored = stored();
        assertThat(stored).hasSize(1);
        assertThat(RegistryTopics.JSON
                        .readTree(stored.get(0).value())
                        .at("/body/member/ssn")
                        .asString())
                .isEqualTo("***REDACTED***");
        assertThat(stored.get(0).value()).doesNotContain("123-45-6789");
    }

    @Test
    void shouldStoreTheEventWhenItsOnlyCopyIsDeadLettered() {
        subscribe(sub("small", "phi-reader", List.of(TYPE)));
        limits.put("eventing.sub.small", 200);

        publish(event(BODY));

        assertThat(output("small")).isEmpty();
        assertThat(deadLetters()).hasSize(1);
        assertThat(stored()).hasSize(1);
    }

    @Test
    void shouldStoreWithoutTheBodyAndStillDeliverWhenTheDocumentIsTooLargeForTheStoreTopic() {
        subscribe(sub("a", "phi-reader", List.of(TYPE)));
        limits.put("eventing.store", 1500);
        String large = "{\"claimId\":\"C1\",\"note\":\"" + "pad ".repeat(400) + "\"}";

        publish(event(large));
        publish(event(BODY));

        assertThat(output("a")).extracting(r -> r.value().getBody()).containsExactly(large, BODY);
        assertThat(deadLetters()).isEmpty();
        List<JsonNode> docs = stored().stream()
                .map(r -> RegistryTopics.JSON.readTree(r.value()))
                .toList();
        assertThat(docs).hasSize(2);
        assertThat(docs.get(0).path("body").isNull()).isTrue();
        assertThat(docs.get(0).path("bodyOmitted").asString()).isEqualTo("too-large");
        assertThat(docs.get(0).path("searchTerms").toString()).doesNotContain("pad");
        assertThat(docs.get(0).path("eventId").asString()).isEqualTo("0190f1d2-7c4e-7a3b-8c9d-0e1f2a3b4c5d");
        assertThat(docs.get(1).at("/body/claimId").asString()).isEqualTo("C1");
        assertThat(docs.get(1).has("bodyOmitted")).isFalse();
    }

    @Test
    void shouldStoreNothingWhenTheEventIsDeadLetteredAsUnreadable() {
        subscribe(sub("a", "phi-reader", List.of("Claim.*.*")));
        Envelope unregistered = event(BODY);
        unregistered.setEventType("Claim.Submitted.Unknown");
        unregistered.setObject("Unknown");
        Envelope unknownVersion = event(BODY);
        unknownVersion.setBodySchemaVersion(9);

        publish(unregistered);
        publish(unknownVersion);
        publish(event("{\"claimId\": "));
        firehose.pipeInput(bytes("tx-1"), bytes("not an envelope"));

        assertThat(deadLetters()).hasSize(4);
        assertThat(output("a")).isEmpty();
        assertThat(stored()).isEmpty();
    }

    @Test
    void shouldFailTheTaskAndWriteNoCopyWhenTheStoreRecordCannotBeMade() {
        subscribe(sub("a", "phi-reader", List.of(TYPE)));
        limitFailures.put("eventing.store", new IllegalStateException("a bug"));

        assertThatThrownBy(() -> publish(event(BODY)))
                .isInstanceOf(StreamsException.class)
                .hasRootCauseInstanceOf(IllegalStateException.class);

        assertThat(output("a")).isEmpty();
        assertThat(deadLetters()).isEmpty();
        assertThat(stored()).isEmpty();
    }

    @Test
    void shouldCopyAReplayedRecordToTheNamedSubscriptionAloneWithItsReplayIdWhenReplayed() {
        subscribe(sub("named", "phi-reader", List.of(TYPE)));
        subscribe(sub("other", "phi-reader", List.of(TYPE)));

        replay.pipeInput(replayed("rpl_1", "named", "firehose", serialize(event(BODY))));

        List<TestRecord<byte[], Envelope>> copies = output("named");
        assertThat(copies).hasSize(1);
        assertThat(copies.get(0).value().getBody()).isEqualTo(BODY);
        assertThat(header(copies.get(0).headers(), "eventing-replay")).isEqualTo("rpl_1");
        assertThat(header(copies.get(0).headers(), "eventing-subscription")).isEqualTo("named");
        assertThat(header(copies.get(0).headers(), "eventing-event-id"))
                .isEqualTo("0190f1d2-7c4e-7a3b-8c9d-0e1f2a3b4c5d");
        assertThat(output("other")).isEmpty();
        assertThat(stored()).isEmpty();
        assertThat(ledgered()).isEmpty();
        assertThat(counts()).containsExactly("rpl_1={\"id\":\"rpl_1\",\"delivered\":1,\"skipped\":0}");
    }

    @Test
    void shouldJoinTheOriginalEventsTraceAndNameTheReplayWhenAReplayedRecordIsCopiedWithTracingOn() {
        InMemorySpanExporter spans = traced();
        subscribe(sub("named", "phi-reader", List.of(TYPE)));
        TestRecord<byte[], byte[]> record = replayed("rpl_t", "named", "firehose", serialize(event(BODY)));
        record.headers().add("traceparent", bytes("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));

        replay.pipeInput(record);

        SpanData process = span(spans, "process eventing.replay");
        SpanData copy = span(spans, "copy named");
        assertThat(process.getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
        assertThat(process.getParentSpanId()).isEqualTo("b7ad6b7169203331");
        assertThat(process.getAttributes().get(EventAttributes.REPLAY)).isEqualTo("rpl_t");
        assertThat(copy.getParentSpanId()).isEqualTo(process.getSpanId());
        assertThat(copy.getAttributes().get(EventAttributes.OUTCOME)).isEqualTo("DELIVERED");
        assertThat(header(output("named").get(0).headers(), "traceparent"))
                .isEqualTo("00-0af7651916cd43dd8448eb211c80319c-" + copy.getSpanId() + "-01");
    }

    @Test
    void shouldRedactTheReplayedCopyUnderTheAppsGrantsOfNowWhenAGrantWasRevokedSinceTheLiveCopy() {
        apps.pipeInput("care", json(app("care", "PHI")));
        subscribe(sub("care-claims", "care", List.of(TYPE)));
        byte[] original = serialize(event(BODY));
        firehose.pipeInput(bytes("tx-42"), original);
        Envelope live = output("care-claims").get(0).value();

        apps.pipeInput("care", json(app("care")));
        replay.pipeInput(replayed("rpl_2", "care-claims", "firehose", original));

        Envelope replayedCopy = output("care-claims").get(0).value();
        assertThat(body(live).at("/member/ssn").asString()).isEqualTo("123-45-6789");
        assertThat(body(replayedCopy).at("/member/ssn").asString()).isEqualTo("***REDACTED***");
        assertThat(body(replayedCopy).at("/lines/1/ssn").asString()).isEqualTo("***REDACTED***");
        assertThat(replayedCopy.getRedactedPaths()).containsExactly("/member/ssn", "/lines/0/ssn", "/lines/1/ssn");
    }

    @Test
    void shouldCountEachReplayedRecordDeliveredOrSkippedWhenSomeAreLeftOut() {
        subscribe(sub("all", "phi-reader", List.of(TYPE)));
        subscribe(withTags("tx-only", new TagFilter(List.of(), List.of("state:TX"), List.of())));
        subscribe(sub("members", "phi-reader", List.of("Member.*.*")));
        byte[] event = serialize(event(BODY));

        replay.pipeInput(replayed("rpl_3", "all", "firehose", event));
        replay.pipeInput(replayed("rpl_3", "tx-only", "firehose", event));
        replay.pipeInput(replayed("rpl_3", "members", "firehose", event));
        replay.pipeInput(replayed("rpl_3", "gone", "firehose", event));
        replay.pipeInput(replayed("rpl_3", "all", "firehose", serialize(event("{\"claimId\": "))));
        replay.pipeInput(replayed("rpl_3", null, "firehose", event));
        replay.pipeInput(replayed("rpl_3", "all", "firehose", event));

        assertThat(output("all")).hasSize(2);
        assertThat(output("tx-only")).isEmpty();
        assertThat(output("members")).isEmpty();
        assertThat(counts())
                .containsExactly(
                        "rpl_3={\"id\":\"rpl_3\",\"delivered\":1,\"skipped\":0}",
                        "rpl_3={\"id\":\"rpl_3\",\"delivered\":1,\"skipped\":1}",
                        "rpl_3={\"id\":\"rpl_3\",\"delivered\":1,\"skipped\":2}",
                        "rpl_3={\"id\":\"rpl_3\",\"delivered\":1,\"skipped\":3}",
                        "rpl_3={\"id\":\"rpl_3\",\"delivered\":1,\"skipped\":4}",
                        "rpl_3={\"id\":\"rpl_3\",\"delivered\":1,\"skipped\":5}",
                        "rpl_3={\"id\":\"rpl_3\",\"delivered\":2,\"skipped\":5}");
        List<TestRecord<byte[], byte[]>> dead = deadLetters();
        assertThat(dead)
                .extracting(d -> header(d.headers(), "eventing-deadletter-reason"))
                .containsExactly(NOT_JSON, "the replayed record has no valid eventing-replay-subscription header");
        assertThat(dead).extracting(d -> header(d.headers(), "eventing-replay")).containsExactly("rpl_3", "rpl_3");
    }

    @Test
    void shouldDeadLetterTheRecordAndCountNothingWhenItNamesNoValidReplay() {
        subscribe(sub("all", "phi-reader", List.of(TYPE)));
        byte[] event = serialize(event(BODY));

        replay.pipeInput(replayed(null, "all", "firehose", event));
        replay.pipeInput(replayed("rpl \"x\"", "all", "firehose", event));

        assertThat(output("all")).isEmpty();
        assertThat(counts()).isEmpty();
        List<TestRecord<byte[], byte[]>> dead = deadLetters();
        assertThat(dead)
                .extracting(d -> header(d.headers(), "eventing-deadletter-reason"))
                .containsExactly(
                        "the replayed record has no valid eventing-replay header",
                        "the replayed record has no valid eventing-replay header");
        assertDigestOnly(dead.get(0), event);
    }

    @Test
    void shouldListTheStoredEventsRedactedPathsWithTheCopysWhenTheReplayedEventCameFromTheStore() {
        subscribe(sub("cleared", "phi-reader", List.of(TYPE)));
        subscribe(sub("uncleared", "plain-reader", List.of(TYPE)));
        Envelope stored = event("{\"claimId\":\"C1\",\"member\":{\"id\":\"M1\",\"ssn\":\"***REDACTED***\"},"
                + "\"lines\":[{\"code\":\"A\",\"ssn\":\"***REDACTED***\"}],\"note\":\"kept\"}");
        stored.setRedactedPaths(List.of("/member/ssn", "/lines/0/ssn"));
        byte[] value = serialize(stored);

        replay.pipeInput(replayed("rpl_4", "cleared", "store", value));
        replay.pipeInput(replayed("rpl_4", "uncleared", "store", value));
        replay.pipeInput(replayed("rpl_4", "cleared", "firehose", value));

        List<TestRecord<byte[], Envelope>> cleared = output("cleared");
        assertThat(cleared.get(0).value().getRedactedPaths()).containsExactly("/member/ssn", "/lines/0/ssn");
        assertThat(output("uncleared").get(0).value().getRedactedPaths())
                .containsExactly("/member/ssn", "/lines/0/ssn");
        assertThat(cleared.get(1).value().getRedactedPaths()).isEmpty();
    }

    @Test
    void shouldWriteOneLedgerRecordPerEventWhenSubscriptionsMatchItsType() {
        subscribe(sub("a", "phi-reader", List.of(TYPE)));
        subscribe(sub("b", "plain-reader", List.of("Claim.*.*")));

        publish(event(BODY));

        List<TestRecord<String, String>> ledger = ledgered();
        assertThat(ledger).hasSize(1);
        assertThat(ledger.get(0).key()).isEqualTo("0190f1d2-7c4e-7a3b-8c9d-0e1f2a3b4c5d");
        assertThat(RegistryTopics.JSON
                        .readTree(ledger.get(0).value())
                        .at("/deliveries")
                        .size())
                .isEqualTo(2);
    }

    @Test
    void shouldFailTheTaskRetriablyAndWriteNoCopyWhenTheTopicHasFewerPartitionsThanTheCopyWasMeantFor() {
        subscribe(new Subscription(
                "wide",
                "phi-reader",
                List.of(TYPE),
                null,
                null,
                null,
                List.of(),
                "eventing.sub.wide",
                12,
                Instant.EPOCH));

        assertThatThrownBy(() -> publish(event(BODY)))
                .isInstanceOf(StreamsException.class)
                .hasRootCauseInstanceOf(RouterTopology.FewerPartitionsException.class)
                .hasRootCauseMessage(
                        "topic eventing.sub.wide has 1 partitions, and the copy was meant for partition 4");
        assertThat(output("wide")).isEmpty();
        assertThat(StreamFailures.mayPass(new StreamsException(new RouterTopology.FewerPartitionsException("x"))))
                .isTrue();
    }

    /** Starts the topology again with tracing on; answers where its spans go. */
    private InMemorySpanExporter traced() {
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        start(Tracing.of(OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .addSpanProcessor(SimpleSpanProcessor.create(spans))
                        .build())
                .build()));
        return spans;
    }

    private static SpanData span(InMemorySpanExporter spans, String name) {
        return spans.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no span " + name + " in " + spans.getFinishedSpanItems()));
    }

    /** A record as admin-api writes it to the replay topic; a null header value leaves the header out. */
    private static TestRecord<byte[], byte[]> replayed(String id, String subscription, String source, byte[] value) {
        Headers h = new RecordHeaders();
        if (id != null) {
            h.add("eventing-replay", bytes(id));
        }
        if (subscription != null) {
            h.add("eventing-replay-subscription", bytes(subscription));
        }
        h.add("eventing-replay-source", bytes(source));
        return new TestRecord<>(bytes("tx-42"), value, h);
    }

    /** The counts topic's records as {@code key=value}. */
    private List<String> counts() {
        return driver
                .createOutputTopic(RouterTopology.REPLAY_COUNTS, new StringDeserializer(), new StringDeserializer())
                .readRecordsToList()
                .stream()
                .map(r -> r.key() + "=" + r.value())
                .toList();
    }

    private List<TestRecord<String, String>> ledgered() {
        return driver.createOutputTopic(LedgerRecord.TOPIC, new StringDeserializer(), new StringDeserializer())
                .readRecordsToList();
    }

    private void subscribe(Subscription s) {
        subscriptions.pipeInput(s.id(), json(s));
    }

    private void publish(Envelope e) {
        firehose.pipeInput(bytes("tx-42"), serialize(e));
    }

    private byte[] serialize(Envelope e) {
        return envelopes.serializer().serialize(RouterTopology.FIREHOSE, e);
    }

    private List<TestRecord<byte[], Envelope>> output(String subscription) {
        TestOutputTopic<byte[], Envelope> topic = driver.createOutputTopic(
                "eventing.sub." + subscription, new ByteArrayDeserializer(), envelopes.deserializer());
        return topic.readRecordsToList();
    }

    private List<byte[]> rawOutput(String subscription) {
        return driver.createOutputTopic(
                        "eventing.sub." + subscription, new ByteArrayDeserializer(), new ByteArrayDeserializer())
                .readValuesToList();
    }

    /** The event a dead letter holds, read as a consumer of the dead-letter topic reads it. */
    private Envelope deadLetter(TestRecord<byte[], byte[]> dead) {
        return envelopes.deserializer().deserialize(RouterTopology.DEADLETTER, dead.value());
    }

    /** A dead letter that holds no value, only the size and SHA-256 of the record it stands for. */
    private static void assertDigestOnly(TestRecord<byte[], byte[]> dead, byte[] original) {
        assertThat(dead.value()).isNull();
        assertThat(header(dead.headers(), "eventing-deadletter-size")).isEqualTo(Integer.toString(original.length));
        assertThat(header(dead.headers(), "eventing-deadletter-sha256"))
                .isEqualTo(HexFormat.of().formatHex(sha256(original)))
                .hasSize(64);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The store records, as the store's sink connector reads them: key and value as UTF-8 strings. */
    private List<TestRecord<String, String>> stored() {
        return driver.createOutputTopic(StoreDocument.TOPIC, new StringDeserializer(), new StringDeserializer())
                .readRecordsToList();
    }

    private List<TestRecord<byte[], byte[]>> deadLetters() {
        return driver.createOutputTopic(
                        RouterTopology.DEADLETTER, new ByteArrayDeserializer(), new ByteArrayDeserializer())
                .readRecordsToList();
    }

    private static Subscription sub(String id, String app, List<String> types) {
        return new Subscription(id, app, types, null, null, null, List.of(), "eventing.sub." + id, 1, Instant.EPOCH);
    }

    private static Subscription withTags(String id, TagFilter tags) {
        return new Subscription(
                id, "phi-reader", List.of(TYPE), tags, null, null, List.of(), "eventing.sub." + id, 1, Instant.EPOCH);
    }

    private static Subscription withFilter(String id, String filter) {
        return withFilter(id, "phi-reader", filter);
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

    private static Subscription withSynthetic(String id, SyntheticPolicy policy) {
        return new Subscription(
                id, "phi-reader", List.of(TYPE), null, policy, null, List.of(), "eventing.sub." + id, 1, Instant.EPOCH);
    }

    private static EventType eventType() {
        return eventType(new EventTypeVersion(
                1,
                RegistryTopics.JSON.readTree("{\"type\":\"object\"}"),
                List.of(new SensitiveField("/member/ssn", "PHI"), new SensitiveField("/lines/*/ssn", "PHI")),
                Instant.EPOCH));
    }

    private static EventTypeVersion version(int n, StorePolicy policy) {
        return new EventTypeVersion(
                n,
                RegistryTopics.JSON.readTree("{\"type\":\"object\"}"),
                List.of(new SensitiveField("/member/ssn", "PHI"), new SensitiveField("/lines/*/ssn", "PHI")),
                policy,
                Instant.EPOCH);
    }

    private static EventType eventType(EventTypeVersion... versions) {
        return new EventType(
                "Claim",
                "Submitted",
                "Reconsideration",
                "a claim",
                "claims",
                30,
                null,
                List.of(versions),
                Instant.EPOCH,
                Instant.EPOCH);
    }

    private static App app(String id, String... read) {
        return new App(id, "team", List.of(), List.of(read), List.of(), null, Instant.EPOCH, Instant.EPOCH);
    }

    private static Envelope event(String body) {
        return event(body, List.of(), false);
    }

    private static Envelope event(String body, List<String> tags, boolean synthetic) {
        return Envelope.newBuilder()
                .setEventId("0190f1d2-7c4e-7a3b-8c9d-0e1f2a3b4c5d")
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
                .setTags(tags)
                .setSynthetic(synthetic)
                .setBody(body)
                .setBodySchemaVersion(1)
                .build();
    }

    private static JsonNode body(Envelope e) {
        return RegistryTopics.JSON.readTree(e.getBody());
    }

    private static byte[] json(Object value) {
        return RegistryTopics.JSON.writeValueAsBytes(value);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String header(Headers headers, String name) {
        if (headers == null) {
            return null;
        }
        Header h = headers.lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
