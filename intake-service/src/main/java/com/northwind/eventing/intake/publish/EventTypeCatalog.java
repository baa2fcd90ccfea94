package com.northwind.eventing.intake.publish;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
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
    // Keyed by the version object itself (weak keys compare by identity): a re-read type brings new objects, and
    // hashing a whole schema on every event would cost more than the lookup saves.
    private final LoadingCache<EventTypeVersion, Schema> compiled =
            Caffeine.newBuilder().weakKeys().build(version -> JsonSchemas.compile(version.schema()));

    /** Applies one record of the event types topic; the topic's listener. */
    public void apply(String name, Optional<EventType> type) {
        type.ifPresentOrElse(t -> types.put(name, t), () -> types.remove(name));
    }

    public Optional<EventType> find(String name) {
        return Optional.ofNullable(types.get(name));
    }

    /** The compiled schema of the type's latest version. */
    public Schema schema(EventType type) {
        return compiled.get(type.latest());
    }
}
