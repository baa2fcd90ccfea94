package com.northwind.eventing.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.common.model.RegistryTopics;
import com.northwind.eventing.common.serde.EnvelopeSerde;
import com.northwind.eventing.intake.publish.Receipt;
import com.northwind.eventing.schema.Envelope;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs each benchmark's setup, a few hundred invocations called directly (not through JMH) and its teardown, and
 * checks what they did: guards the benchmarks against rot. Not a speed test.
 */
class BenchmarksSmokeTest {
    private static final int INVOCATIONS = 300;

    @Test
    void shouldPutEverySendOnTheFirehoseWhenRawProducerRuns() throws Exception {
        PublishPerf bench = new PublishPerf();
        PublishPerf.Cursor cursor = new PublishPerf.Cursor();
        PublishPerf.RawProducer state = new PublishPerf.RawProducer();
        state.start();
        try {
            long before = state.broker.records();

            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < INVOCATIONS; i++) {
                sent.add(bench.rawProducer(state, cursor));
            }
            for (Future<RecordMetadata> f : sent) {
                assertThat(f.get(30, TimeUnit.SECONDS).serializedValueSize()).isEqualTo(450);
            }

            assertThat(state.broker.records() - before).isEqualTo(INVOCATIONS);
            assertThat(state.inFlight.failures()).isZero();
        } finally {
            state.stop();
        }
    }

    @Test
    void shouldEncodeEveryEventOfTheBatchWithItsBodyAsSentWhenPublishCpuRuns() throws Exception {
        PublishCpuPerf bench = new PublishCpuPerf();
        PublishCpuPerf.Core core = new PublishCpuPerf.Core();
        core.start();

        List<CompletionStage<Receipt>> stages = bench.publishBatch(core);

        assertThat(stages).hasSize(PublishCpuPerf.BATCH);
        for (CompletionStage<Receipt> stage : stages) {
            assertThat(stage.toCompletableFuture().get(1, TimeUnit.SECONDS).eventType())
                    .isEqualTo("Bench.Published.Event");
        }
        assertThat(core.encoded).isEqualTo(PublishCpuPerf.BATCH);
        // The last event of the batch read: request 2 * BATCH - 1 (the first batch read is the second one).
        Envelope last = EnvelopeSerde.create(core.schemas, false)
                .deserializer()
                .deserialize(FirehoseBroker.TOPIC, core.lastEncoded);
        assertThat(last.getBody()).isEqualTo(PublishPerf.body(2 * PublishCpuPerf.BATCH - 1));
        assertThat(bench.readBatch(core).events()).hasSize(PublishCpuPerf.BATCH);
    }

    @Test
    void shouldAnswerReceiptsAndPutEveryEventOnTheFirehoseWhenPublishRuns() throws Exception {
        PublishPerf bench = new PublishPerf();
        PublishPerf.Cursor cursor = new PublishPerf.Cursor();
        PublishPerf.Intake state = new PublishPerf.Intake();
        state.start();
        try {
            long before = state.broker.records();

            List<CompletionStage<Receipt>> stages = new ArrayList<>();
            for (int i = 0; i < INVOCATIONS; i++) {
                stages.add(bench.publish(state, cursor));
            }
            Set<String> eventIds = new HashSet<>();
            Set<Integer> partitions = new HashSet<>();
            for (CompletionStage<Receipt> stage : stages) {
                Receipt receipt = stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
                assertThat(receipt.eventType()).isEqualTo("Bench.Published.Event");
                assertThat(receipt.offset()).isNotNegative();
                eventIds.add(receipt.eventId());
                partitions.add(receipt.partition());
            }

            assertThat(eventIds).hasSize(INVOCATIONS);
            assertThat(partitions).hasSizeGreaterThan(1).allMatch(p -> p >= 0 && p < 6);
            assertThat(state.broker.records() - before).isEqualTo(INVOCATIONS);
            assertThat(state.inFlight.failures()).isZero();
        } finally {
            state.stop();
        }
    }

    @Test
    void shouldGiveTheSameBytesBothWaysWhenEnvelopeEncodeRuns() throws Exception {
        EnvelopeEncodePerf bench = new EnvelopeEncodePerf();
        EnvelopeEncodePerf.Encoders state = new EnvelopeEncodePerf.Encoders();
        state.start();
        for (int i = 0; i < INVOCATIONS; i++) {
            byte[] serialized = bench.serializer(state);
            assertThat(bench.specificDatumWriter(state)).isEqualTo(serialized);
        }
        assertThat(bench.serializer(state).length).isGreaterThan(300);
    }

    @Test
    void shouldGiveTheSameRedactedJsonBothWaysWhenRedactRuns() {
        RedactPerf bench = new RedactPerf();
        RedactPerf.Plan state = new RedactPerf.Plan();
        for (int i = 0; i < INVOCATIONS; i++) {
            String text = bench.text(state);
            assertThat(state.json.readTree(text)).isEqualTo(state.json.readTree(bench.tree(state)));
            assertThat(text).doesNotContain("123-45-6789").contains("\"***REDACTED***\"", "12.00");
        }
        assertThat(RedactPerf.BODY.length()).isGreaterThan(500);
    }

    @Test
    void shouldCopyTheEventUnchangedWhenPassThroughRuns() throws Exception {
        RoutePerf bench = new RoutePerf();
        RoutePerf.PassThrough state = new RoutePerf.PassThrough();
        state.start();
        try {
            for (int i = 0; i < INVOCATIONS; i++) {
                assertThat(bench.passThrough(state)).isEqualTo(state.event);
            }
        } finally {
            state.stop();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "public", "sensitive"})
    void shouldDeliverOneCopyPerSubscriptionRedactedForTheUnclearedAppWhenRouteRuns(String filter) throws Exception {
        RoutePerf bench = new RoutePerf();
        RoutePerf.Router state = new RoutePerf.Router();
        state.subscriptions = 10;
        state.filter = filter;
        state.start();
        try {
            for (int i = 0; i < INVOCATIONS; i++) {
                assertThat(bench.route(state)).isEqualTo(10);
            }

            Deserializer<Envelope> envelopes =
                    EnvelopeSerde.create(state.schemas, false).deserializer();
            for (int i = 0; i < 10; i++) {
                Envelope copy = envelopes.deserialize("eventing.sub." + RoutePerf.subscriptionId(i), state.last[i]);
                if (RoutePerf.cleared(i)) {
                    assertThat(copy.getBody()).isEqualTo(RoutePerf.body());
                    assertThat(copy.getRedactedPaths()).isEmpty();
                } else {
                    assertThat(RegistryTopics.JSON
                                    .readTree(copy.getBody())
                                    .at("/member/ssn")
                                    .stringValue())
                            .isEqualTo("***REDACTED***");
                    assertThat(copy.getBody()).doesNotContain("123-45-6789");
                    assertThat(copy.getRedactedPaths()).containsExactly("/member/ssn");
                }
                assertThat(copy.getEventId()).isEqualTo("0190f1d2-7c4e-7a3b-8c9d-0e1f2a3b4c5d");
            }
        } finally {
            state.stop();
        }
    }
}
