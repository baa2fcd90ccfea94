package com.northwind.eventing.admin.replay;

import com.northwind.eventing.admin.store.StoreQueries;
import com.northwind.eventing.common.model.TypePattern;
import com.northwind.eventing.common.store.SearchTerms;
import com.northwind.eventing.schema.Envelope;
import com.northwind.eventing.schema.Metadata;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.bson.BsonBoolean;
import org.bson.BsonNumber;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.Document;
import org.bson.types.Decimal128;

/**
 * A replay's selection evaluated in memory on a firehose event: its envelope for the type, tags, synthetic flag,
 * metadata and range, and its de-identified store document (what {@code StoreDocument} builds under its type's store
 * policy) for {@code q} and {@code where}; with the semantics of the MongoDB query the search runs, so that a replay
 * from the firehose selects what a search of the store would find.
 */
final class EventMatcher {
    private final Instant from;
    private final Instant to;
    private final TypePattern type;
    private final List<String> tags;
    private final String synthetic;
    private final String producerApp;
    private final String transactionId;
    private final String userId;
    private final List<String> terms;
    private final List<Where> wheres;

    /** One {@code where}: the body path's segments and the values it stands for. */
    private record Where(String[] path, List<BsonValue> values) {}

    EventMatcher(ReplaySelection selection) {
        this.from = selection.from();
        this.to = selection.to();
        String t = selection.single("type");
        this.type = t == null ? null : TypePattern.parse(t);
        this.tags = selection.all("tag");
        this.synthetic = selection.single("synthetic");
        this.producerApp = selection.single("producerApp");
        this.transactionId = selection.single("transactionId");
        this.userId = selection.single("userId");
        String q = selection.single("q");
        this.terms = q == null ? null : SearchTerms.of(q);
        List<Where> w = new ArrayList<>();
        for (String where : selection.all("where")) {
            int colon = where.indexOf(':');
            // "body.a.b": the search refuses segments holding a dot, so the split is exact.
            String[] path = StoreQueries.bodyPath(where.substring(0, colon)).split("\\.");
            w.add(new Where(
                    java.util.Arrays.copyOfRange(path, 1, path.length),
                    StoreQueries.whereValues(where.substring(colon + 1))));
        }
        this.wheres = List.copyOf(w);
    }

    /** Whether the selection needs the store document ({@code q} or {@code where}). */
    boolean readsDocument() {
        return terms != null || !wheres.isEmpty();
    }

    /**
     * Whether the event is selected.
     *
     * @param document its store document, asked for only when the envelope matches and {@link #readsDocument}; empty
     *     when the store would hold none (type unknown, policy {@code NONE}), which then matches nothing, as the search
     *     finds nothing
     */
    boolean matches(Envelope e, Supplier<Optional<Document>> document) {
        Metadata m = e.getMetadata();
        Instant receivedAt = m.getReceivedAt();
        if (receivedAt.isBefore(from) || !receivedAt.isBefore(to)) {
            return false;
        }
        if (type != null && !typeMatches(e)) {
            return false;
        }
        if (!e.getTags().containsAll(tags)) {
            return false;
        }
        if (!syntheticMatches(e.getSynthetic())) {
            return false;
        }
        if (!equal(producerApp, m.getProducerApp())
                || !equal(transactionId, m.getTransactionId())
                || !equal(userId, m.getUserId())) {
            return false;
        }
        if (!readsDocument()) {
            return true;
        }
        Optional<Document> doc = document.get();
        if (doc.isEmpty()) {
            return false;
        }
        if (terms != null && !(doc.get().get("searchTerms") instanceof List<?> stored && stored.containsAll(terms))) {
            return false;
        }
        Object body = doc.get().get("body");
        for (Where w : wheres) {
            if (!(body instanceof Document) || !walk(body, w.path(), 0, w.values())) {
                return false;
            }
        }
        return true;
    }

    private boolean typeMatches(Envelope e) {
        if (!TypePattern.ANY.equals(type.noun())
                && !TypePattern.ANY.equals(type.verb())
                && !TypePattern.ANY.equals(type.object())) {
            return type.toString().equals(e.getEventType());
        }
        return part(type.noun(), e.getNoun()) && part(type.verb(), e.getVerb()) && part(type.object(), e.getObject());
    }

    private static boolean part(String pattern, String value) {
        return TypePattern.ANY.equals(pattern) || pattern.equals(value);
    }

    private boolean syntheticMatches(boolean isSynthetic) {
        if (synthetic == null || synthetic.equals("false")) {
            return !isSynthetic;
        }
        return synthetic.equals("any") || isSynthetic;
    }

    /** Absent in the filter matches anything; present, only an equal value (a missing one never). */
    private static boolean equal(String wanted, String actual) {
        return wanted == null || wanted.equals(actual);
    }

    /**
     * MongoDB's reading of a dotted path: an array on the way is searched element by element (documents only), a
     * numeric segment also names an array element, and at the end an array matches when it or one of its elements is
     * equal to a value.
     */
    private static boolean walk(Object value, String[] path, int i, List<BsonValue> values) {
        if (i == path.length) {
            if (equalsAny(value, values)) {
                return true;
            }
            return value instanceof List<?> list && list.stream().anyMatch(x -> equalsAny(x, values));
        }
        if (value instanceof Document d) {
            return d.containsKey(path[i]) && walk(d.get(path[i]), path, i + 1, values);
        }
        if (value instanceof List<?> list) {
            if (path[i].matches("[0-9]{1,9}")) {
                int index = Integer.parseInt(path[i]);
                if (index < list.size() && walk(list.get(index), path, i + 1, values)) {
                    return true;
                }
            }
            for (Object element : list) {
                if (element instanceof Document && walk(element, path, i, values)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean equalsAny(Object stored, List<BsonValue> values) {
        for (BsonValue v : values) {
            if (v instanceof BsonString s && s.getValue().equals(stored)) {
                return true;
            }
            if (v instanceof BsonBoolean b && Objects.equals(b.getValue(), stored)) {
                return true;
            }
            if (v instanceof BsonNumber n && numberEquals(stored, n)) {
                return true;
            }
        }
        return false;
    }

    /** MongoDB compares numbers by value across int, long, double and decimal. */
    private static boolean numberEquals(Object stored, BsonNumber wanted) {
        BigDecimal want = wanted.isInt64() || wanted.isInt32()
                ? BigDecimal.valueOf(wanted.longValue())
                : new BigDecimal(wanted.doubleValue());
        BigDecimal have;
        if (stored instanceof Integer || stored instanceof Long) {
            have = BigDecimal.valueOf(((Number) stored).longValue());
        } else if (stored instanceof Double d && Double.isFinite(d)) {
            have = new BigDecimal(d);
        } else if (stored instanceof Decimal128 d && !d.isNaN() && !d.isInfinite()) {
            try {
                have = d.bigDecimalValue();
            } catch (ArithmeticException e) {
                have = BigDecimal.ZERO; // -0, which a BigDecimal cannot hold
            }
        } else {
            return false;
        }
        return have.compareTo(want) == 0;
    }
}
