package com.northwind.eventing.common.model;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The compacted topics that hold the registry, and how their values are written: JSON documents of the model records,
 * keyed by event type name, app id, subscription id and aggregation id.
 */
public final class RegistryTopics {
    public static final String EVENT_TYPES = "eventing.registry.event-types";
    public static final String APPS = "eventing.registry.apps";
    public static final String SUBSCRIPTIONS = "eventing.registry.subscriptions";
    public static final String AGGREGATIONS = "eventing.registry.aggregations";

    /**
     * Reads and writes registry values. Unknown members are ignored so that an older reader survives a newer writer.
     */
    public static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private RegistryTopics() {}
}
