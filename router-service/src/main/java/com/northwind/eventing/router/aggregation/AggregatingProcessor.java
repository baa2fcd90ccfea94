package com.northwind.eventing.router.aggregation;

import com.northwind.eventing.common.model.Aggregation;
import com.northwind.eventing.common.model.RegistryTopics;
import com.northwind.eventing.common.model.SlaThreshold;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Aggregates the repartitioned inputs: all events of one key of one rule (all of an sla rule's) come to one task,
 * whose state stores hold each open key's state and its timers. Timers fire on the wall clock (absence deadlines, sla
 * window closes, sla starts timing out) and on stream time (combine windows expiring), checked every second; a timer
 * whose state has moved on since it was set is stale and does nothing. Every state entry carries the fingerprint of
 * the rule it was made under: a changed rule's state is not taken up again, and a deleted rule's is dropped; the state
 * of both is swept once the rules change. Outputs are forwarded in the task's transaction, with the state changes that
 * made them.
 *
 * <p>State keys: {@code <rule>\nk\n<key>} for a key's state, {@code <rule>\nw\n<0|1 synthetic>\n<window start>} for an
 * sla window. Timer keys: one byte for the clock ({@link #WALL} or {@link #STREAM}), the due time as 8 bytes big
 * endian, then the state key, so that the due timers are one range.
 */
final class AggregatingProcessor implements Processor<String, byte[], byte[], Outgoing> {
    static final Duration TICK = Duration.ofSeconds(1);
    /**
     * How long after its end an sla window closes: events received before the end but still on their way through the
     * firehose and the repartition topic are counted. An event that comes later is not counted (metric {@code late}).
     */
    static final Duration SLA_GRACE = Duration.ofSeconds(10);
    /** How many event ids of one combine key are remembered to recognise a duplicate. */
    static final int MAX_SEEN = 100;
    /** Durations kept exactly per sla window and tag; beyond it, a uniform sample of this many. */
    static final int MAX_DURATIONS = 10_000;

    static final byte WALL = 'W';
    static final byte STREAM = 'S';

    private final RuleViews views;
    private final Outputs outputs;
    private final AggregatorMetrics metrics;
    private ProcessorContext<byte[], Outgoing> context;
    private KeyValueStore<String, byte[]> state;
    private KeyValueStore<Bytes, byte[]> timers;
    private long sweptVersion = -1;
    /** This task's open keys per rule, as last told to the metrics. */
    private final Map<String, Long> open = new HashMap<>();

    AggregatingProcessor(RuleViews views, Outputs outputs, AggregatorMetrics metrics) {
        this.views = views;
        this.outputs = outputs;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<byte[], Outgoing> context) {
        this.context = context;
        this.state = context.getStateStore(AggregatorTopology.STATE_STORE);
        this.timers = context.getStateStore(AggregatorTopology.TIMERS_STORE);
        try (KeyValueIterator<String, byte[]> it = state.all()) {
            while (it.hasNext()) {
                String key = it.next().key;
                if (isKeyState(key)) {
                    opened(ruleOf(key), 1);
                }
            }
        }
        context.schedule(TICK, PunctuationType.WALL_CLOCK_TIME, this::onWallClock);
        context.schedule(TICK, PunctuationType.STREAM_TIME, this::onStreamTime);
    }

    @Override
    public void close() {
        // The task moves elsewhere (or stops): its keys are counted there now.
        open.forEach((rule, n) -> metrics.openKeys(rule, -n));
        open.clear();
    }

    @Override
    public void process(Record<String, byte[]> record) {
        RuleView view = view();
        Kept.Input input = Kept.read(record.value(), Kept.Input.class);
        Rule rule = view.rule(input.rule());
        if (rule == null || !rule.fingerprint().equals(input.fingerprint())) {
            // Keyed under a rule since deleted or changed: the changed rule starts over from the next event.
            return;
        }
        long now = context.currentSystemTimeMs();
        switch (rule.kind()) {
            case COMBINE -> combine(rule, input, now);
            case ABSENCE -> absence(rule, input);
            case SLA -> sla(rule, input, now);
        }
    }

    private RuleView view() {
        RuleView view = views.current();
        if (view == null) {
            throw new IllegalStateException("the aggregations and event types tables are not open");
        }
        return view;
    }

    // ---- combine

    private void combine(Rule rule, Kept.Input input, long now) {
        String key = keyState(rule.id(), input.key());
        long window = rule.aggregation().windowLength().toMillis();
        Kept.Combine c = current(key, rule, Kept.Combine.class);
        Kept.Event e = input.event();
        if (c != null && c.seen().contains(e.eventId())) {
            return;
        }
        List<Kept.Event> events = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        if (c != null && e.receivedAt() <= c.first() + window) {
            for (Kept.Event kept : c.events()) {
                // The same type again replaces what was kept of it; one received longer than the window before the
                // new event can no longer complete with it.
                if (!kept.type().equals(e.type()) && kept.receivedAt() + window >= e.receivedAt()) {
                    events.add(kept);
                }
            }
            seen.addAll(c.seen());
        }
        events.add(e);
        events.sort(Comparator.comparingLong(Kept.Event::receivedAt));
        seen.add(e.eventId());
        if (seen.size() > MAX_SEEN) {
            seen = new ArrayList<>(seen.subList(seen.size() - MAX_SEEN, seen.size()));
        }
        long first = events.get(0).receivedAt();
        List<Rule.Role> roles = rule.roles();
        if (events.size() == roles.size() && (!rule.aggregation().inOrder() || inListedOrder(rule, events))) {
            emitCombine(rule, input.key(), events, now);
            delete(key);
            return;
        }
        put(key, new Kept.Combine(rule.fingerprint(), first, events, seen));
        if (c == null || c.first() != first) {
            timer(STREAM, first + window, key);
        }
    }

    /** Whether the events, in the order received, are of the rule's inputs in the order listed. */
    private static boolean inListedOrder(Rule rule, List<Kept.Event> events) {
        for (int i = 0; i < events.size(); i++) {
            if (!rule.roles().get(i).eventType().equals(events.get(i).type())) {
                return false;
            }
        }
        return true;
    }

    private void emitCombine(Rule rule, String key, List<Kept.Event> events, long now) {
        ObjectNode body = KeyingProcessor.BODIES.createObjectNode();
        body.put("key", key);
        ObjectNode byType = body.putObject("events");
        for (Rule.Role role : rule.roles()) {
            for (Kept.Event e : events) {
                if (e.type().equals(role.eventType())) {
                    byType.set(e.type(), KeyingProcessor.BODIES.readTree(e.body()));
                }
            }
        }
        boolean synthetic = events.stream().anyMatch(Kept.Event::synthetic);
        emit(rule, rule.aggregation().output(), key, body, events, null, synthetic, null, "combine", now);
    }

    // ---- absence

    private void absence(Rule rule, Kept.Input input) {
        String key = keyState(rule.id(), input.key());
        long deadline = rule.aggregation().deadlineLength().toMillis();
        Kept.Absence a = current(key, rule, Kept.Absence.class);
        Kept.Event e = input.event();
        if (input.role() == Rule.START) {
            if (a == null) {
                long due = e.receivedAt() + deadline;
                put(key, new Kept.Absence(rule.fingerprint(), e, due));
                timer(WALL, due, key);
            } else if (a.start() == null) {
                // Its expected event came first: the start is cancelled at once.
                delete(key);
            }
            // A second start while one waits: the first one's deadline stands.
            return;
        }
        if (a == null) {
            // Before its start (the two may come from different firehose partitions): remembered for a deadline's
            // length, so that the start, when it comes, is cancelled at once.
            long due = e.receivedAt() + deadline;
            put(key, new Kept.Absence(rule.fingerprint(), null, due));
            timer(WALL, due, key);
        } else if (a.start() != null) {
            if (e.receivedAt() <= a.due()) {
                delete(key);
            }
            // Received after the deadline: too late, the output goes at the next tick.
        } else if (e.receivedAt() + deadline > a.due()) {
            long due = e.receivedAt() + deadline;
            put(key, new Kept.Absence(rule.fingerprint(), null, due));
            timer(WALL, due, key);
        }
    }

    private void emitAbsence(Rule rule, String key, Kept.Absence a, long now) {
        ObjectNode body = KeyingProcessor.BODIES.createObjectNode();
        body.put("key", key);
        body.put("deadline", Instant.ofEpochMilli(a.due()).toString());
        body.set("start", KeyingProcessor.BODIES.readTree(a.start().body()));
        emit(
                rule,
                rule.aggregation().output(),
                key,
                body,
                List.of(a.start()),
                null,
                a.start().synthetic(),
                null,
                "absence",
                now);
    }

    // ---- sla

    private void sla(Rule rule, Kept.Input input, long now) {
        Aggregation a = rule.aggregation();
        Kept.Event e = input.event();
        if (a.end() == null) {
            List<String> tags = tags(a, e.tags());
            if (!tags.isEmpty()) {
                count(rule, e.receivedAt(), e.synthetic(), tags, null, now);
            }
            return;
        }
        String key = keyState(rule.id(), input.key());
        Kept.Pending p = current(key, rule, Kept.Pending.class);
        long timeout = a.timeoutLength().toMillis();
        if (input.role() == Rule.START) {
            if (p == null) {
                long due = e.receivedAt() + timeout;
                put(key, new Kept.Pending(rule.fingerprint(), e.receivedAt(), e.tags(), e.synthetic(), due));
                timer(WALL, due, key);
            }
            return;
        }
        if (p == null) {
            return;
        }
        delete(key);
        long duration = e.receivedAt() - p.startedAt();
        if (duration > timeout) {
            return;
        }
        List<String> both = new ArrayList<>(p.tags());
        both.addAll(e.tags());
        List<String> tags = tags(a, both);
        if (!tags.isEmpty()) {
            count(rule, e.receivedAt(), p.synthetic() || e.synthetic(), tags, Math.max(0, duration), now);
        }
    }

    /** The tags an event counts under, each once: those with the prefix, or the one count ("") without one. */
    private static List<String> tags(Aggregation a, List<String> tags) {
        if (a.tagPrefix() == null) {
            return List.of("");
        }
        TreeSet<String> out = new TreeSet<>();
        for (String t : tags) {
            if (t.startsWith(a.tagPrefix())) {
                out.add(t);
            }
        }
        return List.copyOf(out);
    }

    /** Counts an event (with its duration, for an end) in every window its time falls in. */
    private void count(Rule rule, long at, boolean synthetic, List<String> tags, Long duration, long now) {
        long window = rule.aggregation().windowLength().toMillis();
        long hop = rule.aggregation().hopLength().toMillis();
        for (long start = Math.floorDiv(at, hop) * hop; start > at - window; start -= hop) {
            long end = start + window;
            long due = end + SLA_GRACE.toMillis();
            if (due <= now) {
                // Its window closed and was emitted: counting it now would emit the window a second time.
                metrics.skipped(rule.id(), "late");
                continue;
            }
            String key = rule.id() + "\nw\n" + (synthetic ? '1' : '0') + '\n' + String.format("%013d", start);
            Kept.Window w = current(key, rule, Kept.Window.class);
            List<Kept.Tally> tallies = new ArrayList<>(w == null ? List.of() : w.tallies());
            for (String tag : tags) {
                int i = indexOf(tallies, tag);
                Kept.Tally t = i < 0 ? new Kept.Tally(tag, 0, List.of(), 0) : tallies.get(i);
                Kept.Tally counted = tally(t, duration);
                if (i < 0) {
                    tallies.add(counted);
                } else {
                    tallies.set(i, counted);
                }
            }
            put(key, new Kept.Window(rule.fingerprint(), start, end, synthetic, due, tallies));
            if (w == null) {
                timer(WALL, due, key);
            }
        }
    }

    private static int indexOf(List<Kept.Tally> tallies, String tag) {
        for (int i = 0; i < tallies.size(); i++) {
            if (tallies.get(i).tag().equals(tag)) {
                return i;
            }
        }
        return -1;
    }

    private static Kept.Tally tally(Kept.Tally t, Long duration) {
        if (duration == null) {
            return new Kept.Tally(t.tag(), t.count() + 1, t.durations(), t.pairs());
        }
        List<Long> durations = new ArrayList<>(t.durations());
        long pairs = t.pairs() + 1;
        if (durations.size() < MAX_DURATIONS) {
            durations.add(duration);
        } else {
            // Reservoir sampling: each of the pairs so far stays in the sample with the same chance.
            long j = ThreadLocalRandom.current().nextLong(pairs);
            if (j < MAX_DURATIONS) {
                durations.set((int) j, duration);
            }
        }
        return new Kept.Tally(t.tag(), t.count() + 1, durations, pairs);
    }

    private void emitWindow(Rule rule, Kept.Window w, long now) {
        Aggregation a = rule.aggregation();
        for (Kept.Tally t : w.tallies()) {
            ObjectNode body = KeyingProcessor.BODIES.createObjectNode();
            body.put("windowStart", Instant.ofEpochMilli(w.start()).toString());
            body.put("windowEnd", Instant.ofEpochMilli(w.end()).toString());
            String tag = t.tag().isEmpty() ? null : t.tag();
            if (tag == null) {
                body.putNull("tag");
            } else {
                body.put("tag", tag);
            }
            body.put("count", t.count());
            long[] sorted = null;
            if (a.end() != null) {
                sorted = t.durations().stream()
                        .mapToLong(Long::longValue)
                        .sorted()
                        .toArray();
                ObjectNode d = body.putObject("durations");
                d.put("p50", percentile(sorted, 50));
                d.put("p95", percentile(sorted, 95));
                d.put("p99", percentile(sorted, 99));
            }
            List<String> tags = tag == null ? List.of() : List.of(tag);
            String transactionId = rule.id() + "/" + Instant.ofEpochMilli(w.start());
            emit(rule, a.output(), rule.id(), body, List.of(), tags, w.synthetic(), transactionId, "sla", now);
            SlaThreshold threshold = a.threshold();
            if (threshold != null && breached(threshold, t.count(), sorted)) {
                ObjectNode breach = body.deepCopy();
                ObjectNode th = RegistryTopics.JSON.valueToTree(threshold);
                List<String> nulls = new ArrayList<>();
                th.properties().forEach(m -> {
                    if (m.getValue().isNull()) {
                        nulls.add(m.getKey());
                    }
                });
                th.remove(nulls);
                breach.set("threshold", th);
                emit(
                        rule,
                        threshold.output(),
                        rule.id(),
                        breach,
                        List.of(),
                        tags,
                        w.synthetic(),
                        transactionId,
                        "breach",
                        now);
            }
        }
    }

    private static boolean breached(SlaThreshold t, long count, long[] sorted) {
        if (t.minCount() != null && count < t.minCount()) {
            return true;
        }
        if (t.maxCount() != null && count > t.maxCount()) {
            return true;
        }
        return t.percentile() != null
                && sorted != null
                && sorted.length > 0
                && percentile(sorted, t.percentile())
                        > Duration.parse(t.within()).toMillis();
    }

    /** The nearest-rank percentile of sorted values; 0 for none. */
    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
    }

    // ---- outputs

    private void emit(
            Rule rule,
            String type,
            String key,
            JsonNode body,
            List<Kept.Event> inputs,
            List<String> tags,
            boolean synthetic,
            String transactionId,
            String kind,
            long now) {
        Outputs.Made made = outputs.make(
                rule, type, key, body, inputs, tags, synthetic, transactionId, view().eventType(type), now);
        context.forward(made.record());
        if (made.deadLettered()) {
            metrics.deadLettered(rule.id());
        } else {
            metrics.emitted(rule.id(), kind);
        }
    }

    // ---- timers

    private void onWallClock(long now) {
        RuleView view = views.current();
        if (view == null) {
            return;
        }
        if (view.version() != sweptVersion) {
            sweep(view);
            sweptVersion = view.version();
        }
        for (KeyValue<Bytes, byte[]> due : due(WALL, now)) {
            timers.delete(due.key);
            fire(view, due.key.get(), now);
        }
    }

    private void onStreamTime(long streamTime) {
        RuleView view = views.current();
        if (view == null) {
            return;
        }
        for (KeyValue<Bytes, byte[]> due : due(STREAM, streamTime)) {
            timers.delete(due.key);
            fire(view, due.key.get(), context.currentSystemTimeMs());
        }
    }

    /** The timers of a clock due at {@code time}, read before any is acted on, so that none is changed mid-walk. */
    private List<KeyValue<Bytes, byte[]>> due(byte clock, long time) {
        List<KeyValue<Bytes, byte[]>> due = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = timers.range(timerKey(clock, 0, ""), timerKey(clock, time + 1, ""))) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> next = it.next();
                if (ByteBuffer.wrap(next.key.get(), 1, 8).getLong() <= time) {
                    due.add(next);
                }
            }
        }
        return due;
    }

    private void fire(RuleView view, byte[] timerKey, long now) {
        long due = ByteBuffer.wrap(timerKey, 1, 8).getLong();
        String key = new String(timerKey, 9, timerKey.length - 9, StandardCharsets.UTF_8);
        byte[] bytes = state.get(key);
        if (bytes == null) {
            return;
        }
        Rule rule = view.rule(ruleOf(key));
        if (rule == null || !rule.fingerprint().equals(fingerprintOf(bytes))) {
            delete(key);
            return;
        }
        switch (rule.kind()) {
            case COMBINE -> {
                Kept.Combine c = Kept.read(bytes, Kept.Combine.class);
                if (c.first() + rule.aggregation().windowLength().toMillis() == due) {
                    // Expired incomplete: what was kept of it is dropped.
                    delete(key);
                }
            }
            case ABSENCE -> {
                Kept.Absence a = Kept.read(bytes, Kept.Absence.class);
                if (a.due() == due) {
                    delete(key);
                    if (a.start() != null) {
                        emitAbsence(rule, keyOf(key), a, now);
                    }
                }
            }
            case SLA -> {
                if (isKeyState(key)) {
                    Kept.Pending p = Kept.read(bytes, Kept.Pending.class);
                    if (p.due() == due) {
                        // The start waited its timeout for an end in vain.
                        delete(key);
                    }
                } else {
                    Kept.Window w = Kept.read(bytes, Kept.Window.class);
                    if (w.due() == due) {
                        delete(key);
                        emitWindow(rule, w, now);
                    }
                }
            }
        }
    }

    /** Drops the state of rules deleted or changed, and timers whose state is gone. */
    private void sweep(RuleView view) {
        List<String> gone = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = state.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> next = it.next();
                Rule rule = view.rule(ruleOf(next.key));
                if (rule == null || !rule.fingerprint().equals(fingerprintOf(next.value))) {
                    gone.add(next.key);
                }
            }
        }
        gone.forEach(this::delete);
        List<Bytes> stale = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = timers.all()) {
            while (it.hasNext()) {
                byte[] k = it.next().key.get();
                if (state.get(new String(k, 9, k.length - 9, StandardCharsets.UTF_8)) == null) {
                    stale.add(Bytes.wrap(k));
                }
            }
        }
        stale.forEach(timers::delete);
    }

    private void timer(byte clock, long due, String key) {
        timers.put(timerKey(clock, due, key), new byte[0]);
    }

    private static Bytes timerKey(byte clock, long due, String key) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(9 + k.length);
        b.put(clock).putLong(Math.max(0, due)).put(k);
        return Bytes.wrap(b.array());
    }

    // ---- state

    /** The key's state, or null when there is none or it was made under another version of the rule. */
    private <T> T current(String key, Rule rule, Class<T> type) {
        byte[] bytes = state.get(key);
        if (bytes == null) {
            return null;
        }
        if (!rule.fingerprint().equals(fingerprintOf(bytes))) {
            delete(key);
            return null;
        }
        return Kept.read(bytes, type);
    }

    private void put(String key, Object value) {
        byte[] old = state.get(key);
        state.put(key, Kept.write(value));
        if (old == null && isKeyState(key)) {
            opened(ruleOf(key), 1);
        }
    }

    private void delete(String key) {
        if (state.delete(key) != null && isKeyState(key)) {
            opened(ruleOf(key), -1);
        }
    }

    private void opened(String rule, long delta) {
        open.merge(rule, delta, Long::sum);
        metrics.openKeys(rule, delta);
    }

    private static String fingerprintOf(byte[] state) {
        JsonNode fp = Kept.JSON.readTree(state).get("fingerprint");
        return fp == null ? null : fp.stringValue();
    }

    static String keyState(String rule, String key) {
        return rule + "\nk\n" + key;
    }

    private static boolean isKeyState(String key) {
        int nl = key.indexOf('\n');
        return key.startsWith("k\n", nl + 1);
    }

    private static String ruleOf(String key) {
        return key.substring(0, key.indexOf('\n'));
    }

    private static String keyOf(String stateKey) {
        return stateKey.substring(stateKey.indexOf('\n') + 3);
    }
}
