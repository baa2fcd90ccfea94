package com.northwind.eventing.common.serde;

import com.northwind.eventing.common.registry.SchemaRegistryClient;
import com.northwind.eventing.common.registry.SchemaRegistryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro records in Confluent's wire format, registering (or looking up) the writer schema under the subject
 * {@code <topic>-value} (or {@code -key}). What it writes is read by Confluent's {@code KafkaAvroDeserializer}.
 */
public class AvroWireSerializer<T extends GenericContainer> implements Serializer<T> {
    private SchemaRegistryClient registry;
    private boolean autoRegister = true;
    private boolean isKey;
    private final Map<Schema, DatumWriter<T>> writers = new java.util.concurrent.ConcurrentHashMap<>();

    /** For Kafka's reflective construction; {@link #configure} supplies the registry. */
    public AvroWireSerializer() {}

    public AvroWireSerializer(SchemaRegistryClient registry, boolean autoRegister) {
        this.registry = registry;
        this.autoRegister = autoRegister;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.isKey = isKey;
        if (registry == null) {
            registry = AvroSerdeConfig.client(configs);
        }
        autoRegister = AvroSerdeConfig.flag(configs, AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, autoRegister);
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        Schema schema = record.getSchema();
        String subject = AvroSerdeConfig.subject(topic, isKey);
        int id;
        try {
            id = autoRegister ? registry.register(subject, schema) : registry.lookup(subject, schema);
        } catch (SchemaRegistryException e) {
            throw new SerializationException(
                    "cannot get a schema id for subject " + subject + ": " + e.getMessage(), e);
        }
        return WireFormat.frame(id, avroBinary(schema, record));
    }

    private byte[] avroBinary(Schema schema, T record) {
        // Writers are stateless and shared; building one looks the generated class up by name, which is costly.
        DatumWriter<T> writer = writers.computeIfAbsent(
                schema,
                k -> record instanceof SpecificRecord
                        ? new SpecificDatumWriter<>(k, SpecificData.getForSchema(k))
                        : new GenericDatumWriter<>(k));
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            writer.write(record, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot write Avro record of " + schema.getFullName(), e);
        }
        return out.toByteArray();
    }
}
