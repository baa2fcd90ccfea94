package com.northwind.eventing.common.testing;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.test.KafkaClusterTestKit;

/** A running in-process KRaft broker, as tests see it. */
public final class KafkaBroker implements AutoCloseable {
    private final KafkaClusterTestKit cluster;

    KafkaBroker(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** A new admin client; the caller closes it. */
    public Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return Admin.create(p);
    }

    /** A topic's configuration value as the broker reports it, its default included. */
    public String topicConfig(String topic, String name) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try (Admin admin = admin()) {
            return admin.describeConfigs(List.of(resource))
                    .all()
                    .get(30, TimeUnit.SECONDS)
                    .get(resource)
                    .get(name)
                    .value();
        }
    }

    /** Client properties that reach this broker, with {@code extra} on top. */
    public Map<String, Object> clientConfig(Map<String, Object> extra) {
        Map<String, Object> config = new java.util.HashMap<>(extra);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return config;
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop the in-process broker", e);
        }
    }
}
