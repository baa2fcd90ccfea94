package com.northwind.eventing.intake.grpc;

import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayInputStream;
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
        MethodDescriptor.Marshaller<Q> lenient = new MethodDescriptor.Marshaller<>() {
            @Override
            public InputStream stream(Q value) {
                return strict.stream(value);
            }

            @Override
            public Q parse(InputStream stream) {
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
}
