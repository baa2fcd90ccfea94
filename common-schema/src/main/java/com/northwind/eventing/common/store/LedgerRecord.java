package com.northwind.eventing.common.store;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * The delivery ledger's record value for one event: where routing sent it and why not elsewhere, one entry per
 * subscription whose type patterns match the event's type, in the order routing considered them. UTF-8 bytes of one
 * JSON object in MongoDB Extended JSON v2 (relaxed), the shape {@code docs/replay-and-ledger.md} gives; the record's
 * key is the event id. Built by the router on its hot path: entries are kept as they come and written once, by a
 * streaming generator, with no tree. A {@code detail} is a dead letter's reason, which never quotes a body.
 */
public final class LedgerRecord {
    /** The topic the router writes ledger records to, keyed by event id. */
    public static final String TOPIC = "eventing.ledger";

    /** How long an event whose type is not registered is kept in the ledger: the store cannot say, so a week. */
    public static final int UNKNOWN_TYPE_RETENTION_DAYS = 7;

    public static final String DELIVERED = "DELIVERED";
    public static final String FILTERED = "FILTERED";
    public static final String DEAD_LETTERED = "DEAD_LETTERED";

    public static final String REASON_SYNTHETIC = "synthetic";
    public static final String REASON_TAGS = "tags";
    public static final String REASON_CONTENT = "content";
    public static final String REASON_APP_NOT_REGISTERED = "app-not-registered";
    public static final String REASON_COPY_TOO_LARGE = "copy-too-large";
    public static final String REASON_COPY_REFUSED = "copy-refused";
    public static final String REASON_UNROUTABLE = "unroutable";

    private static final JsonFactory FACTORY = new JsonFactory();

    private final String eventId;
    private final String eventType;
    private final long receivedAt;
    private final boolean synthetic;
    private final List<Entry> entries = new ArrayList<>(4);

    /** @param receivedAt the event's {@code metadata.receivedAt}, in epoch milliseconds */
    public LedgerRecord(String eventId, String eventType, long receivedAt, boolean synthetic) {
        this.eventId = eventId;
        this.eventType = eventType;
        this.receivedAt = receivedAt;
        this.synthetic = synthetic;
    }

    private record Entry(
            String subscription,
            String app,
            String outcome,
            String reason,
            String detail,
            String topic,
            int partition,
            List<String> redactedPaths) {}

    public void delivered(String subscription, String app, String topic, int partition, List<String> redactedPaths) {
        entries.add(new Entry(subscription, app, DELIVERED, null, null, topic, partition, redactedPaths));
    }

    public void filtered(String subscription, String app, String reason) {
        entries.add(new Entry(subscription, app, FILTERED, reason, null, null, -1, null));
    }

    public void deadLettered(String subscription, String app, String reason, String detail) {
        entries.add(new Entry(subscription, app, DEAD_LETTERED, reason, detail, null, -1, null));
    }

    /** Drops every entry: what routing decided so far no longer holds (the whole event is dead-lettered). */
    public void clear() {
        entries.clear();
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public String eventId() {
        return eventId;
    }

    /** What a reader of the entries sees of one: no detail, which is for the ledger's readers only. */
    @FunctionalInterface
    public interface EntryVisitor {
        /**
         * @param reason null for {@link #DELIVERED}
         * @param redactedPaths how many paths the copy had redacted; 0 for the other outcomes
         */
        void entry(String subscription, String outcome, String reason, int redactedPaths);
    }

    /** Each entry, in the order routing considered the subscriptions. */
    public void forEachEntry(EntryVisitor visitor) {
        for (Entry e : entries) {
            visitor.entry(e.subscription, e.outcome, e.reason, e.redactedPaths == null ? 0 : e.redactedPaths.size());
        }
    }

    /**
     * The record's value.
     *
     * @param retentionDays the event type's {@code retentionDays}, as the store record's {@code expiresAt} is computed
     *     from it; null when the type is not registered
     */
    public byte[] toJson(Integer retentionDays) {
        long expiresAt =
                StoreDocument.expiry(receivedAt, retentionDays == null ? UNKNOWN_TYPE_RETENTION_DAYS : retentionDays);
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + 128 * entries.size());
        try (JsonGenerator g = FACTORY.createGenerator(ObjectWriteContext.empty(), out)) {
            g.writeStartObject();
            StoreDocument.string(g, "_id", eventId);
            StoreDocument.string(g, "eventId", eventId);
            StoreDocument.string(g, "eventType", eventType);
            StoreDocument.date(g, "receivedAt", receivedAt);
            StoreDocument.date(g, "expiresAt", expiresAt);
            g.writeName("synthetic");
            g.writeBoolean(synthetic);
            g.writeName("deliveries");
            g.writeStartArray();
            for (Entry e : entries) {
                g.writeStartObject();
                StoreDocument.string(g, "subscription", e.subscription);
                StoreDocument.string(g, "app", e.app);
                StoreDocument.string(g, "outcome", e.outcome);
                if (e.reason != null) {
                    StoreDocument.string(g, "reason", e.reason);
                }
                if (e.detail != null) {
                    StoreDocument.string(g, "detail", e.detail);
                }
                if (e.topic != null) {
                    StoreDocument.string(g, "topic", e.topic);
                    g.writeName("partition");
                    g.writeNumber(e.partition);
                    g.writeName("redactedPaths");
                    g.writeStartArray();
                    for (String path : e.redactedPaths) {
                        g.writeString(path);
                    }
                    g.writeEndArray();
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return out.toByteArray();
    }
}
