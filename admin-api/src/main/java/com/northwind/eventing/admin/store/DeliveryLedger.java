package com.northwind.eventing.admin.store;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.elemMatch;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gte;
import static com.mongodb.client.model.Filters.lt;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import com.northwind.eventing.admin.problem.NotFoundException;
import com.northwind.eventing.common.model.Subscription;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Service;
import org.springframework.util.MultiValueMap;

/**
 * The delivery ledger (docs/replay-and-ledger.md): where each event went, and why not elsewhere. By event, with the
 * offsets of its copies where they can still be found; by subscription, newest first, a page at a time.
 */
@Service
class DeliveryLedger {
    static final Set<String> OUTCOMES = Set.of("DELIVERED", "FILTERED", "DEAD_LETTERED");
    /** What an entry may say, in the order the answer gives it; anything else a document holds is not answered. */
    private static final List<String> ENTRY_MEMBERS =
            List.of("outcome", "reason", "detail", "topic", "partition", "redactedPaths");
    /**
     * How long before the event's receivedAt its copy's record timestamp may be when the ledger does not carry it:
     * the copy has the firehose record's timestamp, which the intake's producer takes when it sends, after it set
     * receivedAt; the margin covers clocks that step back. Only where the scan starts depends on it.
     */
    static final Duration TIMESTAMP_MARGIN = Duration.ofSeconds(5);

    private static final Set<String> PARAMETERS = Set.of("from", "to", "outcome", "limit", Cursor.PARAMETER);
    private static final Set<String> ALL_PARAMETERS =
            Set.of("from", "to", "outcome", "subscription", "limit", Cursor.PARAMETER);
    private static final Bson NEWEST_FIRST = Sorts.descending(Store.LEDGER_RECEIVED_AT, "_id");

    private final Store store;
    private final CopyOffsets offsets;
    private final StoreProperties properties;
    private final Clock clock;

    DeliveryLedger(Store store, CopyOffsets offsets, StoreProperties properties, Clock clock) {
        this.store = store;
        this.offsets = offsets;
        this.properties = properties;
        this.clock = clock;
    }

    /** What {@code GET /v1/events/{eventId}/deliveries} answers. */
    record EventDeliveries(String eventId, String eventType, String receivedAt, List<Map<String, Object>> deliveries) {}

    /** What {@code GET /v1/subscriptions/{id}/deliveries} answers: {@code nextCursor} is null after the last page. */
    record SubscriptionDeliveries(
            String subscription,
            List<Map<String, Object>> deliveries,
            @JsonInclude(JsonInclude.Include.ALWAYS) String nextCursor) {}

    EventDeliveries event(String eventId) {
        EventIds.check("eventId", eventId);
        long deadline = System.nanoTime() + store.queryTimeout(TimeUnit.NANOSECONDS);
        Document ledger = store.deliveries()
                .find(eq("_id", eventId))
                .maxTime(store.queryTimeout(TimeUnit.MILLISECONDS), TimeUnit.MILLISECONDS)
                .first();
        if (ledger == null) {
            Document stored = store.events()
                    .find(eq("_id", eventId))
                    .projection(Projections.include("eventType", Store.RECEIVED_AT))
                    .maxTime(store.queryTimeout(TimeUnit.MILLISECONDS), TimeUnit.MILLISECONDS)
                    .first();
            if (stored == null) {
                throw new NotFoundException("event " + eventId + " is neither in the store nor in the delivery ledger");
            }
            // Stored but no ledger document: no subscription's type patterns matched the event.
            Document metadata = stored.get("metadata", Document.class);
            return new EventDeliveries(
                    eventId,
                    stored.getString("eventType"),
                    iso(metadata == null ? null : metadata.get("receivedAt")),
                    List.of());
        }
        long notBefore = notBefore(ledger);
        List<Map<String, Object>> deliveries = new ArrayList<>();
        for (Document entry : entries(ledger)) {
            Map<String, Object> view = new LinkedHashMap<>();
            copy(entry, "subscription", view);
            copy(entry, "app", view);
            for (String member : ENTRY_MEMBERS) {
                copy(entry, member, view);
            }
            if ("DELIVERED".equals(entry.get("outcome"))
                    && entry.get("topic") instanceof String topic
                    && entry.get("partition") instanceof Number partition
                    && entry.get("subscription") instanceof String subscription) {
                OptionalLong offset = offsets.find(
                        new CopyOffsets.Copy(topic, partition.intValue(), eventId, subscription, notBefore), deadline);
                if (offset.isPresent()) {
                    view = withOffset(view, offset.getAsLong());
                }
            }
            deliveries.add(view);
        }
        return new EventDeliveries(
                eventId, ledger.getString("eventType"), iso(ledger.get(Store.LEDGER_RECEIVED_AT)), deliveries);
    }

    SubscriptionDeliveries subscription(String id, MultiValueMap<String, String> query) {
        checkSubscription("id", id);
        Deliveries page = page(new Params(query, PARAMETERS), id, false);
        return new SubscriptionDeliveries(id, page.deliveries(), page.nextCursor());
    }

