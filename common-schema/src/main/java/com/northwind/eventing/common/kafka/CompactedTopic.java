package com.northwind.eventing.common.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A compacted, single-partition Kafka topic read into memory: the source of truth for one kind of registry state.
 *
 * <p>At {@link #start} the topic is created if missing and read to its end, so the view is complete before the
 * service answers; a background thread then follows it. {@link #write} returns only once Kafka acknowledged the record
 * <em>and</em> this view has applied it, so a caller reads its own writes. A null value is a tombstone.
 *
 * <p>A listener sees every record in order, on the reading thread, before the view counts it as applied; stores that
 * keep derived indexes update them there.
 */
public final class CompactedTopic<V> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CompactedTopic.class);

    private final String topic;
    private final TopicPartition partition;
    private final Codec<V> codec;
    private final BiConsumer<String, Optional<V>> listener;
    private final Map<String, V> view = new ConcurrentHashMap<>();
    private final Map<String, Object> producerConfig;
    private KafkaProducer<String, byte[]> producer; // created on first write: readers never need one
    private final KafkaConsumer<String, byte[]> consumer;
    private final Duration writeTimeout;
    private final Object progress = new Object();
    private long applied; // next offset to apply; guarded by progress
    private volatile RuntimeException failure;
    private volatile boolean closed;
    private Thread reader;

    /** Turns values into bytes and back; {@code decode} throws on a record it cannot read. */
    public interface Codec<V> {
        byte[] encode(V value);

        V decode(byte[] bytes);
    }

    public CompactedTopic(
            String topic,
            Codec<V> codec,
            Map<String, Object> clientConfig,
            Duration writeTimeout,
            BiConsumer<String, Optional<V>> listener) {
        this.topic = topic;
        this.partition = new TopicPartition(topic, 0);
        this.codec = codec;
        this.listener = listener;
        this.writeTimeout = writeTimeout;
        Map<String, Object> p = new java.util.HashMap<>(clientConfig);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        // client.id, when given, names the service; each client adds the topic and its role.
        String prefix = String.valueOf(clientConfig.getOrDefault(ProducerConfig.CLIENT_ID_CONFIG, "eventing"));
        p.put(ProducerConfig.CLIENT_ID_CONFIG, prefix + "-" + topic + "-writer");
        this.producerConfig = p;
        Map<String, Object> c = new java.util.HashMap<>(clientConfig);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, prefix + "-" + topic + "-reader");
        this.consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * Creates the topic if it is missing, reads it to its end, then follows it in the background.
     *
     * @param replicationFactor -1 for the broker's default
     */
    public void start(Admin admin, short replicationFactor, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        createIfMissing(admin, replicationFactor, timeout);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        long end = consumer.endOffsets(List.of(partition), timeout).get(partition);
        while (consumer.position(partition, timeout) < end) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read " + topic + " to its end within " + timeout);
            }
            apply(consumer.poll(Duration.ofMillis(200)).records(partition));
        }
        log.info("Read {} to offset {}: {} entries", topic, end, view.size());
        reader = new Thread(this::follow, "registry-" + topic);
        reader.setDaemon(true);
        reader.start();
    }

    private void createIfMissing(Admin admin, short replicationFactor, Duration timeout) {
        NewTopic newTopic = new NewTopic(
                        topic,
                        Optional.of(1),
                        replicationFactor < 0 ? Optional.empty() : Optional.of(replicationFactor))
                .configs(Map.of(
                        TopicConfig.CLEANUP_POLICY_CONFIG,
                        TopicConfig.CLEANUP_POLICY_COMPACT,
                        TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG,
                        "0"));
        try {
            admin.createTopics(List.of(newTopic)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            log.info("Created registry topic {}", topic);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException(
                        "could not create " + topic + ": " + e.getCause().getMessage(), e);
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer within " + timeout + " when creating " + topic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating " + topic, e);
        }
    }

    private void follow() {
        try {
            while (!closed) {
                apply(consumer.poll(Duration.ofMillis(500)).records(partition));
            }
        } catch (WakeupException e) {
            if (!closed) {
                failure = new IllegalStateException("reader of " + topic + " woken unexpectedly", e);
            }
        } catch (RuntimeException e) {
            failure = e;
            log.error("Stopped following {}: {}", topic, e.toString());
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            synchronized (progress) {
                progress.notifyAll();
            }
        }
    }

    private void apply(List<ConsumerRecord<String, byte[]>> records) {
        for (ConsumerRecord<String, byte[]> r : records) {
            String key = r.key();
            if (key != null) {
                Optional<V> value = decode(r);
                if (value != null) {
                    value.ifPresentOrElse(v -> view.put(key, v), () -> view.remove(key));
                    try {
                        listener.accept(key, value);
                    } catch (RuntimeException e) {
                        log.warn(
                                "Listener of {} could not apply offset {} (key {}): {}",
                                topic,
                                r.offset(),
                                key,
                                e.toString());
                    }
                }
            }
            synchronized (progress) {
                applied = r.offset() + 1;
                progress.notifyAll();
            }
        }
        // Transaction markers and compacted gaps advance the position without a record.
        long position = consumer.position(partition);
        synchronized (progress) {
            if (position > applied) {
                applied = position;
                progress.notifyAll();
            }
        }
    }

    /** The value, or an empty Optional for a tombstone; null for a record that cannot be read, which is skipped. */
    private Optional<V> decode(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(codec.decode(r.value()));
        } catch (RuntimeException e) {
            // A record we cannot read must not stop the registry; it names no body, only where it is.
            log.warn(
                    "Skipping unreadable record in {} at offset {} (key {}): {}",
                    topic,
                    r.offset(),
                    r.key(),
                    e.getMessage());
            return null;
        }
    }

    /**
     * Writes a value (null for a tombstone) and waits until Kafka acknowledged it and this view applied it.
     *
     * @throws RegistryUnavailableException when Kafka does not acknowledge or the view does not catch up in time
     */
    public void write(String key, V value) {
        RuntimeException f = failure;
        if (f != null) {
            throw new RegistryUnavailableException(
                    "the registry reader of " + topic + " has stopped: " + f.getMessage());
        }
        long deadline = System.nanoTime() + writeTimeout.toNanos();
        RecordMetadata metadata;
        try {
            metadata = producer()
                    .send(new ProducerRecord<>(topic, 0, key, value == null ? null : codec.encode(value)))
                    .get(writeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new RegistryUnavailableException(
                    "Kafka refused the write to " + topic + ": " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new RegistryUnavailableException(
                    "Kafka did not acknowledge the write to " + topic + " within " + writeTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryUnavailableException("interrupted while writing to " + topic);
        }
        awaitApplied(metadata.offset() + 1, deadline);
    }

    private void awaitApplied(long offset, long deadline) {
        synchronized (progress) {
            while (applied < offset) {
                long waitNanos = deadline - System.nanoTime();
                if (waitNanos <= 0 || failure != null) {
                    throw new RegistryUnavailableException("the write to " + topic + " at offset " + (offset - 1)
                            + " was acknowledged but is not yet visible; it will appear shortly");
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(progress, waitNanos);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new RegistryUnavailableException("interrupted while waiting for " + topic);
                }
            }
        }
    }

    private synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    public Optional<V> get(String key) {
        return Optional.ofNullable(view.get(key));
    }

    public Collection<V> values() {
        return view.values();
    }

    public String topic() {
        return topic;
    }

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        if (reader != null) {
            try {
                reader.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
        synchronized (this) {
            if (producer != null) {
                producer.close(Duration.ofSeconds(5));
            }
        }
    }
}
