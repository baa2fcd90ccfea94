package com.northwind.eventing.router.aggregation;

import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the aggregator keeps of an event: only what an output needs. The repartitioned inputs and the state stores hold
 * these as JSON, written and read by this class's mapper only.
 */
final class Kept {
    static final JsonMapper JSON = JsonMapper.builder().build();

    private Kept() {}

    /**
     * An event as one rule reads it, keyed by the rule and the event's correlation key on the repartition topic.
     *
     * @param rule the rule's id
     * @param fingerprint the rule's definition when the event was keyed: a changed rule does not take it
     * @param role the event's role in the rule ({@link Rule.Role#index()})
     * @param key the correlation key's value, null for an sla rule without an end
     * @param event what the output may need of the event
     */
    record Input(String rule, String fingerprint, int role, String key, Event event) {}

    /**
     * @param type the event type
     * @param body the body, or its kept fields, as JSON text; null where the rule keeps none of it
     */
    record Event(
            String eventId,
            String type,
            long receivedAt,
            List<String> tags,
            boolean synthetic,
            String transactionId,
            String traceparent,
            String body) {}

    /**
     * A combine rule's open key: the inputs so far, by role, each the latest of its type.
     *
     * @param first the earliest receivedAt among them: the window runs from it
     * @param seen the event ids taken so far, so that a duplicate changes nothing
     */
    record Combine(String fingerprint, long first, List<Event> events, List<String> seen) {}

    /**
     * An absence rule's open key: a start waiting for its expected event until {@code due}, or (no start) an expected
     * event that came first, remembered until {@code due} so that its late start is cancelled at once.
     */
    record Absence(String fingerprint, Event start, long due) {}

    /** An sla rule's start waiting for its end until {@code due}. */
    record Pending(String fingerprint, long startedAt, List<String> tags, boolean synthetic, long due) {}

    /**
     * One sla window's counts, per tag ("" for the one count of a rule without a tag prefix).
     *
     * @param due when the window closes: its end and the grace
     */
    record Window(String fingerprint, long start, long end, boolean synthetic, long due, List<Tally> tallies) {}

    /**
     * @param durations the durations in milliseconds, every one up to {@link Tallies#MAX_DURATIONS}, a uniform sample
     *     of them beyond
     * @param pairs how many durations the sample stands for
     */
    record Tally(String tag, long count, List<Long> durations, long pairs) {}

    static byte[] write(Object value) {
        return JSON.writeValueAsBytes(value);
    }

    static <T> T read(byte[] bytes, Class<T> type) {
        return JSON.readValue(bytes, type);
    }
}
