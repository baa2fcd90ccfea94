package com.northwind.eventing.router.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.common.registry.SchemaRegistryException;
import com.northwind.eventing.schema.Envelope;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.Response;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.Result;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.SerializationExceptionOrigin;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

class CopyFailureHandlerTest {
    private final CopyFailureHandler handler = new CopyFailureHandler();

    @Test
    void shouldRetryWhenSendFailsWithRetriableError() {
        Response r = handler.handleError(CONTEXT, sent(), new NotEnoughReplicasException("2 of 3"));

        assertThat(r.result()).isEqualTo(Result.RETRY);
        assertThat(r.deadLetterQueueRecords()).isEmpty();
    }

    @Test
    void shouldFailWhenProducerIsFenced() {
        Response r = handler.handleError(CONTEXT, sent(), new ProducerFencedException("fenced"));

        assertThat(r.result()).isEqualTo(Result.FAIL);
        assertThat(r.deadLetterQueueRecords()).isEmpty();
    }

    @Test
    void shouldFailWithoutDeadLetterWhenBrokerRefusesRecordInsideTransaction() {
        Response tooLarge = handler.handleError(CONTEXT, sent(), new RecordTooLargeException("too large"));
        Response invalid = handler.handleError(CONTEXT, sent(), new InvalidRecordException("no key"));

        assertThat(tooLarge.result()).isEqualTo(Result.FAIL);
        assertThat(tooLarge.deadLetterQueueRecords()).isEmpty();
        assertThat(invalid.result()).isEqualTo(Result.FAIL);
    }

    @Test
    void shouldDeadLetterTheSourcesDeadLetterBodyWhenRegistryRefusesSubject() {
        SerializationException e = new SerializationException(
                "cannot get a schema id", new SchemaRegistryException(409, 409, "incompatible"));

        Response r = handler.handleSerializationError(CONTEXT, delivery(), e, SerializationExceptionOrigin.VALUE);

        assertThat(r.result()).isEqualTo(Result.RESUME);
        ProducerRecord<byte[], byte[]> dead = r.deadLetterQueueRecords().get(0);
        assertThat(dead.topic()).isEqualTo("eventing.deadletter");
        assertThat(new String(dead.key(), StandardCharsets.UTF_8)).isEqualTo("tx-1");
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("redacted event");
        assertThat(dead.timestamp()).isEqualTo(1234L);
        assertThat(header(dead.headers(), "eventing-deadletter-reason"))
                .isEqualTo("cannot write the copy for subscription s1 to eventing.sub.s1: cannot get a schema id");
        assertThat(header(dead.headers(), "eventing-deadletter-exception"))
                .isEqualTo("org.apache.kafka.common.errors.SerializationException");
        assertThat(header(dead.headers(), "eventing-deadletter-topic")).isEqualTo("eventing.firehose");
        assertThat(header(dead.headers(), "eventing-deadletter-partition")).isEqualTo("2");
        assertThat(header(dead.headers(), "eventing-deadletter-offset")).isEqualTo("77");
        assertThat(header(dead.headers(), "eventing-subscription")).isEqualTo("s1");
        assertThat(header(dead.headers(), "traceparent")).isEqualTo("00-abc-01");
    }

    @Test
    void shouldWriteNoValueButTheDigestHeadersWhenTheSourcesDeadLetterHoldsNoValue() {
        ProducerRecord<byte[], Outbound> copy = delivery(() -> DeadLetters.digest(bytes("firehose bytes")));

        Response r = handler.handleSerializationError(
                CONTEXT, copy, new RecordTooLargeException("too large"), SerializationExceptionOrigin.VALUE);

        ProducerRecord<byte[], byte[]> dead = r.deadLetterQueueRecords().get(0);
        assertThat(dead.value()).isNull();
        assertThat(header(dead.headers(), "eventing-deadletter-size")).isEqualTo("14");
        assertThat(header(dead.headers(), "eventing-deadletter-sha256"))
                .isEqualTo("350289d79b8fa2dc994f97351ab8c570308d22831539ce6ffb7a2b599ed05960");
        assertThat(header(dead.headers(), "eventing-deadletter-offset")).isEqualTo("77");
    }

