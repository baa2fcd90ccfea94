package com.northwind.eventing.intake.publish;

import com.northwind.eventing.common.jsonschema.JsonSchemas;
import com.northwind.eventing.common.model.EventType;
import com.northwind.eventing.common.model.EventTypeVersion;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.everit.json.schema.Schema;

/**
 * The registered event types, kept current from {@code eventing.registry.event-types}, with their JSON Schemas
 * compiled once per (type, version): a version never changes once registered.
 */
public final class EventTypeCatalog {
    private final Map<String, EventType> types = new ConcurrentHashMap<>();
    /**
     * The compiled schema of each type's latest version, by type name. An entry holds for the version object it was
     * compiled from (compared by identity: hashing a whole schema on every event would cost more than the lookup
     * saves); a re-read or changed type brings a new object, and the next lookup compiles it again.
     */
    private final Map<String, Compiled> compiled = new ConcurrentHashMap<>();

    private record Compiled(EventTypeVersion version, Schema schema) {}

    /** Applies one record of the event types topic; the topic's listener. */
    public void apply(String name, Optional<EventType> type) {
        type.ifPresentOrElse(t -> types.put(name, t), () -> {
            types.remove(name);
            compiled.remove(name);
        });
    }

    public Optional<EventType> find(String name) {
        return Optional.ofNullable(types.get(name));
    }

    /**
     * The compiled schema of the type's latest version.
     *
     * @param name the type's name, as {@link #find} was asked for it
     */
    public Schema schema(String name, EventType type) {
        EventTypeVersion latest = type.latest();
        Compiled c = compiled.get(name);
        if (c == null || c.version() != latest) {
            c = new Compiled(latest, JsonSchemas.compile(latest.schema()));
            compiled.put(name, c);
        }
        return c.schema();
    }
}
