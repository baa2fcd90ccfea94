package com.northwind.eventing.router.topology;

import com.northwind.eventing.common.model.EventTypeName;
import com.northwind.eventing.common.model.TypePattern;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The subscriptions by the event types they want, so that routing an event costs what the subscriptions that can
 * match it cost, not what all of them do: those naming the event's type exactly are found by its name, and only those
 * with a wildcard ({@code Claim.*.*}) are tried against it. Immutable.
 */
final class SubscriptionIndex {
    static final SubscriptionIndex EMPTY = new SubscriptionIndex(List.of());

    private static final Comparator<RegistryView.CompiledSubscription> BY_ID =
            Comparator.comparing(s -> s.subscription().id());

    /** Per exact type name, the subscriptions naming it, by id. */
    private final Map<String, List<RegistryView.CompiledSubscription>> exact;
    /** The subscriptions with at least one wildcard pattern, by id. */
    private final List<RegistryView.CompiledSubscription> patterns;

    /** Every subscription by its id, for a replayed event, which names the one it goes to. */
    private final Map<String, RegistryView.CompiledSubscription> byId;

    private final int size;

    SubscriptionIndex(Collection<RegistryView.CompiledSubscription> subscriptions) {
        Map<String, RegistryView.CompiledSubscription> ids = new HashMap<>(subscriptions.size() * 2);
        Map<String, List<RegistryView.CompiledSubscription>> byName = new HashMap<>();
        List<RegistryView.CompiledSubscription> wild = new ArrayList<>();
        for (RegistryView.CompiledSubscription s : subscriptions) {
            ids.put(s.subscription().id(), s);
            boolean anyWild = false;
            for (TypePattern p : s.types()) {
                if (isWild(p)) {
                    anyWild = true;
                } else {
                    List<RegistryView.CompiledSubscription> named =
                            byName.computeIfAbsent(p.toString(), k -> new ArrayList<>());
                    // A subscription that names a type twice gets one copy of its events.
                    if (named.isEmpty() || named.get(named.size() - 1) != s) {
                        named.add(s);
                    }
                }
            }
            if (anyWild) {
                wild.add(s);
            }
        }
        Map<String, List<RegistryView.CompiledSubscription>> sorted = new HashMap<>(byName.size() * 2);
        byName.forEach((name, list) -> {
            list.sort(BY_ID);
            sorted.put(name, List.copyOf(list));
        });
        wild.sort(BY_ID);
        this.exact = sorted;
        this.patterns = List.copyOf(wild);
        this.size = subscriptions.size();
        this.byId = ids;
    }

    /** The subscription with that id, or null when there is none (never registered, deleted, or unreadable). */
    RegistryView.CompiledSubscription byId(String id) {
        return byId.get(id);
    }

    private static boolean isWild(TypePattern p) {
        return TypePattern.ANY.equals(p.noun())
                || TypePattern.ANY.equals(p.verb())
                || TypePattern.ANY.equals(p.object());
    }

    /**
     * The subscriptions one of whose type patterns matches the name, each once, by id.
     *
     * @param name the event's type as its envelope names it, {@code Noun.Verb.Object}
     */
    List<RegistryView.CompiledSubscription> matching(String name, EventTypeName parsed) {
        List<RegistryView.CompiledSubscription> named = exact.getOrDefault(name, List.of());
        if (patterns.isEmpty()) {
            return named;
        }
        List<RegistryView.CompiledSubscription> matched = null;
        for (RegistryView.CompiledSubscription s : patterns) {
            if (s.matchesType(parsed)) {
                if (matched == null) {
                    matched = new ArrayList<>(named.size() + 4);
                }
                matched.add(s);
            }
        }
        if (matched == null) {
            return named;
        }
        for (RegistryView.CompiledSubscription s : named) {
            // One naming the type exactly and by a pattern too is already in.
            if (!matched.contains(s)) {
                matched.add(s);
            }
        }
        matched.sort(BY_ID);
        return matched;
    }

    /** How many subscriptions are indexed. */
    int size() {
        return size;
    }
}
