package com.northwind.eventing.admin.store;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;

import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import com.northwind.eventing.admin.problem.NotFoundException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Service;
import org.springframework.util.MultiValueMap;

/** Finds stored events: by filter, newest first, a page at a time; by id; by transaction, oldest first. */
@Service
class EventSearch {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;
    /** The most events a transaction lookup answers; a transaction with more says it was cut. */
    static final int MAX_TRANSACTION_EVENTS = 1000;

    private static final Set<String> PARAMETERS = union(EventFilter.PARAMETERS, Set.of("limit", Cursor.PARAMETER));
    private static final Bson NEWEST_FIRST = Sorts.descending(Store.RECEIVED_AT, "_id");
    private static final Bson OLDEST_FIRST = Sorts.ascending(Store.RECEIVED_AT, "_id");
    private static final Bson ANSWERED = Projections.exclude("searchTerms");

    private final Store store;
    private final StoreProperties properties;
    private final Clock clock;

    EventSearch(Store store, StoreProperties properties, Clock clock) {
        this.store = store;
        this.properties = properties;
        this.clock = clock;
    }

    /** One page of a search and where the next one starts (null after the last). */
    record Page(List<Map<String, Object>> events, String nextCursor) {}

    Page search(MultiValueMap<String, String> query) {
        Params params = new Params(query, PARAMETERS);
        EventFilter filter = EventFilter.of(params, clock, properties.defaultRange(), properties.maxRange());
        int limit = params.integer("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        String cursorText = params.single(Cursor.PARAMETER);
        Bson where = filter.bson();
        if (cursorText != null) {
            where = and(where, Cursor.decode(cursorText).after(Store.RECEIVED_AT));
        }
        Cursor.Page page = Cursor.page(
                store.events()
                        .find(where)
                        .sort(NEWEST_FIRST)
                        .projection(ANSWERED)
                        .maxTime(store.queryTimeout(TimeUnit.MILLISECONDS), TimeUnit.MILLISECONDS),
                limit,
                Store.RECEIVED_AT);
        return new Page(page.documents().stream().map(Documents::view).toList(), page.next());
    }

    Map<String, Object> event(String eventId) {
        EventIds.check("eventId", eventId);
        Document found = store.events()
                .find(eq("_id", eventId))
                .projection(ANSWERED)
                .maxTime(store.queryTimeout(TimeUnit.MILLISECONDS), TimeUnit.MILLISECONDS)
                .first();
        if (found == null) {
            throw new NotFoundException("event " + eventId + " is not in the store");
        }
        return Documents.view(found);
    }

    /** What {@code GET /v1/transactions/{id}} answers. */
    record Transaction(String transactionId, List<Map<String, Object>> events, boolean truncated) {}

    Transaction transaction(String transactionId) {
        EventIds.check("transactionId", transactionId);
        List<Document> found = new ArrayList<>();
        store.events()
                .find(eq("metadata.transactionId", transactionId))
                .sort(OLDEST_FIRST)
                .projection(ANSWERED)
                .limit(MAX_TRANSACTION_EVENTS + 1)
                .maxTime(store.queryTimeout(TimeUnit.MILLISECONDS), TimeUnit.MILLISECONDS)
                .into(found);
        if (found.isEmpty()) {
            throw new NotFoundException("transaction " + transactionId + " has no event in the store");
        }
        boolean truncated = found.size() > MAX_TRANSACTION_EVENTS;
        List<Document> kept = truncated ? found.subList(0, MAX_TRANSACTION_EVENTS) : found;
        return new Transaction(transactionId, kept.stream().map(Documents::view).toList(), truncated);
    }

    static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
