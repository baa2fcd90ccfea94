package com.northwind.eventing.common.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class WireFormatTest {

    @Test
    void shouldPutMagicByteAndIdBeforePayloadWhenFraming() {
        byte[] payload = {10, 20, 30};

        byte[] framed = WireFormat.frame(1, payload);

        assertThat(framed).containsExactly(0, 0, 0, 0, 1, 10, 20, 30);
    }

    @Test
    void shouldWriteIdBigEndianWhenIdUsesEveryByte() {
        byte[] payload = {};

        byte[] framed = WireFormat.frame(0x01020304, payload);

        assertThat(framed).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void shouldWriteIdBigEndianWhenIdIsAbove255() {
        byte[] payload = {7};

        byte[] framed = WireFormat.frame(300, payload);

        assertThat(framed).containsExactly(0, 0, 0, 1, 44, 7);
    }

    @Test
    void shouldReturnIdAndStopAtPayloadWhenHeaderIsValid() {
        ByteBuffer buffer = ByteBuffer.wrap(new byte[] {0, 0, 0, 1, 44, 7, 8});

        int id = WireFormat.readHeader(buffer);

        assertThat(id).isEqualTo(300);
        assertThat(buffer.position()).isEqualTo(5);
        assertThat(buffer.remaining()).isEqualTo(2);
    }

    @Test
    void shouldReadWhatWasFramedWhenPayloadIsEmpty() {
        ByteBuffer buffer = ByteBuffer.wrap(WireFormat.frame(42, new byte[0]));

        int id = WireFormat.readHeader(buffer);

        assertThat(id).isEqualTo(42);
        assertThat(buffer.hasRemaining()).isFalse();
    }

    @Test
    void shouldRejectDataWhenShorterThanTheHeader() {
        ByteBuffer buffer = ByteBuffer.wrap(new byte[] {0, 0, 0, 1});

        SerializationException thrown =
                catchThrowableOfType(SerializationException.class, () -> WireFormat.readHeader(buffer));

        assertThat(thrown).hasMessage("not in the Confluent wire format: 4 bytes is shorter than the 5-byte header");
    }

    @Test
    void shouldRejectDataWhenEmpty() {
        ByteBuffer buffer = ByteBuffer.wrap(new byte[0]);

        SerializationException thrown =
                catchThrowableOfType(SerializationException.class, () -> WireFormat.readHeader(buffer));

        assertThat(thrown).hasMessage("not in the Confluent wire format: 0 bytes is shorter than the 5-byte header");
    }

    @Test
    void shouldRejectDataWhenMagicByteIsNotZero() {
        ByteBuffer buffer = ByteBuffer.wrap(new byte[] {1, 0, 0, 0, 1, 10});

        SerializationException thrown =
                catchThrowableOfType(SerializationException.class, () -> WireFormat.readHeader(buffer));

        assertThat(thrown).hasMessage("not in the Confluent wire format: magic byte is 1, expected 0");
    }
}
