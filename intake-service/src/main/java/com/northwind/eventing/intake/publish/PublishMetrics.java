package com.northwind.eventing.intake.publish;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The intake's own meters, the same for every transport: {@code eventing.intake.events} counts events by outcome
 * ({@code published}, the refusal's kind in lower case, or {@code internal} for a failure nobody expected), and {@code eventing.intake.acknowledgement} times how
 * long Kafka took to acknowledge a published event. The publish paths are left out of Spring's per-request HTTP
 * observations, which cost more than the rest of a request; these replace them.
 */
public final class PublishMetrics {
    private final Counter published;
    private final Counter failed;
    private final Map<PublishException.Kind, Counter> refused = new EnumMap<>(PublishException.Kind.class);
    private final Timer acknowledgement;

    public PublishMetrics(MeterRegistry registry) {
        this.published = counter(registry, "published");
        this.failed = counter(registry, "internal");
        for (PublishException.Kind kind : PublishException.Kind.values()) {
            refused.put(kind, counter(registry, kind.name().toLowerCase(Locale.ROOT)));
        }
        this.acknowledgement = Timer.builder("eventing.intake.acknowledgement")
                .description("Time from receiving an event to Kafka's acknowledgement of it")
                .register(registry);
    }

    private static Counter counter(MeterRegistry registry, String outcome) {
        return Counter.builder("eventing.intake.events")
                .description("Events received by the intake, by outcome")
                .tag("outcome", outcome)
                .register(registry);
    }

    void published(Duration sinceReceived) {
        published.increment();
        acknowledgement.record(sinceReceived);
    }

    void refused(PublishException.Kind kind) {
        refused.get(kind).increment();
    }

    void failed() {
        failed.increment();
    }
}