    /**
     * What {@code GET /v1/deliveries} answers: the entries of every subscription, each naming its subscription and
     * app; a page holds {@code limit} events at most, and an event whose entries match for several subscriptions gives
     * one item each.
     */
    record Deliveries(
            List<Map<String, Object>> deliveries,
            @JsonInclude(JsonInclude.Include.ALWAYS) String nextCursor) {}

    Deliveries all(MultiValueMap<String, String> query) {
        Params params = new Params(query, ALL_PARAMETERS);
        String subscription = params.single("subscription");
        if (subscription != null) {
            checkSubscription("subscription", subscription);
        }
        return page(params, subscription, true);
    }

    private static void checkSubscription(String parameter, String id) {
        if (id == null || !Subscription.ID.matcher(id).matches()) {
            throw StoreParameterException.malformed(
                    parameter, "a subscription id is 1 to 100 of a-z 0-9 . _ -, starting with a letter or digit");
        }
    }

    /**
     * One page of ledger documents, newest first, with the entries of {@code subscription} (any when null) and the
     * asked outcome: the first such entry of each document, or every one when {@code everyEntry} (then each names its
     * subscription and app).
     */
    private Deliveries page(Params params, String subscription, boolean everyEntry) {
        Instant[] range = EventFilter.range(params, clock, properties.defaultRange(), properties.maxRange());
        int limit = params.integer("limit", EventSearch.DEFAULT_LIMIT, 1, EventSearch.MAX_LIMIT);
        String outcome = params.single("outcome");
        if (outcome != null && !OUTCOMES.contains(outcome)) {
            throw StoreParameterException.malformed("outcome", "must be DELIVERED, FILTERED or DEAD_LETTERED");
        }
        List<Bson> where = new ArrayList<>();
        if (subscription != null && outcome != null) {
            where.add(elemMatch("deliveries", and(eq("subscription", subscription), eq("outcome", outcome))));
        } else if (subscription != null) {
            where.add(eq(Store.LEDGER_SUBSCRIPTION, subscription));
        } else if (outcome != null) {
            where.add(eq(Store.LEDGER_OUTCOME, outcome));
        }
        where.add(gte(Store.LEDGER_RECEIVED_AT, Date.from(range[0])));
        where.add(lt(Store.LEDGER_RECEIVED_AT, Date.from(range[1])));
        String cursorText = params.single(Cursor.PARAMETER);
        if (cursorText != null) {
            where.add(Cursor.decode(cursorText).after(Store.LEDGER_RECEIVED_AT));
        }
        Cursor.Page page = Cursor.page(
                store.deliveries()
                        .find(and(where))
                        .sort(NEWEST_FIRST)
                        .maxTime(store.queryTimeout(TimeUnit.MILLISECONDS), TimeUnit.MILLISECONDS),
                limit,
                Store.LEDGER_RECEIVED_AT);
        List<Document> found = page.documents();
        List<Map<String, Object>> deliveries = new ArrayList<>(found.size());
        for (Document d : found) {
            List<Document> matching = entries(d).stream()
                    .filter(e -> subscription == null || subscription.equals(e.get("subscription")))
                    .filter(e -> outcome == null || outcome.equals(e.get("outcome")))
                    .toList();
            for (Document e : everyEntry ? matching : matching.stream().limit(1).toList()) {
                Map<String, Object> view = new LinkedHashMap<>();
                view.put("eventId", d.getString("_id"));
                view.put("eventType", d.getString("eventType"));
                view.put("receivedAt", iso(d.get(Store.LEDGER_RECEIVED_AT)));
                if (everyEntry) {
                    copy(e, "subscription", view);
                    copy(e, "app", view);
                }
                ENTRY_MEMBERS.forEach(m -> copy(e, m, view));
                deliveries.add(view);
            }
        }
        return new Deliveries(deliveries, page.next());
    }

    /**
     * Where the scan for a copy may start: the copy's record timestamp when the ledger carries it ({@code
     * recordTimestamp}, epoch millis), otherwise the event's receivedAt less a margin.
     */
    static long notBefore(Document ledger) {
        if (ledger.get("recordTimestamp") instanceof Number exact) {
            return exact.longValue();
        }
        if (ledger.get(Store.LEDGER_RECEIVED_AT) instanceof Date received) {
            return received.getTime() - TIMESTAMP_MARGIN.toMillis();
        }
        return 0L;
    }

    private static List<Document> entries(Document ledger) {
        List<Document> entries = new ArrayList<>();
        if (ledger.get("deliveries") instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Document d) {
                    entries.add(d);
                }
            }
        }
        return entries;
    }

    private static void copy(Document entry, String member, Map<String, Object> view) {
        Object v = entry.get(member);
        if (v != null) {
            view.put(member, Documents.value(v));
        }
    }

    /** The entry with {@code offset} right after {@code partition}, where the contract lists it. */
    private static Map<String, Object> withOffset(Map<String, Object> view, long offset) {
        Map<String, Object> out = new LinkedHashMap<>();
        view.forEach((k, v) -> {
            out.put(k, v);
            if (k.equals("partition")) {
                out.put("offset", offset);
            }
        });
        return out;
    }

    private static String iso(Object date) {
        return date instanceof Date d ? d.toInstant().toString() : null;
    }
}
