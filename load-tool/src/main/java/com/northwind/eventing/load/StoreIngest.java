package com.northwind.eventing.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code --mode=store-ingest}: whether the event store keeps up with the intake. Publishes the load type's events
 * through the intake's REST batch path at {@code --rate} for {@code --duration}, and every second samples admin-api's
 * store gauges ({@code eventing_store_documents}, {@code eventing_store_sink_lag_records} on
 * {@code /actuator/prometheus}) and the firehose's end offsets. Prints a line per 10 s and, at the end, the rates, the
 * store's lag in seconds ({@link IngestSamples}: the age of the oldest event not stored yet) and whether it stayed
 * under 5 s; then waits, at most {@code --drain-timeout}, for the store to hold every event of the run.
 *
 * <p>admin-api measures its gauges every {@code eventing.store.metrics-interval} (30 s unless set): start the platform
 * with {@code --eventing.store.metrics-interval=1s} for this benchmark, or the ages are as coarse as that interval.
 */
final class StoreIngest {
    /** The lag the store must stay under throughout. */
    static final double TARGET_LAG_SECONDS = 5;

    private static final String DOCUMENTS = "eventing_store_documents";
    private static final String SINK_LAG = "eventing_store_sink_lag_records";
    private static final double WINDOW_SECONDS = 10;
    private static final long MAX_EVENTS = 20_000_000;

    /** What the mode takes; see {@link #of}. */
    record Options(
            String admin,
            String intake,
            String bootstrap,
            String firehose,
            int rate,
            Duration duration,
            Duration drainTimeout,
            int concurrency,
            int batchSize,
            int bodyBytes) {
        static Options of(Map<String, String> o) {
            Options options = new Options(
                    Args.httpUrl(o, "admin", "http://127.0.0.1:8081"),
                    Args.httpUrl(o, "intake", "http://127.0.0.1:8080"),
                    o.getOrDefault("bootstrap", "127.0.0.1:9092"),
                    o.getOrDefault("firehose-topic", "eventing.firehose"),
                    Args.integer(o, "rate", 5000, 1, 1_000_000),
                    Args.duration(o, "duration", Duration.ofMinutes(5), Duration.ofSeconds(1)),
                    Args.duration(o, "drain-timeout", Duration.ofMinutes(10), Duration.ZERO),
                    Args.integer(o, "concurrency", 8, 1, 1024),
                    Args.integer(o, "batch-size", 100, 1, 500),
                    Args.integer(o, "body-bytes", 300, 1, 1_000_000));
            if (options.events() > MAX_EVENTS) {
                throw new IllegalArgumentException("--rate times --duration is " + options.events()
                        + " events; at most " + MAX_EVENTS + " are kept track of");
            }
            return options;
        }

        long events() {
            return rate * duration.toSeconds();
        }
    }

    private final Options options;
    private final Map<String, String> raw;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    StoreIngest(Options options, Map<String, String> raw) {
        this.options = options;
        this.raw = raw;
    }

