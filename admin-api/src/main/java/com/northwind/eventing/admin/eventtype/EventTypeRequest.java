package com.northwind.eventing.admin.eventtype;

import com.northwind.eventing.common.model.SensitiveField;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The body of {@code POST /v1/event-types} and {@code PUT /v1/event-types/{eventType}}.
 *
 * @param sensitiveFields the body fields that carry sensitive data, by JSON Pointer
 * @param retentionDays how long the event store keeps events of this type; 90 when absent
 * @param example an example body; when given it must be valid against the schema
 * @param storePolicy what the event store keeps of the type's events: {@code REDACT} (when absent), {@code REMOVE},
 *     {@code KEEP} or {@code NONE}; a string, so that an unknown value is a violation at its member like the others
 */
record EventTypeRequest(
        String noun,
        String verb,
        String object,
        String description,
        String owner,
        JsonNode schema,
        List<SensitiveFieldRequest> sensitiveFields,
        Integer retentionDays,
        JsonNode example,
        String storePolicy) {

    /** A sensitive field as sent; turned into a {@link SensitiveField} once checked. */
    record SensitiveFieldRequest(String path, String classification) {}
}
