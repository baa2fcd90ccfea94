package com.northwind.eventing.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.common.testing.KafkaBroker;
import com.northwind.eventing.common.testing.KafkaClusterExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A registry view that knows whether it is current, on a real broker: it stops being current when its reader stops or
 * stalls beyond the greatest staleness and is current again once it has caught up; a failure of its reader is logged
 * and reading starts again where it failed; a record it cannot read removes its key.
 */
@ExtendWith(KafkaClusterExtension.class)
class CompactedTopicIT {
    private static final Duration MAX_STALENESS = Duration.ofSeconds(2);

    private static KafkaBroker kafka;
    private static Admin admin;
    private static KafkaProducer<String, String> producer;

    @BeforeAll
    static void start(KafkaBroker broker) {
        kafka = broker;
        admin = broker.admin();
        producer = new KafkaProducer<>(broker.clientConfig(Map.of()), new StringSerializer(), new StringSerializer());
    }

    @AfterAll
    static void stop() {
        producer.close();
        admin.close();
    }

    @Test
    void shouldBeCurrentWhileFollowingAndNotOnceItsReaderHasStopped() {
        CompactedTopic<String> view = open(new Texts(), (k, v) -> {});

        boolean whileFollowing = view.isCurrent(System.currentTimeMillis());
        view.close();

        assertThat(whileFollowing).isTrue();
        assertThat(view.isCurrent(System.currentTimeMillis())).isFalse();
        assertThat(view.health().following()).isFalse();
    }

    @Test
    void shouldStopBeingCurrentWhenItsReaderStallsAndBeCurrentAgainOnceCaughtUp() throws Exception {
        Texts texts = new Texts();
        try (CompactedTopic<String> view = open(texts, (k, v) -> {})) {
            send(view.topic(), "stuck", "stall");
            assertThat(texts.stalled.await(10, TimeUnit.SECONDS)).isTrue();
            long stalledAt = System.nanoTime();

            await(() -> !view.isCurrent(System.currentTimeMillis()), Duration.ofSeconds(10));
            long staleAfterMillis = (System.nanoTime() - stalledAt) / 1_000_000;
            boolean followingWhileStale = view.health().following();
            texts.release.countDown();
            await(() -> view.isCurrent(System.currentTimeMillis()), Duration.ofSeconds(10));

            assertThat(staleAfterMillis).isBetween(500L, 4_000L);
            assertThat(followingWhileStale).isTrue();
            assertThat(view.get("stuck")).hasValue("stall");
        }
    }

    @Test
    void shouldReadAgainFromTheRecordItsListenerFailedOn() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        AtomicBoolean failOnce = new AtomicBoolean(true);
        BiConsumer<String, Optional<String>> listener = (key, value) -> {
            seen.add(key + "=" + value.orElse(null));
            if (key.equals("b") && failOnce.getAndSet(false)) {
                throw new IllegalStateException("the listener failed on b");
            }
        };
        try (CompactedTopic<String> view = open(new Texts(), listener)) {
            send(view.topic(), "a", "1");
            send(view.topic(), "b", "2");
            send(view.topic(), "c", "3");

            await(() -> view.get("c").isPresent(), Duration.ofSeconds(10));

            assertThat(seen).containsExactly("a=1", "b=2", "b=2", "c=3");
            assertThat(view.health().restarts()).isEqualTo(1);
            assertThat(view.health().lastFailure()).contains("the listener failed on b");
            assertThat(view.isCurrent(System.currentTimeMillis())).isTrue();
        }
    }

    @Test
    void shouldRemoveTheKeyWhenItsNewRecordCannotBeRead() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (CompactedTopic<String> view = open(new Texts(), (k, v) -> seen.add(k + "=" + v.orElse(null)))) {
            send(view.topic(), "token", "granted");
            await(() -> view.get("token").isPresent(), Duration.ofSeconds(10));

            send(view.topic(), "token", "unreadable");
            send(view.topic(), "next", "x");
            await(() -> view.get("next").isPresent(), Duration.ofSeconds(10));

            assertThat(view.get("token")).isEmpty();
            assertThat(seen).containsExactly("token=granted", "token=null", "next=x");
        }
    }

    private static CompactedTopic<String> open(Texts codec, BiConsumer<String, Optional<String>> listener) {
        CompactedTopic<String> view = new CompactedTopic<>(
                "registry-it-" + UUID.randomUUID(),
                codec,
                kafka.clientConfig(Map.of()),
                Duration.ofSeconds(10),
                MAX_STALENESS,
                listener);
        view.start(admin, new TopicReplication(1, null), Duration.ofSeconds(30));
        return view;
    }

    private static void send(String topic, String key, String value) throws Exception {
        producer.send(new ProducerRecord<>(topic, 0, key, value)).get(10, TimeUnit.SECONDS);
    }

    private static void await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout);
            }
            Thread.sleep(20);
        }
    }

    /** Strings; "stall" blocks the reader until released, "unreadable" cannot be read. */
    private static final class Texts implements CompactedTopic.Codec<String> {
        final CountDownLatch stalled = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public byte[] encode(String value) {
            return value.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String decode(byte[] bytes) {
            String value = new String(bytes, StandardCharsets.UTF_8);
            if (value.equals("unreadable")) {
                throw new IllegalArgumentException("not a value this codec reads");
            }
            if (value.equals("stall")) {
                stalled.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return value;
        }
    }
}
