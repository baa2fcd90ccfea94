package com.northwind.eventing.router.topology;

import com.northwind.eventing.common.serde.AvroWireSerializer;
import com.northwind.eventing.common.serde.WireFormat;
import com.northwind.eventing.schema.Envelope;
import java.nio.ByteBuffer;

/**
 * One copy of an event, shared by every subscription whose app has the same redaction plan and projection; it is
 * encoded the first time one of them needs its bytes, and those after get the same bytes. Lives for one event on one
 * stream thread.
 */
final class Copy {
    private final Envelope envelope;
    private final byte[] firehoseValue;
    /** The schema id {@code firehoseValue} is framed with; read once, as every delivery of the copy asks for it. */
    private final int firehoseSchemaId;

    private byte[] avro;
    private int framedSchemaId;
    private byte[] framed;

    Copy(Envelope envelope) {
        this(envelope, null);
    }

    /**
     * @param firehoseValue the firehose record's value (wire format) when the copy is that record's envelope,
     *     unchanged; null when the copy differs from it
     */
    Copy(Envelope envelope, byte[] firehoseValue) {
        this.envelope = envelope;
        this.firehoseValue = firehoseValue;
        // The deserializer has read this header already, so it is well-formed.
        this.firehoseSchemaId = firehoseValue == null ? -1 : WireFormat.readHeader(ByteBuffer.wrap(firehoseValue));
    }

    Envelope envelope() {
        return envelope;
    }

    /**
     * The copy in the wire format under {@code schemaId}: its Avro binary behind the header for that id. Every subject
     * the router writes holds the one envelope schema, so the id is the registry's one id for it and the framed bytes
     * are made once; a different id gets its own. The array is shared by the records written with it, and nothing
     * writes to it.
     */
    byte[] framed(int schemaId, AvroWireSerializer<Envelope> encoder) {
        if (firehoseValue != null && firehoseSchemaId == schemaId) {
            // Under the same schema these bytes are an encoding of the very values the copy holds.
            return firehoseValue;
        }
        if (framed == null || framedSchemaId != schemaId) {
            if (avro == null) {
                avro = encoder.avroBinary(envelope);
            }
            framed = WireFormat.frame(schemaId, avro);
            framedSchemaId = schemaId;
        }
        return framed;
    }
}
