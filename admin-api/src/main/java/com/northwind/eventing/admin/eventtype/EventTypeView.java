package com.northwind.eventing.admin.eventtype;

import com.northwind.eventing.common.model.EventType;
import com.northwind.eventing.common.model.EventTypeVersion;
import com.northwind.eventing.common.model.SensitiveField;
import com.northwind.eventing.common.model.StorePolicy;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** An event type as the API shows it: one version, with the name and ownership. */
record EventTypeView(
        String eventType,
        String noun,
        String verb,
        String object,
        String description,
        String owner,
        int version,
        int latestVersion,
        JsonNode schema,
        List<SensitiveField> sensitiveFields,
        StorePolicy storePolicy,
        int retentionDays,
        JsonNode example,
        Instant createdAt,
        Instant updatedAt) {

    static EventTypeView of(EventType t, EventTypeVersion v) {
        return new EventTypeView(
                t.name().toString(),
                t.noun(),
                t.verb(),
                t.object(),
                t.description(),
                t.owner(),
                v.version(),
                t.latest().version(),
                v.schema(),
                v.sensitiveFields(),
                v.storePolicy(),
                t.retentionDays(),
                t.example(),
                t.createdAt(),
                t.updatedAt());
    }

    static EventTypeView of(EventType t) {
        return of(t, t.latest());
    }
}
