package com.northwind.eventing.common.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.northwind.eventing.common.registry.InMemorySchemaRegistryClient;
import com.northwind.eventing.common.registry.SchemaRegistryClient;
import com.northwind.eventing.common.registry.SchemaRegistryException;
import com.northwind.eventing.schema.Envelope;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AvroWireSerializerTest {
    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

    @Test
    void shouldWriteMagicByteIdAndPlainAvroWhenRecordIsGeneric() {
        AvroWireSerializer<GenericRecord> serializer = new AvroWireSerializer<>(registry, true);
        GenericRecord ping = SampleRecords.ping("ab", 3);

        byte[] bytes = serializer.serialize("pings", ping);

        // magic 0, id 1 big-endian, then "ab" (zig-zag length 2 -> 4, 'a', 'b') and the int 3 (zig-zag -> 6)
        assertThat(bytes).containsExactly(0, 0, 0, 0, 1, 4, 97, 98, 6);
        assertThat(Arrays.copyOfRange(bytes, 5, bytes.length))
                .isEqualTo(SampleRecords.avroBinary(SampleRecords.PING, GenericData.get(), ping));
    }

    @Test
    void shouldWriteIdBigEndianWhenRegistryGivesALargeId() {
        AvroWireSerializer<GenericRecord> serializer = new AvroWireSerializer<>(new FixedIdRegistry(0x01020304), true);

        byte[] bytes = serializer.serialize("pings", SampleRecords.ping("ab", 3));

        assertThat(bytes).containsExactly(0, 1, 2, 3, 4, 4, 97, 98, 6);
    }

    @Test
    void shouldWritePlainAvroAfterTheHeaderWhenRecordIsAnEnvelope() throws IOException {
        AvroWireSerializer<Envelope> serializer = new AvroWireSerializer<>(registry, true);
        Envelope envelope = SampleRecords.envelope();

        byte[] bytes = serializer.serialize("eventing.events", envelope);

        assertThat(Arrays.copyOfRange(bytes, 0, 5)).containsExactly(0, 0, 0, 0, 1);
        byte[] payload = Arrays.copyOfRange(bytes, 5, bytes.length);
        Schema schema = Envelope.getClassSchema();
        assertThat(payload).isEqualTo(SampleRecords.avroBinary(schema, SpecificData.getForSchema(schema), envelope));
        GenericRecord plain = new GenericDatumReader<GenericRecord>(schema)
                .read(null, DecoderFactory.get().binaryDecoder(payload, null));
        assertThat(plain.get("eventType")).hasToString("Claim.Submitted.Reconsideration");
        assertThat(((GenericRecord) plain.get("metadata")).get("occurredAt")).isEqualTo(1767607200123L);
    }

    @Test
    void shouldRegisterUnderValueSubjectWhenSerializingAValue() {
        AvroWireSerializer<GenericRecord> serializer = new AvroWireSerializer<>(registry, true);
        serializer.configure(Map.of(), false);

        serializer.serialize("pings", SampleRecords.ping("ab", 3));

        assertThat(registry.subjects()).containsExactly("pings-value");
    }

    @Test
    void shouldRegisterUnderKeySubjectWhenConfiguredForKeys() {
        AvroWireSerializer<GenericRecord> serializer = new AvroWireSerializer<>(registry, true);
        serializer.configure(Map.of(), true);

        serializer.serialize("pings", SampleRecords.ping("ab", 3));

        assertThat(registry.subjects()).containsExactly("pings-key");
    }

    @Test
    void shouldReuseTheIdWhenTheSameSchemaGoesToAnotherTopic() {
        AvroWireSerializer<GenericRecord> serializer = new AvroWireSerializer<>(registry, true);
        registry.register("other-value", SampleRecords.PING_V2);

        byte[] first = serializer.serialize("pings", SampleRecords.ping("ab", 3));
        byte[] second = serializer.serialize("more-pings", SampleRecords.ping("ab", 3));

        assertThat(first).containsExactly(0, 0, 0, 0, 2, 4, 97, 98, 6);
        assertThat(second).containsExactly(0, 0, 0, 0, 2, 4, 97, 98, 6);
        assertThat(registry.subjects()).containsExactly("more-pings-value", "other-value", "pings-value");
    }

    @Test
    void shouldUseTheRegisteredIdWithoutRegisteringWhenAutoRegisterIsOff() {
        registry.register("other-value", SampleRecords.PING_V2);
        registry.register("pings-value", SampleRecords.PING);
        AvroWireSerializer<GenericRecord> serializer = new AvroWireSerializer<>(registry, false);

        byte[] bytes = serializer.serialize("pings", SampleRecords.ping("ab", 3));

        assertThat(bytes).containsExactly(0, 0, 0, 0, 2, 4, 97, 98, 6);
        assertThat(registry.versions("pings-value")).containsExactly(2);
    }

    @Test
    void shouldFailWhenAutoRegisterIsOffAndTheSchemaIsNotRegistered() {
        AvroWireSerializer<GenericRecord> serializer = new AvroWireSerializer<>(registry, false);
        GenericRecord ping = SampleRecords.ping("ab", 3);

        SerializationException thrown =
                catchThrowableOfType(SerializationException.class, () -> serializer.serialize("pings", ping));

        assertThat(thrown)
                .hasMessage("cannot get a schema id for subject pings-value: schema not found under subject"
                        + " pings-value (status 404, error code 40403)")
                .hasCauseInstanceOf(SchemaRegistryException.class);
        assertThat(registry.subjects()).isEmpty();
    }

    @Test
    void shouldStopRegisteringWhenConfigTurnsAutoRegisterOff() {
        AvroWireSerializer<GenericRecord> serializer = new AvroWireSerializer<>(registry, true);
        serializer.configure(Map.of("auto.register.schemas", "false"), false);
        GenericRecord ping = SampleRecords.ping("ab", 3);

        SerializationException thrown =
                catchThrowableOfType(SerializationException.class, () -> serializer.serialize("pings", ping));

        assertThat(thrown.getCause()).isInstanceOf(SchemaRegistryException.class);
        assertThat(((SchemaRegistryException) thrown.getCause()).errorCode()).isEqualTo(40403);
    }

    @Test
    void shouldFailWhenARequiredFieldIsMissing() {
        AvroWireSerializer<GenericRecord> serializer = new AvroWireSerializer<>(registry, true);
        GenericRecord ping = new GenericData.Record(SampleRecords.PING);
        ping.put("count", 3);

        SerializationException thrown =
                catchThrowableOfType(SerializationException.class, () -> serializer.serialize("pings", ping));

        assertThat(thrown).hasMessage("cannot write Avro record of com.northwind.test.Ping");
    }

    @Test
    void shouldWriteTheNextRecordCleanWhenOneFailedHalfWritten() {
        AvroWireSerializer<GenericRecord> serializer = new AvroWireSerializer<>(registry, true);
        GenericRecord half = new GenericData.Record(SampleRecords.PING);
        half.put("name", "ab");
        catchThrowableOfType(SerializationException.class, () -> serializer.serialize("pings", half));

        byte[] bytes = serializer.serialize("pings", SampleRecords.ping("cd", 5));

        assertThat(bytes).containsExactly(0, 0, 0, 0, 1, 4, 99, 100, 10);
    }

    @Test
    void shouldWriteRecordsOfAnySizeWhenOneIsLargerThanTheBuffer() {
        AvroWireSerializer<GenericRecord> serializer = new AvroWireSerializer<>(registry, true);
        GenericRecord large = SampleRecords.ping("x".repeat(200_000), 1);

        byte[] big = serializer.serialize("pings", large);
        byte[] small = serializer.serialize("pings", SampleRecords.ping("ab", 3));

        assertThat(Arrays.copyOfRange(big, 5, big.length))
                .isEqualTo(SampleRecords.avroBinary(SampleRecords.PING, GenericData.get(), large));
        assertThat(small).containsExactly(0, 0, 0, 0, 1, 4, 97, 98, 6);
    }

    @Test
    void shouldAnswerThePayloadAloneWhenAskedForAvroBinary() {
        AvroWireSerializer<Envelope> serializer = new AvroWireSerializer<>(registry, true);
        Envelope envelope = SampleRecords.envelope();

        byte[] framed = serializer.serialize("eventing.events", envelope);
        byte[] payload = serializer.avroBinary(envelope);

        assertThat(WireFormat.frame(serializer.schemaId("eventing.events", envelope.getSchema()), payload))
                .isEqualTo(framed);
    }

    @Test
    void shouldWriteNullWhenRecordIsNull() {
        AvroWireSerializer<GenericRecord> serializer = new AvroWireSerializer<>(registry, true);

        byte[] bytes = serializer.serialize("pings", null);

        assertThat(bytes).isNull();
        assertThat(registry.subjects()).isEmpty();
    }

    /** Hands out one id for every schema, to see how ids wider than a byte are written. */
    private static final class FixedIdRegistry implements SchemaRegistryClient {
        private final int id;

        FixedIdRegistry(int id) {
            this.id = id;
        }

        @Override
        public int register(String subject, Schema schema) {
            return id;
        }

        @Override
        public int lookup(String subject, Schema schema) {
            return id;
        }

        @Override
        public Schema byId(int id) {
            throw new SchemaRegistryException(404, 40403, "schema " + id + " not found");
        }
    }
}
