package com.northwind.eventing.admin.store;

import static com.mongodb.client.model.Filters.all;
import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gte;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.ne;

import com.northwind.eventing.common.model.TypePattern;
import com.northwind.eventing.common.model.ValidationException;
import com.northwind.eventing.common.store.SearchTerms;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.bson.BsonBoolean;
import org.bson.BsonDouble;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.conversions.Bson;

/**
 * Which stored events a search or a count is about, from the parameters both take. Every value reaches MongoDB as a
 * typed BSON value under a fixed field name: nothing a caller sends becomes an operator, a field path outside the
 * body, or a regular expression.
 */
record EventFilter(Bson bson, Instant from, Instant to) {
    static final Set<String> PARAMETERS =
            Set.of("type", "tag", "synthetic", "producerApp", "transactionId", "userId", "from", "to", "q", "where");
    static final int MAX_TAGS = 16;
    static final int MAX_WHERE = 8;
    static final int MAX_WORDS = 16;
    static final int MAX_WHERE_VALUE = 256;
    // 0000-01-01 .. 9999-12-31: what an ISO-8601 date with a four-digit year can say, and a BSON date can hold.
    private static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");
    private static final Pattern NUMBER =
            Pattern.compile("-?(0|[1-9][0-9]{0,17})(\\.[0-9]{1,17})?([eE][+-]?[0-9]{1,3})?");

    static EventFilter of(Params params, Clock clock, Duration defaultRange, Duration maxRange) {
        List<Bson> conditions = new ArrayList<>();
        Instant[] range = range(params, clock, defaultRange, maxRange);
        conditions.add(gte(Store.RECEIVED_AT, Date.from(range[0])));
        conditions.add(lt(Store.RECEIVED_AT, Date.from(range[1])));
        String type = params.single("type");
        if (type != null) {
            conditions.addAll(type(type));
        }
        List<String> tags = params.all("tag", MAX_TAGS);
        if (!tags.isEmpty()) {
            conditions.add(all("tags", tags));
        }
        synthetic(params.single("synthetic")).ifPresent(conditions::add);
        for (String member : List.of("producerApp", "transactionId", "userId")) {
            String v = params.single(member);
            if (v != null) {
                conditions.add(eq("metadata." + member, EventIds.check(member, v)));
            }
        }
        String q = params.single("q");
        if (q != null) {
            conditions.add(words(q));
        }
        for (String where : params.all("where", MAX_WHERE)) {
            conditions.add(where(where));
        }
        return new EventFilter(and(conditions), range[0], range[1]);
    }

    static Instant[] range(Params params, Clock clock, Duration defaultRange, Duration maxRange) {
        Instant from = params.instant("from");
        Instant to = params.instant("to");
        checkYears("from", from);
        checkYears("to", to);
        if (to == null) {
            to = clock.instant();
        }
        if (from == null) {
            from = max(to.minus(defaultRange), EARLIEST);
        }
        if (!from.isBefore(to)) {
            throw StoreParameterException.invalid("from", "must be before to (" + to + ")");
        }
        if (Duration.between(from, to).compareTo(maxRange) > 0) {
            throw StoreParameterException.invalid(
                    "from", "from " + from + " to " + to + " is longer than the longest range, " + maxRange);
        }
        return new Instant[] {from, to};
    }

    private static void checkYears(String name, Instant at) {
        if (at != null && (at.isBefore(EARLIEST) || at.isAfter(LATEST))) {
            throw StoreParameterException.invalid(name, "must be in the years 0000 to 9999");
        }
    }

    static List<Bson> type(String type) {
        TypePattern pattern;
        try {
            pattern = TypePattern.parse(type);
        } catch (ValidationException e) {
            throw StoreParameterException.invalid(
                    "type", "not an event type or a type pattern (Noun.Verb.Object, * for any part)");
        }
        List<Bson> parts = new ArrayList<>();
        if (!TypePattern.ANY.equals(pattern.noun())
                && !TypePattern.ANY.equals(pattern.verb())
                && !TypePattern.ANY.equals(pattern.object())) {
            // An exact name: the {eventType, receivedAt, _id} index serves it.
            parts.add(eq("eventType", pattern.toString()));
            return parts;
        }
        if (!TypePattern.ANY.equals(pattern.noun())) {
            parts.add(eq("noun", pattern.noun()));
        }
        if (!TypePattern.ANY.equals(pattern.verb())) {
            parts.add(eq("verb", pattern.verb()));
        }
        if (!TypePattern.ANY.equals(pattern.object())) {
            parts.add(eq("object", pattern.object()));
        }
        return parts;
    }

    private static java.util.Optional<Bson> synthetic(String synthetic) {
        if (synthetic == null || synthetic.equals("false")) {
            // Documents without the member are real events too.
            return java.util.Optional.of(ne("synthetic", true));
        }
        return switch (synthetic) {
            case "true" -> java.util.Optional.of(eq("synthetic", true));
            case "any" -> java.util.Optional.empty();
            default ->
                throw StoreParameterException.malformed(
                        "synthetic", "must be false (the default: real events only), true (synthetic only) or any");
        };
    }

    private static Bson words(String q) {
        // Cut exactly as the stored documents' searchTerms are, or a word would never match.
        List<String> terms = SearchTerms.of(q);
        if (terms.size() > MAX_WORDS) {
            throw StoreParameterException.invalid("q", "has more than " + MAX_WORDS + " distinct words");
        }
        if (terms.isEmpty()) {
            throw StoreParameterException.invalid("q", "has no words (letters or digits)");
        }
        return all("searchTerms", terms);
    }

    private static Bson where(String where) {
        int colon = where.indexOf(':');
        if (colon < 0) {
            throw StoreParameterException.malformed("where", "must be /json/pointer:value");
        }
        String path = BodyPointer.path("where", where.substring(0, colon));
        String value = where.substring(colon + 1);
        if (value.length() > MAX_WHERE_VALUE) {
            throw StoreParameterException.invalid(
                    "where", "the value is longer than " + MAX_WHERE_VALUE + " characters");
        }
        return in(path, candidates(value));
    }

    /**
     * The values a {@code where} value stands for: always the string itself; also the number when it reads as one
     * (so {@code /amount:100} finds 100 and 100.0), and the boolean for {@code true}/{@code false}. Each is a literal:
     * MongoDB compares by equality and never reads it as an operator.
     */
    static List<BsonValue> candidates(String value) {
        List<BsonValue> values = new ArrayList<>();
        values.add(new BsonString(value));
        if (NUMBER.matcher(value).matches()) {
            double d = Double.parseDouble(value);
            if (Double.isFinite(d)) {
                values.add(d == Math.rint(d) && Math.abs(d) < 0x1p53 ? new BsonInt64((long) d) : new BsonDouble(d));
            }
        } else if (value.equals("true") || value.equals("false")) {
            values.add(BsonBoolean.valueOf(Boolean.parseBoolean(value)));
        }
        return values;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
