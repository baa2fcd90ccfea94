package com.northwind.eventing.admin.audit;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.MongoException;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import com.northwind.eventing.admin.config.KafkaClients;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Copies the audit topic into the audit collection, in admin-api itself (docs/audit.md says why not through Connect).
 * Each entry is upserted by its id, so reading a record again changes nothing; the position is the greatest offset
 * the collection holds, so the copy needs no consumer group (and no ACL beyond the topic admin-api already has).
 */
@Component
class AuditCopy implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(AuditCopy.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final AuditStore store;
    private final KafkaClients clients;
    private final AuditProperties properties;
    private final JsonMapper json;
    private volatile boolean running;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    AuditCopy(AuditStore store, KafkaClients clients, AuditProperties properties, JsonMapper json) {
        this.store = store;
        this.clients = clients;
        this.properties = properties;
        this.json = json;
    }

    @Override
    public synchronized void start() {
        running = true;
        thread = new Thread(this::run, "audit-copy");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public synchronized void stop() {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void run() {
        Duration backoff = Duration.ofMillis(100);
        while (running) {
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(
                    clients.config(Map.of(
                            ConsumerConfig.CLIENT_ID_CONFIG, "eventing-admin-audit-copy",
                            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)),
                    new StringDeserializer(),
                    new ByteArrayDeserializer())) {
                consumer = c;
                copy(c);
                return;
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                log.warn("The audit copy to the store failed; starting again in {}: {}", backoff, e.toString());
                sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            } finally {
                consumer = null;
            }
        }
    }

    private void copy(KafkaConsumer<String, byte[]> c) {
        store.ensureIndexes();
        TopicPartition partition = new TopicPartition(properties.topic(), 0);
        c.assign(List.of(partition));
        long next = nextOffset();
        long end = c.endOffsets(List.of(partition)).get(partition);
        // A topic made again from nothing starts at 0 again: read it all (the upserts make that harmless).
        c.seek(partition, next > end ? 0 : next);
        while (running) {
            ConsumerRecords<String, byte[]> records = c.poll(Duration.ofSeconds(1));
            for (ConsumerRecord<String, byte[]> r : records) {
                if (r.value() != null) {
                    write(r);
                }
            }
        }
    }

    private long nextOffset() {
        Document last = store.collection()
                .find()
                .sort(Sorts.descending(AuditStore.OFFSET))
                .limit(1)
                .first();
        return last == null ? 0 : last.get(AuditStore.OFFSET, Number.class).longValue() + 1;
    }

    private void write(ConsumerRecord<String, byte[]> r) {
        Document doc;
        try {
            doc = document(json.readTree(new String(r.value(), StandardCharsets.UTF_8)), r.offset());
        } catch (RuntimeException e) {
            // The topic keeps it: nothing is lost, and an operator can read it there.
            log.error("Unreadable audit entry at offset {} of {}; not copied to the store", r.offset(), r.topic());
            return;
        }
        Duration backoff = Duration.ofMillis(100);
        while (running) {
            try {
                store.collection().replaceOne(eq("_id", doc.getString("_id")), doc, new ReplaceOptions().upsert(true));
                return;
            } catch (MongoException e) {
                log.warn(
                        "The event store did not take audit entry {} (offset {}); trying again in {}: {}",
                        doc.getString("_id"),
                        r.offset(),
                        backoff,
                        e.getClass().getSimpleName());
                sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
        throw new WakeupException();
    }

    /** The collection's document of an entry: its searchable members at the top level, the entry as it is. */
    static Document document(JsonNode entry, long offset) {
        return new Document("_id", entry.path("id").asString())
                .append(AuditStore.AT, Date.from(Instant.parse(entry.path("at").asString())))
                .append(AuditStore.ACTOR, entry.path("actor").asString())
                .append(AuditStore.ACTION, entry.path("action").asString())
                .append(AuditStore.RESOURCE_TYPE, entry.path("resourceType").asString())
                .append(AuditStore.RESOURCE_ID, entry.path("resourceId").asString())
                .append(AuditStore.OFFSET, offset)
                .append(AuditStore.ENTRY, entry.toString());
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
