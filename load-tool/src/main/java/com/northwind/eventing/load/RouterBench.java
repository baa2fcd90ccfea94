package com.northwind.eventing.load;

import com.northwind.eventing.common.registry.RestSchemaRegistryClient;
import com.northwind.eventing.common.serde.AvroWireSerializer;
import com.northwind.eventing.router.topology.RouterMeters;
import com.northwind.eventing.router.topology.RouterTopology;
import com.northwind.eventing.router.topology.TopicRecordLimits;
import com.northwind.eventing.schema.Envelope;
import com.northwind.eventing.schema.Metadata;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * {@code --mode=router}: the router's throughput beside a plain copy of the same topic, in one run. Fills a source topic
 * with N envelopes (Avro, Confluent wire format through the registry, as the intake writes them), then, each from the
 * start of that topic:
 *
 * <ol>
 *   <li>a plain copy: one KafkaConsumer and one KafkaProducer moving the bytes to another topic;
 *   <li>the same copy, transactional: read_committed, offsets committed in the transaction every 100 ms (Streams'
 *       exactly-once commit interval), as the router does, with the router's producer settings, as are the
 *       transactional copies to 2 and 10 topics beside the router runs;
 *   <li>the same plain copy with the router's producer settings (lz4);
 *   <li>the router topology (the service's own {@link RouterTopology} and configuration: one stream thread per
 *       processor unless {@code --stream-threads} says otherwise, exactly-once, lz4) with 2, then 10,
 *       subscriptions registered through admin-api, each run with a fresh application id and its own topics.
 * </ol>
 *
 * A router run is done when the application's committed offsets on the source reach its end: under exactly-once the
 * offsets commit in the same transaction as the copies, so every copy is committed by then. Rates are counted from
 * when the consumer or Streams is running (Streams: state RUNNING, after its global tables are loaded, or the first
 * record a stream thread processes, if that comes first); the wall time
 * including start-up is printed too. After each run the output topics are counted, read_committed, outside the timing.
 *
 * <p>The router runs count what they route on a Prometheus meter registry, as the service does.
 *
 * <p>{@code --ledger=on} (the default, as in production) has the router write each event's delivery ledger record,
 * to a topic of the run's own; {@code off} writes none; {@code both} runs each router line twice, with the ledger and
 * without it, over the same subscriptions, and reports what the ledger costs: the rate with it over the rate
 * without.
 *
 * <p>{@code --commit-intervals=20,50,100} also runs the 2-subscription router line at each of those Streams commit
 * intervals ({@code eventing.router.commit-interval}) other than 100 ms, which the line itself runs at, and reports
 * each one's rate over the 100 ms line's: what a shorter interval, and so a shorter wait for read_committed
 * consumers, costs in throughput.
 *
 * <p>The whole list runs {@code --trials} times (default 3), each trial with its own topics, and a summary gives each
 * line's median rate and ratios and its best rate: one line lasts seconds on a machine the broker shares, so one trial
 * alone says little.
 */
final class RouterBench {
    private static final String NOUN = "Bench";
    private static final String VERB = "Routed";
    private static final String OBJECT = "Event";
    private static final String TYPE = "{\"noun\": \"Bench\", \"verb\": \"Routed\", \"object\": \"Event\","
            + " \"owner\": \"load-tool\", \"description\": \"Events the router benchmark routes\","
            + " \"schema\": {\"type\": \"object\"},"
            + " \"sensitiveFields\": [{\"path\": \"/member/ssn\", \"classification\": \"PHI\"}]}";
    private static final int SOURCE_PARTITIONS = 6;

    private final String bootstrap;
    private final String registryUrl;
    private final String admin;
    private final String adminToken;
    private final int events;
    private final int bodyBytes;
    private final int warmup;
    private final int trials;
    private final int streamThreads;
    /** With {@code --subscriptions=N}: N subscriptions in the registry, of which {@link #matching} match the events. */
    private final int scaleSubscriptions;

    private final int matching;
    /** {@code on}, {@code off} or {@code both}: whether the router runs write the delivery ledger. */
    private final String ledger;
    /** {@code --commit-intervals}: the commit intervals, in ms, the 2-subscription router line also runs at. */
    private final List<Long> commitIntervals;

    private final Map<String, String> streamsConfig = new HashMap<>();
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<String> subscriptions = new ArrayList<>();
    private final List<String> topics = new ArrayList<>();

