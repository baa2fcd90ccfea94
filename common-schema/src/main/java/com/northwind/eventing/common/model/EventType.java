package com.northwind.eventing.common.model;

import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A registered event type: its name, owner and every version of its body contract, latest last. This is the
 * value of a record on {@code eventing.registry.event-types}, keyed by {@link #name()}.
 */
public record EventType(
        String noun,
        String verb,
        String object,
        String description,
        String owner,
        int retentionDays,
        JsonNode example,
        List<EventTypeVersion> versions,
        Instant createdAt,
        Instant updatedAt) {
    public EventType {
        new EventTypeName(noun, verb, object);
        if (versions == null || versions.isEmpty()) {
            throw new ValidationException("/versions", "an event type has at least one version");
        }
        versions = Violations.copyOf(versions);
        if (versions.contains(null)) {
            throw new ValidationException("/versions", "a version must not be null");
        }
        for (int i = 0; i < versions.size(); i++) {
            if (versions.get(i).version() != i + 1) {
                throw new ValidationException("/versions/" + i, "versions must be numbered 1, 2, ... in order");
            }
        }
    }

    public EventTypeName name() {
        return new EventTypeName(noun, verb, object);
    }

    /** The latest version, the one new events are validated against. */
    public EventTypeVersion latest() {
        return versions.get(versions.size() - 1);
    }

    /** The given version, or null when there is none. */
    public EventTypeVersion version(int version) {
        return version >= 1 && version <= versions.size() ? versions.get(version - 1) : null;
    }
}
