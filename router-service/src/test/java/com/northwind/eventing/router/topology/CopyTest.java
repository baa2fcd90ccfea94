package com.northwind.eventing.router.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.common.registry.InMemorySchemaRegistryClient;
import com.northwind.eventing.common.serde.AvroWireSerializer;
import com.northwind.eventing.common.serde.EnvelopeSerde;
import com.northwind.eventing.schema.Envelope;
import com.northwind.eventing.schema.Metadata;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;

class CopyTest {
    private final InMemorySchemaRegistryClient schemas = new InMemorySchemaRegistryClient();
    private final AtomicInteger encoded = new AtomicInteger();
    private final AvroWireSerializer<Envelope> counting = new AvroWireSerializer<>(schemas, true) {
        @Override
        public byte[] avroBinary(Envelope record) {
            encoded.incrementAndGet();
            return super.avroBinary(record);
        }
    };

    /**
     * Subscriptions of cleared and uncleared apps interleave: each distinct copy is still encoded once per event, and
     * every subscription's record is its own copy under its own topic's subject.
     */
    @Test
    void shouldEncodeEachSharedCopyOnceWhenItsSubscriptionsInterleave() {
        Copy cleared = new Copy(envelope("{\"ssn\":\"123-45-6789\"}", List.of()));
        Copy redacted = new Copy(envelope("{\"ssn\":\"***REDACTED***\"}", List.of("/ssn")));

        byte[] a = framed("eventing.sub.a", cleared);
        byte[] b = framed("eventing.sub.b", redacted);
        byte[] c = framed("eventing.sub.c", cleared);
        byte[] d = framed("eventing.sub.d", redacted);

        assertThat(encoded).hasValue(2);
        assertThat(c).isSameAs(a);
        assertThat(d).isSameAs(b);
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
     * Every subject the router writes holds the one envelope schema, so the registry gives them one id; should two
     * ids differ, each record carries its own, the Avro binary is made once, and bytes framed before keep their id.
     */
    @Test
    void shouldFrameWithEachGivenSchemaIdAndEncodeOnceWhenIdsDiffer() {
        Copy copy = new Copy(envelope("{\"ssn\":\"***REDACTED***\"}", List.of("/ssn")));

        byte[] a = copy.framed(1, counting);
        byte[] b = copy.framed(2, counting);
        byte[] c = copy.framed(1, counting);

        assertThat(ByteBuffer.wrap(a, 1, 4).getInt()).isEqualTo(1);
        assertThat(ByteBuffer.wrap(b, 1, 4).getInt()).isEqualTo(2);
        assertThat(ByteBuffer.wrap(c, 1, 4).getInt()).isEqualTo(1);
        assertThat(Arrays.copyOfRange(b, 5, b.length))
                .isEqualTo(Arrays.copyOfRange(a, 5, a.length))
                .isEqualTo(Arrays.copyOfRange(c, 5, c.length));
        assertThat(encoded).hasValue(1);
    }

    /** A copy that is the firehose record's envelope unchanged is the record's bytes under its id, reframed else. */
    @Test
    void shouldWriteTheFirehoseValueWhenTheCopyIsUnchangedAndReframeItUnderAnotherId() {
        Envelope event = envelope("{\"ssn\":\"123-45-6789\"}", List.of());
        byte[] firehoseValue = EnvelopeSerde.create(schemas, true).serializer().serialize("eventing.firehose", event);
        int firehoseId = ByteBuffer.wrap(firehoseValue, 1, 4).getInt();
        Copy unchanged = new Copy(event, firehoseValue);

        byte[] same = unchanged.framed(firehoseId, counting);
        byte[] reframed = unchanged.framed(firehoseId + 1, counting);

        assertThat(same).isSameAs(firehoseValue);
        assertThat(ByteBuffer.wrap(reframed, 1, 4).getInt()).isEqualTo(firehoseId + 1);
        assertThat(Arrays.copyOfRange(reframed, 5, reframed.length))
                .isEqualTo(Arrays.copyOfRange(firehoseValue, 5, firehoseValue.length));
        assertThat(encoded).hasValue(1);
    }

    private byte[] framed(String topic, Copy copy) {
        return copy.framed(counting.schemaId(topic, copy.envelope().getSchema()), counting);
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