    void run() throws Exception {
        String token = raw.containsKey("token") ? raw.get("token") : LoadMain.setUp(raw);
        try (Admin kafka = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap()))) {
            double[] gauges = gauges();
            if (Double.isNaN(gauges[0]) || Double.isNaN(gauges[1])) {
                throw new IllegalStateException("admin-api's store gauges are not measured yet (" + DOCUMENTS + " "
                        + gauges[0] + ", " + SINK_LAG + " " + gauges[1] + "): is the store up? Try again in a moment");
            }
            if (gauges[1] > 0) {
                System.out.printf(
                        "note: the sink's lag gauge reads %.0f at the start: a backlog counts as the run's (the gauge"
                                + " never goes under the commit markers of the transactional topic's last records)%n",
                        gauges[1]);
            }
            long firehoseStart = endOffsets(kafka);
            double documentsStart = gauges[0];
            LoadMain.Run run = new LoadMain.Run((int) options.events(), options.rate(), options.bodyBytes());
            System.out.printf(
                    "store-ingest: %d events at %d/s for %s over REST batches of %d (%d connections); store holds"
                            + " %.0f documents, firehose %d records%n",
                    options.events(),
                    options.rate(),
                    options.duration(),
                    options.batchSize(),
                    options.concurrency(),
                    documentsStart,
                    firehoseStart);
            long start = System.nanoTime();
            long[] publishEnd = {0};
            Thread publisher = new Thread(
                    () -> {
                        try {
                            new LoadMain.RestLoad(options.intake(), token, options.concurrency())
                                    .batch(run, options.batchSize());
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        } finally {
                            publishEnd[0] = System.nanoTime();
                        }
                    },
                    "store-ingest-publisher");
            IngestSamples samples = new IngestSamples();
            System.out.println(IngestSamples.header());
            publisher.start();
            int printed = 0;
            long firehose = 0;
            long tick = 0;
            double publishSeconds = Double.NaN;
            double drainedSeconds = Double.NaN;
            double drainDeadline = Double.NaN;
            while (true) {
                tick++;
                long due = start + tick * 1_000_000_000L;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                boolean publishing = publisher.isAlive();
                long published = run.ok.get();
                try {
                    firehose = endOffsets(kafka) - firehoseStart;
                } catch (Exception e) {
                    // The count never goes down: a failed read keeps the last one.
                    System.err.println("could not read the firehose's end offsets: "
                            + e.getClass().getSimpleName());
                }
                gauges = gauges();
                double seconds = (System.nanoTime() - start) / 1e9;
                samples.add(
                        new IngestSamples.Sample(seconds, published, firehose, gauges[0] - documentsStart, gauges[1]));
                List<IngestSamples.Row> rows = samples.rows(WINDOW_SECONDS);
                for (; printed < rows.size() - 1; printed++) {
                    System.out.println(IngestSamples.line(rows.get(printed), rate(rows.get(printed), publishSeconds)));
                }
                if (publishing) {
                    continue;
                }
                if (Double.isNaN(publishSeconds)) {
                    publisher.join();
                    publishSeconds = (publishEnd[0] - start) / 1e9;
                    drainDeadline = seconds + options.drainTimeout().toNanos() / 1e9;
                }
                List<IngestSamples.Sample> so = samples.samples();
                IngestSamples.Sample last = so.get(so.size() - 1);
                // Stored is what counts: the sink's lag gauge keeps a record or two per partition of a transactional
                // topic
                // (its commit markers), which the sink never commits past.
                if (last.stored() >= last.firehose() && last.firehose() >= run.ok.get()) {
                    drainedSeconds = seconds;
                    break;
                }
                if (seconds >= drainDeadline) {
                    break;
                }
            }
            List<IngestSamples.Row> rows = samples.rows(WINDOW_SECONDS);
            for (; printed < rows.size(); printed++) {
                System.out.println(IngestSamples.line(rows.get(printed), rate(rows.get(printed), publishSeconds)));
            }
            summarize(samples, run, publishSeconds, drainedSeconds);
        }
    }

    /** The firehose's rate up to a row: its records over the time they were published in. */
    private static double rate(IngestSamples.Row row, double publishSeconds) {
        double seconds = Double.isNaN(publishSeconds)
                ? row.last().seconds()
                : Math.min(row.last().seconds(), publishSeconds);
        return seconds > 0 ? row.last().firehose() / seconds : Double.NaN;
    }

    private void summarize(IngestSamples samples, LoadMain.Run run, double publishSeconds, double drainedSeconds) {
        List<IngestSamples.Sample> all = samples.samples();
        IngestSamples.Sample atEnd = all.get(0);
        for (IngestSamples.Sample s : all) {
            if (s.seconds() <= publishSeconds + 1e-9) {
                atEnd = s;
            }
        }
        IngestSamples.Sample last = all.get(all.size() - 1);
        double publishRate = run.ok.get() / publishSeconds;
        double firehoseRate = last.firehose() / publishSeconds;
        // The store's rate while the intake published (at the last sample within publishing), and until it caught up.
        double storeRate = atEnd.stored() / atEnd.seconds();
        for (String line : summary(
                publishSeconds,
                run.ok.get(),
                run.failed.get(),
                publishRate,
                firehoseRate,
                storeRate,
                last.stored() / last.seconds(),
                samples.maxAge(),
                samples.agePercentile(99),
                samples.unmeasured(),
                Double.isNaN(drainedSeconds) ? Double.NaN : Math.max(0, drainedSeconds - publishSeconds),
                options.drainTimeout())) {
            System.out.println(line);
        }
        run.failures.forEach((why, n) -> System.out.printf("  %d x %s%n", n.get(), why));
    }

    /** The closing lines; the target is met when every sample's age was measured and under 5 s, and all was stored. */
    static List<String> summary(
            double publishSeconds,
            long published,
            long failed,
            double publishRate,
            double firehoseRate,
            double storeRate,
            double storeRateUntilDrained,
            double maxAge,
            double p99Age,
            long unmeasured,
            double drainSeconds,
            Duration drainTimeout) {
        boolean met = unmeasured == 0 && !Double.isNaN(maxAge) && maxAge < TARGET_LAG_SECONDS && drainSeconds >= 0;
        return List.of(
                String.format(
                        Locale.ROOT,
                        "published %d events in %.1f s = %.0f events/s (%d failed); firehose took %.0f/s",
                        published,
                        publishSeconds,
                        publishRate,
                        failed,
                        firehoseRate),
                String.format(
                        Locale.ROOT,
                        "store ingest while publishing: %.0f documents/s = %.2f of the firehose's rate; until caught"
                                + " up: %.0f/s",
                        storeRate,
                        firehoseRate > 0 ? storeRate / firehoseRate : Double.NaN,
                        storeRateUntilDrained),
                String.format(
                        Locale.ROOT,
                        "store lag (age of the oldest unstored event): max %.1f s, p99 %.1f s%s",
                        maxAge,
                        p99Age,
                        unmeasured > 0 ? " (" + unmeasured + " samples without a gauge value)" : ""),
                Double.isNaN(drainSeconds)
                        ? "drain: the store had not caught up " + drainTimeout + " after the publishing ended"
                        : String.format(
                                Locale.ROOT, "drain: caught up %.1f s after the publishing ended", drainSeconds),
                String.format(
                        Locale.ROOT,
                        "target (store lag under %.0f s throughout): %s",
                        TARGET_LAG_SECONDS,
                        met ? "met" : "NOT met"));
    }

    /** {@code [documents, sink lag]} from admin-api's Prometheus page; NaN for what it could not give. */
    private double[] gauges() {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(options.admin() + "/actuator/prometheus"))
                            .timeout(Duration.ofSeconds(5))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return new double[] {Double.NaN, Double.NaN};
            }
            return new double[] {gauge(r.body(), DOCUMENTS), gauge(r.body(), SINK_LAG)};
        } catch (IOException e) {
            return new double[] {Double.NaN, Double.NaN};
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new double[] {Double.NaN, Double.NaN};
        }
    }

    /** A gauge's value in Prometheus' text format (with or without labels), NaN when absent. */
    static double gauge(String text, String name) {
        for (String line : text.split("\n")) {
            if (!line.startsWith(name)
                    || line.length() == name.length()
                    || (line.charAt(name.length()) != ' ' && line.charAt(name.length()) != '{')) {
                continue;
            }
            String rest = line.substring(name.length());
            if (rest.startsWith("{")) {
                rest = rest.substring(rest.lastIndexOf('}') + 1);
            }
            String value = rest.trim().split("\\s+")[0];
            try {
                return Double.parseDouble(value);
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    /** The firehose's records: the sum of its partitions' end offsets. */
    private long endOffsets(Admin kafka) throws Exception {
        List<TopicPartition> partitions = kafka
                .describeTopics(List.of(options.firehose()))
                .allTopicNames()
                .get(10, TimeUnit.SECONDS)
                .get(options.firehose())
                .partitions()
                .stream()
                .map(p -> new TopicPartition(options.firehose(), p.partition()))
                .toList();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
        long total = 0;
        for (var e : kafka.listOffsets(latest).all().get(10, TimeUnit.SECONDS).values()) {
            total += e.offset();
        }
        return total;
    }
}
