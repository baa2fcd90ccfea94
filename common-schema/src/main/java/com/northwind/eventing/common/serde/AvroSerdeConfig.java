package com.northwind.eventing.common.serde;

import com.northwind.eventing.common.registry.RestSchemaRegistryClient;
import com.northwind.eventing.common.registry.SchemaRegistryClient;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

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
    /** Where the bearer token comes from: only {@code STATIC_TOKEN} ({@link #BEARER_AUTH_TOKEN}) is supported. */
    public static final String BEARER_AUTH_CREDENTIALS_SOURCE = "bearer.auth.credentials.source";
    /** Where basic credentials come from: only {@code USER_INFO} ({@link #BASIC_AUTH_USER_INFO}) is supported. */
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    /** {@code user:password} for the registry, sent as {@code Authorization: Basic ...}. */
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";

    private AvroSerdeConfig() {}

    static SchemaRegistryClient client(Map<String, ?> configs) {
        Object url = configs.get(SCHEMA_REGISTRY_URL);
        if (url == null || url.toString().isBlank()) {
            throw new ConfigException(SCHEMA_REGISTRY_URL, url, "the schema registry URL is required");
        }
        return new RestSchemaRegistryClient(url.toString(), authorization(configs));
    }

    /** The Authorization header Confluent's keys ask for, or null; a source this serde cannot honour is an error. */
    static String authorization(Map<String, ?> configs) {
        String bearerSource = string(configs, BEARER_AUTH_CREDENTIALS_SOURCE);
        String bearer = string(configs, BEARER_AUTH_TOKEN);
        if (bearerSource != null && !bearerSource.equals("STATIC_TOKEN")) {
            throw new ConfigException(BEARER_AUTH_CREDENTIALS_SOURCE, bearerSource, "only STATIC_TOKEN is supported");
        }
        if ("STATIC_TOKEN".equals(bearerSource) && bearer == null) {
            throw new ConfigException(BEARER_AUTH_TOKEN, null, "STATIC_TOKEN needs " + BEARER_AUTH_TOKEN);
        }
        String basicSource = string(configs, BASIC_AUTH_CREDENTIALS_SOURCE);
        String userInfo = string(configs, BASIC_AUTH_USER_INFO);
        if (basicSource != null && !basicSource.equals("USER_INFO") && !basicSource.equals("URL")) {
            throw new ConfigException(BASIC_AUTH_CREDENTIALS_SOURCE, basicSource, "only USER_INFO is supported");
        }
        boolean basic = "USER_INFO".equals(basicSource);
        if (basic && userInfo == null) {
            throw new ConfigException(BASIC_AUTH_USER_INFO, null, "USER_INFO needs " + BASIC_AUTH_USER_INFO);
        }
        if (!basic && userInfo != null) {
            // Confluent ignores the user info unless the source says USER_INFO; silently sending nothing would only
            // show later, as a 401.
            throw new ConfigException(
                    BASIC_AUTH_CREDENTIALS_SOURCE, basicSource, "set it to USER_INFO to send " + BASIC_AUTH_USER_INFO);
        }
        try {
            return RestSchemaRegistryClient.authorization(bearer, basic ? userInfo : null);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private static String string(Map<String, ?> configs, String key) {
        Object v = configs.get(key);
        if (v instanceof org.apache.kafka.common.config.types.Password p) {
            v = p.value();
        }
        return v == null || v.toString().isBlank() ? null : v.toString();
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