    RouterBench(Map<String, String> o) throws IOException {
        this.bootstrap = o.getOrDefault("bootstrap", "127.0.0.1:9092");
        this.admin = o.getOrDefault("admin", "http://127.0.0.1:8081");
        this.registryUrl = o.getOrDefault("schema-registry", admin);
        this.events = Integer.parseInt(o.getOrDefault("events", "200000"));
        this.bodyBytes = Integer.parseInt(o.getOrDefault("body-bytes", "300"));
        this.warmup = Integer.parseInt(o.getOrDefault("warmup", "1"));
        this.trials = Integer.parseInt(o.getOrDefault("trials", "3"));
        if (trials < 1) {
            throw new IllegalArgumentException("--trials must be 1 or more, not " + trials);
        }
        this.scaleSubscriptions = Integer.parseInt(o.getOrDefault("subscriptions", "0"));
        this.matching = Integer.parseInt(o.getOrDefault("matching", "10"));
        if (scaleSubscriptions != 0 && (matching < 1 || matching > scaleSubscriptions)) {
            throw new IllegalArgumentException("--matching must be 1 to --subscriptions, not " + matching);
        }
        this.ledger = o.getOrDefault("ledger", "on");
        if (!List.of("on", "off", "both").contains(ledger)) {
            throw new IllegalArgumentException("--ledger must be on, off or both, not " + ledger);
        }
        this.commitIntervals = commitIntervals(o.getOrDefault("commit-intervals", ""));
        this.streamThreads = Integer.parseInt(
                o.getOrDefault("stream-threads", String.valueOf(RouterTopology.defaultStreamThreads())));
        // Extra Streams settings for the router runs, to try a tuning: --streams-config=producer.batch.size=262144,...
        for (String kv : o.getOrDefault("streams-config", "").split(",")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                streamsConfig.put(
                        kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
            }
        }
        this.adminToken = LoadMain.adminToken(o);
    }

    /** The intervals of {@code --commit-intervals}, each 10 to 10,000 ms as the router's setting takes. */
    static List<Long> commitIntervals(String text) {
        List<Long> intervals = new ArrayList<>();
        for (String part : text.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            long ms;
            try {
                ms = Long.parseLong(part.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "--commit-intervals takes milliseconds separated by commas (20,50,100), not '" + part + "'");
            }
            if (ms < 10 || ms > 10_000) {
                throw new IllegalArgumentException("--commit-intervals must each be 10 to 10000 ms, not " + ms);
            }
            if (!intervals.contains(ms)) {
                intervals.add(ms);
            }
        }
        return intervals;
    }

    void run() throws Exception {
        String source = "bench.router." + run + ".source";
        try (Admin kafka = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            createTopic(kafka, source, SOURCE_PARTITIONS);
            // The router stores every event, as in production, in a topic of the run's own: the platform's store
            // never holds the benchmark's events.
            createTopic(kafka, storeTopic(), SOURCE_PARTITIONS);
            if (!ledger.equals("off")) {
                createTopic(kafka, ledgerTopic(), SOURCE_PARTITIONS);
            }
            setUpRegistry();
            long fillStart = System.nanoTime();
            fill(source);
            System.out.printf(
                    "router bench %s: %d envelopes (%d-byte bodies) in %s, filled in %.1f s; router: %d stream"
                            + " thread(s), producer settings %s%n",
                    run,
                    events,
                    bodyBytes,
                    source,
                    (System.nanoTime() - fillStart) / 1e9,
                    streamThreads,
                    routerProducerConfig().entrySet().stream()
                            .filter(e -> !producerConfig().containsKey(e.getKey()))
                            .map(e -> e.getKey() + "=" + e.getValue())
                            .sorted()
                            .toList());

            for (int pass = 1; pass <= warmup; pass++) {
                // Not measured: a fresh JVM spends most of a first router run compiling Streams, Avro, Jackson and
                // the topology, which would be counted against the router and not against the far smaller copy.
                long warmStart = System.nanoTime();
                String warmTopic = "bench.router." + run + ".warm" + pass;
                createTopic(kafka, warmTopic, 3);
                plainCopy(source, warmTopic, producerConfig());
                subscribe("warm" + pass, 2);
                route(kafka, source, 2, "warm" + pass);
                unsubscribe();
                System.out.printf(
                        "warm-up %d of %d: a plain copy and a 2-subscription router run over the %d events, not"
                                + " counted (%.1f s)%n",
                        pass, warmup, events, (System.nanoTime() - warmStart) / 1e9);
            }

            if (scaleSubscriptions > 0) {
                scale(kafka, source);
                return;
            }
            List<Map<String, Result>> results = new ArrayList<>();
            for (int trial = 1; trial <= trials; trial++) {
                if (trials > 1) {
                    System.out.printf("trial %d of %d%n", trial, trials);
                }
                results.add(trial(kafka, source, trial, trials > 1 ? "t" + trial : ""));
            }
            if (trials > 1) {
                summarize(results);
            }
        } finally {
            cleanUp();
        }
    }

