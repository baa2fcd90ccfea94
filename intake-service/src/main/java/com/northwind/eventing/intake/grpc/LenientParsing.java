package com.northwind.eventing.intake.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import com.google.protobuf.UnknownFieldSet;
import com.northwind.eventing.common.model.Violation;
import com.northwind.eventing.intake.publish.PublishException;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Lets the service answer a request message that does not parse (bytes that are no protobuf, a string that is not
 * UTF-8) as the malformed request it is, INVALID_ARGUMENT with its details, where gRPC would answer INTERNAL. For such
 * a message each method's request marshaller gives a marker: an instance of the request type holding only unknown
 * fields of numbers no request uses, which say what is wrong and where ({@link #refusal}). A string that is not UTF-8
 * is named by its JSON Pointer as REST would see it ({@code /metadata/transactionId}, {@code /tags/2}), and inside
 * {@code body} down to the member ({@code /body/claimId}).
 *
 * <p>A message gRPC has whole, with its length known, is copied into an array of its size and parsed there, instead
 * of through grpc-protobuf's per-thread buffer: its thread-local look-up and copy cost more than the parsing on a
 * stream of small events.
 */
final class LenientParsing {
    /** The marker's own field: present only in markers (the highest field number there is). */
    private static final int MARKER = 536_870_911;
    /** The pointer of what is wrong, in a marker. */
    private static final int POINTER = 536_870_910;
    /** What is wrong, in a marker. */
    private static final int PROBLEM = 536_870_909;

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
    static boolean unparseable(Message request) {
        return request.getUnknownFields().hasField(MARKER);
    }

    /** What is wrong with the message a marker stands for, as the refusal to answer it with. */
    static PublishException refusal(Message marker) {
        String what =
                "the message is not a valid " + marker.getDescriptorForType().getFullName();
        UnknownFieldSet fields = marker.getUnknownFields();
        if (!fields.hasField(PROBLEM)) {
            return new PublishException(PublishException.Kind.MALFORMED, what + ": it does not parse");
        }
        String pointer = text(fields, POINTER);
        return PublishException.malformed(new Violation(pointer, what + ": " + text(fields, PROBLEM)));
    }

    private static String text(UnknownFieldSet fields, int number) {
        List<ByteString> values = fields.getField(number).getLengthDelimitedList();
        return values.isEmpty() ? "" : values.get(0).toStringUtf8();
    }

    private static <Q, R> ServerMethodDefinition<Q, R> lenient(ServerMethodDefinition<Q, R> method) {
        MethodDescriptor<Q, R> descriptor = method.getMethodDescriptor();
        MethodDescriptor.Marshaller<Q> strict = descriptor.getRequestMarshaller();
        Parser<Q> parser = parserOf(strict);
        Descriptors.Descriptor type = typeOf(strict);
        Q unparseable = marker(strict, null, null);
        MethodDescriptor.Marshaller<Q> lenient = new MethodDescriptor.Marshaller<>() {
            @Override
            public InputStream stream(Q value) {
                return strict.stream(value);
            }

            @Override
            public Q parse(InputStream stream) {
                if (parser != null && type != null && stream instanceof KnownLength) {
                    return parseWhole(parser, type, strict, stream, unparseable);
                }
                try {
                    return strict.parse(stream);
                } catch (StatusRuntimeException e) {
                    return unparseable;
                }
            }
        };
        return ServerMethodDefinition.create(
                descriptor.toBuilder().setRequestMarshaller(lenient).build(), method.getServerCallHandler());
    }

    /** A marker of the request type, saying what is wrong where when known. */
    private static <Q> Q marker(MethodDescriptor.Marshaller<Q> strict, String pointer, String problem) {
        try {
            ByteString.Output bytes = ByteString.newOutput();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            out.writeUInt64(MARKER, 1);
            if (problem != null) {
                out.writeString(POINTER, pointer);
                out.writeString(PROBLEM, problem);
            }
            out.flush();
            return strict.parse(bytes.toByteString().newInput());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

    /** The message type behind a grpc-protobuf marshaller; null for any other kind. */
    private static Descriptors.Descriptor typeOf(MethodDescriptor.Marshaller<?> marshaller) {
        if (marshaller instanceof MethodDescriptor.PrototypeMarshaller<?> p
                && p.getMessagePrototype() instanceof Message prototype) {
            return prototype.getDescriptorForType();
        }
        return null;
    }

    /** Parses a message of known length from an array of exactly its size. */
    private static <Q> Q parseWhole(
            Parser<Q> parser,
            Descriptors.Descriptor type,
            MethodDescriptor.Marshaller<Q> strict,
            InputStream stream,
            Q unparseable) {
        byte[] bytes;
        try {
            int size = stream.available();
            bytes = new byte[size];
            if (stream.readNBytes(bytes, 0, size) != size || stream.read() != -1) {
                return unparseable;
            }
        } catch (IOException e) {
            return unparseable;
        }
        try {
            return parser.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            // Bytes that are no protobuf, or a string that is not UTF-8: find which string, if one is.
            String[] found = ProtoStrings.invalidUtf8(type, bytes);
            return found == null ? unparseable : marker(strict, found[0], found[1]);
        }
    }
}
