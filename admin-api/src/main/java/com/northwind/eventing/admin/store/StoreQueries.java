package com.northwind.eventing.admin.store;

import com.mongodb.client.MongoCollection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.bson.BsonValue;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;
import org.springframework.util.MultiValueMap;

/**
 * What other features of admin-api reuse of the event store: the search's filter, checked exactly as {@code GET
 * /v1/events} checks its parameters, and the collection of stored events. The store's own classes stay package-private.
 */
@Component
public class StoreQueries {
    /** The search parameters a filter takes ({@code from} and {@code to} among them). */
    public static final Set<String> FILTER_PARAMETERS = EventFilter.PARAMETERS;
    /** Where a stored document keeps its {@code receivedAt}. */
    public static final String RECEIVED_AT = Store.RECEIVED_AT;

    private final Store store;

    StoreQueries(Store eventStore) {
        this.store = eventStore;
    }

    /** The stored events, for queries of the caller's own; each bounded by {@link #queryTimeoutMillis}. */
    public MongoCollection<Document> events() {
        return store.events();
    }

    public long queryTimeoutMillis() {
        return store.queryTimeout(TimeUnit.MILLISECONDS);
    }

    /** A checked search filter: its MongoDB query and its time range. */
    public record Filter(Bson bson, Instant from, Instant to) {}

    /**
     * The filter of search parameters, as the search reads them; {@code to} defaults to now and the range may be at
     * most {@code maxRange}.
     *
     * @throws Refused naming the parameter that is wrong
     */
    public static Filter filter(MultiValueMap<String, String> parameters, Clock clock, Duration maxRange) {
        try {
            EventFilter f = EventFilter.of(new Params(parameters, EventFilter.PARAMETERS), clock, maxRange, maxRange);
            return new Filter(f.bson(), f.from(), f.to());
        } catch (StoreParameterException e) {
            throw new Refused(e.status(), e.parameter(), e.getMessage());
        }
    }

    /** The values a {@code where} value stands for, as the search compares them. */
    public static List<BsonValue> whereValues(String value) {
        return EventFilter.candidates(value);
    }

    /** MongoDB's dotted path ({@code body.a.b}) of a {@code where} pointer into the body, as the search reads it. */
    public static String bodyPath(String pointer) {
        try {
            return BodyPointer.path("where", pointer);
        } catch (StoreParameterException e) {
            throw new Refused(e.status(), e.parameter(), e.getMessage());
        }
    }

    /** A search parameter that is wrong: 400 when it cannot be read, 422 when it breaks a rule. */
    public static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final int status;
        private final String parameter;

        Refused(int status, String parameter, String detail) {
            super(detail, null, false, false);
            this.status = status;
            this.parameter = parameter;
        }

        public int status() {
            return status;
        }

        public String parameter() {
            return parameter;
        }
    }
}