    private static final String PLAIN = "plain copy (consumer + producer)";
    private static final String TUNED = "plain copy, the router's producer settings";
    private static final String TX = "transactional copy (read_committed, EOS)";

    private static String fan(int subs) {
        return "transactional copy to " + subs + " topics";
    }

    private static String router(int subs) {
        return "router, " + subs + " subscriptions";
    }

    private static String routerCommitting(int subs, long ms) {
        return router(subs) + ", commit " + ms + " ms";
    }

    private static String routerWithoutLedger(int subs) {
        return router(subs) + ", no ledger";
    }

    /** One trial: every measured line once, each with its own topics; answers each line's result by its name. */
    private Map<String, Result> trial(Admin kafka, String source, int trialNumber, String trial) throws Exception {
        Map<String, Result> out = new LinkedHashMap<>();
        String copyTopic = "bench.router." + run + trial + ".copy";
        createTopic(kafka, copyTopic, 3);
        Result plain = plainCopy(source, copyTopic, producerConfig());
        out.put(PLAIN, plain);
        report(PLAIN, plain, plain, count(kafka, List.of(copyTopic), false));

        // The same copy with the producer settings the router gives its own producers (lz4): what a plain copy
        // tuned as the router is tuned does on this machine. The ratios are to the plain copy above, with
        // Kafka's defaults; the copies below it all use these settings, so that they compare with the router.
        String tunedTopic = "bench.router." + run + trial + ".tunedcopy";
        createTopic(kafka, tunedTopic, 3);
        Result tuned = plainCopy(source, tunedTopic, routerProducerConfig());
        out.put(TUNED, tuned);
        report(TUNED, tuned, plain, count(kafka, List.of(tunedTopic), false));

        String txTopic = "bench.router." + run + trial + ".txcopy";
        createTopic(kafka, txTopic, 3);
        Result tx = transactionalCopy(source, List.of(txTopic), trial + "1");
        out.put(TX, tx);
        report(TX, tx, plain, count(kafka, List.of(txTopic), true));

        for (int subs : new int[] {2, 10}) {
            // What Kafka alone costs for what the router writes: each event, unchanged, to as many topics as
            // there are subscriptions, in the same transactions. No router can be faster than this on the
            // same broker; the router's own work is the gap between the two lines.
            List<String> fanTopics = new ArrayList<>();
            for (int i = 0; i < subs; i++) {
                String t = "bench.router." + run + trial + ".txfan" + subs + "-" + i;
                createTopic(kafka, t, 3);
                fanTopics.add(t);
            }
            Result fan = transactionalCopy(source, fanTopics, trial + "fan" + subs);
            out.put(fan(subs), fan);
            long fanned = count(kafka, fanTopics, true);
            report(fan(subs), fan, plain, fanned);
            if (fanned != (long) events * subs) {
                System.out.printf("  !! expected %d copies, found %d%n", (long) events * subs, fanned);
            }

            // With --ledger=both, every other trial runs the line without the ledger first: whichever runs second
            // finds the broker's log segments and the JIT warmer, and the comparison must not lean on the order.
            boolean bareFirst = ledger.equals("both") && trialNumber % 2 == 0;
            Result bare = bareFirst ? routerLine(kafka, source, subs, trial, false, plain, out) : null;
            Result routed = routerLine(kafka, source, subs, trial, !ledger.equals("off"), plain, out);
            for (long ms : subs == 2 ? commitIntervals : List.<Long>of()) {
                if (ms == RouterTopology.DEFAULT_COMMIT_INTERVAL.toMillis()) {
                    continue;
                }
                Result committing = routerLine(kafka, source, subs, trial, !ledger.equals("off"), ms, plain, out);
                System.out.printf(
                        "  committing every %d ms the router keeps %.2f of its rate at %d ms%n",
                        ms,
                        committing.perSecond(events) / routed.perSecond(events),
                        RouterTopology.DEFAULT_COMMIT_INTERVAL.toMillis());
            }
            if (ledger.equals("both")) {
                if (!bareFirst) {
                    bare = routerLine(kafka, source, subs, trial, false, plain, out);
                }
                System.out.printf(
                        "  the ledger's cost: with it the router keeps %.2f of its rate without it%n",
                        routed.perSecond(events) / bare.perSecond(events));
            }
        }
        return out;
    }

