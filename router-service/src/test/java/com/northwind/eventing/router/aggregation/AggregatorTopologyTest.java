package com.northwind.eventing.router.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.common.model.EventType;
import com.northwind.eventing.common.model.EventTypeVersion;
import com.northwind.eventing.common.model.RegistryTopics;
import com.northwind.eventing.common.model.SensitiveField;
import com.northwind.eventing.common.registry.InMemorySchemaRegistryClient;
import com.northwind.eventing.common.serde.EnvelopeSerde;
import com.northwind.eventing.common.tracing.Tracing;
import com.northwind.eventing.router.topology.RouterTopology;
import com.northwind.eventing.schema.Envelope;
import com.northwind.eventing.schema.Metadata;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class AggregatorTopologyTest {
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final String SUBMITTED = "Claim.Submitted.Professional";
    private static final String PRICED = "Claim.Priced.Professional";
    private static final String APPROVED = "Claim.Approved.Professional";
    private static final String COMPLETED = "Claim.Completed.Professional";
    private static final String REQUESTED = "Reconsideration.Requested.Claim";
    private static final String ACKNOWLEDGED = "Reconsideration.Acknowledged.Claim";
    private static final String OVERDUE = "Reconsideration.Overdue.Claim";
    private static final String DECIDED = "Claim.Decided.Professional";
    private static final String REPORT = "Claim.SlaReported.Professional";
    private static final String BREACHED = "Claim.SlaBreached.Professional";

    private static final String TRACE_1 = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    private static final String TRACE_3 = "00-0af7651916cd43dd8448eb211c80319c-00f067aa0ba902b7-01";

    @TempDir
    Path stateDir;

    private final InMemorySchemaRegistryClient schemas = new InMemorySchemaRegistryClient();
    private final Serde<Envelope> envelopes = EnvelopeSerde.create(schemas, true);
    private final Counts metrics = new Counts();
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> firehose;
    private TestInputTopic<String, byte[]> rules;
    private TestInputTopic<String, byte[]> eventTypes;
    private TestOutputTopic<byte[], byte[]> outputs;
    private TestOutputTopic<byte[], byte[]> deadLetters;

    @BeforeEach
    void start() {
        start(Tracing.off());
    }

    /** Builds the topology and its driver anew, with the given tracing. */
    private void start(Tracing tracing) {
        if (driver != null) {
            driver.close();
        }
        Properties props = AggregatorTopology.properties(
                "unused:9092", AggregatorTopology.DEFAULT_APPLICATION_ID, stateDir.toString());
        driver = new TopologyTestDriver(AggregatorTopology.build(schemas, metrics, tracing), props, T0);
        firehose = driver.createInputTopic(
                AggregatorTopology.FIREHOSE, new ByteArraySerializer(), new ByteArraySerializer());
        rules = driver.createInputTopic(RegistryTopics.AGGREGATIONS, new StringSerializer(), new ByteArraySerializer());
        eventTypes =
                driver.createInputTopic(RegistryTopics.EVENT_TYPES, new StringSerializer(), new ByteArraySerializer());
        outputs = driver.createOutputTopic(
                AggregatorTopology.FIREHOSE, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        deadLetters = driver.createOutputTopic(
                RouterTopology.DEADLETTER, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        for (String type : List.of(SUBMITTED, PRICED, APPROVED, REQUESTED, ACKNOWLEDGED, DECIDED)) {
            eventType(type, "{\"type\":\"object\"}", List.of());
        }
        eventType(
                COMPLETED,
                "{\"type\":\"object\",\"required\":[\"key\",\"events\"]}",
                List.of(new SensitiveField("/events/" + SUBMITTED + "/member", "PHI")));
        eventType(OVERDUE, "{\"type\":\"object\",\"required\":[\"key\",\"deadline\",\"start\"]}", List.of());
        eventType(REPORT, "{\"type\":\"object\",\"required\":[\"windowStart\",\"count\"]}", List.of());
        eventType(BREACHED, "{\"type\":\"object\",\"required\":[\"threshold\"]}", List.of());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    // ---- combine

    @Test
    void shouldEmitOneCombinedOutputWhenEveryInputArrivesWithinTheWindowInAnyOrder() {
        // given
        rule(combine("claim-complete", false, "PT1H"));

        // when
        publish(event(
                "e1", APPROVED, "{\"claimId\":\"C1\",\"approver\":\"A\"}", 1, List.of("state:TX"), false, TRACE_1));
        publish(event(
                "e2",
                SUBMITTED,
                "{\"claimId\":\"C1\",\"amount\":125.10,\"member\":\"M1\"}",
                2,
                List.of("state:TX", "channel:web"),
                false,
                null));
        List<TestRecord<byte[], byte[]>> beforeTheLast = read();
        publish(event("e3", PRICED, "{\"claimId\":\"C1\",\"price\":99}", 3, List.of(), false, TRACE_3));

        // then
        assertThat(beforeTheLast).isEmpty();
        List<TestRecord<byte[], byte[]>> out = read();
        assertThat(out).hasSize(1);
        TestRecord<byte[], byte[]> record = out.get(0);
        Envelope e = decode(record);
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("C1");
        assertThat(e.getEventType()).isEqualTo(COMPLETED);
        assertThat(List.of(e.getNoun(), e.getVerb(), e.getObject()))
                .containsExactly("Claim", "Completed", "Professional");
        assertThat(e.getMetadata().getProducerApp()).isEqualTo("eventing-aggregator");
        assertThat(e.getMetadata().getTransactionId()).isEqualTo("tx-e1");
        assertThat(e.getMetadata().getReceivedAt()).isEqualTo(T0);
        assertThat(e.getMetadata().getOccurredAt()).isEqualTo(T0);
        assertThat(e.getTags()).containsExactly("channel:web", "state:TX");
        assertThat(e.getSynthetic()).isFalse();
        assertThat(e.getBodySchemaVersion()).isEqualTo(2);
        assertThat(e.getEventId()).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(json(e.getBody()))
                .isEqualTo(json("{\"key\":\"C1\",\"events\":{"
                        + "\"Claim.Submitted.Professional\":{\"claimId\":\"C1\",\"member\":\"M1\"},"
                        + "\"Claim.Priced.Professional\":{\"claimId\":\"C1\",\"price\":99},"
                        + "\"Claim.Approved.Professional\":{\"claimId\":\"C1\",\"approver\":\"A\"}}}"));
        assertThat(header(record, "traceparent")).isEqualTo(TRACE_3);
        assertThat(header(record, "eventing-aggregation")).isEqualTo("claim-complete");
        assertThat(metrics.get("emitted claim-complete combine")).isEqualTo(1);
    }

    @Test
    void shouldEmitNothingMoreWhenTheKeyCompletedAndAnotherKeyIsStillOpen() {
        // given
        rule(combine("claim-complete", false, "PT1H"));
        publish(event("e1", SUBMITTED, "{\"claimId\":\"C1\"}", 1));
        publish(event("e2", PRICED, "{\"claimId\":\"C1\"}", 2));
        publish(event("e3", APPROVED, "{\"claimId\":\"C1\"}", 3));
        publish(event("e4", SUBMITTED, "{\"claimId\":\"C2\"}", 4));

        // when
        publish(event("e5", PRICED, "{\"claimId\":\"C1\"}", 5));

        // then
        assertThat(read()).hasSize(1);
        assertThat(metrics.get("open claim-complete")).isEqualTo(2);
    }

    @Test
    void shouldRefuseTheWrongOrderWhenTheCombineIsOrdered() {
        // given
        rule(combine("claim-complete", true, "PT1H"));

        // when
        publish(event("e1", PRICED, "{\"claimId\":\"C1\"}", 1));
        publish(event("e2", SUBMITTED, "{\"claimId\":\"C1\"}", 2));
        publish(event("e3", APPROVED, "{\"claimId\":\"C1\"}", 3));
        publish(event("e4", SUBMITTED, "{\"claimId\":\"C2\"}", 4));
        publish(event("e5", PRICED, "{\"claimId\":\"C2\"}", 5));
        publish(event("e6", APPROVED, "{\"claimId\":\"C2\"}", 6));

        // then
        List<TestRecord<byte[], byte[]>> out = read();
        assertThat(out).hasSize(1);
        assertThat(new String(out.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("C2");
    }

    @Test
    void shouldEmitNothingWhenTheLastInputComesAfterTheWindow() {
        // given
        rule(combine("claim-complete", false, "PT1H"));
        publish(event("e1", SUBMITTED, "{\"claimId\":\"C1\"}", 0));
        publish(event("e2", PRICED, "{\"claimId\":\"C1\"}", 60));

        // when
        publish(event("e3", APPROVED, "{\"claimId\":\"C1\"}", 3601));

        // then
        assertThat(read()).isEmpty();
        assertThat(metrics.get("open claim-complete")).isEqualTo(1);
    }

    @Test
    void shouldDropThePartialStateWhenStreamTimePassesTheWindow() {
        // given
        rule(combine("claim-complete", false, "PT1H"));
        publish(event("e1", SUBMITTED, "{\"claimId\":\"C1\"}", 0));
        publish(event("e2", PRICED, "{\"claimId\":\"C1\"}", 60));

        // when: another key's event moves stream time past C1's window
        publish(event("e3", SUBMITTED, "{\"claimId\":\"C2\"}", 3700));

        // then
        assertThat(metrics.get("open claim-complete")).isEqualTo(1);
        publish(event("e4", APPROVED, "{\"claimId\":\"C1\"}", 3701));
        assertThat(read()).isEmpty();
    }

    @Test
    void shouldKeepTheLatestRepeatAndIgnoreADuplicateWhenAnInputTypeComesAgain() {
        // given
        rule(combine("claim-complete", false, "PT1H"));
        Envelope first = event("e1", SUBMITTED, "{\"claimId\":\"C1\",\"member\":\"old\"}", 1);
        publish(first);
        publish(event("e2", SUBMITTED, "{\"claimId\":\"C1\",\"member\":\"new\"}", 2));

        // when
        publish(first);
        publish(event("e3", PRICED, "{\"claimId\":\"C1\"}", 3));
        publish(event("e4", APPROVED, "{\"claimId\":\"C1\"}", 4));

        // then
        List<TestRecord<byte[], byte[]>> out = read();
        assertThat(out).hasSize(1);
        assertThat(json(decode(out.get(0)).getBody())
                        .at("/events/" + SUBMITTED.replace("/", "~1") + "/member")
                        .stringValue())
                .isEqualTo("new");
    }

    @Test
    void shouldMarkTheOutputSyntheticWhenAnyInputIsSynthetic() {
        // given
        rule(combine("claim-complete", false, "PT1H"));

        // when
        publish(event("e1", SUBMITTED, "{\"claimId\":\"C1\"}", 1, List.of(), false, null));
        publish(event("e2", PRICED, "{\"claimId\":\"C1\"}", 2, List.of(), true, null));
        publish(event("e3", APPROVED, "{\"claimId\":\"C1\"}", 3, List.of(), false, null));

        // then
        assertThat(decode(read().get(0)).getSynthetic()).isTrue();
    }

    @Test
    void shouldSkipAndCountAnEventWhenItHasNoValueAtTheKey() {
        // given
        rule(combine("claim-complete", false, "PT1H"));

        // when
        publish(event("e1", SUBMITTED, "{\"claimId\":\"C1\"}", 1));
        publish(event("e2", PRICED, "{\"other\":\"C1\"}", 2));
        publish(event("e3", APPROVED, "{\"claimId\":\"C1\"}", 3));

        // then
        assertThat(read()).isEmpty();
        assertThat(metrics.get("skipped claim-complete no-key")).isEqualTo(1);
    }

    @Test
    void shouldStartOverWhenTheRuleChangesMidWindow() {
        // given
        rule(combine("claim-complete", false, "PT1H"));
        publish(event("e1", SUBMITTED, "{\"claimId\":\"C1\"}", 1));
        publish(event("e2", PRICED, "{\"claimId\":\"C1\"}", 2));

        // when
        rule(combine("claim-complete", false, "PT2H"));
        publish(event("e3", APPROVED, "{\"claimId\":\"C1\"}", 3));
        List<TestRecord<byte[], byte[]>> afterTheChange = read();
        publish(event("e4", SUBMITTED, "{\"claimId\":\"C1\"}", 4));
        publish(event("e5", PRICED, "{\"claimId\":\"C1\"}", 5));

        // then
        assertThat(afterTheChange).isEmpty();
        assertThat(read()).hasSize(1);
    }

    @Test
    void shouldDeadLetterTheOutputRedactedWhenItsTypeSchemaRefusesIt() {
        // given
        eventType(
                COMPLETED,
                "{\"type\":\"object\",\"required\":[\"approvedBy\"]}",
                List.of(new SensitiveField("/events/" + SUBMITTED + "/member", "PHI")));
        rule(combine("claim-complete", false, "PT1H"));

        // when
        publish(event("e1", SUBMITTED, "{\"claimId\":\"C1\",\"member\":\"M1\"}", 1));
        publish(event("e2", PRICED, "{\"claimId\":\"C1\"}", 2));
        publish(event("e3", APPROVED, "{\"claimId\":\"C1\"}", 3));

        // then
        assertThat(read()).isEmpty();
        List<TestRecord<byte[], byte[]>> letters = deadLetters.readRecordsToList();
        assertThat(letters).hasSize(1);
        assertThat(header(letters.get(0), RouterTopology.HEADER_DLQ_REASON))
                .isEqualTo("the output does not match version 2 of Claim.Completed.Professional: "
                        + ": required key [approvedBy] not found");
        Envelope letter = envelopes
                .deserializer()
                .deserialize(RouterTopology.DEADLETTER, letters.get(0).value());
        assertThat(letter.getBody()).doesNotContain("M1");
        assertThat(letter.getRedactedPaths()).containsExactly("/events/Claim.Submitted.Professional/member");
        assertThat(metrics.get("deadlettered claim-complete")).isEqualTo(1);
    }

    @Test
    void shouldDeadLetterTheOutputWhenItIsLargerThanTheFirehoseTakes() {
        // given
        rule(combine("claim-complete", false, "PT1H"));
        String large = "x".repeat(600 * 1024);

        // when
        publish(event("e1", SUBMITTED, "{\"claimId\":\"C1\",\"c\":\"" + large + "\"}", 1));
        publish(event("e2", PRICED, "{\"claimId\":\"C1\",\"a\":\"" + large + "\"}", 2));
        publish(event("e3", APPROVED, "{\"claimId\":\"C1\",\"b\":\"" + large + "\"}", 3));

        // then
        assertThat(read()).isEmpty();
        List<TestRecord<byte[], byte[]>> letters = deadLetters.readRecordsToList();
        assertThat(letters).hasSize(1);
        assertThat(header(letters.get(0), RouterTopology.HEADER_DLQ_REASON))
                .startsWith("the output is up to ")
                .endsWith(" bytes as a record, more than the 1048576 the firehose takes");
        assertThat(letters.get(0).value()).isNull();
        assertThat(header(letters.get(0), RouterTopology.HEADER_DLQ_SHA256)).hasSize(64);
    }

    // ---- absence

    @Test
    void shouldEmitForTheKeyWhoseExpectedNeverCameWhenTheDeadlinePasses() {
        // given
        rule(absence("reconsideration-overdue", "PT48H"));
        publish(event("e1", REQUESTED, "{\"claimId\":\"C1\",\"reason\":\"R\",\"member\":\"M1\"}", 0));
        publish(event("e2", REQUESTED, "{\"claimId\":\"C2\",\"reason\":\"S\",\"member\":\"M2\"}", 0));
        publish(event("e3", ACKNOWLEDGED, "{\"claimId\":\"C1\"}", 3600));

        // when
        driver.advanceWallClockTime(Duration.ofHours(48).minusSeconds(2));
        List<TestRecord<byte[], byte[]>> beforeTheDeadline = read();
        driver.advanceWallClockTime(Duration.ofSeconds(3));

        // then
        assertThat(beforeTheDeadline).isEmpty();
        List<TestRecord<byte[], byte[]>> out = read();
        assertThat(out).hasSize(1);
        Envelope e = decode(out.get(0));
        assertThat(new String(out.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("C2");
        assertThat(json(e.getBody()))
                .isEqualTo(json("{\"key\":\"C2\",\"deadline\":\"2026-03-04T10:00:00Z\",\"start\":{\"reason\":\"S\"}}"));
        assertThat(e.getMetadata().getTransactionId()).isEqualTo("tx-e2");
        driver.advanceWallClockTime(Duration.ofHours(1));
        assertThat(read()).isEmpty();
    }

    @Test
    void shouldCancelTheStartWhenItsExpectedEventCameFirst() {
        // given
        rule(absence("reconsideration-overdue", "PT1H"));
        publish(event("e1", ACKNOWLEDGED, "{\"claimId\":\"C1\"}", 0));

        // when
        publish(event("e2", REQUESTED, "{\"claimId\":\"C1\",\"reason\":\"R\"}", 1));
        driver.advanceWallClockTime(Duration.ofHours(2));

        // then
        assertThat(read()).isEmpty();
        assertThat(metrics.get("open reconsideration-overdue")).isEqualTo(0);
    }

    @Test
    void shouldKeepTheFirstDeadlineWhenASecondStartComesForAWaitingKey() {
        // given
        rule(absence("reconsideration-overdue", "PT1H"));
        publish(event("e1", REQUESTED, "{\"claimId\":\"C1\",\"reason\":\"first\"}", 0));

        // when
        publish(event("e2", REQUESTED, "{\"claimId\":\"C1\",\"reason\":\"second\"}", 1800));
        driver.advanceWallClockTime(Duration.ofMinutes(61));

        // then
        List<TestRecord<byte[], byte[]>> out = read();
        assertThat(out).hasSize(1);
        assertThat(json(decode(out.get(0)).getBody()).at("/start/reason").stringValue())
                .isEqualTo("first");
    }

    @Test
    void shouldEmitNothingMoreWhenTheRuleIsDeleted() {
        // given
        rule(absence("reconsideration-overdue", "PT1H"));
        publish(event("e1", REQUESTED, "{\"claimId\":\"C1\",\"reason\":\"R\"}", 0));

        // when
        rules.pipeInput("reconsideration-overdue", (byte[]) null);
        driver.advanceWallClockTime(Duration.ofHours(2));

        // then
        assertThat(read()).isEmpty();
        assertThat(metrics.get("open reconsideration-overdue")).isEqualTo(0);
    }

    // ---- sla

    @Test
    void shouldCountEachStateTagPerWindowWhenTheWindowCloses() {
        // given
        rule("{\"id\":\"claims-per-state\",\"kind\":\"sla\",\"eventType\":\"" + SUBMITTED
                + "\",\"window\":\"PT1H\",\"tagPrefix\":\"state:\",\"output\":\"" + REPORT + "\"}");
        publish(event("e1", SUBMITTED, "{}", 60, List.of("state:TX", "channel:web"), false, null));
        publish(event("e2", SUBMITTED, "{}", 120, List.of("state:TX", "state:CA"), false, null));
        publish(event("e3", SUBMITTED, "{}", 180, List.of("channel:web"), false, null));
        publish(event("e4", SUBMITTED, "{}", 3700, List.of("state:TX"), false, null));

        // when
        driver.advanceWallClockTime(Duration.ofMinutes(60));
        List<TestRecord<byte[], byte[]>> beforeTheGrace = read();
        driver.advanceWallClockTime(Duration.ofSeconds(11));

        // then
        assertThat(beforeTheGrace).isEmpty();
        List<JsonNode> bodies = bodies(read());
        assertThat(bodies)
                .containsExactlyInAnyOrder(
                        json("{\"windowStart\":\"2026-03-02T10:00:00Z\",\"windowEnd\":\"2026-03-02T11:00:00Z\","
                                + "\"tag\":\"state:CA\",\"count\":1}"),
                        json("{\"windowStart\":\"2026-03-02T10:00:00Z\",\"windowEnd\":\"2026-03-02T11:00:00Z\","
                                + "\"tag\":\"state:TX\",\"count\":2}"));
    }

    @Test
    void shouldReportDurationPercentilesAndABreachWhenStartsMeetTheirEnds() {
        // given
        rule("{\"id\":\"decided-in-time\",\"kind\":\"sla\",\"eventType\":\"" + SUBMITTED
                + "\",\"key\":\"/claimId\",\"end\":{\"eventType\":\"" + DECIDED
                + "\",\"key\":\"/claimId\"},\"window\":\"PT1H\",\"tagPrefix\":\"state:\",\"output\":\"" + REPORT
                + "\",\"threshold\":{\"percentile\":95,\"within\":\"PT5M\",\"output\":\"" + BREACHED + "\"}}");
        for (int i = 1; i <= 4; i++) {
            publish(event("s" + i, SUBMITTED, "{\"claimId\":\"C" + i + "\"}", 0, List.of("state:TX"), false, null));
        }
        publish(event("d1", DECIDED, "{\"claimId\":\"C1\"}", 60));
        publish(event("d2", DECIDED, "{\"claimId\":\"C2\"}", 120));
        publish(event("d3", DECIDED, "{\"claimId\":\"C3\"}", 180));
        publish(event("d4", DECIDED, "{\"claimId\":\"C4\"}", 600));
        publish(event("d5", DECIDED, "{\"claimId\":\"C9\"}", 600));

        // when
        driver.advanceWallClockTime(Duration.ofMinutes(61));

        // then
        List<TestRecord<byte[], byte[]>> out = read();
        assertThat(out).hasSize(2);
        assertThat(decode(out.get(0)).getEventType()).isEqualTo(REPORT);
        assertThat(decode(out.get(0)).getTags()).containsExactly("state:TX");
        String window = "\"windowStart\":\"2026-03-02T10:00:00Z\",\"windowEnd\":\"2026-03-02T11:00:00Z\","
                + "\"tag\":\"state:TX\",\"count\":4,\"durations\":{\"p50\":120000,\"p95\":600000,\"p99\":600000}";
        assertThat(json(decode(out.get(0)).getBody())).isEqualTo(json("{" + window + "}"));
        assertThat(decode(out.get(1)).getEventType()).isEqualTo(BREACHED);
        assertThat(json(decode(out.get(1)).getBody()))
                .isEqualTo(json("{" + window + ",\"threshold\":{\"percentile\":95.0,\"within\":\"PT5M\",\"output\":\""
                        + BREACHED + "\"}}"));
        assertThat(metrics.get("emitted decided-in-time breach")).isEqualTo(1);
    }

    @Test
    void shouldContinueTheLastInputsTraceAndLinkTheOthersWhenTracingIsOn() {
        // given
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        start(Tracing.of(OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .addSpanProcessor(SimpleSpanProcessor.create(spans))
                        .build())
                .build()));
        rule(combine("claim-complete", false, "PT1H"));

        // when
        publish(event("e1", SUBMITTED, "{\"claimId\":\"C1\"}", 1, List.of(), false, TRACE_1));
        publish(event("e2", PRICED, "{\"claimId\":\"C1\"}", 2));
        publish(event("e3", APPROVED, "{\"claimId\":\"C1\"}", 3, List.of(), false, TRACE_3));

        // then
        SpanData span = spans.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals("aggregate claim-complete"))
                .findFirst()
                .orElseThrow();
        assertThat(span.getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
        assertThat(span.getParentSpanId()).isEqualTo("00f067aa0ba902b7");
        assertThat(span.getLinks().stream().map(LinkData::getSpanContext).map(c -> c.getSpanId()))
                .containsExactly("b7ad6b7169203331");
        assertThat(header(read().get(0), "traceparent"))
                .isEqualTo("00-0af7651916cd43dd8448eb211c80319c-" + span.getSpanId() + "-01");
    }

    @Test
    void shouldCountSyntheticEventsApartAndSkipLateOnesWhenWindowsHop() {
        // given
        rule("{\"id\":\"claims-hopping\",\"kind\":\"sla\",\"eventType\":\"" + SUBMITTED
                + "\",\"window\":\"PT2H\",\"hop\":\"PT1H\",\"output\":\"" + REPORT + "\"}");
        publish(event("e1", SUBMITTED, "{}", 60, List.of(), false, null));
        publish(event("e2", SUBMITTED, "{}", 120, List.of(), true, null));

        // when
        driver.advanceWallClockTime(Duration.ofMinutes(61));
        List<TestRecord<byte[], byte[]>> firstClose = read();
        publish(event("e3", SUBMITTED, "{}", 180, List.of(), false, null));
        driver.advanceWallClockTime(Duration.ofMinutes(60));

        // then
        assertThat(firstClose).hasSize(2);
        assertThat(firstClose.stream().map(r -> decode(r).getSynthetic()).toList())
                .containsExactlyInAnyOrder(false, true);
        assertThat(bodies(firstClose))
                .allMatch(b -> b.equals(json("{\"windowStart\":\"2026-03-02T09:00:00Z\","
                        + "\"windowEnd\":\"2026-03-02T11:00:00Z\",\"tag\":null,\"count\":1}")));
        List<TestRecord<byte[], byte[]>> secondClose = read();
        assertThat(secondClose.stream()
                        .filter(r -> !decode(r).getSynthetic())
                        .map(r -> json(decode(r).getBody()))
                        .toList())
                .containsExactly(json("{\"windowStart\":\"2026-03-02T10:00:00Z\","
                        + "\"windowEnd\":\"2026-03-02T12:00:00Z\",\"tag\":null,\"count\":2}"));
        assertThat(metrics.get("skipped claims-hopping late")).isEqualTo(1);
    }

    // ---- helpers

    private static String combine(String id, boolean ordered, String window) {
        return "{\"id\":\"" + id + "\",\"kind\":\"combine\",\"inputs\":["
                + "{\"eventType\":\"" + SUBMITTED + "\",\"key\":\"/claimId\",\"fields\":[\"/claimId\",\"/member\"]},"
                + "{\"eventType\":\"" + PRICED + "\",\"key\":\"/claimId\"},"
                + "{\"eventType\":\"" + APPROVED + "\",\"key\":\"/claimId\"}],"
                + "\"window\":\"" + window + "\",\"ordered\":" + ordered + ",\"output\":\"" + COMPLETED + "\"}";
    }

    private static String absence(String id, String deadline) {
        return "{\"id\":\"" + id + "\",\"kind\":\"absence\","
                + "\"start\":{\"eventType\":\"" + REQUESTED + "\",\"key\":\"/claimId\",\"fields\":[\"/reason\"]},"
                + "\"expected\":{\"eventType\":\"" + ACKNOWLEDGED + "\",\"key\":\"/claimId\"},"
                + "\"deadline\":\"" + deadline + "\",\"output\":\"" + OVERDUE + "\"}";
    }

    /** Writes a rule as admin-api does: the model's JSON, checked by reading it as the model first. */
    private void rule(String json) {
        com.northwind.eventing.common.model.Aggregation a =
                RegistryTopics.JSON.readValue(json, com.northwind.eventing.common.model.Aggregation.class);
        rules.pipeInput(a.id(), RegistryTopics.JSON.writeValueAsBytes(a));
    }

    /** Registers a type with two versions, the latest with the schema and sensitive fields given. */
    private void eventType(String name, String schema, List<SensitiveField> sensitive) {
        String[] parts = name.split("\\.");
        List<EventTypeVersion> versions = List.of(
                new EventTypeVersion(1, json("{\"type\":\"object\"}"), List.of(), Instant.EPOCH),
                new EventTypeVersion(2, json(schema), sensitive, Instant.EPOCH));
        EventType type = new EventType(
                parts[0], parts[1], parts[2], "test", "team", 30, null, versions, Instant.EPOCH, Instant.EPOCH);
        eventTypes.pipeInput(name, RegistryTopics.JSON.writeValueAsBytes(type));
    }

    private static Envelope event(String id, String type, String body, long secondsAfterT0) {
        return event(id, type, body, secondsAfterT0, List.of(), false, null);
    }

    private static Envelope event(
            String id,
            String type,
            String body,
            long secondsAfterT0,
            List<String> tags,
            boolean synthetic,
            String traceparent) {
        String[] parts = type.split("\\.");
        Instant at = T0.plusSeconds(secondsAfterT0);
        Envelope e = Envelope.newBuilder()
                .setEventId(id)
                .setNoun(parts[0])
                .setVerb(parts[1])
                .setObject(parts[2])
                .setEventType(type)
                .setMetadata(Metadata.newBuilder()
                        .setTransactionId("tx-" + id)
                        .setOccurredAt(at)
                        .setReceivedAt(at)
                        .setProducerApp("claims")
                        .build())
                .setTags(tags)
                .setSynthetic(synthetic)
                .setBody(body)
                .setBodySchemaVersion(1)
                .build();
        TRACES.put(id, traceparent == null ? "" : traceparent);
        return e;
    }

    private static final Map<String, String> TRACES = new ConcurrentHashMap<>();

    private void publish(Envelope e) {
        RecordHeaders headers = new RecordHeaders();
        String tp = TRACES.get(e.getEventId());
        if (tp != null && !tp.isEmpty()) {
            headers.add("traceparent", tp.getBytes(StandardCharsets.UTF_8));
        }
        firehose.pipeInput(new TestRecord<>(
                e.getMetadata().getTransactionId().getBytes(StandardCharsets.UTF_8),
                envelopes.serializer().serialize(AggregatorTopology.FIREHOSE, e),
                headers,
                e.getMetadata().getReceivedAt()));
    }

    /** The outputs written to the firehose since the last read: the aggregator's own, not the events published. */
    private List<TestRecord<byte[], byte[]>> read() {
        List<TestRecord<byte[], byte[]>> out = new ArrayList<>();
        for (TestRecord<byte[], byte[]> r : outputs.readRecordsToList()) {
            out.add(r);
        }
        return out;
    }

    private List<JsonNode> bodies(List<TestRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> json(decode(r).getBody())).toList();
    }

    private Envelope decode(TestRecord<byte[], byte[]> r) {
        return envelopes.deserializer().deserialize(AggregatorTopology.FIREHOSE, r.value());
    }

    private static String header(TestRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static JsonNode json(String text) {
        return JSON.readTree(text);
    }

    /** What the topology counted, by "what rule [kind or reason]". */
    private static final class Counts implements AggregatorMetrics {
        private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

        long get(String name) {
            AtomicLong n = counts.get(name);
            return n == null ? 0 : n.get();
        }

        private void add(String name, long delta) {
            counts.computeIfAbsent(name, k -> new AtomicLong()).addAndGet(delta);
        }

        @Override
        public void emitted(String rule, String kind) {
            add("emitted " + rule + " " + kind, 1);
        }

        @Override
        public void skipped(String rule, String reason) {
            add("skipped " + rule + " " + reason, 1);
        }

        @Override
        public void deadLettered(String rule) {
            add("deadlettered " + rule, 1);
        }

        @Override
        public void openKeys(String rule, long delta) {
            add("open " + rule, delta);
        }
    }
}
