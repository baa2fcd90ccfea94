package com.northwind.eventing.load;

import com.northwind.eventing.common.model.Aggregation;
import com.northwind.eventing.common.model.App;
import com.northwind.eventing.common.model.EventType;
import com.northwind.eventing.common.model.RegistryTopics;
import com.northwind.eventing.common.model.Subscription;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes a benchmark's registry records (the model records, as admin-api writes them) straight onto the registry's
 * compacted topics, where the router's and the aggregator's global tables read them, and takes back with tombstones
 * the apps, subscriptions and rules it wrote. Event types stay, as the router benchmark's type stays: a type may be
 * read by what another run wrote. Straight onto the topics rather than through admin-api, so that the benchmark runs the
 * same way on the test broker, where no admin-api runs, as on the platform.
 */
final class BenchRegistry implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;
    /** Topic and key of each record to take back. */
    private final List<String[]> written = new ArrayList<>();

    BenchRegistry(String bootstrap) {
        this.producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    void eventType(EventType type) throws Exception {
        write(RegistryTopics.EVENT_TYPES, type.noun() + "." + type.verb() + "." + type.object(), type, false);
    }

    void app(App app) throws Exception {
        write(RegistryTopics.APPS, app.id(), app, true);
    }

    void subscription(Subscription subscription) throws Exception {
        write(RegistryTopics.SUBSCRIPTIONS, subscription.id(), subscription, true);
    }

    void aggregation(Aggregation rule) throws Exception {
        write(RegistryTopics.AGGREGATIONS, rule.id(), rule, true);
    }

    private void write(String topic, String key, Object value, boolean takeBack) throws Exception {
        Future<RecordMetadata> sent =
                producer.send(new ProducerRecord<>(topic, key, RegistryTopics.JSON.writeValueAsBytes(value)));
        sent.get();
        if (takeBack) {
            written.add(new String[] {topic, key});
        }
    }

    /** Tombstones for every app, subscription and rule written. */
    void takeBack() throws InterruptedException, ExecutionException {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (String[] w : written) {
            sent.add(producer.send(new ProducerRecord<>(w[0], w[1], null)));
        }
        for (Future<RecordMetadata> f : sent) {
            f.get();
        }
        written.clear();
    }

    @Override
    public void close() {
        producer.close();
    }
}
