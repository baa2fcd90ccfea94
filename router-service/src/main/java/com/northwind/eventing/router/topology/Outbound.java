package com.northwind.eventing.router.topology;

import com.northwind.eventing.common.serde.AvroWireSerializer;
import com.northwind.eventing.common.serde.WireFormat;
import com.northwind.eventing.schema.Envelope;
import java.nio.ByteBuffer;
import java.util.function.Function;
import org.apache.kafka.common.header.Headers;

/** What the routing processor emits: a copy for a subscription's topic, or a dead letter. */
sealed interface Outbound {
    /** The topic the record goes to. */
    String topic();

    /**
     * A redacted, projected copy of an event for one subscription.
     *
     * @param source the firehose record it was made from, so that a copy that cannot be written is dead-lettered as
     *     the processor's own dead letters are, with where it came from
     */
    record Delivery(String topic, Copy copy, Source source) implements Outbound {
        Envelope envelope() {
            return copy.envelope();
        }
    }

    /**
     * One copy of an event, shared by every subscription whose app has the same redaction plan and projection; it is
     * encoded the first time one of them is written, and those written after get the same bytes. Used on the stream
     * thread only: the processor makes it and the sink serializes it in the same call.
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
         * The copy in the wire format under {@code schemaId}: its Avro binary behind the header for that id. Every
         * subject the router writes holds the one envelope schema, so the id is the registry's one id for it and the
         * framed bytes are made once; a different id gets its own. The array is shared by the records written with
         * it, and nothing writes to it.
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

    /**
     * A record that could not be routed, or one copy of it that could not be written: what {@link DeadLetters} made
     * of it, never the record's own bytes unless they hold nothing sensitive. The reason travels in headers.
     *
     * @param value the dead letter's value, or null when it holds none
     */
    record DeadLetter(byte[] value) implements Outbound {
        @Override
        public String topic() {
            return RouterTopology.DEADLETTER;
        }
    }

    /**
     * A firehose record as it was read: one instance is shared by all copies of an event.
     *
     * @param deadLetter the dead letter's body should a copy fail to be written; made only then
     * @param topic, partition, offset where it was read; null, -1, -1 when not known
     */
    record Source(
            byte[] key,
            Function<Function<DeadLetters.Body, Headers>, DeadLetters.Letter> deadLetter,
            Headers headers,
            long timestamp,
            String topic,
            int partition,
            long offset) {}
}
