package com.northwind.eventing.admin.kafka;

import com.northwind.eventing.admin.config.AdminProperties;
import com.northwind.eventing.admin.config.KafkaClients;
import com.northwind.eventing.common.kafka.CompactedTopic;
import com.northwind.eventing.common.kafka.JsonCodec;
import com.northwind.eventing.common.model.RegistryTopics;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.springframework.stereotype.Component;

/**
 * Opens the compacted topics admin-api keeps its state in, configured and read to their end, and knows them all, for
 * the readiness that depends on them ({@link RegistryHealthIndicator}).
 */
@Component
public class RegistryTopicFactory {
    private final AdminProperties properties;
    private final KafkaClients clients;
    private final Admin admin;
    private final List<CompactedTopic<?>> opened = new CopyOnWriteArrayList<>();

    RegistryTopicFactory(AdminProperties properties, KafkaClients clients, Admin admin) {
        this.properties = properties;
        this.clients = clients;
        this.admin = admin;
    }

    /** A registry topic of JSON model records, such as {@link RegistryTopics#APPS}. */
    public <V> CompactedTopic<V> open(String topic, Class<V> type) {
        return open(topic, new JsonCodec<>(RegistryTopics.JSON, type), (k, v) -> {});
    }

    /** A topic with its own codec and a listener that sees every record in order. */
    public <V> CompactedTopic<V> open(
            String topic, CompactedTopic.Codec<V> codec, BiConsumer<String, Optional<V>> listener) {
        CompactedTopic<V> t = new CompactedTopic<>(
                topic,
                codec,
                clients.config(Map.of("client.id", "eventing-admin")),
                properties.registry().writeTimeout(),
                properties.registry().maxStaleness(),
                listener);
        try {
            t.start(admin, properties.registryTopics(), properties.registry().startTimeout());
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
        opened.add(t);
        return t;
    }

    /** Every topic opened so far. */
    List<CompactedTopic<?>> opened() {
        return List.copyOf(opened);
    }
}
