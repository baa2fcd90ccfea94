package com.northwind.eventing.router.topology;

import com.northwind.eventing.common.store.LedgerRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@link RouterMetrics} on Micrometer:
 *
 * <ul>
 *   <li>{@code eventing.router.copies{subscription, outcome, reason}}: per subscription the events delivered, filtered
 *       (reason {@code synthetic}, {@code tags}, {@code content}) and dead-lettered (the ledger's reasons);
 *   <li>{@code eventing.router.redacted{subscription}}: delivered copies with at least one field redacted;
 *   <li>{@code eventing.router.latency{subscription}}: from the intake's receipt ({@code metadata.receivedAt}) to the
 *       copy being handed to Kafka, with buckets from 5 ms to 1 min (the copy is readable once its transaction
 *       commits, up to a commit interval later);
 *   <li>{@code eventing.router.unreadable}: records dead-lettered whole, before any subscription was considered.
 * </ul>
 *
 * Subscription ids are registered names and the reasons a fixed set, so the series are bounded by the registry.
 */
public final class RouterMeters implements RouterMetrics {
    private static final Duration[] LATENCY_BUCKETS = {
        Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
        Duration.ofMinutes(1)
    };

    private final MeterRegistry registry;
    private final Map<String, Meters> bySubscription = new ConcurrentHashMap<>();
    private final Counter unreadable;

    public RouterMeters(MeterRegistry registry) {
        this.registry = registry;
        this.unreadable = Counter.builder("eventing.router.unreadable")
                .description("Firehose records dead-lettered whole, before any subscription was considered")
                .register(registry);
    }

    /** One subscription's meters, made when it first routes. */
    private final class Meters {
        private final String subscription;
        private final Counter delivered;
        private final Counter redacted;
        private final Timer latency;
        private final Map<String, Counter> others = new ConcurrentHashMap<>();

        Meters(String subscription) {
            this.subscription = subscription;
            this.delivered = copies(subscription, "delivered", "none");
            this.redacted = Counter.builder("eventing.router.redacted")
                    .description("Copies delivered with at least one field redacted")
                    .tag("subscription", subscription)
                    .register(registry);
            this.latency = Timer.builder("eventing.router.latency")
                    .description("From the intake's receipt of an event to its copy being handed to Kafka")
                    .tag("subscription", subscription)
                    .serviceLevelObjectives(LATENCY_BUCKETS)
                    .register(registry);
        }

        Counter other(String outcome, String reason) {
            return others.computeIfAbsent(
                    outcome + '/' + reason,
                    k -> copies(subscription, outcome.toLowerCase(Locale.ROOT), reason == null ? "none" : reason));
        }
    }

    private Counter copies(String subscription, String outcome, String reason) {
        return Counter.builder("eventing.router.copies")
                .description("What became of each event a subscription's type patterns matched")
                .tag("subscription", subscription)
                .tag("outcome", outcome)
                .tag("reason", reason)
                .register(registry);
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public void routed(LedgerRecord outcomes, long receivedAtMillis, long nowMillis) {
        long latency = Math.max(0, nowMillis - receivedAtMillis);
        outcomes.forEachEntry((subscription, outcome, reason, redactedPaths) -> {
            Meters m = bySubscription.computeIfAbsent(subscription, Meters::new);
            if (LedgerRecord.DELIVERED.equals(outcome)) {
                m.delivered.increment();
                if (redactedPaths > 0) {
                    m.redacted.increment();
                }
                m.latency.record(latency, TimeUnit.MILLISECONDS);
            } else {
                m.other(outcome, reason).increment();
            }
        });
    }

    @Override
    public void deadLettered() {
        unreadable.increment();
    }
}
