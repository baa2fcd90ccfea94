package com.northwind.eventing.router.aggregation;

import com.northwind.eventing.common.model.EventType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules and event types as the aggregator sees them at one moment, immutable: published whole by {@link RuleViews}
 * and read by the stream threads without locks. {@code version} grows whenever a rule changes, so that a processor can tell
 * and sweep the state of rules gone or changed.
 */
final class RuleView {
    private final long version;
    private final Map<String, Rule> rules;
    private final Map<String, List<Rule>> byType;
    private final Map<String, EventType> eventTypes;

    RuleView(long version, Map<String, Rule> rules, Map<String, EventType> eventTypes) {
        this.version = version;
        this.rules = Map.copyOf(rules);
        this.eventTypes = Map.copyOf(eventTypes);
        Map<String, List<Rule>> types = new HashMap<>();
        // By id, so that one event's outputs for several rules always come in the same order.
        rules.values().stream()
                .sorted((a, b) -> a.id().compareTo(b.id()))
                .forEach(r -> r.roles()
                        .forEach(role -> types.computeIfAbsent(role.eventType(), t -> new ArrayList<>())
                                .add(r)));
        this.byType = Map.copyOf(types);
    }

    long version() {
        return version;
    }

    /** The rules that read an event type, by id; none when no rule reads it. */
    List<Rule> reading(String eventType) {
        return byType.getOrDefault(eventType, List.of());
    }

    /** The rule with that id, or null when there is none (deleted, or its value cannot be read). */
    Rule rule(String id) {
        return rules.get(id);
    }

    /** The event type, or null when it is not registered or its value cannot be read. */
    EventType eventType(String name) {
        return eventTypes.get(name);
    }
}
