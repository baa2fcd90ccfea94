package com.northwind.eventing.intake.publish;

import java.util.List;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * One event as a producer sends it, whatever the transport.
 *
 * @param key the record key; {@code metadata.transactionId} when absent
 * @param synthetic true for test events; false when absent
 * @param body the event body, checked against the event type's JSON Schema; null when absent or JSON null
 */
@JsonDeserialize(using = PublishRequestReader.class)
public record PublishRequest(
        String noun,
        String verb,
        String object,
        String subObject,
        String key,
        Metadata metadata,
        List<String> tags,
        Boolean synthetic,
        Body body) {

    /**
     * @param timestamp when the event happened, ISO-8601 with an offset ({@code 2026-11-22T10:15:30Z}); the receive
     *     time when absent
     */
    public record Metadata(
            String transactionId, String userId, String timestamp, String transactionType, String sourceSystem) {}
}
