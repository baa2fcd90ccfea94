package com.northwind.eventing.admin.catalog;

import com.northwind.eventing.admin.aggregation.AggregationService;
import com.northwind.eventing.admin.app.AppService;
import com.northwind.eventing.admin.eventtype.EventTypeService;
import com.northwind.eventing.admin.problem.NotFoundException;
import com.northwind.eventing.admin.subscription.SubscriptionService;
import com.northwind.eventing.common.model.Aggregation;
import com.northwind.eventing.common.model.EventType;
import com.northwind.eventing.common.model.EventTypeName;
import com.northwind.eventing.common.model.EventTypeVersion;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.stereotype.Service;

/**
 * The event catalog: what event types exist, what they carry, and who publishes, subscribes to and aggregates them.
 * It is read from the registry as it is; nothing here holds tokens, credentials or subscription filters.
 */
@Service
class Catalog {
    /** At most this many reasons per item: a broad word would otherwise list every field of a large schema. */
    static final int MAX_MATCHED = 20;

    private final EventTypeService eventTypes;
    private final AppService apps;
    private final SubscriptionService subscriptions;
    private final AggregationService aggregations;

    Catalog(
            EventTypeService eventTypes,
            AppService apps,
            SubscriptionService subscriptions,
            AggregationService aggregations) {
        this.eventTypes = eventTypes;
        this.apps = apps;
        this.subscriptions = subscriptions;
        this.aggregations = aggregations;
    }

    /** The types that match {@code q} (every type when it is blank), by name, at most {@code limit}. */
    CatalogViews.Page search(String q, int limit) {
        String needle = q == null ? "" : q.strip().toLowerCase(Locale.ROOT);
        List<CatalogViews.Item> items = new ArrayList<>();
        boolean truncated = false;
        for (EventType type : eventTypes.list()) {
            List<String> matched = needle.isEmpty() ? List.of() : reasons(type, needle);
            if (!needle.isEmpty() && matched.isEmpty()) {
                continue;
            }
            if (items.size() == limit) {
                truncated = true;
                break;
            }
            items.add(new CatalogViews.Item(
                    type.name().toString(),
                    type.description(),
                    type.owner(),
                    type.latest().version(),
                    matched));
        }
        return new CatalogViews.Page(items, truncated);
    }

    /** One type with every version, and its place among the apps, subscriptions and aggregations. */
    CatalogViews.Entry entry(String eventType) {
        EventType type = eventTypes.list().stream()
                .filter(t -> t.name().toString().equals(eventType))
                .findFirst()
                .orElseThrow(() -> new NotFoundException("event type " + eventType + " is not registered"));
        EventTypeName name = type.name();
        String key = name.toString();
        List<CatalogViews.Publisher> publishers = apps.list().stream()
                .filter(a -> a.mayPublish(name))
                .map(a -> new CatalogViews.Publisher(a.id(), a.team()))
                .toList();
        List<CatalogViews.Subscriber> subscribers = subscriptions.list().stream()
                .filter(s -> s.wantsType(name))
                .map(s -> new CatalogViews.Subscriber(s.id(), s.app()))
                .toList();
        List<CatalogViews.Consumer> consumes = new ArrayList<>();
        List<CatalogViews.Producer> produces = new ArrayList<>();
        for (Aggregation a : aggregations.list()) {
            if (a.inputTypes().contains(key)) {
                consumes.add(new CatalogViews.Consumer(a.id(), a.outputTypes()));
            }
            if (a.outputTypes().contains(key)) {
                produces.add(new CatalogViews.Producer(a.id(), a.inputTypes()));
            }
        }
        return new CatalogViews.Entry(
                key,
                name.noun(),
                name.verb(),
                name.object(),
                type.description(),
                type.owner(),
                type.retentionDays(),
                type.latest().version(),
                type.versions().stream().map(CatalogViews.Version::of).toList(),
                type.example(),
                publishers,
                subscribers,
                new CatalogViews.Lineage(consumes, produces),
                type.createdAt(),
                type.updatedAt());
    }

    /** Why the type matches the (lower-cased) needle: each member it was found in; empty when it does not match. */
    static List<String> reasons(EventType type, String needle) {
        Set<String> matched = new LinkedHashSet<>();
        EventTypeName name = type.name();
        boolean part = false;
        for (String[] p : new String[][] {{"noun", name.noun()}, {"verb", name.verb()}, {"object", name.object()}}) {
            if (contains(p[1], needle)) {
                matched.add(p[0]);
                part = true;
            }
        }
        if (!part && contains(name.toString(), needle)) {
            matched.add("name");
        }
        if (contains(type.description(), needle)) {
            matched.add("description");
        }
        if (contains(type.owner(), needle)) {
            matched.add("owner");
        }
        // Newest version first: its fields are the ones a reader looks for.
        List<EventTypeVersion> versions = type.versions();
        for (int i = versions.size() - 1; i >= 0; i--) {
            for (String path : SchemaFields.of(versions.get(i).schema())) {
                if (matched.size() >= MAX_MATCHED) {
                    return List.copyOf(matched);
                }
                if (contains(path, needle)) {
                    matched.add("field:" + path);
                }
            }
        }
        return List.copyOf(matched);
    }

    private static boolean contains(String haystack, String needle) {
        return haystack != null && haystack.toLowerCase(Locale.ROOT).contains(needle);
    }
}
