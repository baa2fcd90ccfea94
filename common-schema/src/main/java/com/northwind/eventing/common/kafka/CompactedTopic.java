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
import java.util.concurrent.atomic.AtomicLong;
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
 * keep derived indexes update them there. A record whose value cannot be read removes its key, as a tombstone would:
 * the view never keeps a value older than what the topic says. A listener that fails, or any other failure of the
 * reading thread, is logged and the thread starts again from the first record not applied, after a pause that doubles
 * up to {@link #MAX_BACKOFF}: the thread never stops silently.
 *
 * <p>The view knows whether it is current ({@link #isCurrent}): its thread is following the topic, and it has read
 * up to an end offset it asked Kafka for (every {@link #END_OFFSET_INTERVAL} at most) no longer than the greatest
 * staleness allowed ago. A reader that stops, stalls, or cannot reach Kafka stops being current within that bound.
 */
public final class CompactedTopic<V> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CompactedTopic.class);

    /** How often the reading thread asks Kafka for the topic's end offset, at most. */
    static final Duration END_OFFSET_INTERVAL = Duration.ofSeconds(1);
    /** The first pause after a failure of the reading thread. */
    static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    /** The longest pause after repeated failures. */
    static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    /** How long an end-offset request may wait for Kafka. */
    private static final Duration END_OFFSET_TIMEOUT = Duration.ofSeconds(5);
    /** When the view has never been current. */
    private static final long NEVER = Long.MIN_VALUE / 2;

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
    private volatile boolean closed;
    private Thread reader;

    private final long maxStalenessMillis;
    /** True while the reading thread runs. */
    private volatile boolean following;
    /** When the end offset last reached was asked for (epoch millis); NEVER before the first. */
    private volatile long caughtUpAt = NEVER;
    /** An end offset asked for and not reached yet, and when it was asked for; read and written by the reader. */
    private long pendingEnd = -1;

    private long pendingEndAt;
    private long lastEndRequest = NEVER;
    private final AtomicLong restarts = new AtomicLong();
    private volatile String lastFailure;

    /** Turns values into bytes and back; {@code decode} throws on a record it cannot read. */
    public interface Codec<V> {
        byte[] encode(V value);

        V decode(byte[] bytes);
    }

    /**
     * @param maxStaleness how far behind the topic the view may fall, measured against end offsets it asks Kafka for,
     *     before it stops being current
     */
    public CompactedTopic(
            String topic,
            Codec<V> codec,
            Map<String, Object> clientConfig,
            Duration writeTimeout,
            Duration maxStaleness,
            BiConsumer<String, Optional<V>> listener) {
        if (maxStaleness.isNegative() || maxStaleness.isZero()) {
            throw new IllegalArgumentException("the greatest staleness of " + topic + " must be positive");
        }
        this.maxStalenessMillis = maxStaleness.toMillis();
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
     * @param replication the topic's replication when it is created here
     */
    public void start(Admin admin, TopicReplication replication, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        createIfMissing(admin, replication, timeout);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        long askedAt = System.currentTimeMillis();
        long end = consumer.endOffsets(List.of(partition), timeout).get(partition);
        while (consumer.position(partition, timeout) < end) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read " + topic + " to its end within " + timeout);
            }
            apply(consumer.poll(Duration.ofMillis(200)).records(partition));
        }
        caughtUpAt = askedAt;
        lastEndRequest = askedAt;
        log.info("Read {} to offset {}: {} entries", topic, end, view.size());
        following = true;
        reader = new Thread(this::follow, "registry-" + topic);
        reader.setDaemon(true);
        reader.start();
    }

    private void createIfMissing(Admin admin, TopicReplication replication, Duration timeout) {
        NewTopic newTopic = replication.newTopic(
                topic,
                Optional.of(1),
                Map.of(
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
        long backoff = FIRST_BACKOFF.toMillis();
        try {
            while (!closed) {
                try {
                    apply(consumer.poll(Duration.ofMillis(500)).records(partition));
                    askForTheEnd();
                    backoff = FIRST_BACKOFF.toMillis();
                } catch (WakeupException e) {
                    // close() woke the poll; the loop ends on its own.
                } catch (RuntimeException e) {
                    restarts.incrementAndGet();
                    lastFailure = e.toString();
                    long from = appliedOffset();
                    log.error("Reading {} failed; reading again from offset {} in {} ms", topic, from, backoff, e);
                    pause(backoff);
                    backoff = Math.min(backoff * 2, MAX_BACKOFF.toMillis());
                    consumer.seek(partition, from);
                }
            }
        } catch (RuntimeException e) {
            // The consumer itself is beyond use: the view stops being current, which is what readiness reports.
            lastFailure = e.toString();
            log.error("Stopped reading {}; the view of it is no longer current", topic, e);
        } finally {
            following = false;
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            synchronized (progress) {
                progress.notifyAll();
            }
        }
    }

    /**
     * Asks Kafka for the topic's end offset when the last asking is {@link #END_OFFSET_INTERVAL} old, and counts the
     * view as current as of an asking once it has read up to the offset that asking gave.
     */
    private void askForTheEnd() {
        long now = System.currentTimeMillis();
        if (pendingEnd < 0 && now - lastEndRequest >= END_OFFSET_INTERVAL.toMillis()) {
            lastEndRequest = now;
            try {
                pendingEnd = consumer.endOffsets(List.of(partition), END_OFFSET_TIMEOUT)
                        .get(partition);
                pendingEndAt = now;
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                // Kafka cannot be reached: the view ages until it can, which is the point.
                log.debug("No end offset for {} within {}", topic, END_OFFSET_TIMEOUT);
            }
        }
        if (pendingEnd >= 0 && appliedOffset() >= pendingEnd) {
            caughtUpAt = pendingEndAt;
            pendingEnd = -1;
        }
    }

    private long appliedOffset() {
        synchronized (progress) {
            return applied;
        }
    }

    /** Waits, unless the topic is closed meanwhile. */
    private void pause(long millis) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (progress) {
            for (long left = millis;
                    left > 0 && !closed;
                    left = TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime())) {
                try {
                    progress.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void apply(List<ConsumerRecord<String, byte[]>> records) {
        for (ConsumerRecord<String, byte[]> r : records) {
            if (r.offset() < appliedOffset()) {
                // The log went back (recreated, truncated): what is read again is history, so the view is not current
                // until it has read to an end offset asked for from here on.
                log.warn("{} went back from offset {} to {}; reading it again", topic, appliedOffset(), r.offset());
                caughtUpAt = NEVER;
                pendingEnd = -1;
                lastEndRequest = NEVER;
            }
            String key = r.key();
            if (key != null) {
                Optional<V> value = decode(r);
                value.ifPresentOrElse(v -> view.put(key, v), () -> view.remove(key));
                listener.accept(key, value);
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

    /** The value, or an empty Optional for a tombstone or a record that cannot be read. */
    private Optional<V> decode(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(codec.decode(r.value()));
        } catch (RuntimeException e) {
            // Its key goes: keeping the value before it would keep what the topic has replaced (a revoked token).
            // The log names no value, only where it is.
            log.warn(
                    "Unreadable record in {} at offset {} (key {}) removes the key from the view: {}",
                    topic,
                    r.offset(),
                    r.key(),
                    e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Writes a value (null for a tombstone) and waits until Kafka acknowledged it and this view applied it.
     *
     * @throws RegistryUnavailableException when Kafka does not acknowledge or the view does not catch up in time
     */
    public void write(String key, V value) {
        if (!following) {
            throw new RegistryUnavailableException("the registry reader of " + topic + " has stopped: " + lastFailure);
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
                if (waitNanos <= 0 || !following) {
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

    /**
     * Whether the view is current at {@code nowMillis} (epoch millis, the system clock's): its reading thread is
     * following the topic and has read up to an end offset asked for at most the greatest staleness before. Cheap: for
     * every request.
     */
    public boolean isCurrent(long nowMillis) {
        return following && nowMillis - caughtUpAt <= maxStalenessMillis;
    }

    /** How the view stands now, for health reports. */
    public Health health() {
        long now = System.currentTimeMillis();
        long at = caughtUpAt;
        return new Health(
                topic,
                isCurrent(now),
                following,
                at == NEVER ? null : Duration.ofMillis(Math.max(0, now - at)),
                Duration.ofMillis(maxStalenessMillis),
                restarts.get(),
                lastFailure);
    }

    /**
     * @param current whether the view is current (see {@link #isCurrent})
     * @param following whether the reading thread runs
     * @param behind how long ago the end offset it last reached was asked for; null when it never reached one
     * @param maxStaleness the greatest {@code behind} that is current
     * @param restarts how often the reading thread started again after a failure
     * @param lastFailure the last failure of the reading thread, or null
     */
    public record Health(
            String topic,
            boolean current,
            boolean following,
            Duration behind,
            Duration maxStaleness,
            long restarts,
            String lastFailure) {
        /** Each view's {@link #details}, by its topic. */
        public static Map<String, Object> byTopic(Collection<Health> views) {
            Map<String, Object> all = new java.util.LinkedHashMap<>();
            views.forEach(h -> all.put(h.topic(), h.details()));
            return all;
        }

        /** The same as a map, for a health endpoint's details. */
        public Map<String, Object> details() {
            Map<String, Object> d = new java.util.LinkedHashMap<>();
            d.put("current", current);
            d.put("following", following);
            d.put("behindMillis", behind == null ? null : behind.toMillis());
            d.put("maxStalenessMillis", maxStaleness.toMillis());
            d.put("restarts", restarts);
            if (lastFailure != null) {
                d.put("lastFailure", lastFailure);
            }
            return d;
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        consumer.wakeup();
        synchronized (progress) {
            progress.notifyAll();
        }
        if (reader != null) {
            try {
                reader.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
