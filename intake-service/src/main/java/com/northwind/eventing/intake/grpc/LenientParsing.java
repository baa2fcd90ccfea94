package com.northwind.eventing.intake.grpc;

import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Lets the service answer a request message that does not parse (bytes that are no protobuf, a string that is not
 * UTF-8) as the malformed request it is, INVALID_ARGUMENT with its details, where gRPC would answer INTERNAL. Each
 * method's request marshaller gives, for such a message, a marker instance the service recognises with
 * {@link #unparseable(Object)}.
 *
 * <p>A message gRPC has whole, with its length known, is copied into an array of its size and parsed there, instead
 * of through grpc-protobuf's per-thread buffer: its thread-local look-up and copy cost more than the parsing on a
 * stream of small events.
 */
final class LenientParsing {
    /**
     * A message with only an unknown field: it parses into an instance of any message type, distinct from every other.
     * Field 536870911 (the highest number there is) with varint 1.
     */
    private static final byte[] MARKER_BYTES = {(byte) 0xF8, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F, 0x01};

    private static final Set<Object> MARKERS =
            Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

    private LenientParsing() {}

    /** The service with every request marshaller made lenient. */
    static ServerServiceDefinition apply(ServerServiceDefinition service) {
        ServiceDescriptor original = service.getServiceDescriptor();
        ServiceDescriptor.Builder descriptor =
                ServiceDescriptor.newBuilder(original.getName()).setSchemaDescriptor(original.getSchemaDescriptor());
        List<ServerMethodDefinition<?, ?>> methods = new ArrayList<>();
        for (ServerMethodDefinition<?, ?> m : service.getMethods()) {
            ServerMethodDefinition<?, ?> lenient = lenient(m);
            methods.add(lenient);
            descriptor.addMethod(lenient.getMethodDescriptor());
        }
        ServerServiceDefinition.Builder b = ServerServiceDefinition.builder(descriptor.build());
        methods.forEach(b::addMethod);
        return b.build();
    }

    /** Whether the request is the marker of a message that did not parse. */
    static boolean unparseable(Object request) {
        return MARKERS.contains(request);
    }

    private static <Q, R> ServerMethodDefinition<Q, R> lenient(ServerMethodDefinition<Q, R> method) {
        MethodDescriptor<Q, R> descriptor = method.getMethodDescriptor();
        MethodDescriptor.Marshaller<Q> strict = descriptor.getRequestMarshaller();
        Q marker = strict.parse(new ByteArrayInputStream(MARKER_BYTES));
        MARKERS.add(marker);
        Parser<Q> parser = parserOf(strict);
        MethodDescriptor.Marshaller<Q> lenient = new MethodDescriptor.Marshaller<>() {
            @Override
            public InputStream stream(Q value) {
                return strict.stream(value);
            }

            @Override
            public Q parse(InputStream stream) {
                if (parser != null && stream instanceof KnownLength) {
                    return parseWhole(parser, stream, marker);
                }
                try {
                    return strict.parse(stream);
                } catch (StatusRuntimeException e) {
                    return marker;
                }
            }
        };
        return ServerMethodDefinition.create(
                descriptor.toBuilder().setRequestMarshaller(lenient).build(), method.getServerCallHandler());
    }

    /** The protobuf parser behind a grpc-protobuf marshaller; null for any other kind. */
    @SuppressWarnings("unchecked")
    private static <Q> Parser<Q> parserOf(MethodDescriptor.Marshaller<Q> marshaller) {
        if (marshaller instanceof MethodDescriptor.PrototypeMarshaller<Q> p
                && p.getMessagePrototype() instanceof MessageLite prototype) {
            return (Parser<Q>) prototype.getParserForType();
        }
        return null;
    }

    /** Parses a message of known length from an array of exactly its size. */
    private static <Q> Q parseWhole(Parser<Q> parser, InputStream stream, Q marker) {
        try {
            int size = stream.available();
            byte[] bytes = new byte[size];
            if (stream.readNBytes(bytes, 0, size) != size || stream.read() != -1) {
                return marker;
            }
            return parser.parseFrom(bytes);
        } catch (IOException e) {
            // InvalidProtocolBufferException among them: bytes that are no protobuf, a string that is not UTF-8.
            return marker;
        }
    }
}
