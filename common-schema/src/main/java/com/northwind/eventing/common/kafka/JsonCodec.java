package com.northwind.eventing.common.kafka;

import tools.jackson.databind.json.JsonMapper;

/** Registry values as JSON documents, so the topics stay readable with any console consumer. */
public final class JsonCodec<V> implements CompactedTopic.Codec<V> {
    private final JsonMapper mapper;
    private final Class<V> type;

    public JsonCodec(JsonMapper mapper, Class<V> type) {
        this.mapper = mapper;
        this.type = type;
    }

    @Override
    public byte[] encode(V value) {
        return mapper.writeValueAsBytes(value);
    }

    @Override
    public V decode(byte[] bytes) {
        return mapper.readValue(bytes, type);
    }
}
