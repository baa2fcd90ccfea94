package com.northwind.eventing.admin.store;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.gte;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.or;

import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import com.northwind.eventing.common.model.TypePattern;
import com.northwind.eventing.common.model.ValidationException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

/**
 * The stored events of a time range whose type some patterns match, read for other features than the search API
 * (a backtest): newest first, a page at a time with the search's keyset position, each page bounded in MongoDB by
 * {@code eventing.store.query-timeout}.
 */
@Component
public class StoredEvents {
    static final int PAGE = 500;
    private static final Bson NEWEST_FIRST = Sorts.descending(Store.RECEIVED_AT, "_id");
    private static final Bson READ = Projections.exclude("searchTerms");
    private static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

    private final Store store;
    private final StoreProperties properties;
    private final Clock clock;

    StoredEvents(Store store, StoreProperties properties, Clock clock) {
        this.store = store;
        this.properties = properties;
        this.clock = clock;
    }

    /** The most events one backtest reads: {@code eventing.store.backtest.max-examined}. */
    public long maxExamined() {
        return properties.backtest().maxExamined();
    }

    /** A time range on {@code metadata.receivedAt}: from inclusive, to exclusive. */
    public record Range(Instant from, Instant to) {}

    /**
     * The range a request body names, checked as the search checks its {@code from} and {@code to}: {@code from}
     * required and before {@code to}, {@code to} now when absent, no longer than {@code eventing.store.max-range}.
     * A 422 at {@code pointerPrefix + "/from"} (or {@code /to}) otherwise.
     */
    public Range range(String pointerPrefix, Instant from, Instant to) {
        if (from == null) {
            throw new ValidationException(pointerPrefix + "/from", "from is required");
        }
        years(pointerPrefix + "/from", from);
        if (to != null) {
            years(pointerPrefix + "/to", to);
        }
        Instant end = to == null ? clock.instant() : to;
        if (!from.isBefore(end)) {
            throw new ValidationException(pointerPrefix + "/from", "from must be before to (" + end + ")");
        }
        Duration longest = properties.maxRange();
        if (Duration.between(from, end).compareTo(longest) > 0) {
            throw new ValidationException(
                    pointerPrefix + "/from",
                    "from " + from + " to " + end + " is longer than the longest range, " + longest);
        }
        return new Range(from, end);
    }

    private static void years(String pointer, Instant at) {
        if (at.isBefore(EARLIEST) || at.isAfter(LATEST)) {
            throw new ValidationException(pointer, "must be in the years 0000 to 9999");
        }
    }

    /**
     * Hands each stored event of the range whose type one of {@code patterns} matches to {@code visitor}, newest
     * first, as the API shows a stored document (dates as ISO-8601 strings; no {@code _id} or {@code searchTerms}),
     * {@code max} of them at most. Answers whether there were more than {@code max}.
     */
    public boolean forEach(List<TypePattern> patterns, Range range, long max, Consumer<Map<String, Object>> visitor) {
        List<Bson> base = new ArrayList<>();
        base.add(gte(Store.RECEIVED_AT, Date.from(range.from())));
        base.add(lt(Store.RECEIVED_AT, Date.from(range.to())));
        types(patterns).ifPresent(base::add);
        long read = 0;
        Document last = null;
        while (true) {
            List<Bson> where = new ArrayList<>(base);
            if (last != null) {
                where.add(new Cursor(
                                last.get("metadata", Document.class)
                                        .getDate("receivedAt")
                                        .getTime(),
                                last.getString("_id"))
                        .after(Store.RECEIVED_AT));
            }
            // One more than is left, to know whether the events go on past max.
            int ask = (int) Math.min(PAGE, max - read + 1);
            List<Document> page = new ArrayList<>(ask);
            store.events()
                    .find(and(where))
                    .sort(NEWEST_FIRST)
                    .projection(READ)
                    .limit(ask)
                    .maxTime(store.queryTimeout(TimeUnit.MILLISECONDS), TimeUnit.MILLISECONDS)
                    .into(page);
            for (Document d : page) {
                if (read == max) {
                    return true;
                }
                visitor.accept(Documents.view(d));
                read++;
                last = d;
            }
            if (page.size() < ask) {
                return false;
            }
        }
    }

    /** Any pattern's names, each as the search matches a type; none when a pattern matches every type. */
    private static java.util.Optional<Bson> types(List<TypePattern> patterns) {
        List<Bson> any = new ArrayList<>();
        for (TypePattern p : patterns) {
            List<Bson> parts = EventFilter.type(p.toString());
            if (parts.isEmpty()) {
                return java.util.Optional.empty();
            }
            any.add(parts.size() == 1 ? parts.get(0) : and(parts));
        }
        return java.util.Optional.of(any.size() == 1 ? any.get(0) : or(any));
    }
}
