package com.northwind.eventing.admin.store;

import com.mongodb.client.model.Accumulators;
import com.mongodb.client.model.Aggregates;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Service;
import org.springframework.util.MultiValueMap;

/**
 * Counts of stored events per time bucket and group, computed by MongoDB in one aggregation ({@code $match},
 * {@code $group} on {@code $dateToString} of receivedAt; no {@code $dateTrunc}, which MongoDB before 5.0 and its
 * emulators lack). Takes the search's filter parameters, so a count is of what the same search finds.
 */
@Service
class StoreStats {
    /** A day of minutes: the default range, which starts mid-minute, touches 1,441 of them. */
    static final int MAX_BUCKETS = 24 * 60 + 1;
    /** The most (bucket, group) pairs one answer holds: grouping by a field with a value per event is refused. */
    static final int MAX_COUNTS = 20_000;
    /** The most groups one answer holds: more is no longer a chart, and a sign of a field with a value per event. */
    static final int MAX_GROUPS = 1000;
    /** The group of events that do not have the grouped field. */
    static final String NONE = "(none)";

    private static final Set<String> PARAMETERS =
            EventSearch.union(EventFilter.PARAMETERS, Set.of("interval", "groupBy"));

    private final Store store;
    private final StoreProperties properties;
    private final Clock clock;

    StoreStats(Store store, StoreProperties properties, Clock clock) {
        this.store = store;
        this.properties = properties;
        this.clock = clock;
    }

    enum Interval {
        MINUTE(ChronoUnit.MINUTES, "%Y-%m-%dT%H:%M", ":00Z"),
        HOUR(ChronoUnit.HOURS, "%Y-%m-%dT%H", ":00:00Z"),
        DAY(ChronoUnit.DAYS, "%Y-%m-%d", "T00:00:00Z");

        final ChronoUnit unit;
        final String format;
        final String suffix;

        Interval(ChronoUnit unit, String format, String suffix) {
            this.unit = unit;
            this.format = format;
            this.suffix = suffix;
        }
    }

    record Bucket(String start, Map<String, Long> counts) {}

    record Stats(List<Bucket> buckets) {}

    Stats stats(MultiValueMap<String, String> query) {
        Params params = new Params(query, PARAMETERS);
        EventFilter filter = EventFilter.of(params, clock, properties.defaultRange(), properties.maxRange());
        Interval interval = interval(params.single("interval"));
        Object group = group(params.single("groupBy"));
        Instant first = filter.from().truncatedTo(interval.unit);
        long buckets = interval.unit.between(first, filter.to().minusNanos(1)) + 1;
        if (buckets > MAX_BUCKETS) {
            throw StoreParameterException.invalid(
                    "interval",
                    "from " + filter.from() + " to " + filter.to() + " makes " + buckets + " buckets of a "
                            + interval.name().toLowerCase(java.util.Locale.ROOT) + "; at most " + MAX_BUCKETS
                            + " (a longer interval or a shorter range)");
        }
        List<Bson> pipeline = new ArrayList<>();
        pipeline.add(Aggregates.match(filter.bson()));
        if (group.equals("$tags")) {
            pipeline.add(Aggregates.unwind("$tags"));
        }
        Document key = new Document(
                        "start",
                        new Document(
                                "$dateToString",
                                new Document("format", interval.format).append("date", "$" + Store.RECEIVED_AT)))
                .append("group", group);
        pipeline.add(Aggregates.group(key, Accumulators.sum("n", 1)));
        pipeline.add(Aggregates.limit(MAX_COUNTS + 1));
        List<Document> rows = new ArrayList<>();
        store.events()
                .aggregate(pipeline)
                .maxTime(store.queryTimeout(TimeUnit.MILLISECONDS), TimeUnit.MILLISECONDS)
                .into(rows);
        if (rows.size() > MAX_COUNTS) {
            throw StoreParameterException.invalid(
                    "groupBy",
                    "makes more than " + MAX_COUNTS + " counts; at most " + MAX_COUNTS
                            + " (group by a field with fewer values)");
        }
        Map<String, Map<String, Long>> byStart = new LinkedHashMap<>();
        for (Instant at = first; at.isBefore(filter.to()); at = next(at, interval)) {
            byStart.put(at.toString(), new TreeMap<>());
        }
        for (Document row : rows) {
            Document id = row.get("_id", Document.class);
            String start = parseStart(id.getString("start"), interval);
            Map<String, Long> counts = byStart.get(start);
            if (counts != null) {
                counts.merge(label(id.get("group")), ((Number) row.get("n")).longValue(), Long::sum);
            }
        }
        long groups = byStart.values().stream()
                .flatMap(m -> m.keySet().stream())
                .distinct()
                .count();
        if (groups > MAX_GROUPS) {
            throw StoreParameterException.invalid(
                    "groupBy",
                    "makes " + groups + " groups; at most " + MAX_GROUPS + " (group by a field with fewer values)");
        }
        List<Bucket> out = new ArrayList<>(byStart.size());
        byStart.forEach((start, counts) -> out.add(new Bucket(start, counts)));
        return new Stats(out);
    }

    private static Instant next(Instant at, Interval interval) {
        return at.plus(1, interval.unit);
    }

    private static String parseStart(String formatted, Interval interval) {
        return LocalDateTime.parse(formatted + interval.suffix.replace("Z", ""))
                .toInstant(ZoneOffset.UTC)
                .toString();
    }

    private static Interval interval(String interval) {
        if (interval == null) {
            return Interval.HOUR;
        }
        return switch (interval) {
            case "minute" -> Interval.MINUTE;
            case "hour" -> Interval.HOUR;
            case "day" -> Interval.DAY;
            default -> throw StoreParameterException.malformed("interval", "must be minute, hour or day");
        };
    }

    private static Object group(String groupBy) {
        if (groupBy == null) {
            return "$eventType";
        }
        if (groupBy.startsWith("body:")) {
            return "$" + BodyPointer.path("groupBy", groupBy.substring("body:".length()));
        }
        return switch (groupBy) {
            case "eventType" -> "$eventType";
            case "tag" -> "$tags";
            case "producerApp" -> "$metadata.producerApp";
            case "synthetic" -> "$synthetic";
            default ->
                throw StoreParameterException.malformed(
                        "groupBy", "must be eventType, tag, producerApp, synthetic or body:/json/pointer");
        };
    }

    private static String label(Object value) {
        if (value == null) {
            return NONE;
        }
        Object v = Documents.value(value);
        return v instanceof String s ? s : String.valueOf(v);
    }
}
