package com.northwind.eventing.common.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.northwind.eventing.common.registry.InMemorySchemaRegistryClient;
import com.northwind.eventing.common.registry.SchemaRegistryException;
import com.northwind.eventing.schema.Envelope;
import java.io.EOFException;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AvroWireDeserializerTest {
    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

    @Test
    void shouldReadTheSameEnvelopeWhenItWasSerializedAsSpecific() {
        Envelope envelope = SampleRecords.envelope();
        byte[] bytes = new AvroWireSerializer<Envelope>(registry, true).serialize("eventing.events", envelope);
        AvroWireDeserializer<Envelope> deserializer =
                new AvroWireDeserializer<>(registry, Envelope.getClassSchema(), true);

        Envelope read = deserializer.deserialize("eventing.events", bytes);

        assertThat(read).isEqualTo(envelope);
        assertThat(read.getMetadata().getOccurredAt()).hasToString("2026-01-05T10:00:00.123Z");
    }

    @Test
    void shouldReadTheGeneratedClassWhenSpecificWithoutReaderSchema() {
        byte[] bytes =
                new AvroWireSerializer<Envelope>(registry, true).serialize("eventing.events", SampleRecords.envelope());
        AvroWireDeserializer<Object> deserializer = new AvroWireDeserializer<>(registry, null, true);

        Object read = deserializer.deserialize("eventing.events", bytes);

        assertThat(read).isInstanceOf(Envelope.class).isEqualTo(SampleRecords.envelope());
    }

    @Test
    void shouldReadAGenericRecordWhenEnvelopeIsReadWithoutSpecific() {
        byte[] bytes =
                new AvroWireSerializer<Envelope>(registry, true).serialize("eventing.events", SampleRecords.envelope());
        AvroWireDeserializer<GenericRecord> deserializer = new AvroWireDeserializer<>(registry, null, false);

        GenericRecord read = deserializer.deserialize("eventing.events", bytes);

        assertThat(read).isNotInstanceOf(Envelope.class);
        assertThat(read.get("eventType")).hasToString("Claim.Submitted.Reconsideration");
        assertThat(read.get("bodySchemaVersion")).isEqualTo(2);
        assertThat(((GenericRecord) read.get("metadata")).get("occurredAt")).isEqualTo(1767607200123L);
    }

    @Test
    void shouldReadTheSameGenericRecordWhenItWasSerializedAsGeneric() {
        GenericRecord ping = SampleRecords.ping("ab", 3);
        byte[] bytes = new AvroWireSerializer<GenericRecord>(registry, true).serialize("pings", ping);
        AvroWireDeserializer<GenericRecord> deserializer = new AvroWireDeserializer<>(registry, null, false);

        GenericRecord read = deserializer.deserialize("pings", bytes);

        assertThat(read).isEqualTo(ping);
        assertThat(read.get("name")).hasToString("ab");
        assertThat(read.get("count")).isEqualTo(3);
    }

    @Test
    void shouldReadHandFramedAvroWhenWrittenAsConfluentWrites() {
        registry.register("pings-value", SampleRecords.PING);
        byte[] bytes = WireFormat.frame(
                1, SampleRecords.avroBinary(SampleRecords.PING, GenericData.get(), SampleRecords.ping("ab", 3)));
        AvroWireDeserializer<GenericRecord> deserializer = new AvroWireDeserializer<>(registry, null, false);

        GenericRecord read = deserializer.deserialize("pings", bytes);

        assertThat(bytes).containsExactly(0, 0, 0, 0, 1, 4, 97, 98, 6);
        assertThat(read.get("name")).hasToString("ab");
        assertThat(read.get("count")).isEqualTo(3);
    }

    @Test
    void shouldFillTheDefaultWhenReaderSchemaHasANewField() {
        registry.register("pings-value", SampleRecords.PING);
        byte[] bytes = {0, 0, 0, 0, 1, 4, 97, 98, 6};
        AvroWireDeserializer<GenericRecord> deserializer =
                new AvroWireDeserializer<>(registry, SampleRecords.PING_V2, false);

        GenericRecord read = deserializer.deserialize("pings", bytes);

        assertThat(read.getSchema()).isEqualTo(SampleRecords.PING_V2);
        assertThat(read.get("name")).hasToString("ab");
        assertThat(read.get("region")).hasToString("TX");
    }

    @Test
    void shouldRejectDataWhenMagicByteIsWrong() {
        registry.register("pings-value", SampleRecords.PING);
        byte[] bytes = {1, 0, 0, 0, 1, 4, 97, 98, 6};
        AvroWireDeserializer<GenericRecord> deserializer = new AvroWireDeserializer<>(registry, null, false);

        SerializationException thrown =
                catchThrowableOfType(SerializationException.class, () -> deserializer.deserialize("pings", bytes));

        assertThat(thrown).hasMessage("not in the Confluent wire format: magic byte is 1, expected 0");
    }

    @Test
    void shouldRejectDataWhenBytesFollowTheRecord() {
        registry.register("pings-value", SampleRecords.PING);
        byte[] bytes = {0, 0, 0, 0, 1, 4, 97, 98, 6, 0};
        AvroWireDeserializer<GenericRecord> deserializer = new AvroWireDeserializer<>(registry, null, false);

        SerializationException thrown =
                catchThrowableOfType(SerializationException.class, () -> deserializer.deserialize("pings", bytes));

        assertThat(thrown).hasMessage("trailing bytes after the Avro record of schema 1");
    }

    @Test
    void shouldRejectDataWhenTheRecordIsCutShort() {
        registry.register("pings-value", SampleRecords.PING);
        byte[] bytes = {0, 0, 0, 0, 1, 4, 97};
        AvroWireDeserializer<GenericRecord> deserializer = new AvroWireDeserializer<>(registry, null, false);

        SerializationException thrown =
                catchThrowableOfType(SerializationException.class, () -> deserializer.deserialize("pings", bytes));

        assertThat(thrown)
                .hasMessageStartingWith("cannot read Avro record with schema 1: ")
                .hasCauseInstanceOf(EOFException.class);
    }

    @Test
    void shouldRejectDataWhenShorterThanTheHeader() {
        byte[] bytes = {0, 0, 1};
        AvroWireDeserializer<GenericRecord> deserializer = new AvroWireDeserializer<>(registry, null, false);

        SerializationException thrown =
                catchThrowableOfType(SerializationException.class, () -> deserializer.deserialize("pings", bytes));

        assertThat(thrown).hasMessage("not in the Confluent wire format: 3 bytes is shorter than the 5-byte header");
    }

    @Test
    void shouldRejectDataWhenTheSchemaIdIsUnknown() {
        byte[] bytes = {0, 0, 0, 0, 9, 4, 97, 98, 6};
        AvroWireDeserializer<GenericRecord> deserializer = new AvroWireDeserializer<>(registry, null, false);

        SerializationException thrown =
                catchThrowableOfType(SerializationException.class, () -> deserializer.deserialize("pings", bytes));

        assertThat(thrown)
                .hasMessage("cannot find schema 9: schema 9 not found (status 404, error code 40403)")
                .hasCauseInstanceOf(SchemaRegistryException.class);
    }

    @Test
    void shouldReadNullWhenDataIsNull() {
        AvroWireDeserializer<GenericRecord> deserializer = new AvroWireDeserializer<>(registry, null, false);

        GenericRecord read = deserializer.deserialize("pings", null);

        assertThat(read).isNull();
    }
}
