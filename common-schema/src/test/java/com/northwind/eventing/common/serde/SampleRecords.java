package com.northwind.eventing.common.serde;

import com.northwind.eventing.schema.Envelope;
import com.northwind.eventing.schema.Metadata;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/** Records the serde tests write and read, and Avro's own encoding of them to compare with. */
final class SampleRecords {
    /** A record small enough that its Avro encoding can be written down by hand. */
    static final Schema PING = new Schema.Parser().parse("""
                    {"type": "record", "name": "Ping", "namespace": "com.northwind.test",
                     "fields": [{"name": "name", "type": "string"}, {"name": "count", "type": "int"}]}
                    """);

    /** {@link #PING} with one more field, that has a default: a compatible evolution. */
    static final Schema PING_V2 = new Schema.Parser().parse("""
                    {"type": "record", "name": "Ping", "namespace": "com.northwind.test",
                     "fields": [{"name": "name", "type": "string"}, {"name": "count", "type": "int"},
                                {"name": "region", "type": "string", "default": "TX"}]}
                    """);

    private SampleRecords() {}

    static GenericRecord ping(String name, int count) {
        GenericRecord record = new GenericData.Record(PING);
        record.put("name", name);
        record.put("count", count);
        return record;
    }

    static Envelope envelope() {
        return Envelope.newBuilder()
                .setEventId("0190f1d2-7c4e-7a3b-8c9d-0e1f2a3b4c5d")
                .setNoun("Claim")
                .setVerb("Submitted")
                .setObject("Reconsideration")
                .setEventType("Claim.Submitted.Reconsideration")
                .setMetadata(Metadata.newBuilder()
                        .setTransactionId("tx-42")
                        .setUserId("u-7")
                        .setOccurredAt(Instant.parse("2026-01-05T10:00:00.123Z"))
                        .setReceivedAt(Instant.parse("2026-01-05T10:00:01Z"))
                        .setProducerApp("claims-intake")
                        .build())
                .setTags(List.of("state:TX"))
                .setSynthetic(false)
                .setBody("{\"claimId\":\"C1\"}")
                .setBodySchemaVersion(2)
                .build();
    }

    /** What Avro itself writes for {@code record}: plain binary, no header, through a direct binary encoder. */
    static <T> byte[] avroBinary(Schema schema, GenericData model, T record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            new GenericDatumWriter<T>(schema, model).write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
