package com.northwind.eventing.common.serde;

import com.northwind.eventing.common.registry.SchemaRegistryClient;
import com.northwind.eventing.common.registry.SchemaRegistryException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent wire-format Avro: looks the writer schema up by id and resolves it against the reader schema, so
 * it reads what Confluent's {@code KafkaAvroSerializer} writes.
 *
 * <p>With a reader class (or {@code specific.avro.reader=true}) it returns generated classes; otherwise generic
 * records in the writer's schema.
 */
public class AvroWireDeserializer<T> implements Deserializer<T> {
    private SchemaRegistryClient registry;
    private Schema readerSchema;
    private boolean specific;
    private final Map<Integer, DatumReader<T>> readers = new ConcurrentHashMap<>();

    /** For Kafka's reflective construction; {@link #configure} supplies the registry. */
    public AvroWireDeserializer() {}

    /**
     * @param readerSchema the schema to resolve into (a generated class's {@code SCHEMA$}), or null for the writer's
     * @param specific whether to return generated classes
     */
    public AvroWireDeserializer(SchemaRegistryClient registry, Schema readerSchema, boolean specific) {
        this.registry = registry;
        this.readerSchema = readerSchema;
        this.specific = specific;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (registry == null) {
            registry = AvroSerdeConfig.client(configs);
            specific = AvroSerdeConfig.flag(configs, AvroSerdeConfig.SPECIFIC_AVRO_READER, false);
        }
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        ByteBuffer buffer = ByteBuffer.wrap(data);
        int id = WireFormat.readHeader(buffer);
        DatumReader<T> reader;
        try {
            reader = readers.computeIfAbsent(id, this::reader);
        } catch (SchemaRegistryException e) {
            throw new SerializationException("cannot find schema " + id + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new SerializationException("cannot build a reader for schema " + id + ": " + e.getMessage(), e);
        }
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, buffer.position(), buffer.remaining(), null);
        try {
            T value = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new SerializationException("trailing bytes after the Avro record of schema " + id);
            }
            return value;
        } catch (IOException | RuntimeException e) {
            if (e instanceof SerializationException se) {
                throw se;
            }
            throw new SerializationException("cannot read Avro record with schema " + id + ": " + e.getMessage(), e);
        }
    }

    private DatumReader<T> reader(int id) {
        Schema writer = registry.byId(id);
        if (specific) {
            Schema reader = readerSchema;
            if (reader == null) {
                // Confluent's rule: the generated class named by the writer schema is the reader.
                reader = SpecificData.get().getSchema(SpecificData.get().getClass(writer));
            }
            return new SpecificDatumReader<>(writer, reader, SpecificData.getForSchema(reader));
        }
        return new GenericDatumReader<>(writer, readerSchema == null ? writer : readerSchema);
    }
}