    /**
     * One router line: its subscriptions on topics of their own, a fresh application id, with the ledger or without
     * (then on a line of its own name); reported, and its copies counted, outside the timing.
     */
    private Result routerLine(
            Admin kafka,
            String source,
            int subs,
            String trial,
            boolean withLedger,
            Result plain,
            Map<String, Result> out)
            throws Exception {
        return routerLine(kafka, source, subs, trial, withLedger, null, plain, out);
    }

    /** The same at a commit interval of {@code commitMs}, on a line of its own name; null for the router's default. */
    private Result routerLine(
            Admin kafka,
            String source,
            int subs,
            String trial,
            boolean withLedger,
            Long commitMs,
            Result plain,
            Map<String, Result> out)
            throws Exception {
        String round = (withLedger ? "run" : "bare") + (commitMs == null ? "" : "c" + commitMs) + trial;
        String line = withLedger || ledger.equals("off") ? router(subs) : routerWithoutLedger(subs);
        if (commitMs != null) {
            line = routerCommitting(subs, commitMs);
        }
        List<String> outputs = subscribe(round, subs);
        Result result = route(kafka, source, subs, round, withLedger, commitMs);
        out.put(line, result);
        long copies = count(kafka, outputs, true);
        // Only this round's subscriptions are in the registry during the next round.
        unsubscribe();
        report(line, result, plain, copies);
        if (copies != (long) events * subs) {
            System.out.printf("  !! expected %d copies, found %d%n", (long) events * subs, copies);
        }
        return result;
    }

    /**
     * The trials together: per line the median rate, and the median, lowest and highest of its per-trial ratios (each
     * to that trial's plain copy); per router line also the median of its ratio to the Kafka-only copy to as many
     * topics in the same trial. Medians, because one trial's plain copy lasts a second or two, and a garbage
     * collection or a compilation in it moves every ratio of that trial. Beside them, each line's best rate over the
     * trials and its ratio to the plain copy's best: what each reached with the least interference, since on a shared
     * machine interference only ever slows a line down.
     */
    private void summarize(List<Map<String, Result>> results) {
        System.out.printf("%nmedians of %d trials (ratios per trial to that trial's plain copy):%n", results.size());
        double plainBest = best(results, PLAIN);
        for (String line : results.get(0).keySet()) {
            double[] rates = results.stream()
                    .mapToDouble(r -> r.get(line).perSecond(events))
                    .toArray();
            double[] ratios = results.stream()
                    .mapToDouble(
                            r -> r.get(line).perSecond(events) / r.get(PLAIN).perSecond(events))
                    .toArray();
            String ceiling = "";
            for (long ms : commitIntervals) {
                if (line.equals(routerCommitting(2, ms))) {
                    double[] kept = results.stream()
                            .mapToDouble(r -> r.get(line).perSecond(events)
                                    / r.get(router(2)).perSecond(events))
                            .toArray();
                    ceiling += String.format(
                            "; %.2f of the rate at %d ms (%.2f–%.2f)",
                            median(kept),
                            RouterTopology.DEFAULT_COMMIT_INTERVAL.toMillis(),
                            Arrays.stream(kept).min().orElseThrow(),
                            Arrays.stream(kept).max().orElseThrow());
                }
            }
            for (int subs : new int[] {2, 10}) {
                if (line.equals(router(subs)) && ledger.equals("both")) {
                    double[] kept = results.stream()
                            .mapToDouble(r -> r.get(line).perSecond(events)
                                    / r.get(routerWithoutLedger(subs)).perSecond(events))
                            .toArray();
                    ceiling += String.format(
                            "; with the ledger %.2f of the rate without it (%.2f–%.2f)",
                            median(kept),
                            Arrays.stream(kept).min().orElseThrow(),
                            Arrays.stream(kept).max().orElseThrow());
                }
                if (line.equals(router(subs))) {
                    double[] toFan = results.stream()
                            .mapToDouble(r -> r.get(line).perSecond(events)
                                    / r.get(fan(subs)).perSecond(events))
                            .toArray();
                    ceiling += String.format(
                            "; %.2f of the Kafka-only copy to %d topics (best to best %.2f)",
                            median(toFan), subs, best(results, line) / best(results, fan(subs)));
                }
            }
            double best = Arrays.stream(rates).max().orElseThrow();
            System.out.printf(
                    "%-42s %9.0f events/s  ratio to plain copy %.2f (%.2f–%.2f); best %.0f events/s, %.2f of the"
                            + " plain copy's best%s%n",
                    line,
                    median(rates),
                    median(ratios),
                    Arrays.stream(ratios).min().orElseThrow(),
                    Arrays.stream(ratios).max().orElseThrow(),
                    best,
                    best / plainBest,
                    ceiling);
        }
    }

