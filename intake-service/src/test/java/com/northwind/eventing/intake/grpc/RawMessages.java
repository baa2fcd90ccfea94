package com.northwind.eventing.intake.grpc;

import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * A service method as a client with no proto calls it: its messages as bytes, sent and received as they are. For
 * sending what protobuf's builders refuse to build (a string that is not UTF-8, bytes that are no message).
 */
final class RawMessages {
    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    private RawMessages() {}

    /** The method with bytes for its request and response messages. */
    static MethodDescriptor<byte[], byte[]> of(MethodDescriptor<?, ?> method) {
        return MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(method.getType())
                .setFullMethodName(method.getFullMethodName())
                .setRequestMarshaller(BYTES)
                .setResponseMarshaller(BYTES)
                .build();
    }
}
