package com.northwind.eventing.common.serde;

import com.northwind.eventing.common.registry.SchemaRegistryClient;
import com.northwind.eventing.schema.Envelope;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** The envelope's value serde: generated {@link Envelope} objects in Confluent's wire format. */
public final class EnvelopeSerde {
    private EnvelopeSerde() {}

    public static Serde<Envelope> create(SchemaRegistryClient registry, boolean autoRegister) {
        return Serdes.serdeFrom(
                new AvroWireSerializer<>(registry, autoRegister),
                new AvroWireDeserializer<>(registry, Envelope.getClassSchema(), true));
    }
}
