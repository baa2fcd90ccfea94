package com.northwind.eventing.standalone;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.distributed.DistributedHerder;
import org.apache.kafka.connect.storage.StringConverter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka Connect worker in distributed mode, in this JVM, on the embedded broker: its configuration, offsets and
 * status are in Kafka ({@code eventing.connect.*}), as with any Connect cluster, and its REST API is on 127.0.0.1.
 * admin-api puts the MongoDB sink connector's configuration there; the connector comes from this jar's classpath.
 */
final class EmbeddedConnect implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedConnect.class);

    private final String bootstrapServers;
    private final String host;
    private final int port;
    private final Map<String, String> clientProperties;
    private volatile Connect<DistributedHerder> connect;

    /** @param clientProperties Kafka client settings (SASL) for the worker and its connectors' clients */
    EmbeddedConnect(String bootstrapServers, String host, int port, Map<String, String> clientProperties) {
        this.bootstrapServers = bootstrapServers;
        this.host = host;
        this.port = port;
        this.clientProperties = clientProperties;
    }

    void start() {
        Thread thread = Thread.currentThread();
        ClassLoader loader = thread.getContextClassLoader();
        try {
            connect = new ConnectDistributed().startConnect(workerConfig());
        } finally {
            // The worker sets its plugin loader as this thread's context loader; the services started after it
            // must not see that.
            thread.setContextClassLoader(loader);
        }
        log.info("Kafka Connect worker at {}", url());
    }

    /** The REST API's base URL, known before the worker starts. */
    String url() {
        return "http://" + host + ":" + port;
    }

    Map<String, String> workerConfig() {
        Map<String, String> p = new HashMap<>();
        p.put("bootstrap.servers", bootstrapServers);
        p.put("group.id", "eventing-connect");
        p.put("config.storage.topic", "eventing.connect.configs");
        p.put("offset.storage.topic", "eventing.connect.offsets");
        p.put("status.storage.topic", "eventing.connect.status");
        p.put("config.storage.replication.factor", "1");
        p.put("offset.storage.replication.factor", "1");
        p.put("status.storage.replication.factor", "1");
        p.put("key.converter", StringConverter.class.getName());
        p.put("value.converter", StringConverter.class.getName());
        p.put("listeners", "http://" + host + ":" + port);
        p.put("rest.advertised.host.name", host);
        // Plugins are found through ServiceLoader manifests only: scanning the classes of the fat jar took about half
        // a minute of every start. Kafka's own plugins have manifests; the MongoDB sink ships none, so the standalone
        // carries one for it (META-INF/services/org.apache.kafka.connect.sink.SinkConnector).
        p.put("plugin.discovery", "service_load");
        // A sink's consumer offsets are committed at this interval; what was written after the last commit is
        // written again after a crash, which the upsert by _id makes harmless. Shorter than the default minute
        // so that less is written twice.
        p.put("offset.flush.interval.ms", "10000");
        // One worker: after a crash, its connector and task are assigned again at once rather than held up to five
        // minutes for a worker that left to come back.
        p.put("scheduled.rebalance.max.delay.ms", "0");
        // Only what the router committed: records of an aborted transaction are never stored.
        p.put("consumer.isolation.level", "read_committed");
        // The worker's own clients take the settings as they are; a connector's clients only with these prefixes.
        clientProperties.forEach((k, v) -> {
            p.put(k, v);
            p.put("producer." + k, v);
            p.put("consumer." + k, v);
            p.put("admin." + k, v);
        });
        return p;
    }

    @Override
    public void close() {
        if (connect != null) {
            connect.stop();
            connect = null;
        }
    }
}
