package com.northwind.eventing.load;

/**
 * An open-loop send schedule: event {@code i} is due at {@code start + i / rate}, whatever happened to the events
 * before it. A sender that falls behind sends late events at once, never skips them, and counts how late it was,
 * so that their latency is also measured from when they were due.
 */
final class Pacing {
    /** Later than this counts as behind the schedule. */
    static final long LATE_NANOS = 1_000_000;

    private final long startNanos;
    private final int rate;
    private long late;
    private long maxLateNanos;

    Pacing(long startNanos, int rate) {
        if (rate < 1) {
            throw new IllegalArgumentException("the rate must be 1 or more events/s, not " + rate);
        }
        this.startNanos = startNanos;
        this.rate = rate;
    }

    /** When event {@code i} is due, on {@link System#nanoTime()}'s clock. */
    long due(long i) {
        return startNanos + i * 1_000_000_000L / rate;
    }

    /** Records that an event due at {@code dueNanos} went at {@code sentNanos}. */
    synchronized void sent(long dueNanos, long sentNanos) {
        long lateness = sentNanos - dueNanos;
        if (lateness > LATE_NANOS) {
            late++;
        }
        maxLateNanos = Math.max(maxLateNanos, lateness);
    }

    /** Events sent more than {@link #LATE_NANOS} after they were due. */
    synchronized long late() {
        return late;
    }

    /** The most an event was sent after it was due, in ns (0 when none was late). */
    synchronized long maxLateNanos() {
        return maxLateNanos;
    }
}
