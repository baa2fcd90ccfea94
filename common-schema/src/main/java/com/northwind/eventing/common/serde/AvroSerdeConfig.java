package com.northwind.eventing.common.serde;

import com.northwind.eventing.common.registry.RestSchemaRegistryClient;
import com.northwind.eventing.common.registry.SchemaRegistryClient;
import java.util.Map;

/** The configuration keys of the wire-format serde; the names are Confluent's, so one config serves both. */
public final class AvroSerdeConfig {
    /** Base URL(s) of the schema registry, comma-separated. */
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    /** Whether the serializer registers the writer schema (default true) or only looks it up. */
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    /** Whether the deserializer returns generated classes (true) or generic records (default false). */
    public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";
    /** A bearer token for the registry, sent as {@code Authorization: Bearer ...} (Confluent's STATIC_TOKEN). */
    public static final String BEARER_AUTH_TOKEN = "bearer.auth.token";

    private AvroSerdeConfig() {}

    static SchemaRegistryClient client(Map<String, ?> configs) {
        Object url = configs.get(SCHEMA_REGISTRY_URL);
        if (url == null || url.toString().isBlank()) {
            throw new org.apache.kafka.common.config.ConfigException(
                    SCHEMA_REGISTRY_URL, url, "the schema registry URL is required");
        }
        Object token = configs.get(BEARER_AUTH_TOKEN);
        return new RestSchemaRegistryClient(url.toString(), token == null ? null : "Bearer " + token);
    }

    static boolean flag(Map<String, ?> configs, String key, boolean defaultValue) {
        Object v = configs.get(key);
        return v == null ? defaultValue : Boolean.parseBoolean(v.toString());
    }

    /** Confluent's TopicNameStrategy: {@code <topic>-key} or {@code <topic>-value}. */
    public static String subject(String topic, boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }
}
