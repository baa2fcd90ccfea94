package com.northwind.eventing.common.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * One version of an event type's body contract.
 *
 * @param version 1, 2, ... in order of registration
 * @param schema the JSON Schema the body is validated against
 * @param sensitiveFields the fields of this version that carry sensitive data
 * @param storePolicy what the event store keeps of events while this is the latest version; {@link
 *     StorePolicy#DEFAULT} when absent (records written before policies existed)
 */
public record EventTypeVersion(
        int version,
        JsonNode schema,
        List<SensitiveField> sensitiveFields,
        StorePolicy storePolicy,
        Instant createdAt) {
    @JsonCreator
    public EventTypeVersion {
        if (version < 1) {
            throw new ValidationException("/version", "version must be 1 or more");
        }
        sensitiveFields = Violations.copyOf(sensitiveFields);
        if (sensitiveFields.contains(null)) {
            throw new ValidationException("/sensitiveFields", "a sensitive field must not be null");
        }
        storePolicy = storePolicy == null ? StorePolicy.DEFAULT : storePolicy;
    }

    /** A version with the default store policy. */
    public EventTypeVersion(int version, JsonNode schema, List<SensitiveField> sensitiveFields, Instant createdAt) {
        this(version, schema, sensitiveFields, StorePolicy.DEFAULT, createdAt);
    }
}
