package com.northwind.eventing.router.topology;

import com.northwind.eventing.common.filter.ContentFilter;
import com.northwind.eventing.common.model.App;
import com.northwind.eventing.common.model.EventType;
import com.northwind.eventing.common.model.EventTypeName;
import com.northwind.eventing.common.model.EventTypeVersion;
import com.northwind.eventing.common.model.RegistryTopics;
import com.northwind.eventing.common.model.Subscription;
import com.northwind.eventing.common.model.TypePattern;
import com.northwind.eventing.common.redaction.RedactionPlan;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry as the router sees it: the three global tables, holding the registry topics' JSON bytes, with each
 * value parsed and compiled once and kept until its bytes change. The tables count their changes
 * ({@link RegistryStore.Changes}): while the count stays the same, an event is routed with what was read and
 * compiled before, without touching the tables; when it moves, the next event reads them again. A change on a
 * registry topic therefore applies to the next event, and nothing is parsed again per event. One instance per stream
 * task: not thread-safe.
 */
final class RegistryView {
    private static final Logger log = LoggerFactory.getLogger(RegistryView.class);

    private final ReadOnlyKeyValueStore<String, Object> subscriptions;
    private final ReadOnlyKeyValueStore<String, Object> eventTypes;
    private final ReadOnlyKeyValueStore<String, Object> apps;
    private final RegistryStore.Changes changes;

    /** The change count the views below were read at; they are read again when the tables' count differs. */
    private long seen = -1;

    private List<CompiledSubscription> subscriptionView = List.of();
    private final Map<String, EventType> eventTypeView = new HashMap<>();
    private final Map<String, App> appView = new HashMap<>();

    private final Map<String, Parsed<CompiledSubscription>> subscriptionCache = new HashMap<>();
    private final Map<String, Parsed<EventType>> eventTypeCache = new HashMap<>();
    private final Map<String, Parsed<App>> appCache = new HashMap<>();
    private final Map<PlanKey, CachedPlan> plans = new HashMap<>();
    private final Map<String, CachedPlan> everything = new HashMap<>();

    RegistryView(
            ReadOnlyKeyValueStore<String, Object> subscriptions,
            ReadOnlyKeyValueStore<String, Object> eventTypes,
            ReadOnlyKeyValueStore<String, Object> apps,
            RegistryStore.Changes changes) {
        this.subscriptions = subscriptions;
        this.eventTypes = eventTypes;
        this.apps = apps;
        this.changes = changes;
    }

    /** Drops what was read from the tables when they changed since; called once per event, before any lookup. */
    private void refresh() {
        // Read before the tables: a change made while they are read moves the count again, and is read next time.
        long now = changes.count();
        if (now == seen) {
            return;
        }
        seen = now;
        eventTypeView.clear();
        appView.clear();
        subscriptionView = readSubscriptions();
    }

