package com.northwind.eventing.intake.publish;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.common.registry.SchemaRegistryException;
import java.time.Duration;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** What a failed send becomes: only an outage is UNAVAILABLE; a refusal no retry mends is not; a bug stays itself. */
class KafkaFirehoseTest {
    @Test
    void shouldRefuseARecordOverKafkasLimitsAsTooLargeWithoutRetry() {
        RuntimeException refused = KafkaFirehose.refusal(new RecordTooLargeException(
                "The message is 25123 bytes when serialized which is larger than 20000, which is the value of the"
                        + " max.request.size configuration."));

        assertThat(refused).isInstanceOfSatisfying(PublishException.class, e -> {
            assertThat(e.kind()).isEqualTo(PublishException.Kind.TOO_LARGE);
            assertThat(e.retryAfter()).isNull();
            assertThat(e.getMessage()).contains("max.request.size");
        });
    }

    @Test
    void shouldAnswerUnavailableOnlyWhenTheSchemaRegistryCannotBeReachedOrFails() {
        RuntimeException unreachable = KafkaFirehose.refusal(new SerializationException(
                "cannot get a schema id", new SchemaRegistryException("connection refused", null)));
        RuntimeException failing = KafkaFirehose.refusal(
                new SerializationException("cannot get a schema id", new SchemaRegistryException(503, 50301, "down")));

        assertThat(unreachable).isInstanceOfSatisfying(PublishException.class, e -> {
            assertThat(e.kind()).isEqualTo(PublishException.Kind.UNAVAILABLE);
            assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(1));
            assertThat(e.getMessage()).startsWith("the schema registry is unavailable");
        });
        assertThat(failing)
                .isInstanceOfSatisfying(
                        PublishException.class, e -> assertThat(e.kind()).isEqualTo(PublishException.Kind.UNAVAILABLE));
    }

    @Test
    void shouldLeaveARefusedSchemaOrAnEnvelopeThatDoesNotEncodeAsTheFailureItIs() {
        SerializationException refusedSchema = new SerializationException(
                "cannot get a schema id", new SchemaRegistryException(409, 409, "incompatible"));
        SerializationException notEncoded =
                new SerializationException("cannot write Avro record", new ArithmeticException("long overflow"));

        assertThat(KafkaFirehose.refusal(refusedSchema)).isSameAs(refusedSchema);
        assertThat(KafkaFirehose.refusal(notEncoded)).isSameAs(notEncoded);
    }

    @Test
    void shouldAnswerUnavailableWhenKafkaCannotTakeTheEventNow() {
        RuntimeException refused = KafkaFirehose.refusal(new NotLeaderOrFollowerException("moving"));

        assertThat(refused).isInstanceOfSatisfying(PublishException.class, e -> {
            assertThat(e.kind()).isEqualTo(PublishException.Kind.UNAVAILABLE);
            assertThat(e.getMessage()).startsWith("Kafka did not acknowledge the event in time");
        });
    }
}
