package com.northwind.eventing.intake.grpc;

import com.northwind.eventing.intake.publish.Body;
import com.northwind.eventing.intake.publish.PublishException;
import com.northwind.eventing.intake.publish.PublishRequest;
import com.northwind.eventing.intake.publish.Receipt;
import com.northwind.eventing.intake.publish.RequestJson;
import com.northwind.eventing.schema.grpc.Metadata;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Translates between the gRPC messages and the publish core's, and nothing more: every rule is the core's. Fields
 * the proto marks optional become null when absent, as a member missing from the REST body does.
 */
final class ProtoMapper {
    // As strict as the REST side: the same rules for every transport.
    private static final JsonMapper JSON = RequestJson.MAPPER;

    private ProtoMapper() {}

    /**
     * The core's request for a gRPC one.
     *
     * @throws PublishException MALFORMED when the body is not one well-formed JSON value
     */
    static PublishRequest toRequest(com.northwind.eventing.schema.grpc.PublishRequest r) {
        PublishRequest.Metadata metadata = null;
        if (r.hasMetadata()) {
            Metadata m = r.getMetadata();
            metadata = new PublishRequest.Metadata(
                    m.getTransactionId(),
                    m.hasUserId() ? m.getUserId() : null,
                    m.hasTimestamp() ? m.getTimestamp() : null,
                    m.hasTransactionType() ? m.getTransactionType() : null,
                    m.hasSourceSystem() ? m.getSourceSystem() : null);
        }
        return new PublishRequest(
                r.getNoun(),
                r.getVerb(),
                r.getObject(),
                r.hasSubObject() ? r.getSubObject() : null,
                r.hasKey() ? r.getKey() : null,
                metadata,
                r.getTagsList(),
                r.getSynthetic(),
                body(r.getBody()));
    }

    /** The body's JSON text, read; null when empty, which the core refuses as a missing body. */
    static Body body(String json) {
        if (json.isBlank()) {
            return null;
        }
        try {
            JsonNode tree = JSON.readTree(json);
            return Body.ofText(tree, json);
        } catch (JacksonException e) {
            throw new PublishException(PublishException.Kind.MALFORMED, describe(e));
        }
    }

    /** What is wrong with the body, without echoing any of it: a body may hold PHI. */
    private static String describe(JacksonException e) {
        String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        // Jackson quotes the offending characters or names after the kind of error; keep only the kind.
        String kind = message.split("\n", 2)[0]
                .replaceAll("[(\"'].*", "")
                .replaceAll("[:;,\\s]+$", "")
                .trim();
        StringBuilder s = new StringBuilder("the body is not valid JSON");
        if (!kind.isEmpty()) {
            s.append(": ").append(kind);
        }
        TokenStreamLocation at = e.getLocation();
        if (at != null && at.getLineNr() > 0) {
            s.append(" at line ").append(at.getLineNr()).append(", column ").append(at.getColumnNr());
        }
        return s.toString();
    }

    static com.northwind.eventing.schema.grpc.Receipt toReceipt(Receipt r) {
        return com.northwind.eventing.schema.grpc.Receipt.newBuilder()
                .setEventId(r.eventId())
                .setEventType(r.eventType())
                .setPartition(r.partition())
                .setOffset(r.offset())
                .build();
    }
}
