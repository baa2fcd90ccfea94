package com.northwind.eventing.router.topology;

import com.northwind.eventing.common.filter.ContentFilter;
import com.northwind.eventing.common.model.App;
import com.northwind.eventing.common.model.EventType;
import com.northwind.eventing.common.model.EventTypeName;
import com.northwind.eventing.common.model.Subscription;
import com.northwind.eventing.common.model.TypePattern;
import com.northwind.eventing.common.redaction.RedactionPlan;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;

/**
 * The registry as the router sees it at one moment: every subscription, event type and app read from the registry
 * tables, parsed and compiled, with the subscriptions indexed by the event types they want. Compiled by
 * {@link RegistryViews} on the thread that reads the registry topics, and published whole: immutable, so stream
 * threads read it without locks, and an event is routed with one view from its first lookup to its last.
 */
final class RegistryView {
    static final RegistryView EMPTY = new RegistryView(SubscriptionIndex.EMPTY, Map.of(), Map.of());

    private final SubscriptionIndex subscriptions;
    private final Map<String, EventType> eventTypes;
    private final Map<String, App> apps;

    RegistryView(SubscriptionIndex subscriptions, Map<String, EventType> eventTypes, Map<String, App> apps) {
        this.subscriptions = subscriptions;
        this.eventTypes = Map.copyOf(eventTypes);
        this.apps = Map.copyOf(apps);
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

    /** The subscriptions whose type patterns match the event's type, by id; unreadable ones are not among them. */
    List<CompiledSubscription> subscriptions(String typeName, EventTypeName parsed) {
        return subscriptions.matching(typeName, parsed);
    }

    /** The subscription with that id, or null when the view holds none. */
    CompiledSubscription subscription(String id) {
        return subscriptions.byId(id);
    }

    /** How many subscriptions the view holds. */
    int subscriptionCount() {
        return subscriptions.size();
    }

    /** The event type, or null when it is not registered or its value cannot be read. */
    EventType eventType(String name) {
        return eventTypes.get(name);
    }

    /** The app, or null when it is not registered or its value cannot be read. */
    App app(String id) {
        return apps.get(id);
    }

    /**
     * Whether a content filter reads a value a plan redacts ({@link RedactionPlan#hiding}), so that it must be
     * evaluated on the redacted body; otherwise the body as it came gives the same verdict without a copy of it.
     * Remembered for the plan last asked about, as most of a subscription's events are of one type and app. Shared by
     * the stream threads with the view: the memo is one immutable pair behind a volatile field, so a thread sees
     * either the whole of another's answer or none of it.
     */
    static final class HiddenReads {
        private final List<String> fields;
        private volatile Memo memo;

        HiddenReads(List<String> fields) {
            this.fields = fields;
        }

        boolean by(RedactionPlan p) {
            Memo m = memo;
            if (m == null || m.plan != p) {
                boolean any = false;
                for (String field : fields) {
                    if (p.hiding(field) != null) {
                        any = true;
                        break;
                    }
                }
                m = new Memo(p, any);
                memo = m;
            }
            return m.hidden;
        }

        private record Memo(RedactionPlan plan, boolean hidden) {}
    }
}
