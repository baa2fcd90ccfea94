package com.northwind.eventing.intake.grpc;

import com.northwind.eventing.intake.publish.PublishException;
import com.northwind.eventing.intake.publish.PublishRequest;
import com.northwind.eventing.intake.publish.Receipt;
import com.northwind.eventing.intake.publish.RequestReader;
import com.northwind.eventing.schema.grpc.Metadata;

/**
 * Translates between the gRPC messages and the publish core's, and nothing more: every rule is the core's, the
 * body's JSON read by its {@link RequestReader}. Fields the proto marks optional become null when absent, as a member
 * missing from the REST body does.
 */
final class ProtoMapper {
    private ProtoMapper() {}

    /**
     * The core's request for a gRPC one.
     *
     * @throws PublishException MALFORMED when the body is not one well-formed JSON value within the reader's limits
     */
    static PublishRequest toRequest(com.northwind.eventing.schema.grpc.PublishRequest r, RequestReader requests) {
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
                requests.body(r.getBody()));
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
