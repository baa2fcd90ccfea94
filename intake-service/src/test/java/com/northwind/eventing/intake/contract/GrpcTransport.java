package com.northwind.eventing.intake.contract;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.northwind.eventing.schema.grpc.EventIntakeGrpc;
import com.northwind.eventing.schema.grpc.Metadata;
import com.northwind.eventing.schema.grpc.PublishBatchRequest;
import com.northwind.eventing.schema.grpc.PublishBatchResponse;
import com.northwind.eventing.schema.grpc.PublishBatchResult;
import com.northwind.eventing.schema.grpc.PublishRequest;
import com.northwind.eventing.schema.grpc.Receipt;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The contract suite's gRPC transport: {@code eventing.v1.EventIntake} on a host:port.
 *
 * <p>An event is given as the JSON of the REST body and sent as the equivalent {@link PublishRequest}; its body goes
 * as the exact JSON text it has in the event (duplicate members, odd numbers and escapes included), so that the server
 * judges the same body REST would. Answers come back as {@link Outcome}s: the error is the {@code ErrorInfo} reason
 * (the same slug as the REST problem type) and the pointers are the {@code BadRequest} field names.
 *
 * <p>What a typed gRPC client cannot send at all (event JSON that does not parse, is not an object, has a member the
 * proto does not have, a member given twice or of the wrong type) is not sent: its outcome is a
 * {@code malformed-request} failure made here, with a detail starting {@value #NOT_SENT}, as REST would answer it. A
 * call that fails as a whole (no token, too many events) gives every event of a batch the call's failure, or one
 * outcome for an empty batch.
 */
public final class GrpcTransport implements Transport {
    /** How the detail of an outcome made on the client side starts. */
    public static final String NOT_SENT = "not sent: ";

    // Reads the event member by member: each member's value is one tree, with the rest of the event after it.
    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final long DEADLINE_SECONDS = 60;

    private final ManagedChannel channel;
    private final EventIntakeGrpc.EventIntakeBlockingStub stub;

    /** @param hostPort where the intake's gRPC listens, e.g. {@code 127.0.0.1:9090} */
    public GrpcTransport(String hostPort) {
        this.channel = Grpc.newChannelBuilder(hostPort, InsecureChannelCredentials.create())
                .build();
        this.stub = EventIntakeGrpc.newBlockingStub(channel);
    }

    @Override
    public Outcome publish(String token, String eventJson, String traceparent) {
        PublishRequest request;
        try {
            request = toRequest(eventJson);
        } catch (IllegalArgumentException e) {
            return notSent(e);
        }
        try {
            Receipt r = withHeaders(stub, token, traceparent)
                    .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                    .publish(request)
                    .getReceipt();
            return success(r);
        } catch (StatusRuntimeException e) {
            return failure(e);
        }
    }

    @Override
    public List<Outcome> publishBatch(String token, List<String> eventJsons) {
        Outcome[] outcomes = new Outcome[eventJsons.size()];
        List<Integer> sent = new ArrayList<>();
        PublishBatchRequest.Builder batch = PublishBatchRequest.newBuilder();
        for (int i = 0; i < eventJsons.size(); i++) {
            try {
                batch.addEvents(toRequest(eventJsons.get(i)));
                sent.add(i);
            } catch (IllegalArgumentException e) {
                outcomes[i] = notSent(e);
            }
        }
        PublishBatchResponse response;
        try {
            response = withHeaders(stub, token, null)
                    .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                    .publishBatch(batch.build());
        } catch (StatusRuntimeException e) {
            Outcome failed = failure(e);
            return eventJsons.isEmpty() ? List.of(failed) : Collections.nCopies(eventJsons.size(), failed);
        }
        for (PublishBatchResult r : response.getResultsList()) {
            int index = sent.get(r.getIndex());
            outcomes[index] = r.hasReceipt() ? success(r.getReceipt()) : failure(r.getError());
        }
        return List.of(outcomes);
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Adds the bearer token (when not null) and the traceparent (when not null) to every call of the stub. */
    public static <S extends AbstractStub<S>> S withHeaders(S stub, String token, String traceparent) {
        io.grpc.Metadata headers = new io.grpc.Metadata();
        if (token != null) {
            headers.put(
                    io.grpc.Metadata.Key.of("authorization", io.grpc.Metadata.ASCII_STRING_MARSHALLER),
                    "Bearer " + token);
        }
        if (traceparent != null) {
            headers.put(io.grpc.Metadata.Key.of("traceparent", io.grpc.Metadata.ASCII_STRING_MARSHALLER), traceparent);
        }
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    /**
     * The gRPC request for an event given as the JSON of the REST body.
     *
     * @throws IllegalArgumentException when a gRPC client could not send it: not a JSON object, a member the proto
     *     does not have, given twice, or of the wrong type
     */
    public static PublishRequest toRequest(String eventJson) {
        PublishRequest.Builder b = PublishRequest.newBuilder();
        try (JsonParser p = JSON.createParser(eventJson)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("an event is a JSON object");
            }
            Set<String> seen = new HashSet<>();
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = p.currentName();
                if (!seen.add(name)) {
                    throw new IllegalArgumentException("member '" + name + "' is given twice");
                }
                JsonToken token = p.nextToken();
                if (name.equals("body")) {
                    // The body's own text, untouched: the server, not this client, decides whether it is valid.
                    if (token != JsonToken.VALUE_NULL) {
                        b.setBody(rawValue(p, eventJson));
                    }
                    continue;
                }
                JsonNode v = JSON.readTree(p);
                boolean absent = v == null || v.isNull();
                switch (name) {
                    case "noun" -> b.setNoun(absent ? "" : string(v, "/noun"));
                    case "verb" -> b.setVerb(absent ? "" : string(v, "/verb"));
                    case "object" -> b.setObject(absent ? "" : string(v, "/object"));
                    case "subObject" -> {
                        if (!absent) {
                            b.setSubObject(string(v, "/subObject"));
                        }
                    }
                    case "key" -> {
                        if (!absent) {
                            b.setKey(string(v, "/key"));
                        }
                    }
                    case "metadata" -> {
                        if (!absent) {
                            b.setMetadata(metadata(v));
                        }
                    }
                    case "tags" -> {
                        if (!absent) {
                            b.addAllTags(tags(v));
                        }
                    }
                    case "synthetic" -> {
                        if (!absent) {
                            if (!v.isBoolean()) {
                                throw wrongType("/synthetic", "true or false");
                            }
                            b.setSynthetic(v.booleanValue());
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown member '" + name + "'");
                }
            }
            if (p.nextToken() != null) {
                throw new IllegalArgumentException("content after the event");
            }
        } catch (JacksonException e) {
            throw new IllegalArgumentException("the event is not valid JSON: " + e.getOriginalMessage(), e);
        }
        return b.build();
    }

    private static String rawValue(JsonParser p, String json) {
        long start = p.currentTokenLocation().getCharOffset();
        if (p.currentToken().isStructStart()) {
            p.skipChildren();
        } else {
            p.finishToken();
        }
        long end = p.currentLocation().getCharOffset();
        return json.substring((int) start, (int) end).trim();
    }

    private static Metadata metadata(JsonNode m) {
        if (!m.isObject()) {
            throw wrongType("/metadata", "an object");
        }
        Metadata.Builder b = Metadata.newBuilder();
        for (var e : m.properties()) {
            JsonNode v = e.getValue();
            if (v.isNull()) {
                continue;
            }
            String s = string(v, "/metadata/" + e.getKey());
            switch (e.getKey()) {
                case "transactionId" -> b.setTransactionId(s);
                case "userId" -> b.setUserId(s);
                case "timestamp" -> b.setTimestamp(s);
                case "transactionType" -> b.setTransactionType(s);
                case "sourceSystem" -> b.setSourceSystem(s);
                default -> throw new IllegalArgumentException("unknown member '" + e.getKey() + "' at /metadata");
            }
        }
        return b.build();
    }

    private static List<String> tags(JsonNode tags) {
        if (!tags.isArray()) {
            throw wrongType("/tags", "an array");
        }
        List<String> list = new ArrayList<>();
        for (int i = 0; i < tags.size(); i++) {
            JsonNode t = tags.get(i);
            // A repeated string cannot hold a null: the empty tag is refused the same way, at the same pointer.
            list.add(t.isNull() ? "" : string(t, "/tags/" + i));
        }
        return list;
    }

    private static String string(JsonNode v, String pointer) {
        if (!v.isString()) {
            throw wrongType(pointer, "a string");
        }
        return v.stringValue();
    }

    private static IllegalArgumentException wrongType(String pointer, String expected) {
        return new IllegalArgumentException("wrong type at " + pointer + ": expected " + expected);
    }

    /** The outcome of an acknowledged event. */
    public static Outcome success(Receipt r) {
        return Outcome.success(r.getEventId(), r.getEventType(), r.getPartition(), r.getOffset());
    }

    private static Outcome notSent(IllegalArgumentException e) {
        return Outcome.failure("malformed-request", List.of(), NOT_SENT + e.getMessage());
    }

    /** The outcome of a failed call: from its google.rpc.Status when it has one, else from its code alone. */
    public static Outcome failure(StatusRuntimeException e) {
        com.google.rpc.Status status = StatusProto.fromThrowable(e);
        if (status != null) {
            return failure(status);
        }
        Status s = e.getStatus();
        return Outcome.failure(reason(s.getCode(), null), List.of(), s.getDescription());
    }

    /** The outcome of a google.rpc.Status: the ErrorInfo reason and the BadRequest field names. */
    public static Outcome failure(com.google.rpc.Status status) {
        String reason = null;
        List<String> pointers = new ArrayList<>();
        for (Any detail : status.getDetailsList()) {
            try {
                if (detail.is(ErrorInfo.class)) {
                    reason = detail.unpack(ErrorInfo.class).getReason();
                } else if (detail.is(BadRequest.class)) {
                    detail.unpack(BadRequest.class).getFieldViolationsList().forEach(v -> pointers.add(v.getField()));
                }
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("the server sent a detail that does not parse", e);
            }
        }
        return Outcome.failure(
                reason(Status.fromCodeValue(status.getCode()).getCode(), reason), pointers, status.getMessage());
    }

    private static String reason(Status.Code code, String errorInfoReason) {
        if (errorInfoReason != null) {
            return errorInfoReason;
        }
        // Without an ErrorInfo the status comes from gRPC itself, not the intake: RESOURCE_EXHAUSTED is then its
        // inbound message size limit; anything else is named by its code.
        return code == Status.Code.RESOURCE_EXHAUSTED
                ? "payload-too-large"
                : "grpc-" + code.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
