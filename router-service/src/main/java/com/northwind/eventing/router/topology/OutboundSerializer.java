package com.northwind.eventing.router.topology;

import com.northwind.eventing.schema.Envelope;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/** Writes deliveries in the envelope's wire format under their topic's subject, and dead letters as they came. */
final class OutboundSerializer implements Serializer<Outbound> {
    private final Serializer<Envelope> envelopes;

    OutboundSerializer(Serializer<Envelope> envelopes) {
        this.envelopes = envelopes;
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
            return envelopes.serialize(topic, headers, d.envelope());
        }
        return ((Outbound.DeadLetter) data).value();
    }
}
