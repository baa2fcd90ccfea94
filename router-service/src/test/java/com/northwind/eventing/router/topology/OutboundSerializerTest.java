package com.northwind.eventing.router.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.common.registry.InMemorySchemaRegistryClient;
import com.northwind.eventing.common.serde.AvroWireSerializer;
import com.northwind.eventing.common.serde.EnvelopeSerde;
import com.northwind.eventing.schema.Envelope;
import com.northwind.eventing.schema.Metadata;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;

class OutboundSerializerTest {
    private final InMemorySchemaRegistryClient schemas = new InMemorySchemaRegistryClient();
    private final AtomicInteger encoded = new AtomicInteger();
    private final AvroWireSerializer<Envelope> counting = new AvroWireSerializer<>(schemas, true) {
        @Override
        public byte[] avroBinary(Envelope record) {
            encoded.incrementAndGet();
            return super.avroBinary(record);
        }
    };
    private final OutboundSerializer serializer = new OutboundSerializer(counting, RecordLimits.NONE);
    private final Outbound.Source source = new Outbound.Source(
            "tx-42".getBytes(StandardCharsets.UTF_8),
            headersFor -> new DeadLetters.Letter(null, headersFor.apply(DeadLetters.digest(new byte[0]))),
            new RecordHeaders(),
            0L,
            "eventing.firehose",
            0,
            7L);

    /**
     * Subscriptions come in id order, so those of cleared and uncleared apps interleave: each distinct copy must
     * still be encoded once per event, and every record must be its own copy under its own topic's subject.
     */
    @Test
    void shouldEncodeEachSharedCopyOnceWhenItsSubscriptionsInterleave() {
        Outbound.Copy cleared = new Outbound.Copy(envelope("{\"ssn\":\"123-45-6789\"}", List.of()));
        Outbound.Copy redacted = new Outbound.Copy(envelope("{\"ssn\":\"***REDACTED***\"}", List.of("/ssn")));

        byte[] a = write("eventing.sub.a", cleared);
        byte[] b = write("eventing.sub.b", redacted);
        byte[] c = write("eventing.sub.c", cleared);
        byte[] d = write("eventing.sub.d", redacted);

        assertThat(encoded).hasValue(2);
        Deserializer<Envelope> read = EnvelopeSerde.create(schemas, false).deserializer();
        assertThat(read.deserialize("eventing.sub.a", a).getBody()).isEqualTo("{\"ssn\":\"123-45-6789\"}");
        assertThat(read.deserialize("eventing.sub.c", c).getBody()).isEqualTo("{\"ssn\":\"123-45-6789\"}");
        assertThat(read.deserialize("eventing.sub.b", b).getRedactedPaths()).containsExactly("/ssn");
        assertThat(read.deserialize("eventing.sub.d", d).getBody()).isEqualTo("{\"ssn\":\"***REDACTED***\"}");
        assertThat(schemas.subjects())
                .contains(
                        "eventing.sub.a-value", "eventing.sub.b-value", "eventing.sub.c-value", "eventing.sub.d-value");
    }

    /**
     * Every subject the router writes holds the one envelope schema, so the registry gives them one id; should a
     * subject's id differ, its records must still carry that id, and the records framed before keep theirs.
     */
    @Test
    void shouldFrameEachRecordWithItsTopicsSchemaIdWhenSubjectsGiveDifferentIds() {
        AvroWireSerializer<Envelope> perTopic = new AvroWireSerializer<>(schemas, true) {
            @Override
            public int schemaId(String topic, Schema schema) {
                return topic.endsWith(".b") ? 2 : 1;
            }

            @Override
            public byte[] avroBinary(Envelope record) {
                encoded.incrementAndGet();
                return super.avroBinary(record);
            }
        };
        OutboundSerializer ids = new OutboundSerializer(perTopic, RecordLimits.NONE);
        Outbound.Copy copy = new Outbound.Copy(envelope("{\"ssn\":\"***REDACTED***\"}", List.of("/ssn")));

        byte[] a = ids.serialize(
                "eventing.sub.a", new RecordHeaders(), new Outbound.Delivery("eventing.sub.a", copy, source));
        byte[] b = ids.serialize(
                "eventing.sub.b", new RecordHeaders(), new Outbound.Delivery("eventing.sub.b", copy, source));
        byte[] c = ids.serialize(
                "eventing.sub.c", new RecordHeaders(), new Outbound.Delivery("eventing.sub.c", copy, source));

        assertThat(ByteBuffer.wrap(a, 1, 4).getInt()).isEqualTo(1);
        assertThat(ByteBuffer.wrap(b, 1, 4).getInt()).isEqualTo(2);
        assertThat(ByteBuffer.wrap(c, 1, 4).getInt()).isEqualTo(1);
        assertThat(Arrays.copyOfRange(b, 5, b.length))
                .isEqualTo(Arrays.copyOfRange(a, 5, a.length))
                .isEqualTo(Arrays.copyOfRange(c, 5, c.length));
        assertThat(encoded).hasValue(1);
    }

    /** A copy that is the firehose record's envelope unchanged is written as the record's bytes, under its id only. */
    @Test
    void shouldWriteTheFirehoseValueWhenTheCopyIsUnchangedAndTheIdsAgree() {
        Envelope event = envelope("{\"ssn\":\"123-45-6789\"}", List.of());
        byte[] firehoseValue = EnvelopeSerde.create(schemas, true).serializer().serialize("eventing.firehose", event);
        Outbound.Copy unchanged = new Outbound.Copy(event, firehoseValue);

        byte[] same = write("eventing.sub.a", unchanged);

        assertThat(same).isSameAs(firehoseValue);
        assertThat(encoded).hasValue(0);

        AvroWireSerializer<Envelope> otherId = new AvroWireSerializer<>(schemas, true) {
            @Override
            public int schemaId(String topic, Schema schema) {
                return super.schemaId(topic, schema) + 1;
            }
        };
        byte[] reframed = new OutboundSerializer(otherId, RecordLimits.NONE)
                .serialize(
                        "eventing.sub.b",
                        new RecordHeaders(),
                        new Outbound.Delivery("eventing.sub.b", unchanged, source));
        assertThat(ByteBuffer.wrap(reframed, 1, 4).getInt())
                .isEqualTo(ByteBuffer.wrap(firehoseValue, 1, 4).getInt() + 1);
        assertThat(Arrays.copyOfRange(reframed, 5, reframed.length))
                .isEqualTo(Arrays.copyOfRange(firehoseValue, 5, firehoseValue.length));
    }

    private byte[] write(String topic, Outbound.Copy copy) {
        return serializer.serialize(topic, new RecordHeaders(), new Outbound.Delivery(topic, copy, source));
    }

    private static Envelope envelope(String body, List<String> redactedPaths) {
        return new Envelope(
                "0190f1d2-7c4e-7a3b-8c9d-0e1f2a3b4c5d",
                "Claim",
                "Submitted",
                "Reconsideration",
                null,
                "Claim.Submitted.Reconsideration",
                new Metadata(
                        "tx-42",
                        null,
                        Instant.parse("2026-01-05T10:00:00Z"),
                        Instant.parse("2026-01-05T10:00:01Z"),
                        null,
                        null,
                        "claims-intake"),
                List.of(),
                false,
                body,
                1,
                redactedPaths);
    }
}
