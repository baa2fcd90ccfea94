package com.northwind.eventing.common.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.northwind.eventing.common.registry.InMemorySchemaRegistryClient;
import com.northwind.eventing.schema.Envelope;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class EnvelopeSerdeTest {
    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

    @Test
    void shouldReadTheSameEnvelopeWhenWrittenByTheSameSerde() {
        Serde<Envelope> serde = EnvelopeSerde.create(registry, true);
        Envelope envelope = SampleRecords.envelope();

        byte[] bytes = serde.serializer().serialize("eventing.events", envelope);
        Envelope read = serde.deserializer().deserialize("eventing.events", bytes);

        assertThat(read).isEqualTo(envelope);
        assertThat(registry.subjects()).containsExactly("eventing.events-value");
    }

    @Test
    void shouldRefuseToWriteWhenNotAllowedToRegisterAndTheSchemaIsUnknown() {
        Serde<Envelope> serde = EnvelopeSerde.create(registry, false);
        Envelope envelope = SampleRecords.envelope();

        SerializationException thrown = catchThrowableOfType(
                SerializationException.class, () -> serde.serializer().serialize("eventing.events", envelope));

        assertThat(thrown)
                .hasMessage("cannot get a schema id for subject eventing.events-value: schema not found under subject"
                        + " eventing.events-value (status 404, error code 40403)");
    }
}
