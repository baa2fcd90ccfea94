package com.northwind.eventing.router.topology;

import com.northwind.eventing.common.filter.ContentFilter;
import com.northwind.eventing.common.model.App;
import com.northwind.eventing.common.model.EventType;
import com.northwind.eventing.common.model.RegistryTopics;
import com.northwind.eventing.common.model.Subscription;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiles the registry tables into a {@link RegistryView} and publishes it. The registry stores ({@link RegistryStore})
 * call it on the thread that reads the registry topics, after each change they take; it parses only the values that
 * changed (a value whose bytes are the same keeps its parsed instance, so plans compiled from it stay valid) and
 * publishes a new view through one volatile field. That view is all the stream threads share with the registry
 * thread: they read {@link #current()} once per event and never see a view half-built.
 */
final class RegistryViews {
    private static final Logger log = LoggerFactory.getLogger(RegistryViews.class);

    /** The registry tables a view is compiled from. */
    enum Table {
        SUBSCRIPTIONS,
        EVENT_TYPES,
        APPS
    }

    private final Map<String, Parsed<RegistryView.CompiledSubscription>> subscriptions = new HashMap<>();
    private final Map<String, Parsed<EventType>> eventTypes = new HashMap<>();
    private final Map<String, Parsed<App>> apps = new HashMap<>();
    private final Map<Table, Boolean> open = new HashMap<>();

    private volatile RegistryView current;

    /**
     * The view as last published, or null while a registry table is not open (not yet restored, or closed): no event
     * may be routed then, as nobody can say what its subscribers may see.
     */
    RegistryView current() {
        return current;
    }

    /** A table was opened, or closed (its entries then leave the view, and no view is current until it reopens). */
    synchronized void opened(Table table, boolean isOpen) {
        open.put(table, isOpen);
        if (!isOpen) {
            switch (table) {
                case SUBSCRIPTIONS -> subscriptions.clear();
                case EVENT_TYPES -> eventTypes.clear();
                case APPS -> apps.clear();
            }
        }
    }

    /** A key of a table now holds {@code bytes}, or nothing when null. Takes effect at {@link #publish()}. */
    synchronized void changed(Table table, String key, byte[] bytes) {
        switch (table) {
            case SUBSCRIPTIONS -> put(subscriptions, key, bytes, RegistryViews::compile);
            case EVENT_TYPES -> put(eventTypes, key, bytes, b -> read(b, EventType.class));
            case APPS -> put(apps, key, bytes, b -> read(b, App.class));
        }
    }

    /** Compiles the tables as they are now into a view and publishes it; no view while one of them is not open. */
    synchronized void publish() {
        if (open.size() < Table.values().length || open.containsValue(false)) {
            current = null;
            return;
        }
        current = new RegistryView(
                new SubscriptionIndex(values(subscriptions).values()), values(eventTypes), values(apps));
    }

    private static <T> Map<String, T> values(Map<String, Parsed<T>> parsed) {
        Map<String, T> out = new HashMap<>(parsed.size() * 2);
        parsed.forEach((k, p) -> {
            if (p.value != null) {
                out.put(k, p.value);
            }
        });
        return out;
    }

    private static <T> void put(Map<String, Parsed<T>> cache, String key, byte[] bytes, Function<byte[], T> parser) {
        if (bytes == null) {
            cache.remove(key);
            return;
        }
        Parsed<T> known = cache.get(key);
        if (known != null && Arrays.equals(known.bytes, bytes)) {
            return;
        }
        T value;
        try {
            value = parser.apply(bytes);
        } catch (RuntimeException e) {
            // Logged once per distinct value; the view leaves it out.
            log.warn("registry value for {} cannot be read, ignoring it: {}", key, e.toString());
            value = null;
        }
        cache.put(key, new Parsed<>(bytes, value));
    }

    private static RegistryView.CompiledSubscription compile(byte[] bytes) {
        Subscription s = read(bytes, Subscription.class);
        ContentFilter filter = ContentFilter.parse(s.filter());
        return new RegistryView.CompiledSubscription(
                s,
                s.typePatterns(),
                filter,
                new RegistryView.HiddenReads(filter.fields()),
                new RecordHeader(RouterTopology.HEADER_SUBSCRIPTION, s.id().getBytes(StandardCharsets.UTF_8)));
    }

    private static <T> T read(byte[] bytes, Class<T> type) {
        return RegistryTopics.JSON.readValue(bytes, type);
    }

    private record Parsed<T>(byte[] bytes, T value) {}
}
