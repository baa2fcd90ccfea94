package com.northwind.eventing.common.model;

/**
 * When an {@code sla} aggregation's window breaches: its durations' {@code percentile} longer than {@code within}
 * (needs an {@code end}), fewer events than {@code minCount}, or more than {@code maxCount}. Each condition given is
 * checked; any one crossed emits one {@code output} event for the window and tag, besides the window's own.
 *
 * @param percentile 50 to 99.9, with {@code within}
 * @param within an ISO-8601 duration, with {@code percentile}
 * @param minCount breach below this many events in a window
 * @param maxCount breach above this many events in a window
 * @param output the event type of the breach event
 */
public record SlaThreshold(Double percentile, String within, Long minCount, Long maxCount, String output) {
    public SlaThreshold {
        Violations v = new Violations();
        if (percentile == null && within == null && minCount == null && maxCount == null) {
            v.add("", "a threshold needs percentile and within, minCount, or maxCount");
        }
        if ((percentile == null) != (within == null)) {
            v.add(percentile == null ? "/percentile" : "/within", "percentile and within go together");
        }
        if (percentile != null && (percentile.isNaN() || percentile < 50 || percentile > 99.9)) {
            v.add("/percentile", "percentile must be between 50 and 99.9");
        }
        if (within != null) {
            v.check("/within", () -> Aggregation.duration(within, Aggregation.MIN_DURATION, Aggregation.MAX_DURATION));
        }
        if (minCount != null && minCount < 1) {
            v.add("/minCount", "minCount must be at least 1");
        }
        if (maxCount != null && maxCount < 0) {
            v.add("/maxCount", "maxCount must not be negative");
        }
        if (minCount != null && maxCount != null && minCount > maxCount) {
            v.add("/minCount", "minCount must not be greater than maxCount");
        }
        v.check("/output", () -> EventTypeName.parse(output));
        v.throwIfAny();
    }
}
