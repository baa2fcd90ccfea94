package com.northwind.eventing.admin.store.connect;

import java.util.Map;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.distributed.DistributedHerder;

/**
 * A real Kafka Connect worker in distributed mode, in the test JVM, on the test broker, its REST API on a free port
 * of 127.0.0.1. The MongoDB sink connector is found on the test classpath.
 */
final class ConnectWorker implements AutoCloseable {
    private final Connect<DistributedHerder> connect;

    ConnectWorker(String bootstrapServers, String group) {
        Thread thread = Thread.currentThread();
        ClassLoader loader = thread.getContextClassLoader();
        try {
            connect = new ConnectDistributed()
                    .startConnect(Map.ofEntries(
                            Map.entry("bootstrap.servers", bootstrapServers),
                            Map.entry("group.id", group),
                            Map.entry("config.storage.topic", group + ".configs"),
                            Map.entry("offset.storage.topic", group + ".offsets"),
                            Map.entry("status.storage.topic", group + ".status"),
                            Map.entry("config.storage.replication.factor", "1"),
                            Map.entry("offset.storage.replication.factor", "1"),
                            Map.entry("status.storage.replication.factor", "1"),
                            Map.entry("key.converter", "org.apache.kafka.connect.storage.StringConverter"),
                            Map.entry("value.converter", "org.apache.kafka.connect.storage.StringConverter"),
                            Map.entry("listeners", "http://127.0.0.1:0"),
                            Map.entry("plugin.discovery", "only_scan"),
                            Map.entry("offset.flush.interval.ms", "1000")));
        } finally {
            thread.setContextClassLoader(loader);
        }
    }

    String url() {
        String s = connect.rest().advertisedUrl().toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    @Override
    public void close() {
        connect.stop();
    }
}
