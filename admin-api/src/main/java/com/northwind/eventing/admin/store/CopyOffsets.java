package com.northwind.eventing.admin.store;

import com.northwind.eventing.admin.config.KafkaClients;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Finds where a delivered copy is in its subscription topic: the ledger knows the partition (the router chooses it)
 * but not the offset (unknown inside the router's transaction). From the offset of the copy's timestamp it reads the
 * partition forward, read_committed, for the record whose {@code eventing-event-id} and {@code eventing-subscription}
 * headers name the event and the subscription, bounded by {@code eventing.store.ledger-offset-scan} records and by a
 * deadline. One consumer, made once and used by one lookup at a time: the lookups are rare (one event's deliveries)
 * and a consumer per request would cost a connection each.
 */
@Component
class CopyOffsets implements DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(CopyOffsets.class);
    static final String HEADER_EVENT_ID = "eventing-event-id";
    static final String HEADER_SUBSCRIPTION = "eventing-subscription";
    private static final Duration MAX_POLL = Duration.ofMillis(200);

    private final int maxScan;
    private final ReentrantLock lock = new ReentrantLock();
    private final KafkaConsumer<byte[], byte[]> consumer;
    private boolean closed;

    CopyOffsets(KafkaClients clients, StoreProperties properties) {
        this.maxScan = properties.ledgerOffsetScan();
        // No group: it assigns partitions itself and commits nothing. Made without connecting.
        this.consumer = new KafkaConsumer<>(
                clients.config(Map.of(
                        ConsumerConfig.CLIENT_ID_CONFIG,
                        "eventing-admin-api-ledger-offsets",
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false,
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                        500)),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    /** A copy to look for: where the ledger says it went, and the earliest its record's timestamp can be. */
    record Copy(String topic, int partition, String eventId, String subscription, long notBeforeMillis) {}

    /**
     * The offset of the copy, or empty when it is not found within the bounds (expired from the topic, the topic
     * gone, further than the scan reaches, or the deadline passed).
     */
    OptionalLong find(Copy copy, long deadlineNanos) {
        if (maxScan == 0) {
            return OptionalLong.empty();
        }
        try {
            if (!lock.tryLock(remaining(deadlineNanos).toMillis(), TimeUnit.MILLISECONDS)) {
                return OptionalLong.empty();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalLong.empty();
        }
        try {
            if (closed) {
                return OptionalLong.empty();
            }
            return scan(copy, deadlineNanos);
        } catch (KafkaException e) {
            // A topic deleted with its subscription, a partition that no longer exists, Kafka out of reach: the
            // offset is simply not known. The answer says so by leaving it out.
            log.warn(
                    "Could not look up the offset of event {} in {}-{}: {}",
                    copy.eventId(),
                    copy.topic(),
                    copy.partition(),
                    e.getClass().getSimpleName());
            return OptionalLong.empty();
        } finally {
            try {
                if (!closed) {
                    consumer.unsubscribe();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    private OptionalLong scan(Copy copy, long deadlineNanos) {
        TopicPartition tp = new TopicPartition(copy.topic(), copy.partition());
        consumer.assign(List.of(tp));
        Map<TopicPartition, OffsetAndTimestamp> start =
                consumer.offsetsForTimes(Map.of(tp, Math.max(0L, copy.notBeforeMillis())), remaining(deadlineNanos));
        OffsetAndTimestamp from = start.get(tp);
        if (from == null) {
            // No record at or after that time: the copy is not there (or not any more).
            return OptionalLong.empty();
        }
        long end = consumer.endOffsets(List.of(tp), remaining(deadlineNanos)).get(tp);
        consumer.seek(tp, from.offset());
        byte[] eventId = copy.eventId().getBytes(StandardCharsets.UTF_8);
        byte[] subscription = copy.subscription().getBytes(StandardCharsets.UTF_8);
        int scanned = 0;
        while (scanned < maxScan && consumer.position(tp, remaining(deadlineNanos)) < end) {
            Duration left = remaining(deadlineNanos);
            if (left.isZero()) {
                return OptionalLong.empty();
            }
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(left.compareTo(MAX_POLL) < 0 ? left : MAX_POLL)
                    .records(tp)) {
                if (is(r, HEADER_EVENT_ID, eventId) && is(r, HEADER_SUBSCRIPTION, subscription)) {
                    return OptionalLong.of(r.offset());
                }
                if (++scanned >= maxScan) {
                    break;
                }
            }
        }
        return OptionalLong.empty();
    }

    private static boolean is(ConsumerRecord<byte[], byte[]> r, String header, byte[] value) {
        Header h = r.headers().lastHeader(header);
        return h != null && Arrays.equals(h.value(), value);
    }

    private static Duration remaining(long deadlineNanos) {
        long left = deadlineNanos - System.nanoTime();
        return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
    }

    @Override
    public void destroy() {
        lock.lock();
        try {
            closed = true;
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        } finally {
            lock.unlock();
        }
    }
}
