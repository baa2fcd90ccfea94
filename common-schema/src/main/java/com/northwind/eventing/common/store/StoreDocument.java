package com.northwind.eventing.common.store;

import com.northwind.eventing.common.json.JsonText;
import com.northwind.eventing.common.model.EventType;
import com.northwind.eventing.common.model.JsonPointers;
import com.northwind.eventing.common.model.StorePolicy;
import com.northwind.eventing.common.redaction.RedactionPlan;
import com.northwind.eventing.schema.Envelope;
import com.northwind.eventing.schema.Metadata;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * The record value the event store keeps of one firehose event: UTF-8 bytes of one JSON object in MongoDB Extended
 * JSON v2 (relaxed), the shape {@code docs/event-store.md} gives, with the body de-identified by the type's
 * {@link StorePolicy}. The key of the record is the event id.
 *
 * <p>The body is read as tokens and written as it is read: no tree, and no mapper per call. Numbers that are not
 * integers, and integers past a long, are written as doubles (the firehose keeps the exact body). A body that is not
 * one JSON object (impossible on the firehose, whose intake validated it) is stored as {@code "body": null} with no
 * redacted paths and no terms from it; the rest of the document is written as for any event, and a warning naming the
 * event id and type (never the body) is logged. Building a document never throws for what the event holds.
 */
public final class StoreDocument {
    /** The topic the router writes store records to, keyed by event id. */
    public static final String TOPIC = "eventing.store";

    /** The {@code bodyOmitted} value of a document stored without its body because it would be too large. */
    public static final String BODY_OMITTED_TOO_LARGE = "too-large";

    private static final Logger log = LoggerFactory.getLogger(StoreDocument.class);
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final long MILLIS_PER_DAY = 86_400_000L;
    // The last instant Extended JSON's relaxed form writes as an ISO-8601 string; others are {"$numberLong": ..}.
    private static final long MAX_ISO_MILLIS =
            Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();