    private double best(List<Map<String, Result>> results, String line) {
        return results.stream()
                .mapToDouble(r -> r.get(line).perSecond(events))
                .max()
                .orElseThrow();
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /**
     * The elapsed time counted for the rate, the wall time including start-up, and the CPU time this process (the
     * copy or the router, not the broker) spent over the wall time.
     */
    record Result(long nanos, long wallNanos, long cpuNanos) {
        double perSecond(int events) {
            return events / (nanos / 1e9);
        }
    }

    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private void report(String what, Result r, Result plain, long written) {
        System.out.printf(
                "%-42s %9.0f events/s  (%.2f s; %.2f s with start-up)  ratio to plain copy %.2f  [%d records out;"
                        + " this process %.0f µs CPU/event]%n",
                what,
                r.perSecond(events),
                r.nanos / 1e9,
                r.wallNanos / 1e9,
                r.perSecond(events) / plain.perSecond(events),
                written,
                r.cpuNanos / 1e3 / events);
    }

    // --- fill

    private void fill(String topic) throws Exception {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        // As the intake's firehose producer.
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        AvroWireSerializer<Envelope> envelopes =
                new AvroWireSerializer<>(new RestSchemaRegistryClient(registryUrl, "Bearer " + adminToken), true);
        Bodies bodies = new Bodies(bodyBytes);
        AtomicReference<Exception> failed = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            Instant now = Instant.now();
            for (int i = 0; i < events; i++) {
                String key = "bench-" + i;
                Envelope e = Envelope.newBuilder()
                        .setEventId(UUID.randomUUID().toString())
                        .setNoun(NOUN)
                        .setVerb(VERB)
                        .setObject(OBJECT)
                        .setEventType(NOUN + "." + VERB + "." + OBJECT)
                        .setMetadata(Metadata.newBuilder()
                                .setTransactionId(key)
                                .setOccurredAt(now)
                                .setReceivedAt(now)
                                .setProducerApp("bench-producer")
                                .build())
                        .setTags(List.of())
                        .setSynthetic(false)
                        .setBody(bodies.next(i))
                        .setBodySchemaVersion(1)
                        .build();
                producer.send(
                        new ProducerRecord<>(
                                topic,
                                key.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                                envelopes.serialize(topic, e)),
                        (m, ex) -> {
                            if (ex != null) {
                                failed.compareAndSet(null, ex);
                            }
                        });
            }
            producer.flush();
        }
        if (failed.get() != null) {
            throw new IllegalStateException("could not fill " + topic, failed.get());
        }
    }

    // --- plain copies

