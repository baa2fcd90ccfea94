package com.northwind.eventing.router.aggregation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link AggregatorMetrics} on Micrometer:
 *
 * <ul>
 *   <li>{@code eventing.aggregator.outputs{rule, kind}}: outputs written to the firehose, kind {@code combine},
 *       {@code absence}, {@code sla} or {@code breach};
 *   <li>{@code eventing.aggregator.skipped{rule, reason}}: inputs not taken, reason {@code no-key} (no value at the
 *       rule's key) or {@code late} (its sla window had closed);
 *   <li>{@code eventing.aggregator.deadlettered{rule}}: outputs dead-lettered (type not registered, body refused by
 *       its schema);
 *   <li>{@code eventing.aggregator.open.keys{rule}}: keys with state in this instance (combine partials, absence starts
 *       waiting, sla starts waiting for their end).
 * </ul>
 *
 * Rule ids are registered names and the kinds and reasons fixed sets, so the series are bounded by the registry.
 */
public final class AggregatorMeters implements AggregatorMetrics {
    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> open = new ConcurrentHashMap<>();

    public AggregatorMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void emitted(String rule, String kind) {
        counter("outputs", rule, "kind", kind, "Outputs the aggregator wrote to the firehose")
                .increment();
    }

    @Override
    public void skipped(String rule, String reason) {
        counter("skipped", rule, "reason", reason, "Inputs an aggregation did not take")
                .increment();
    }

    @Override
    public void deadLettered(String rule) {
        counter("deadlettered", rule, null, null, "Outputs dead-lettered instead of written")
                .increment();
    }

    @Override
    public void openKeys(String rule, long delta) {
        open.computeIfAbsent(rule, r -> {
                    AtomicLong n = new AtomicLong();
                    Gauge.builder("eventing.aggregator.open.keys", n, AtomicLong::get)
                            .description("Keys an aggregation holds state for in this instance")
                            .tag("rule", r)
                            .register(registry);
                    return n;
                })
                .addAndGet(delta);
    }

    private Counter counter(String name, String rule, String tag, String value, String description) {
        return counters.computeIfAbsent(name + '/' + rule + '/' + value, k -> {
            Counter.Builder b = Counter.builder("eventing.aggregator." + name)
                    .description(description)
                    .tag("rule", rule);
            if (tag != null) {
                b.tag(tag, value);
            }
            return b.register(registry);
        });
    }
}
