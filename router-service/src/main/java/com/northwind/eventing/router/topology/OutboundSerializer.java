package com.northwind.eventing.router.topology;

import com.northwind.eventing.common.serde.AvroWireSerializer;
import com.northwind.eventing.schema.Envelope;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes deliveries in the envelope's wire format under their topic's subject, and dead letters as they came. A
 * delivery too large for its topic fails here, before the producer sees it, so that the production exception handler
 * can dead-letter it without aborting the transaction.
 */
final class OutboundSerializer implements Serializer<Outbound> {
    private final AvroWireSerializer<Envelope> envelopes;
    private final RecordLimits limits;

    OutboundSerializer(AvroWireSerializer<Envelope> envelopes, RecordLimits limits) {
        this.envelopes = envelopes;
        this.limits = limits;
    }

    @Override
    public byte[] serialize(String topic, Outbound data) {
        return serialize(topic, null, data);
    }

    @Override
    public byte[] serialize(String topic, Headers headers, Outbound data) {
        if (data == null) {
            return null;
        }
        if (data instanceof Outbound.Delivery d) {
            // Every topic's subject is still registered (or refused) on its own; only the encoding is shared.
            int schemaId = envelopes.schemaId(topic, d.envelope().getSchema());
            byte[] value = d.copy().framed(schemaId, envelopes);
            int size = RecordLimits.upperBound(d.source().key(), value, headers);
            int limit = limits.maxRecordBytes(topic);
            if (size > limit) {
                throw new RecordTooLargeException("the copy is up to " + size + " bytes as a record, and topic " + topic
                        + " takes at most " + limit);
            }
            return value;
        }
        return ((Outbound.DeadLetter) data).value();
    }
}
