package com.northwind.eventing.common.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A rule that makes new events out of the events that pass: the value of a record on {@code
 * eventing.registry.aggregations}, keyed by {@link #id()}. Three kinds, each with its own members (a member another
 * kind uses is refused, so that a mistyped rule is not silently a different one):
 *
 * <ul>
 *   <li>{@code combine}: {@code inputs} (2 to {@value #MAX_INPUTS} distinct types, each with its key and optionally
 *       the fields kept), {@code window}, {@code ordered} (default false). When every input arrived for one key within
 *       the window (in the listed order, if ordered), one output event: {@code {"key": .., "events": {"<input type>":
 *       <its body or its kept fields>, ..}}}.
 *   <li>{@code absence}: {@code start}, {@code expected}, {@code deadline}. When the deadline passes after a starting
 *       event without the expected event for its key, one output event: {@code {"key": .., "deadline": "<ISO-8601>",
 *       "start": <the starting body or its kept fields>}}; an expected event in time cancels it.
 *   <li>{@code sla}: {@code eventType}, {@code window} (tumbling; hopping with {@code hop}), {@code tagPrefix}
 *       (optional: counts per tag starting with it, else one count per window), optionally {@code end} with the start's
 *       {@code key} (durations from each start to its end, a start waiting at most {@code timeout}), and {@code
 *       threshold}. One output event per window and tag: {@code {"windowStart", "windowEnd", "tag", "count",
 *       "durations"?: {"p50", "p95", "p99"} (milliseconds)}}, and a breach event when the threshold is crossed.
 * </ul>
 *
 * <p>Every kind names its {@code output} event type, which must differ from the types it reads.
 *
 * @param window an ISO-8601 duration ({@code PT1H}); combine and sla
 * @param deadline an ISO-8601 duration; absence
 * @param hop an ISO-8601 duration dividing the window; sla, null for tumbling windows
 * @param timeout how long an sla start waits for its end, an ISO-8601 duration; {@link #DEFAULT_TIMEOUT} when absent
 */
public record Aggregation(
        String id,
        String kind,
        String description,
        List<AggregationInput> inputs,
        String window,
        Boolean ordered,
        AggregationInput start,
        AggregationInput expected,
        String deadline,
        String eventType,
        String key,
        String tagPrefix,
        String hop,
        AggregationInput end,
        String timeout,
        SlaThreshold threshold,
        String output,
        Instant createdAt) {

    /** What an aggregation does with the events it reads. */
    public enum Kind {
        COMBINE,
        ABSENCE,
        SLA;

        /** The name in a rule's {@code kind} member. */
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");
    public static final int MAX_INPUTS = 10;
    public static final int MAX_DESCRIPTION = 1000;
    public static final Duration MIN_DURATION = Duration.ofSeconds(1);
    /** A window or deadline at most this long: state for an open key is kept that long. */
    public static final Duration MAX_DURATION = Duration.ofDays(90);

    public static final Duration MAX_SLA_WINDOW = Duration.ofDays(31);
    /** At most this many windows overlap at once with a hop, so one event updates at most this many counts. */
    public static final int MAX_HOPS_PER_WINDOW = 100;

    public static final Duration DEFAULT_TIMEOUT = Duration.ofDays(7);

    public Aggregation {
        inputs = Violations.copyOf(inputs);
        Violations v = new Violations();
        if (id == null || id.isEmpty()) {
            v.add("/id", "aggregation id is required");
        } else if (!ID.matcher(id).matches()) {
            v.add(
                    "/id",
                    "aggregation id '" + id
                            + "' must be lower-case letters, digits, '.', '_' and '-', starting with a letter or digit, at most 100 characters");
        }
        if (description != null && description.length() > MAX_DESCRIPTION) {
            v.add("/description", "description is at most " + MAX_DESCRIPTION + " characters");
        }
        v.check("/output", () -> EventTypeName.parse(output));
        Kind k = kindOf(kind);
        if (k == null) {
            v.add("/kind", "kind must be one of combine, absence, sla" + (kind == null ? "" : ", not '" + kind + "'"));
        } else {
            switch (k) {
                case COMBINE -> checkCombine(v, inputs, window);
                case ABSENCE -> checkAbsence(v, start, expected, deadline);
                case SLA -> checkSla(v, eventType, key, tagPrefix, window, hop, end, timeout);
            }
            refuseOthers(
                    v, k, inputs, window, ordered, start, expected, deadline, eventType, key, tagPrefix, hop, end,
                    timeout, threshold);
            if (output != null) {
                List<String> read = reads(k, inputs, start, expected, eventType, end);
                if (read.contains(output)) {
                    v.add("/output", "output '" + output + "' is one of the types the aggregation reads");
                }
                if (threshold != null && read.contains(threshold.output())) {
                    v.add(
                            "/threshold/output",
                            "output '" + threshold.output() + "' is one of the types the aggregation reads");
                }
            }
        }
        v.throwIfAny();
    }

    private static void checkCombine(Violations v, List<AggregationInput> inputs, String window) {
        if (inputs.size() < 2 || inputs.size() > MAX_INPUTS) {
            v.add("/inputs", "a combine aggregation needs 2 to " + MAX_INPUTS + " inputs");
        }
        Set<String> types = new HashSet<>();
        for (int i = 0; i < inputs.size(); i++) {
            AggregationInput in = inputs.get(i);
            if (in == null) {
                v.add("/inputs/" + i, "an input is required here");
            } else if (!types.add(in.eventType())) {
                v.add("/inputs/" + i + "/eventType", "event type '" + in.eventType() + "' is listed twice");
            }
        }
        required(v, "/window", "combine", window);
        if (window != null) {
            v.check("/window", () -> duration(window, MIN_DURATION, MAX_DURATION));
        }
    }

    private static void checkAbsence(Violations v, AggregationInput start, AggregationInput expected, String deadline) {
        required(v, "/start", "absence", start);
        required(v, "/expected", "absence", expected);
        if (start != null && expected != null && start.eventType().equals(expected.eventType())) {
            v.add("/expected/eventType", "the expected type must differ from the starting type");
        }
        if (expected != null && !expected.fields().isEmpty()) {
            v.add("/expected/fields", "the output holds the starting event's fields only; choose them under /start");
        }
        required(v, "/deadline", "absence", deadline);
        if (deadline != null) {
            v.check("/deadline", () -> duration(deadline, MIN_DURATION, MAX_DURATION));
        }
    }

    private static void checkSla(
            Violations v,
            String eventType,
            String key,
            String tagPrefix,
            String window,
            String hop,
            AggregationInput end,
            String timeout) {
        required(v, "/eventType", "sla", eventType);
        if (eventType != null) {
            v.check("/eventType", () -> EventTypeName.parse(eventType));
        }
        if (tagPrefix != null && (tagPrefix.isEmpty() || tagPrefix.length() > TagFilter.MAX_TAG_LENGTH)) {
            v.add("/tagPrefix", "tagPrefix must be 1 to " + TagFilter.MAX_TAG_LENGTH + " characters");
        }
        required(v, "/window", "sla", window);
        Duration w = null;
        if (window != null) {
            try {
                w = duration(window, MIN_DURATION, MAX_SLA_WINDOW);
            } catch (ValidationException e) {
                v.addAll("/window", e.violations());
            }
        }
        if (hop != null) {
            try {
                Duration h = duration(hop, MIN_DURATION, MAX_SLA_WINDOW);
                if (w != null && (h.compareTo(w) > 0 || w.toMillis() % h.toMillis() != 0)) {
                    v.add("/hop", "hop must divide the window");
                } else if (w != null && w.toMillis() / h.toMillis() > MAX_HOPS_PER_WINDOW) {
                    v.add("/hop", "a window holds at most " + MAX_HOPS_PER_WINDOW + " hops");
                }
            } catch (ValidationException e) {
                v.addAll("/hop", e.violations());
            }
        }
        if (end == null) {
            if (key != null) {
                v.add("/key", "key is the starting event's correlation key, used only with end");
            }
            if (timeout != null) {
                v.add("/timeout", "timeout is how long a start waits for its end, used only with end");
            }
        } else {
            if (key == null || key.isEmpty()) {
                v.add("/key", "with end, key is required: where the starting event holds the correlation key");
            } else {
                AggregationInput.checkKey(v, "/key", key);
            }
            if (eventType != null && eventType.equals(end.eventType())) {
                v.add("/end/eventType", "the end type must differ from the starting type");
            }
            if (!end.fields().isEmpty()) {
                v.add("/end/fields", "an sla output holds counts and durations, no fields");
            }
            if (timeout != null) {
                v.check("/timeout", () -> duration(timeout, MIN_DURATION, MAX_DURATION));
            }
        }
    }

    private static void refuseOthers(
            Violations v,
            Kind k,
            List<AggregationInput> inputs,
            String window,
            Boolean ordered,
            AggregationInput start,
            AggregationInput expected,
            String deadline,
            String eventType,
            String key,
            String tagPrefix,
            String hop,
            AggregationInput end,
            String timeout,
            SlaThreshold threshold) {
        String kind = k.wireName();
        if (k != Kind.COMBINE) {
            unused(v, "/inputs", kind, inputs.isEmpty() ? null : inputs);
            unused(v, "/ordered", kind, ordered);
        }
        if (k == Kind.ABSENCE) {
            unused(v, "/window", kind, window);
        }
        if (k != Kind.ABSENCE) {
            unused(v, "/start", kind, start);
            unused(v, "/expected", kind, expected);
            unused(v, "/deadline", kind, deadline);
        }
        if (k != Kind.SLA) {
            unused(v, "/eventType", kind, eventType);
            unused(v, "/key", kind, key);
            unused(v, "/tagPrefix", kind, tagPrefix);
            unused(v, "/hop", kind, hop);
            unused(v, "/end", kind, end);
            unused(v, "/timeout", kind, timeout);
            unused(v, "/threshold", kind, threshold);
        }
    }

    private static void required(Violations v, String pointer, String kind, Object value) {
        if (value == null) {
            v.add(pointer, pointer.substring(1) + " is required for a " + kind + " aggregation");
        }
    }

    private static void unused(Violations v, String pointer, String kind, Object value) {
        if (value != null) {
            v.add(pointer, pointer.substring(1) + " is not used by a " + kind + " aggregation");
        }
    }

    private static List<String> reads(
            Kind k,
            List<AggregationInput> inputs,
            AggregationInput start,
            AggregationInput expected,
            String eventType,
            AggregationInput end) {
        List<String> read = new ArrayList<>();
        switch (k) {
            case COMBINE -> inputs.stream().filter(i -> i != null).forEach(i -> read.add(i.eventType()));
            case ABSENCE -> {
                if (start != null) {
                    read.add(start.eventType());
                }
                if (expected != null) {
                    read.add(expected.eventType());
                }
            }
            case SLA -> {
                if (eventType != null) {
                    read.add(eventType);
                }
                if (end != null) {
                    read.add(end.eventType());
                }
            }
        }
        return read;
    }

    /** The kind a {@code kind} member names, or null when it names none. */
    static Kind kindOf(String kind) {
        if (kind == null) {
            return null;
        }
        for (Kind k : Kind.values()) {
            if (k.wireName().equals(kind)) {
                return k;
            }
        }
        return null;
    }

    /** Parses an ISO-8601 duration within bounds. */
    static Duration duration(String text, Duration min, Duration max) {
        Duration d;
        try {
            d = Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new ValidationException("", "'" + text + "' is not an ISO-8601 duration such as PT1H or P2D");
        }
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new ValidationException("", "'" + text + "' must be between " + min + " and " + max);
        }
        return d;
    }

    @JsonIgnore
    public Kind type() {
        return kindOf(kind);
    }

    /** The combine or sla window. */
    @JsonIgnore
    public Duration windowLength() {
        return Duration.parse(window);
    }

    /** The sla windows' advance: the hop, or the window itself for tumbling windows. */
    @JsonIgnore
    public Duration hopLength() {
        return hop == null ? windowLength() : Duration.parse(hop);
    }

    @JsonIgnore
    public Duration deadlineLength() {
        return Duration.parse(deadline);
    }

    @JsonIgnore
    public Duration timeoutLength() {
        return timeout == null ? DEFAULT_TIMEOUT : Duration.parse(timeout);
    }

    /** Whether a combine's inputs must arrive in the listed order. */
    @JsonIgnore
    public boolean inOrder() {
        return Boolean.TRUE.equals(ordered);
    }

    /** Every event type the aggregation reads, in the order the rule names them. */
    @JsonIgnore
    public List<String> inputTypes() {
        return reads(type(), inputs, start, expected, eventType, end);
    }

    /** Every event type the aggregation writes: the output, and the breach output when there is a threshold. */
    @JsonIgnore
    public List<String> outputTypes() {
        return threshold == null ? List.of(output) : List.of(output, threshold.output());
    }
}
