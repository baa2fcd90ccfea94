package com.northwind.eventing.router.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.common.registry.SchemaRegistryException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
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
    void shouldFailAndDeadLetterNothingWhenASerializerFailsThoughTheProcessorSerializedEverything() {
        ProducerRecord<byte[], Outbound> copy =
                new ProducerRecord<>("eventing.sub.s1", bytes("k"), new Outbound("eventing.sub.s1", bytes("v")));

        Response r = handler.handleSerializationError(
                CONTEXT, copy, new RecordTooLargeException("too large"), SerializationExceptionOrigin.VALUE);

        assertThat(r.result()).isEqualTo(Result.FAIL);
        assertThat(r.deadLetterQueueRecords()).isEmpty();
    }

    @Test
    void shouldCallOnlyTheCopysOwnFaultsItsOwnWhenTheProcessorDecidesWhatToDeadLetter() {
        SerializationException incompatible = new SerializationException(
                "cannot get a schema id", new SchemaRegistryException(409, 409, "incompatible"));
        SerializationException invalid =
                new SerializationException("x", new SchemaRegistryException(422, 42201, "invalid"));

        assertThat(CopyFailureHandler.isFaultOfThisCopy(incompatible)).isTrue();
        assertThat(CopyFailureHandler.isFaultOfThisCopy(invalid)).isTrue();
        assertThat(CopyFailureHandler.isFaultOfThisCopy(new RecordTooLargeException("too large")))
                .isTrue();
        for (SchemaRegistryException cause : new SchemaRegistryException[] {
            new SchemaRegistryException(503, 50003, "unavailable"),
            new SchemaRegistryException(401, 40101, "unauthorized"),
            new SchemaRegistryException("unreachable", new java.io.IOException("refused"))
        }) {
            assertThat(CopyFailureHandler.isFaultOfThisCopy(new SerializationException("x", cause)))
                    .as(cause.getMessage())
                    .isFalse();
        }
        assertThat(CopyFailureHandler.isFaultOfThisCopy(new TimeoutException("no answer")))
                .isFalse();
        assertThat(CopyFailureHandler.isFaultOfThisCopy(new MissingTopicException("topic t does not exist")))
                .isFalse();
    }

    // --- fixtures

    private static ProducerRecord<byte[], byte[]> sent() {
        Headers h = new RecordHeaders();
        h.add("eventing-subscription", bytes("s1"));
        return new ProducerRecord<>("eventing.sub.s1", null, bytes("k"), bytes("copy"), h);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The handler reads nothing from the context. */
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