    /**
     * A subscription with its type patterns and content filter compiled, and the {@code eventing-subscription} header
     * every copy for it carries, made once.
     */
    record CompiledSubscription(
            Subscription subscription,
            List<TypePattern> types,
            ContentFilter filter,
            HiddenReads hiddenReads,
            Header subscriptionHeader) {
        /** Whether one of the subscription's type patterns matches the name. */
        boolean matchesType(EventTypeName name) {
            for (TypePattern p : types) {
                if (p.matches(name)) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * Every subscription now in the table; ones whose value cannot be read are left out and logged. Called first for
     * each event: it is what notices a change of the registry.
     */
    List<CompiledSubscription> subscriptions() {
        refresh();
        return subscriptionView;
    }

    private List<CompiledSubscription> readSubscriptions() {
        List<CompiledSubscription> all = new ArrayList<>();
        Set<String> present = new HashSet<>();
        try (KeyValueIterator<String, Object> it = subscriptions.all()) {
            while (it.hasNext()) {
                KeyValue<String, Object> kv = it.next();
                present.add(kv.key);
                CompiledSubscription s = parsed(subscriptionCache, kv.key, bytes(kv.value), RegistryView::compile);
                if (s != null) {
                    all.add(s);
                }
            }
        }
        if (subscriptionCache.size() > present.size()) {
            subscriptionCache.keySet().retainAll(present);
        }
        return List.copyOf(all);
    }

    /** The event type, or null when it is not registered or its value cannot be read. */
    EventType eventType(String name) {
        return lookup(eventTypeView, eventTypeCache, eventTypes, name, EventType.class);
    }

    /** The app, or null when it is not registered or its value cannot be read. */
    App app(String id) {
        return lookup(appView, appCache, apps, id, App.class);
    }

    /** A value of a table: from this change's view, else read, parsed (once per distinct value) and kept in it. */
    private <T> T lookup(
            Map<String, T> view,
            Map<String, Parsed<T>> cache,
            ReadOnlyKeyValueStore<String, Object> table,
            String key,
            Class<T> type) {
        refresh();
        if (view.containsKey(key)) {
            return view.get(key);
        }
        T value = parsed(cache, key, bytes(table.get(key)), b -> read(b, type));
        view.put(key, value);
        return value;
    }

    /**
     * The redaction plan for an app reading a version of a type: the sensitive fields of that version and of every
     * later one that the app is not cleared for. Compiled once, and dropped when the type or the app changes (a
     * changed registry value is a new parsed instance).
     *
     * @param typeName the name {@code type} was looked up by ({@link #eventType}), not built again from its parts
     */
    RedactionPlan plan(String typeName, EventType type, EventTypeVersion version, App app) {
        PlanKey key = new PlanKey(typeName, version.version(), app.id());
        CachedPlan cached = plans.get(key);
        if (cached == null || cached.type != type || cached.app != app) {
            cached = new CachedPlan(type, app, RedactionPlan.compile(type, version.version(), app.readGrants()));
            plans.put(key, cached);
        }
        return cached.plan;
    }

    /**
     * The plan that redacts every sensitive field the type declares in any version, as for an app with no read grants:
     * what dead letters hold, and what a subscription whose app is not registered is filtered on.
     */
    RedactionPlan everything(String typeName, EventType type) {
        CachedPlan cached = everything.get(typeName);
        if (cached == null || cached.type != type) {
            cached = new CachedPlan(type, null, RedactionPlan.compile(type, 1, List.of()));
            everything.put(typeName, cached);
        }
        return cached.plan;
    }

    /**
     * Whether a content filter reads a value a plan redacts ({@link RedactionPlan#hiding}), so that it must be
     * evaluated on the redacted body; otherwise the body as it came gives the same verdict without a copy of it.
     * Remembered for the plan last asked about, as most of a subscription's events are of one type and app.
     */
    static final class HiddenReads {
        private final List<String> fields;
        private RedactionPlan plan;
        private boolean hidden;

        HiddenReads(List<String> fields) {
            this.fields = fields;
        }

        boolean by(RedactionPlan p) {
            if (p != plan) {
                boolean any = false;
                for (String field : fields) {
                    if (p.hiding(field) != null) {
                        any = true;
                        break;
                    }
                }
                hidden = any;
                plan = p;
            }
            return hidden;
        }
    }

    private static CompiledSubscription compile(byte[] bytes) {
        Subscription s = read(bytes, Subscription.class);
        ContentFilter filter = ContentFilter.parse(s.filter());
        return new CompiledSubscription(
                s,
                s.typePatterns(),
                filter,
                new HiddenReads(filter.fields()),
                new RecordHeader(RouterTopology.HEADER_SUBSCRIPTION, s.id().getBytes(StandardCharsets.UTF_8)));
    }

    private static <T> T read(byte[] bytes, Class<T> type) {
        return RegistryTopics.JSON.readValue(bytes, type);
    }

    private static <T> T parsed(Map<String, Parsed<T>> cache, String key, byte[] bytes, Function<byte[], T> parser) {
        if (bytes == null) {
            cache.remove(key);
            return null;
        }
        Parsed<T> known = cache.get(key);
        if (known != null && Arrays.equals(known.bytes, bytes)) {
            return known.value;
        }
        T value;
        try {
            value = parser.apply(bytes);
        } catch (RuntimeException e) {
            // Logged once per distinct value: a bad registry record must not flood the log per event.
            log.warn("registry value for {} cannot be read, ignoring it: {}", key, e.toString());
            value = null;
        }
        cache.put(key, new Parsed<>(bytes, value));
        return value;
    }

    /** Global tables hold timestamped values; a plain store holds the bytes themselves. */
    private static byte[] bytes(Object value) {
        if (value instanceof ValueAndTimestamp<?> vt) {
            return (byte[]) vt.value();
        }
        return (byte[]) value;
    }

    private record Parsed<T>(byte[] bytes, T value) {}

    private record PlanKey(String type, int version, String app) {}

    private record CachedPlan(EventType type, App app, RedactionPlan plan) {}
}