    @Test
    void shouldDeadLetterWhenCopyIsTooLargeBeforeTheSend() {
        Response r = handler.handleSerializationError(
                CONTEXT, delivery(), new RecordTooLargeException("too large"), SerializationExceptionOrigin.VALUE);

        assertThat(r.result()).isEqualTo(Result.RESUME);
        assertThat(r.deadLetterQueueRecords()).hasSize(1);
    }

    @Test
    void shouldFailWhenRegistryIsDownOrRefusesCredentials() {
        for (SchemaRegistryException cause : new SchemaRegistryException[] {
            new SchemaRegistryException(503, 50003, "unavailable"),
            new SchemaRegistryException(401, 40101, "unauthorized"),
            new SchemaRegistryException("unreachable", new java.io.IOException("refused"))
        }) {
            Response r = handler.handleSerializationError(
                    CONTEXT, delivery(), new SerializationException("x", cause), SerializationExceptionOrigin.VALUE);

            assertThat(r.result()).as(cause.getMessage()).isEqualTo(Result.FAIL);
            assertThat(r.deadLetterQueueRecords()).isEmpty();
        }
    }

    @Test
    void shouldFailWhenTopicLimitCannotBeRead() {
        Response r = handler.handleSerializationError(
                CONTEXT, delivery(), new TimeoutException("no answer"), SerializationExceptionOrigin.VALUE);

        assertThat(r.result()).isEqualTo(Result.FAIL);
    }

    @Test
    void shouldFailWhenDeadLetterItselfCannotBeWritten() {
        ProducerRecord<byte[], Outbound> dead =
                new ProducerRecord<>("eventing.deadletter", bytes("k"), new Outbound.DeadLetter(bytes("v")));

        Response r = handler.handleSerializationError(
                CONTEXT, dead, new RecordTooLargeException("too large"), SerializationExceptionOrigin.VALUE);

        assertThat(r.result()).isEqualTo(Result.FAIL);
    }

    // --- fixtures

    private static ProducerRecord<byte[], byte[]> sent() {
        Headers h = new RecordHeaders();
        h.add("eventing-subscription", bytes("s1"));
        return new ProducerRecord<>("eventing.sub.s1", null, bytes("k"), bytes("copy"), h);
    }

    private static ProducerRecord<byte[], Outbound> delivery() {
        return delivery(() -> new DeadLetters.Body(bytes("redacted event"), List.of()));
    }

    private static ProducerRecord<byte[], Outbound> delivery(Supplier<DeadLetters.Body> deadLetter) {
        Headers source = new RecordHeaders();
        source.add("traceparent", bytes("00-abc-01"));
        Headers copy = new RecordHeaders();
        copy.add("eventing-subscription", bytes("s1"));
        Outbound.Source from = new Outbound.Source(
                bytes("tx-1"),
                headersFor -> {
                    DeadLetters.Body body = deadLetter.get();
                    return new DeadLetters.Letter(body.value(), headersFor.apply(body));
                },
                source,
                1234L,
                "eventing.firehose",
                2,
                77L);
        return new ProducerRecord<>(
                "eventing.sub.s1",
                null,
                bytes("tx-1"),
                new Outbound.Delivery("eventing.sub.s1", new Outbound.Copy(new Envelope()), from),
                copy);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String header(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** The handler reads nothing from the context; positions come from the copy's source. */
    private static final ErrorHandlerContext CONTEXT = new ErrorHandlerContext() {
        @Override
        public String topic() {
            return "eventing.firehose";
        }

        @Override
        public int partition() {
            return 0;
        }

        @Override
        public long offset() {
            return 0;
        }

        @Override
        public Headers headers() {
            return new RecordHeaders();
        }

        @Override
        public String processorNodeId() {
            return "deliver";
        }

        @Override
        public TaskId taskId() {
            return new TaskId(0, 0);
        }

        @Override
        public long timestamp() {
            return 0;
        }

        @Override
        public byte[] sourceRawKey() {
            return null;
        }

        @Override
        public byte[] sourceRawValue() {
            return null;
        }
    };
}
