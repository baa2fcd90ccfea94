package com.northwind.eventing.common.serde;

import com.northwind.eventing.common.registry.SchemaRegistryClient;
import com.northwind.eventing.common.registry.SchemaRegistryException;
import com.northwind.eventing.schema.Envelope;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
    private final Map<Schema, DatumWriter<T>> writers = new ConcurrentHashMap<>();
    private final Map<Schema, Map<String, Integer>> ids = new ConcurrentHashMap<>();

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
        int id = schemaId(topic, record.getSchema());
        Buffer out = BUFFERS.get();
        out.reset();
        out.write(WireFormat.header(id), 0, WireFormat.HEADER_SIZE);
        return encode(record, out);
    }

    /**
     * The id of the schema under the topic's subject, registered there first when auto-registering. Ids never change,
     * so each (schema, topic) is asked of the registry once; a refusal is not kept and is asked again.
     *
     * @throws SerializationException when the registry refuses or cannot be reached
     */
    public int schemaId(String topic, Schema schema) {
        Map<String, Integer> byTopic = ids.computeIfAbsent(schema, k -> new ConcurrentHashMap<>());
        Integer known = byTopic.get(topic);
        if (known != null) {
            return known;
        }
        String subject = AvroSerdeConfig.subject(topic, isKey);
        int id;
        try {
            id = autoRegister ? registry.register(subject, schema) : registry.lookup(subject, schema);
        } catch (SchemaRegistryException e) {
            throw new SerializationException(
                    "cannot get a schema id for subject " + subject + ": " + e.getMessage(), e);
        }
        byTopic.put(topic, id);
        return id;
    }

    /**
     * The record in Avro binary, without the wire format's header: {@code WireFormat.frame(schemaId(..), this)} is
     * what {@link #serialize} writes.
     */
    public byte[] avroBinary(T record) {
        Buffer out = BUFFERS.get();
        out.reset();
        return encode(record, out);
    }

    /** Appends the record's Avro binary to what the buffer holds and answers all of it. */
    private byte[] encode(T record, Buffer out) {
        Schema schema = record.getSchema();
        // Writers are stateless and shared; building one looks the generated class up by name, which is costly.
        DatumWriter<T> writer = writers.computeIfAbsent(schema, k -> writerFor(record, k));
        try {
            // Buffered: the direct encoder makes a call into the stream for every field.
            out.encoder = EncoderFactory.get().binaryEncoder(out, out.encoder);
            writer.write(record, out.encoder);
            out.encoder.flush();
        } catch (IOException | RuntimeException e) {
            // The encoder may hold part of the record: reused, it would write that into the next one.
            out.encoder = null;
            throw new SerializationException("cannot write Avro record of " + schema.getFullName(), e);
        }
        return out.copy();
    }

    @SuppressWarnings("unchecked")
    private static <T extends GenericContainer> DatumWriter<T> writerFor(T record, Schema schema) {
        if (record instanceof Envelope && EnvelopeWriter.writes(schema)) {
            return (DatumWriter<T>) new EnvelopeWriter();
        }
        return record instanceof SpecificRecord
                ? new SpecificDatumWriter<>(schema, SpecificData.getForSchema(schema))
                : new GenericDatumWriter<>(schema);
    }

    /** Each thread's output buffer and encoder, reused from one record to the next. */
    private static final ThreadLocal<Buffer> BUFFERS = ThreadLocal.withInitial(Buffer::new);

    /** An unsynchronized growable byte buffer; one per thread. */
    private static final class Buffer extends OutputStream {
        /** A buffer grown past this by a large record is not kept for the next one. */
        private static final int KEEP = 64 * 1024;

        private byte[] bytes = new byte[1024];
        private int count;
        private BinaryEncoder encoder;

        void reset() {
            if (bytes.length > KEEP) {
                bytes = new byte[1024];
            }
            count = 0;
        }

        @Override
        public void write(int b) {
            ensure(1);
            bytes[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, bytes, count, len);
            count += len;
        }

        private void ensure(int more) {
            if (count + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, count + more));
            }
        }

        byte[] copy() {
            return Arrays.copyOf(bytes, count);
        }
    }
}
