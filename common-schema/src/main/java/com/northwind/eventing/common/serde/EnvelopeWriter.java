package com.northwind.eventing.common.serde;

import com.northwind.eventing.schema.Envelope;
import com.northwind.eventing.schema.Metadata;
import java.io.IOException;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.Encoder;

/**
 * Writes an {@link Envelope} in Avro binary field by field, in the order of {@code Envelope.avsc}: the bytes
 * {@code SpecificDatumWriter} gives, without its walk of the schema for every record (a look-up of each field's
 * logical-type conversion, a resolution of each union's branch). Envelopes are what the intake writes for every event
 * and the router for every copy. The generated class has no custom coders of its own: Avro leaves them out of records
 * with logical types.
 *
 * <p>{@link #FIELDS} is the schema this is written for; {@link AvroWireSerializer} uses it only for exactly that schema,
 * and a test fails as soon as {@code Envelope.avsc} changes, until this changes with it.
 */
final class EnvelopeWriter implements DatumWriter<Envelope> {
    /** Envelope's fields, then Metadata's, as this class writes them. */
    static final List<String> FIELDS = List.of(
            "eventId",
            "noun",
            "verb",
            "object",
            "subObject",
            "eventType",
            "metadata",
            "tags",
            "synthetic",
            "body",
            "bodySchemaVersion",
            "redactedPaths",
            "metadata.transactionId",
            "metadata.userId",
            "metadata.occurredAt",
            "metadata.receivedAt",
            "metadata.transactionType",
            "metadata.sourceSystem",
            "metadata.producerApp");

    /** Whether this writes records of the schema. */
    static boolean writes(Schema schema) {
        return schema.equals(Envelope.getClassSchema());
    }

    @Override
    public void setSchema(Schema schema) {
        if (!writes(schema)) {
            throw new IllegalArgumentException("EnvelopeWriter writes only "
                    + Envelope.getClassSchema().getFullName() + " of Envelope.avsc, not " + schema.getFullName());
        }
    }

    @Override
    public void write(Envelope e, Encoder out) throws IOException {
        out.writeString(e.getEventId());
        out.writeString(e.getNoun());
        out.writeString(e.getVerb());
        out.writeString(e.getObject());
        optional(e.getSubObject(), out);
        out.writeString(e.getEventType());
        Metadata m = e.getMetadata();
        out.writeString(m.getTransactionId());
        optional(m.getUserId(), out);
        // timestamp-millis, as Avro's TimestampMillisConversion writes an Instant.
        out.writeLong(m.getOccurredAt().toEpochMilli());
        out.writeLong(m.getReceivedAt().toEpochMilli());
        optional(m.getTransactionType(), out);
        optional(m.getSourceSystem(), out);
        out.writeString(m.getProducerApp());
        strings(e.getTags(), out);
        out.writeBoolean(e.getSynthetic());
        out.writeString(e.getBody());
        out.writeInt(e.getBodySchemaVersion());
        strings(e.getRedactedPaths(), out);
    }

    /** A {@code ["null", "string"]} union: branch 0 for null, else branch 1 and the string. */
    private static void optional(String value, Encoder out) throws IOException {
        if (value == null) {
            out.writeIndex(0);
            out.writeNull();
        } else {
            out.writeIndex(1);
            out.writeString(value);
        }
    }

    private static void strings(List<String> values, Encoder out) throws IOException {
        out.writeArrayStart();
        out.setItemCount(values.size());
        for (String v : values) {
            out.startItem();
            out.writeString(v);
        }
        out.writeArrayEnd();
    }
}