    private static final Pattern TRACEPARENT = Pattern.compile("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

    private StoreDocument() {}

    /**
     * What to store of the events of one type version, compiled once: the router keeps it with its other plans.
     *
     * @param policy the policy of the type's latest version
     * @param redaction the fields masked ({@code REDACT}) or dropped ({@code REMOVE}); empty for the other policies
     * @param retentionDays how long the store keeps the event, from its {@code receivedAt}
     */
    public record Plan(StorePolicy policy, RedactionPlan redaction, int retentionDays) {}

    /**
     * The plan for events of a type stamped with a version. The policy is the latest version's; the fields are those
     * the router redacts for an app cleared for nothing: the sensitive fields of the event's version and of every
     * later one. A version the type does not have (newer than the registry's view) gets every sensitive field of
     * every version, so an event is never stored with less redaction than any version asks for.
     */
    public static Plan plan(EventType type, int bodySchemaVersion) {
        StorePolicy policy = type.latest().storePolicy();
        RedactionPlan redaction = RedactionPlan.NONE;
        if (policy == StorePolicy.REDACT || policy == StorePolicy.REMOVE) {
            int from = type.version(bodySchemaVersion) == null ? 1 : bodySchemaVersion;
            redaction = RedactionPlan.compile(type, from, List.of());
        }
        return new Plan(policy, redaction, type.retentionDays());
    }

    /**
     * The store record's value for an event, or empty when its type's policy is {@code NONE}.
     *
     * @param event the event as decoded from the firehose
     * @param type its event type, with every version the registry knows
     * @param topic the firehose topic it was read from
     */
    public static Optional<byte[]> build(Envelope event, EventType type, String topic, int partition, long offset) {
        return build(event, plan(type, event.getBodySchemaVersion()), topic, partition, offset);
    }

    /** {@link #build(Envelope, EventType, String, int, long)} with a plan compiled before. */
    public static Optional<byte[]> build(Envelope event, Plan plan, String topic, int partition, long offset) {
        return build(event, plan, topic, partition, offset, null);
    }

    /**
     * {@link #build(Envelope, Plan, String, int, long)} with the firehose record's W3C {@code traceparent}, kept as
     * {@code "traceparent"} so that the event's trace can be found from the store; a value that is not a well-formed
     * version-00 traceparent (the intake passes a caller's header on as it came when tracing is off) is left out.
     */
    public static Optional<byte[]> build(
            Envelope event, Plan plan, String topic, int partition, long offset, String traceparent) {
        if (plan.policy() == StorePolicy.NONE) {
            return Optional.empty();
        }
        String trace = wellFormed(traceparent);
        try {
            return Optional.of(write(event, plan, topic, partition, offset, true, null, trace));
        } catch (JacksonException | IllegalArgumentException e) {
            // Only the body can fail: the first attempt may stop in the middle of it. The body is left out.
            log.warn(
                    "Event {} of type {} has a body that is not one JSON object; it is stored without its body ({})",
                    event.getEventId(),
                    event.getEventType(),
                    e.getClass().getSimpleName());
            return Optional.of(write(event, plan, topic, partition, offset, false, null, trace));
        }
    }

    /**
     * The store record's value for an event whose document with its body would be larger than the store topic takes:
     * {@code "body": null}, no redacted paths, no terms from the body, and {@code "bodyOmitted": "too-large"}, so that
     * a reader can tell it from an event that had no body. Empty when its type's policy is {@code NONE}.
     */
    public static Optional<byte[]> buildWithoutBody(
            Envelope event, Plan plan, String topic, int partition, long offset) {
        return buildWithoutBody(event, plan, topic, partition, offset, null);
    }

    /** {@link #buildWithoutBody(Envelope, Plan, String, int, long)} with the firehose record's traceparent. */
    public static Optional<byte[]> buildWithoutBody(
            Envelope event, Plan plan, String topic, int partition, long offset, String traceparent) {
        if (plan.policy() == StorePolicy.NONE) {
            return Optional.empty();
        }
        return Optional.of(
                write(event, plan, topic, partition, offset, false, BODY_OMITTED_TOO_LARGE, wellFormed(traceparent)));
    }

    /** The traceparent when it is a version-00 W3C one with a trace id and a span id that are not all zeros. */
    static String wellFormed(String traceparent) {
        if (traceparent == null || !TRACEPARENT.matcher(traceparent).matches()) {
            return null;
        }
        boolean zeroTrace = traceparent.substring(3, 35).chars().allMatch(c -> c == '0');
        boolean zeroSpan = traceparent.substring(36, 52).chars().allMatch(c -> c == '0');
        return zeroTrace || zeroSpan ? null : traceparent;
    }

    private static byte[] write(
            Envelope e,
            Plan plan,
            String topic,
            int partition,
            long offset,
            boolean withBody,
            String bodyOmitted,
            String traceparent) {
        ByteArrayOutputStream out =
                new ByteArrayOutputStream(256 + (withBody ? 2 * e.getBody().length() : 0));
        SearchTerms terms = new SearchTerms();
        Metadata m = e.getMetadata();
        terms.add(e.getNoun());
        terms.add(e.getVerb());
        terms.add(e.getObject());
        terms.add(m.getTransactionId());
        terms.add(m.getUserId());
        terms.add(m.getTransactionType());
        terms.add(m.getSourceSystem());
        terms.add(m.getProducerApp());
        for (String tag : e.getTags()) {
            terms.add(tag);
        }
        try (JsonGenerator g = FACTORY.createGenerator(ObjectWriteContext.empty(), out)) {
            g.writeStartObject();
            string(g, "_id", e.getEventId());
            string(g, "eventId", e.getEventId());
            string(g, "eventType", e.getEventType());
            string(g, "noun", e.getNoun());
            string(g, "verb", e.getVerb());
            string(g, "object", e.getObject());
            string(g, "subObject", e.getSubObject());
            g.writeName("metadata");
            g.writeStartObject();
            string(g, "transactionId", m.getTransactionId());
            string(g, "userId", m.getUserId());
            date(g, "occurredAt", m.getOccurredAt().toEpochMilli());
            date(g, "receivedAt", m.getReceivedAt().toEpochMilli());
            string(g, "transactionType", m.getTransactionType());
            string(g, "sourceSystem", m.getSourceSystem());
            string(g, "producerApp", m.getProducerApp());
            g.writeEndObject();
            g.writeName("tags");
            g.writeStartArray();
            for (String tag : e.getTags()) {
                g.writeString(tag);
            }
            g.writeEndArray();
            g.writeName("synthetic");
            g.writeBoolean(e.getSynthetic());
            g.writeName("body");
            List<String> redacted = withBody ? body(g, e.getBody(), plan, terms) : writeNull(g);
            if (bodyOmitted != null) {
                string(g, "bodyOmitted", bodyOmitted);
            }
            g.writeName("bodySchemaVersion");
            g.writeNumber(e.getBodySchemaVersion());
            string(g, "storePolicy", plan.policy().name());
            g.writeName("redactedPaths");
            g.writeStartArray();
            for (String path : redacted) {
                g.writeString(path);
            }
            g.writeEndArray();
            g.writeName("searchTerms");
            g.writeStartArray();
            for (int i = 0; i < terms.size(); i++) {
                g.writeString(terms.get(i));
            }
            g.writeEndArray();
            date(g, "expiresAt", expiry(m.getReceivedAt().toEpochMilli(), plan.retentionDays()));
            g.writeName("firehose");
            g.writeStartObject();
            string(g, "topic", topic);
            g.writeName("partition");
            g.writeNumber(partition);
            g.writeName("offset");
            g.writeNumber(offset);
            g.writeEndObject();
            if (traceparent != null) {
                string(g, "traceparent", traceparent);
            }
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static List<String> writeNull(JsonGenerator g) {
        g.writeNull();
        return List.of();
    }

    /**
     * Writes the stored body and adds its string values to the terms; answers the paths masked or dropped. A body that
     * is not an object is written as null; one that is not JSON throws (before or while it is written).
     */
    private static List<String> body(JsonGenerator g, String text, Plan plan, SearchTerms terms) {
        String stored = text;
        List<String> paths = List.of();
        Set<String> dropped = null;
        if (!plan.redaction().isEmpty()) {
            RedactionPlan.RedactedText r = plan.redaction().apply(text);
            paths = r.paths();
            if (plan.policy() == StorePolicy.REDACT) {
                stored = r.body();
            } else if (!paths.isEmpty()) {
                dropped = new HashSet<>(paths);
            }
        }
        try (JsonParser p = JsonText.parser(stored)) {
            JsonText.requireStart(p);
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("the body is not a JSON object");
            }
            copy(p, g, terms, dropped, dropped == null ? null : new StringBuilder());
            JsonText.requireEnd(p);
        }
        return paths;
    }

    /** Copies the value at the parser's token, leaving out the values at the {@code dropped} pointers. */
    private static void copy(JsonParser p, JsonGenerator g, SearchTerms terms, Set<String> dropped, StringBuilder at) {
        switch (p.currentToken()) {
            case START_OBJECT -> {
                g.writeStartObject();
                while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    int mark = at == null ? 0 : at.length();
                    if (at != null) {
                        at.append('/').append(JsonPointers.escape(name));
                        if (dropped.contains(at.toString())) {
                            p.skipChildren();
                            at.setLength(mark);
                            continue;
                        }
                    }
                    g.writeName(name);
                    copy(p, g, terms, dropped, at);
                    if (at != null) {
                        at.setLength(mark);
                    }
                }
                g.writeEndObject();
            }
            case START_ARRAY -> {
                g.writeStartArray();
                int index = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    int mark = at == null ? 0 : at.length();
                    if (at != null) {
                        at.append('/').append(index);
                    }
                    index++;
                    if (at != null && dropped.contains(at.toString())) {
                        p.skipChildren();
                    } else {
                        copy(p, g, terms, dropped, at);
                    }
                    if (at != null) {
                        at.setLength(mark);
                    }
                }
                g.writeEndArray();
            }
            case VALUE_STRING -> {
                String s = p.getString();
                g.writeString(s);
                terms.add(s);
            }
            case VALUE_NUMBER_INT -> {
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    number(g, p.getDoubleValue());
                } else {
                    g.writeNumber(p.getLongValue());
                }
            }
            case VALUE_NUMBER_FLOAT -> number(g, p.getDoubleValue());
            case VALUE_TRUE -> g.writeBoolean(true);
            case VALUE_FALSE -> g.writeBoolean(false);
            case VALUE_NULL -> g.writeNull();
            default -> throw new IllegalArgumentException("unexpected token " + p.currentToken());
        }
    }

    /** A double; one past a double's range as Extended JSON's infinity, which plain JSON cannot write. */
    private static void number(JsonGenerator g, double d) {
        if (Double.isInfinite(d)) {
            g.writeStartObject();
            string(g, "$numberDouble", d > 0 ? "Infinity" : "-Infinity");
            g.writeEndObject();
        } else {
            g.writeNumber(d);
        }
    }

    static void string(JsonGenerator g, String name, String value) {
        g.writeName(name);
        if (value == null) {
            g.writeNull();
        } else {
            g.writeString(value);
        }
    }

    /** An Extended JSON v2 relaxed date: ISO-8601 with milliseconds in 1970..9999, else its milliseconds. */
    static void date(JsonGenerator g, String name, long millis) {
        g.writeName(name);
        g.writeStartObject();
        g.writeName("$date");
        if (millis >= 0 && millis <= MAX_ISO_MILLIS) {
            g.writeString(isoMillis(millis));
        } else {
            g.writeStartObject();
            string(g, "$numberLong", Long.toString(millis));
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    /**
     * {@code millis} as {@code uuuu-MM-dd'T'HH:mm:ss.SSS'Z'} in UTC, for 0 to {@link #MAX_ISO_MILLIS}. Written out by
     * hand: the router writes two or three of these per event (store and ledger records), and a
     * {@code DateTimeFormatter} spent more time on them than the rest of the ledger record.
     */
    static String isoMillis(long millis) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(
                Math.floorDiv(millis, 1000L), (int) Math.floorMod(millis, 1000L) * 1_000_000, ZoneOffset.UTC);
        char[] c = new char[24];
        digits(c, 0, t.getYear(), 4);
        c[4] = '-';
        digits(c, 5, t.getMonthValue(), 2);
        c[7] = '-';
        digits(c, 8, t.getDayOfMonth(), 2);
        c[10] = 'T';
        digits(c, 11, t.getHour(), 2);
        c[13] = ':';
        digits(c, 14, t.getMinute(), 2);
        c[16] = ':';
        digits(c, 17, t.getSecond(), 2);
        c[19] = '.';
        digits(c, 20, t.getNano() / 1_000_000, 3);
        c[23] = 'Z';
        return new String(c);
    }

    private static void digits(char[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /** {@code receivedAt} plus the retention, held at the largest date a long of milliseconds can say. */
    static long expiry(long receivedAt, int retentionDays) {
        long add = retentionDays * MILLIS_PER_DAY;
        return receivedAt > Long.MAX_VALUE - add ? Long.MAX_VALUE : receivedAt + add;
    }
}
