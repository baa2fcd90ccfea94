package com.northwind.eventing.intake.rest;

import static com.northwind.eventing.intake.support.Events.app;
import static com.northwind.eventing.intake.support.Events.claim;
import static com.northwind.eventing.intake.support.Events.claimType;
import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.common.testing.KafkaBroker;
import com.northwind.eventing.common.testing.KafkaClusterExtension;
import com.northwind.eventing.intake.support.Firehose;
import com.northwind.eventing.intake.support.IntakePlatform;
import com.northwind.eventing.schema.Envelope;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/** REST publishing end to end: what lands on the firehose, and what never does. */
@ExtendWith(KafkaClusterExtension.class)
class RestPublishIT {
    private static IntakePlatform platform;
    private static String token;

    @BeforeAll
    static void start(KafkaBroker kafka) {
        platform = new IntakePlatform(kafka).start();
        platform.registerEventType(claimType("Rest"));
        token = platform.registerApp(app("rest-producer", "Claim.*.*"));
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void shouldWriteEveryEnvelopeFieldWhenEventAccepted() {
        Map<TopicPartition, Long> before = Firehose.endOffsets(platform.kafka());
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        String event = claim("Rest", "tx-envelope")
                .replace(
                        "\"channel:web\"]",
                        "\"channel:web\"], \"key\": \"member-1\", \"subObject\": \"Appeal\", \"synthetic\": true");
        Instant sent = Instant.now();

        HttpResponse<String> r = platform.send(HttpRequest.newBuilder(URI.create(platform.intakeUrl() + "/v1/events"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .header("traceparent", traceparent)
                .POST(HttpRequest.BodyPublishers.ofString(event)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode receipt = IntakePlatform.json(r.body());
        List<ConsumerRecord<String, byte[]>> written = Firehose.since(platform.kafka(), before);
        ConsumerRecord<String, byte[]> record = written.get(0);
        Envelope e = Firehose.envelopes(platform.adminUrl()).deserialize(Firehose.TOPIC, record.value());

        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(written).hasSize(1);
        assertThat(receipt.path("eventType").asString()).isEqualTo("Claim.Submitted.Rest");
        assertThat(receipt.path("partition").asInt()).isEqualTo(record.partition());
        assertThat(receipt.path("offset").asLong()).isEqualTo(record.offset());
        assertThat(record.key()).isEqualTo("member-1");
        assertThat(new String(record.headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8))
                .isEqualTo(traceparent);
        assertThat(e.getEventId()).isEqualTo(receipt.path("eventId").asString());
        assertThat(e.getEventId()).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(e.getNoun()).isEqualTo("Claim");
        assertThat(e.getVerb()).isEqualTo("Submitted");
        assertThat(e.getObject()).isEqualTo("Rest");
        assertThat(e.getSubObject()).isEqualTo("Appeal");
        assertThat(e.getEventType()).isEqualTo("Claim.Submitted.Rest");
        assertThat(e.getMetadata().getTransactionId()).isEqualTo("tx-envelope");
        assertThat(e.getMetadata().getUserId()).isEqualTo("u-7");
        assertThat(e.getMetadata().getOccurredAt()).isEqualTo(Instant.parse("2026-11-22T10:15:30Z"));
        assertThat(e.getMetadata().getReceivedAt()).isBetween(sent.minusSeconds(1), Instant.now());
        assertThat(e.getMetadata().getTransactionType()).isEqualTo("ONLINE");
        assertThat(e.getMetadata().getSourceSystem()).isEqualTo("portal");
        assertThat(e.getMetadata().getProducerApp()).isEqualTo("rest-producer");
        assertThat(e.getTags()).containsExactly("state:TX", "channel:web");
        assertThat(e.getSynthetic()).isTrue();
        assertThat(IntakePlatform.json(e.getBody()))
                .isEqualTo(
                        IntakePlatform.json(
                                "{\"claimId\": \"C-tx-envelope\", \"amount\": 125.5, \"status\": \"NEW\", \"member\": {\"id\": \"M-1\", \"ssn\": \"123-45-6789\"}}"));
        assertThat(e.getBodySchemaVersion()).isEqualTo(1);
        assertThat(e.getRedactedPaths()).isEmpty();
    }

    @Test
    void shouldKeyByTransactionIdAndUseReceiveTimeWhenNotGiven() {
        Map<TopicPartition, Long> before = Firehose.endOffsets(platform.kafka());
        String event = claim("Rest", "tx-defaults").replace("\"timestamp\": \"2026-11-22T10:15:30Z\",", "");
        Instant sent = Instant.now();

        HttpResponse<String> r = platform.postEvent("/v1/events", token, event);
        ConsumerRecord<String, byte[]> record =
                Firehose.since(platform.kafka(), before).get(0);
        Envelope e = Firehose.envelopes(platform.adminUrl()).deserialize(Firehose.TOPIC, record.value());

        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(record.key()).isEqualTo("tx-defaults");
        assertThat(e.getSynthetic()).isFalse();
        assertThat(e.getSubObject()).isNull();
        assertThat(e.getMetadata().getOccurredAt()).isEqualTo(e.getMetadata().getReceivedAt());
        assertThat(e.getMetadata().getOccurredAt()).isBetween(sent.minusSeconds(1), Instant.now());
    }

    @Test
    void shouldTakeProducerAppFromTokenNeverFromRequest() {
        Map<TopicPartition, Long> before = Firehose.endOffsets(platform.kafka());
        String event = claim("Rest", "tx-spoof")
                .replace(
                        "\"sourceSystem\": \"portal\"",
                        "\"sourceSystem\": \"portal\", \"producerApp\": \"someone-else\"");

        HttpResponse<String> r = platform.postEvent("/v1/events", token, event);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(IntakePlatform.json(r.body()).path("detail").asString()).startsWith("unknown member 'producerApp'");
        assertThat(Firehose.total(Firehose.endOffsets(platform.kafka()))).isEqualTo(Firehose.total(before));
    }

    @Test
    void shouldAnswerPerEventWhenBatchMixesGoodAndBad() {
        Map<TopicPartition, Long> before = Firehose.endOffsets(platform.kafka());
        String bad = claim("Rest", "tx-b2").replace("\"amount\": 125.5", "\"amount\": \"lots\"");
        String batch =
                "{\"events\": [" + claim("Rest", "tx-b1") + ", " + bad + ", 42, " + claim("Rest", "tx-b3") + "]}";

        HttpResponse<String> r = platform.postEvent("/v1/events/batch", token, batch);
        JsonNode results = IntakePlatform.json(r.body()).path("results");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(results).hasSize(4);
        assertThat(results.get(0).path("eventId").asString()).isNotEmpty();
        assertThat(results.get(1).at("/error/type").asString()).isEqualTo("urn:eventing:problem:validation");
        assertThat(results.get(1).at("/error/errors/0/pointer").asString()).isEqualTo("/body/amount");
        assertThat(results.get(2).at("/error/status").asInt()).isEqualTo(400);
        assertThat(results.get(3).path("index").asInt()).isEqualTo(3);
        assertThat(results.get(3).path("offset").isNumber()).isTrue();
        // A receipt line has the receipt's members and no error; a refused line has its index and error only.
        assertThat(results.get(0).propertyNames())
                .containsExactly("index", "eventId", "eventType", "partition", "offset");
        assertThat(results.get(1).propertyNames()).containsExactly("index", "error");
        assertThat(Firehose.total(Firehose.endOffsets(platform.kafka())) - Firehose.total(before))
                .isEqualTo(2);
    }

    @Test
    void shouldAnswerPerEventWhenBatchHoldsNullOrWrongTypedEvents() {
        Map<TopicPartition, Long> before = Firehose.endOffsets(platform.kafka());
        String wrongType = claim("Rest", "tx-n2").replace("\"metadata\"", "\"synthetic\": \"true\", \"metadata\"");
        String batch = "{\"events\": [" + claim("Rest", "tx-n1") + ", null, " + wrongType + "]}";

        HttpResponse<String> r = platform.postEvent("/v1/events/batch", token, batch);
        JsonNode results = IntakePlatform.json(r.body()).path("results");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(results).hasSize(3);
        assertThat(results.get(0).path("offset").isNumber()).isTrue();
        assertThat(results.get(1).at("/error/status").asInt()).isEqualTo(400);
        assertThat(results.get(1).at("/error/detail").asString()).isEqualTo("each event is an object");
        assertThat(results.get(2).at("/error/status").asInt()).isEqualTo(400);
        assertThat(results.get(2).at("/error/detail").asString()).contains("synthetic");
        assertThat(Firehose.total(Firehose.endOffsets(platform.kafka())) - Firehose.total(before))
                .isEqualTo(1);
    }
}