    private Result plainCopy(String source, String target, Map<String, Object> p) {
        long start;
        long wallStart = System.nanoTime();
        long cpuStart = cpuNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(source, null, IsolationLevel.READ_UNCOMMITTED);
                KafkaProducer<byte[], byte[]> producer =
                        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            AtomicReference<Exception> failed = new AtomicReference<>();
            start = System.nanoTime();
            long copied = 0;
            while (copied < events) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    producer.send(
                            new ProducerRecord<>(target, null, r.timestamp(), r.key(), r.value(), r.headers()),
                            (m, ex) -> {
                                if (ex != null) {
                                    failed.compareAndSet(null, ex);
                                }
                            });
                    copied++;
                }
            }
            producer.flush();
            if (failed.get() != null) {
                throw new IllegalStateException("the plain copy failed", failed.get());
            }
        }
        long end = System.nanoTime();
        return new Result(end - start, end - wallStart, cpuNanos() - cpuStart);
    }

    /** Copies every record of {@code source} to each of {@code targets}, transactionally, as Streams' EOS does. */
    private Result transactionalCopy(String source, List<String> targets, String name) {
        Map<String, Object> p = routerProducerConfig();
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "bench-" + run + "-txcopy-" + name);
        String group = "bench-" + run + "-txcopy-" + name;
        long start;
        long wallStart = System.nanoTime();
        long cpuStart = cpuNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(source, group, IsolationLevel.READ_COMMITTED);
                KafkaProducer<byte[], byte[]> producer =
                        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            start = System.nanoTime();
            long copied = 0;
            long lastCommit = System.nanoTime();
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            boolean open = false;
            while (copied < events) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    if (!open) {
                        producer.beginTransaction();
                        open = true;
                    }
                    for (String target : targets) {
                        producer.send(
                                new ProducerRecord<>(target, null, r.timestamp(), r.key(), r.value(), r.headers()));
                    }
                    offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                    copied++;
                }
                if (open && (copied >= events || System.nanoTime() - lastCommit >= 100_000_000L)) {
                    producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
                    producer.commitTransaction();
                    open = false;
                    offsets.clear();
                    lastCommit = System.nanoTime();
                }
            }
        }
        long end = System.nanoTime();
        return new Result(end - start, end - wallStart, cpuNanos() - cpuStart);
    }

    private Map<String, Object> producerConfig() {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return p;
    }

    /** {@link #producerConfig()} with the {@code producer.} settings of the router runs' Streams configuration. */
    private Map<String, Object> routerProducerConfig() {
        Map<String, Object> p = producerConfig();
        routerConfig("bench-producer-settings", "unused", null).forEach((k, v) -> {
            String key = k.toString();
            if (key.startsWith(StreamsConfig.PRODUCER_PREFIX)) {
                p.put(key.substring(StreamsConfig.PRODUCER_PREFIX.length()), v);
            }
        });
        return p;
    }

    /**
     * The router's own Streams configuration, with this run's stream threads, the commit interval when not null, and
     * {@code --streams-config}.
     */
    private Properties routerConfig(String applicationId, String stateDir, Long commitMs) {
        Properties config = RouterTopology.properties(bootstrap, applicationId, stateDir);
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, streamThreads);
        if (commitMs != null) {
            config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitMs);
        }
        config.putAll(streamsConfig);
        return config;
    }

    private KafkaConsumer<byte[], byte[]> consumer(String topic, String group, IsolationLevel isolation) {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        if (group != null) {
            c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(pi -> new TopicPartition(pi.topic(), pi.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    // --- the router

    private Result route(Admin kafka, String source, int subs, String round) throws Exception {
        return route(kafka, source, subs, round, !ledger.equals("off"), null);
    }

    private Result route(Admin kafka, String source, int subs, String round, boolean withLedger, Long commitMs)
            throws Exception {
        String applicationId = "bench-" + run + "-router-" + round + "-" + subs;
        Path stateDir = Files.createTempDirectory("router-bench");
        Properties config = routerConfig(applicationId, stateDir.toString(), commitMs);
        Map<TopicPartition, Long> end = endOffsets(kafka, source);
        long wallStart = System.nanoTime();
        long cpuStart = cpuNanos();
        AtomicLong running = new AtomicLong();
        try (Admin limitsAdmin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
                KafkaStreams streams = new KafkaStreams(
                        RouterTopology.build(
                                new RestSchemaRegistryClient(registryUrl, "Bearer " + adminToken),
                                new TopicRecordLimits(limitsAdmin, 1024 * 1024, Duration.ofMinutes(1)),
                                new RouterTopology.Topics(
                                        source, storeTopic(), withLedger ? ledgerTopic() : null, null, null),
                                new RouterMeters(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))),
                        config)) {
            streams.setStateListener((now, before) -> {
                if (now == KafkaStreams.State.RUNNING) {
                    running.compareAndSet(0, System.nanoTime());
                }
            });
            streams.setUncaughtExceptionHandler(e -> {
                System.err.println("router stream thread failed: " + e);
                return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse
                        .SHUTDOWN_CLIENT;
            });
            streams.start();
            // With more than one stream thread the client is RUNNING only once every thread is, and the first can
            // have routed thousands of events by then: the clock also starts at the first record any thread routes.
            while (running.get() == 0 && processed(streams) == 0) {
                failIfStopped(streams);
                Thread.sleep(1);
            }
            running.compareAndSet(0, System.nanoTime());
            while (!committedTo(kafka, applicationId, end)) {
                failIfStopped(streams);
                Thread.sleep(50);
            }
            long done = System.nanoTime();
            return new Result(done - running.get(), done - wallStart, cpuNanos() - cpuStart);
        } finally {
            deleteTree(stateDir);
        }
    }

    private static void failIfStopped(KafkaStreams streams) {
        failIfStopped(streams, "the router");
    }

    static void failIfStopped(KafkaStreams streams, String what) {
        KafkaStreams.State state = streams.state();
        if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING) {
            throw new IllegalStateException(what + " stopped: " + state);
        }
    }

    /** The records the client's stream threads have processed so far (Streams' {@code process-total}). */
    static double processed(KafkaStreams streams) {
        double n = 0;
        for (Map.Entry<org.apache.kafka.common.MetricName, ? extends org.apache.kafka.common.Metric> m :
                streams.metrics().entrySet()) {
            if (m.getKey().name().equals("process-total")
                    && m.getKey().group().equals("stream-thread-metrics")
                    && m.getValue().metricValue() instanceof Double d) {
                n += d;
            }
        }
        return n;
    }

    /** Streams' state directory of a run: nothing in it is needed after the run. */
    static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    static boolean committedTo(Admin kafka, String group, Map<TopicPartition, Long> end)
            throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> committed = kafka.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get();
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            OffsetAndMetadata c = committed.get(e.getKey());
            if (c == null || c.offset() < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    static Map<TopicPartition, Long> endOffsets(Admin kafka, String topic) throws Exception {
        List<TopicPartition> partitions = new ArrayList<>();
        kafka.describeTopics(List.of(topic))
                .allTopicNames()
                .get()
                .get(topic)
                .partitions()
                .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        Map<TopicPartition, Long> end = new HashMap<>();
        for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e :
                kafka.listOffsets(latest).all().get().entrySet()) {
            end.put(e.getKey(), e.getValue().offset());
        }
        return end;
    }

    /** Counts the records in the topics, read_committed or not; outside any timing. */
    private long count(Admin kafka, List<String> topicNames, boolean committed) {
        return count(bootstrap, topicNames, committed);
    }

    /** Counts the records in the topics, read_committed or not. */
    static long count(String bootstrap, List<String> topicNames, boolean committed) {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                (committed ? IsolationLevel.READ_COMMITTED : IsolationLevel.READ_UNCOMMITTED).toString());
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String t : topicNames) {
                consumer.partitionsFor(t).forEach(pi -> partitions.add(new TopicPartition(t, pi.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long n = 0;
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (System.nanoTime() < deadline) {
                boolean atEnd = true;
                for (TopicPartition tp : partitions) {
                    if (consumer.position(tp) < end.get(tp)) {
                        atEnd = false;
                        break;
                    }
                }
                if (atEnd) {
                    break;
                }
                n += consumer.poll(Duration.ofMillis(200)).count();
            }
            return n;
        }
    }

    // --- registry (through admin-api, as the platform's users register)

    private void setUpRegistry() throws IOException, InterruptedException {
        post("/v1/event-types", TYPE);
        post("/v1/apps", "{\"id\": \"bench-cleared\", \"team\": \"load\", \"read\": [\"PHI\"]}");
        post("/v1/apps", "{\"id\": \"bench-plain\", \"team\": \"load\", \"read\": []}");
    }

    /** Registers {@code n} subscriptions to the bench type, half for an app cleared for PHI; answers their topics. */
    private List<String> subscribe(String round, int n) throws IOException, InterruptedException {
        List<String> outputs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = "bench-" + run + "-" + round + "-" + n + "-" + i;
            String app = i % 2 == 0 ? "bench-cleared" : "bench-plain";
            String body = post(
                            "/v1/subscriptions",
                            // Its own topic, not eventing.sub.<id>: this bench's router registers the copies' schema
                            // with the admin token, which may not write the platform's subjects.
                            "{\"id\": \"" + id + "\", \"app\": \"" + app + "\", \"topic\": \"bench.sub." + id
                                    + "\", \"eventTypes\": [\"" + NOUN + "." + VERB + "." + OBJECT + "\"]}")
                    .body();
            subscriptions.add(id);
            String topic = body.replaceAll(".*\"topic\":\"([^\"]+)\".*", "$1");
            outputs.add(topic);
            topics.add(topic);
        }
        return outputs;
    }

    /**
     * The router's cost per event beside the subscriptions that cannot match it: per trial, {@link #matching}
     * subscriptions alone, then the same number beside {@code subscriptions - matching} that want other event types
     * (each its own topic of one partition, registered concurrently through admin-api, as many users would), and the
     * ratio of the two rates. The target: at least 1/1.2 = 0.83.
     */
    private void scale(Admin kafka, String source) throws Exception {
        int others = scaleSubscriptions - matching;
        List<Double> ratios = new ArrayList<>();
        for (int trial = 1; trial <= trials; trial++) {
            List<String> outputs = subscribe("alone" + trial, matching);
            Result alone = route(kafka, source, matching, "alone" + trial);
            long copies = count(kafka, outputs, true);
            unsubscribe();
            report(router(matching) + " alone", alone, alone, copies);

            long registerStart = System.nanoTime();
            List<String> unmatched = subscribeElsewhere("other" + trial, others);
            double registerSeconds = (System.nanoTime() - registerStart) / 1e9;
            outputs = subscribe("beside" + trial, matching);
            Result beside = route(kafka, source, matching, "beside" + trial);
            copies = count(kafka, outputs, true);
            long unmatchedCopies = count(kafka, unmatched, true);
            unsubscribe();
            double ratio = beside.perSecond(events) / alone.perSecond(events);
            ratios.add(ratio);
            report(router(matching) + " beside " + others + " unmatched", beside, alone, copies);
            System.out.printf(
                    "trial %d: %d unmatched subscriptions registered in %.1f s (%.0f/s); %d copies on their topics"
                            + " (expected 0); throughput beside them %.2f of alone (target >= 0.83)%n",
                    trial, others, registerSeconds, others / registerSeconds, unmatchedCopies, ratio);
        }
        double[] r = ratios.stream().mapToDouble(Double::doubleValue).toArray();
        System.out.printf(
                "%d subscriptions of which %d match: median %.2f (%.2f–%.2f) of the throughput with %d alone%n",
                scaleSubscriptions,
                matching,
                median(r),
                Arrays.stream(r).min().orElseThrow(),
                Arrays.stream(r).max().orElseThrow(),
                matching);
    }

    /**
     * Registers {@code n} subscriptions to event types no bench event has ({@code Bench.Unmatched.E<i>}), eight at
     * a time; answers their topics.
     */
    private List<String> subscribeElsewhere(String round, int n) throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<String>> ids = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String id = "bench-" + run + "-" + round + "-" + i;
                String json = "{\"id\": \"" + id + "\", \"app\": \"bench-plain\", \"topic\": \"bench.sub." + id
                        + "\", \"partitions\": 1, \"eventTypes\": [\"" + NOUN + ".Unmatched.E" + i + "\"]}";
                ids.add(pool.submit(() -> {
                    post("/v1/subscriptions", json);
                    return id;
                }));
            }
            List<String> outputs = new ArrayList<>();
            for (java.util.concurrent.Future<String> f : ids) {
                String id = f.get();
                synchronized (subscriptions) {
                    subscriptions.add(id);
                }
                outputs.add("bench.sub." + id);
                topics.add("bench.sub." + id);
            }
            return outputs;
        } finally {
            pool.shutdown();
        }
    }

    /**
     * Deletes the subscriptions registered so far, keeping their topics (they are deleted at the end), so that the
     * next round routes to its own subscriptions only.
     */
    private void unsubscribe() throws IOException, InterruptedException {
        for (String id : subscriptions) {
            int status = deleteSubscription(id);
            if (status / 100 != 2) {
                throw new IllegalStateException("could not delete subscription " + id + ": " + status);
            }
        }
        subscriptions.clear();
    }

    /** Deletes a subscription through admin-api, keeping its topic; answers the status. */
    private int deleteSubscription(String id) throws IOException, InterruptedException {
        return http.send(
                        HttpRequest.newBuilder(URI.create(admin + "/v1/subscriptions/" + id))
                                .header("Authorization", "Bearer " + adminToken)
                                .DELETE()
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(admin + path))
                        .header("Authorization", "Bearer " + adminToken)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201 && r.statusCode() != 409) {
            throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r;
    }

    private String storeTopic() {
        return "bench.router." + run + ".store";
    }

    private String ledgerTopic() {
        return "bench.router." + run + ".ledger";
    }

    private void createTopic(Admin kafka, String topic, int partitions) throws Exception {
        kafka.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                .all()
                .get(30, TimeUnit.SECONDS);
        topics.add(topic);
    }

    /** Removes the subscriptions still registered and every topic of this run, so that nothing of it is routed again. */
    private void cleanUp() {
        for (String id : subscriptions) {
            try {
                deleteSubscription(id);
            } catch (IOException e) {
                System.err.println("could not delete subscription " + id + ": " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        try (Admin kafka = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            kafka.deleteTopics(topics).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("could not delete the bench topics " + topics + ": " + e);
        }
    }
}
