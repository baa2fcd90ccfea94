package com.northwind.eventing.admin.config;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Kafka client settings shared by every client admin-api makes, and the one shared Admin client. */
@Configuration(proxyBeanMethods = false)
public class KafkaClients {
    private final AdminProperties properties;

    public KafkaClients(AdminProperties properties) {
        this.properties = properties;
    }

    /** Bootstrap servers and the configured extra properties, with {@code overrides} on top. */
    public Map<String, Object> config(Map<String, Object> overrides) {
        Map<String, Object> config = new HashMap<>(properties.kafka().properties());
        config.put(
                CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, properties.kafka().bootstrapServers());
        config.putAll(overrides);
        return config;
    }

    @Bean(destroyMethod = "close")
    Admin kafkaAdmin() {
        return Admin.create(config(Map.of(CommonClientConfigs.CLIENT_ID_CONFIG, "eventing-admin-api")));
    }
}
