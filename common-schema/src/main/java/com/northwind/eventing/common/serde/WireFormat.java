package com.northwind.eventing.common.serde;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Confluent's wire format: a zero magic byte, the schema id as a 4-byte big-endian int, then the payload (Avro
 * binary for Avro schemas).
 */
public final class WireFormat {
    public static final byte MAGIC = 0;
    public static final int HEADER_SIZE = 5;

    private WireFormat() {}

    /** Writes the header for {@code schemaId} followed by {@code payload}. */
    public static byte[] frame(int schemaId, byte[] payload) {
        return ByteBuffer.allocate(HEADER_SIZE + payload.length)
                .put(MAGIC)
                .putInt(schemaId)
                .put(payload)
                .array();
    }

    /** The header for {@code schemaId} alone, for a payload the caller writes after it. */
    public static byte[] header(int schemaId) {
        return ByteBuffer.allocate(HEADER_SIZE).put(MAGIC).putInt(schemaId).array();
    }

    /**
     * Reads and checks the header; on return the buffer's position is at the payload.
     *
     * @return the schema id
     * @throws SerializationException when the data is too short or the magic byte is not 0
     */
    public static int readHeader(ByteBuffer buffer) {
        if (buffer.remaining() < HEADER_SIZE) {
            throw new SerializationException("not in the Confluent wire format: " + buffer.remaining()
                    + " bytes is shorter than the 5-byte header");
        }
        byte magic = buffer.get();
        if (magic != MAGIC) {
            throw new SerializationException(
                    "not in the Confluent wire format: magic byte is " + magic + ", expected " + MAGIC);
        }
        return buffer.getInt();
    }
}
