package com.northwind.eventing.intake.publish;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The intake's own meters, the same for every transport: {@code eventing.intake.events} counts events by outcome
 * ({@code published}, the refusal's kind in lower case, or {@code internal} for a failure nobody expected), by the
 * publishing app and by event type, and {@code eventing.intake.acknowledgement} times how long Kafka took to
 * acknowledge a published event. The publish paths are left out of Spring's per-request HTTP observations, which cost
 * more than the rest of a request; these replace them.
 *
 * <p>Every tag value is a registered name, so the series are bounded by the registry: the app is the authenticated one,
 * and a type the registry does not hold (a misspelt or invented name in a refused event) is counted as
 * {@value #UNREGISTERED}, one that does not parse as {@value #NONE}; nothing from an event's body or free text.
 */
public final class PublishMetrics {
    static final String UNREGISTERED = "unregistered";
    static final String NONE = "none";

    private final MeterRegistry registry;
    private final Predicate<String> registered;
    private final Timer acknowledgement;
    private final Map<Key, Counter> counters = new ConcurrentHashMap<>();

    private record Key(String outcome, String app, String type) {}

    /** @param registered whether an event type of that name is registered now */
    public PublishMetrics(MeterRegistry registry, Predicate<String> registered) {
        this.registry = registry;
        this.registered = registered;
        this.acknowledgement = Timer.builder("eventing.intake.acknowledgement")
                .description("Time from receiving an event to Kafka's acknowledgement of it")
                .register(registry);
    }

    private Counter counter(String outcome, String app, String type) {
        String typeTag = type == null ? NONE : registered.test(type) ? type : UNREGISTERED;
        return counters.computeIfAbsent(
                new Key(outcome, app, typeTag),
                k -> Counter.builder("eventing.intake.events")
                        .description("Events received by the intake, by outcome, app and event type")
                        .tag("outcome", k.outcome())
                        .tag("app", k.app())
                        .tag("type", k.type())
                        .register(registry));
    }

    void published(Duration sinceReceived, String app, String type) {
        counter("published", app, type).increment();
        acknowledgement.record(sinceReceived);
    }

    void refused(PublishException.Kind kind, String app, String type) {
        counter(kind.name().toLowerCase(Locale.ROOT), app, type).increment();
    }

    void failed(String app, String type) {
        counter("internal", app, type).increment();
    }
}
