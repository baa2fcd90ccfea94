package com.northwind.eventing.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The store-ingest benchmark's samples and what they add up to. Counts are since the run started: events published
 * (acknowledged by the intake), records on the firehose (its end offsets less those at the start) and documents in the
 * store (admin-api's {@code eventing_store_documents} less its value at the start).
 *
 * <p>The store's lag in seconds is the age of the oldest event not stored yet: the store holds {@code stored} of the
 * run's events, so the oldest one missing is the firehose's record number {@code stored + 1} of the run, and it
 * arrived when the firehose count first reached that number (interpolated between the two samples around it). That
 * counts the router's part of the way as well as the sink's, which is what a user of the store waits for. It assumes
 * that only the run writes to the firehose and that the store takes events in about the order the firehose has them
 * (the sink reads each partition in order).
 */
final class IngestSamples {
    /** One sample: seconds since the start, and the counts (NaN where a gauge could not be read). */
    record Sample(double seconds, long published, long firehose, double stored, double sinkLag) {}

    /** One line of the table: the last sample of a window and the greatest age in it. */
    record Row(Sample last, double maxAgeSeconds) {}

    private final List<Sample> samples = new ArrayList<>();
    private final List<Double> ages = new ArrayList<>();

    void add(Sample s) {
        samples.add(s);
        ages.add(age(samples.size() - 1));
    }

    List<Sample> samples() {
        return List.copyOf(samples);
    }

    /** The age in seconds of the oldest unstored event at sample {@code j}; 0 when none is missing, NaN unknown. */
    double age(int j) {
        Sample now = samples.get(j);
        if (Double.isNaN(now.stored())) {
            return Double.NaN;
        }
        double wanted = Math.floor(now.stored()) + 1;
        if (wanted > now.firehose()) {
            return 0;
        }
        // The first sample at which the firehose held the wanted record; the counts never go down.
        int lo = 0;
        int hi = j;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (samples.get(mid).firehose() >= wanted) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        Sample at = samples.get(lo);
        if (lo == 0) {
            return now.seconds() - at.seconds();
        }
        Sample before = samples.get(lo - 1);
        double share = (wanted - before.firehose()) / (double) (at.firehose() - before.firehose());
        double arrived = before.seconds() + share * (at.seconds() - before.seconds());
        return now.seconds() - arrived;
    }

    /** The table: one row per {@code windowSeconds} (by the samples' times), the last window perhaps shorter. */
    List<Row> rows(double windowSeconds) {
        List<Row> rows = new ArrayList<>();
        double max = 0;
        for (int j = 0; j < samples.size(); j++) {
            double a = ages.get(j);
            max = Double.isNaN(a) || Double.isNaN(max) ? Double.NaN : Math.max(max, a);
            boolean last = j == samples.size() - 1;
            long window = (long) Math.floor(samples.get(j).seconds() / windowSeconds);
            if (last || (long) Math.floor(samples.get(j + 1).seconds() / windowSeconds) != window) {
                rows.add(new Row(samples.get(j), max));
                max = 0;
            }
        }
        return rows;
    }

    /** The greatest age over all samples; NaN when one could not be measured. */
    double maxAge() {
        double max = 0;
        for (double a : ages) {
            if (Double.isNaN(a)) {
                return Double.NaN;
            }
            max = Math.max(max, a);
        }
        return max;
    }

    /** The p-th percentile of the measured ages (nearest rank); NaN when none was measured. */
    double agePercentile(double p) {
        double[] measured = ages.stream()
                .filter(a -> !Double.isNaN(a))
                .mapToDouble(Double::doubleValue)
                .sorted()
                .toArray();
        if (measured.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100.0 * measured.length) - 1;
        return measured[Math.max(0, Math.min(measured.length - 1, index))];
    }

    /** How many samples had no age (a gauge was NaN or unreadable). */
    long unmeasured() {
        return ages.stream().filter(a -> Double.isNaN(a)).count();
    }

    static String header() {
        return String.format(
                Locale.ROOT,
                "%7s %11s %11s %11s %10s %11s %10s",
                "t s",
                "published",
                "firehose",
                "stored",
                "sink lag",
                "sink lag s",
                "max age s");
    }

    /** A table line; the sink's lag in seconds is its records at the rate the firehose took events. */
    static String line(Row r, double firehoseRate) {
        Sample s = r.last();
        return String.format(
                Locale.ROOT,
                "%7.0f %11d %11d %11.0f %10.0f %11.1f %10.1f",
                s.seconds(),
                s.published(),
                s.firehose(),
                s.stored(),
                s.sinkLag(),
                firehoseRate > 0 ? s.sinkLag() / firehoseRate : Double.NaN,
                r.maxAgeSeconds());
    }
}
