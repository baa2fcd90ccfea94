package com.northwind.eventing.load;

import java.util.Arrays;

/** Latencies of one run, in nanoseconds; percentiles by sorting, which is exact and cheap at these counts. */
final class Latencies {
    private final long[] values;
    private int count;

    Latencies(int capacity) {
        values = new long[capacity];
    }

    synchronized void record(long nanos) {
        if (count < values.length) {
            values[count++] = nanos;
        }
    }

    synchronized long percentile(double p) {
        if (count == 0) {
            return 0;
        }
        long[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * count) - 1;
        return sorted[Math.max(0, Math.min(count - 1, index))];
    }

    synchronized int count() {
        return count;
    }
}
