package com.northwind.eventing.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * What the latency mode measured: per event its acknowledgement by the intake and its arrival at the subscription's
 * consumer, and two latencies per arrival, from the intake's receipt ({@code metadata.receivedAt}) and from the time
 * the event was due to be sent. The second counts the wait of an event the load tool sent late (coordinated
 * omission), which the first cannot see. Latencies are kept in microseconds, three significant digits.
 */
final class LatencyResults {
    /** The target: 99 in 100 events reach the consumer within this long of the intake's receipt. */
    static final Duration TARGET_P99 = Duration.ofMillis(50);

    private static final long HIGHEST_MICROS = Duration.ofHours(1).toNanos() / 1000;

    private final int events;
    private final BitSet acknowledged;
    private final BitSet received;
    private final Histogram fromReceipt = new Histogram(HIGHEST_MICROS, 3);
    private final Histogram fromIntended = new Histogram(HIGHEST_MICROS, 3);
    private long duplicates;
    private long unknown;

    LatencyResults(int events) {
        this.events = events;
        this.acknowledged = new BitSet(events);
        this.received = new BitSet(events);
    }

    /** The intake answered 202 for event {@code seq}. */
    synchronized void acknowledged(int seq) {
        acknowledged.set(seq);
    }

    /**
     * Event {@code seq} reached the consumer {@code fromReceiptNanos} after the intake received it and
     * {@code fromIntendedNanos} after it was due to be sent; a second copy of it counts as a duplicate and not again.
     */
    synchronized void received(int seq, long fromReceiptNanos, long fromIntendedNanos) {
        if (seq < 0 || seq >= events) {
            unknown++;
            return;
        }
        if (received.get(seq)) {
            duplicates++;
            return;
        }
        received.set(seq);
        fromReceipt.recordValue(micros(fromReceiptNanos));
        fromIntended.recordValue(micros(fromIntendedNanos));
    }

    /** A negative time (the receipt is whole milliseconds) counts as 0, one over an hour as an hour. */
    private static long micros(long nanos) {
        return Math.min(HIGHEST_MICROS, Math.max(0, nanos / 1000));
    }

    synchronized long acknowledgedCount() {
        return acknowledged.cardinality();
    }

    synchronized long receivedCount() {
        return received.cardinality();
    }

    /** Acknowledged by the intake and not received. */
    synchronized long lost() {
        BitSet lost = (BitSet) acknowledged.clone();
        lost.andNot(received);
        return lost.cardinality();
    }

    /** Received without a 202 (the request timed out or its answer was lost, and the event was written anyway). */
    synchronized long receivedUnacknowledged() {
        BitSet extra = (BitSet) received.clone();
        extra.andNot(acknowledged);
        return extra.cardinality();
    }

    synchronized long duplicates() {
        return duplicates;
    }

    /** Copies whose transaction id names no event of the run. */
    synchronized long unknown() {
        return unknown;
    }

    /** Whether every acknowledged event has arrived: the drain may end. */
    synchronized boolean drained() {
        return lost() == 0;
    }

    /** The {@code p}th percentile from the intake's receipt, in ms (100 is the maximum). */
    synchronized double fromReceiptMillis(double p) {
        return millis(fromReceipt, p);
    }

    /** The {@code p}th percentile from the intended send time, in ms (100 is the maximum). */
    synchronized double fromIntendedMillis(double p) {
        return millis(fromIntended, p);
    }

    private static double millis(Histogram h, double p) {
        if (h.getTotalCount() == 0) {
            return Double.NaN;
        }
        return (p >= 100 ? h.getMaxValue() : h.getValueAtPercentile(p)) / 1000.0;
    }

    /** Met when nothing acknowledged was lost and the p99 from the intake's receipt is under the target. */
    synchronized boolean targetMet() {
        return lost() == 0 && fromReceipt.getTotalCount() > 0 && fromReceiptMillis(99) < TARGET_P99.toMillis();
    }

    /** The closing lines of a run. */
    synchronized List<String> summary(Duration drainTimeout) {
        List<String> lines = new ArrayList<>();
        lines.add(percentiles("from the intake's receipt to the consumer", fromReceipt));
        lines.add(percentiles("from the intended send time to the consumer", fromIntended));
        lines.add(String.format(
                Locale.ROOT,
                "received %d of %d acknowledged; lost %d; duplicates %d; received without a 202 %d; unknown %d",
                receivedCount(),
                acknowledgedCount(),
                lost(),
                duplicates,
                receivedUnacknowledged(),
                unknown));
        if (lost() > 0) {
            lines.add(String.format(
                    Locale.ROOT,
                    "!!! %d EVENTS LOST: acknowledged by the intake (202) and not received within %s of the last send",
                    lost(),
                    drainTimeout));
        }
        lines.add(String.format(
                Locale.ROOT,
                "target (p99 from the intake's receipt under %d ms, no event lost): %s",
                TARGET_P99.toMillis(),
                targetMet() ? "met" : "NOT met"));
        return lines;
    }

    private static String percentiles(String what, Histogram h) {
        return String.format(
                Locale.ROOT,
                "%-44s ms: p50 %.2f  p99 %.2f  p99.9 %.2f  max %.2f  (%d events)",
                what,
                millis(h, 50),
                millis(h, 99),
                millis(h, 99.9),
                millis(h, 100),
                h.getTotalCount());
    }
}
