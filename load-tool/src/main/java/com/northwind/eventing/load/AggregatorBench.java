package com.northwind.eventing.load;

import com.northwind.eventing.common.model.Aggregation;
import com.northwind.eventing.common.model.App;
import com.northwind.eventing.common.model.EventType;
import com.northwind.eventing.common.model.EventTypeVersion;
import com.northwind.eventing.common.model.RegistryTopics;
import com.northwind.eventing.common.model.SensitiveField;
import com.northwind.eventing.common.model.Subscription;
import com.northwind.eventing.common.registry.SchemaRegistryClient;
import com.northwind.eventing.common.serde.AvroWireSerializer;
import com.northwind.eventing.common.tracing.Tracing;
import com.northwind.eventing.router.aggregation.AggregatorMetrics;
import com.northwind.eventing.router.aggregation.AggregatorTopology;
import com.northwind.eventing.router.topology.RouterMeters;
import com.northwind.eventing.router.topology.RouterTopology;
import com.northwind.eventing.router.topology.TopicRecordLimits;
import com.northwind.eventing.schema.Envelope;
import com.northwind.eventing.schema.Metadata;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import tools.jackson.databind.JsonNode;

/**
 * {@code --mode=aggregator}: the aggregator's throughput with 10 rules of mixed kinds over many open keys, beside the
 * router's over the same events, in one run, and the state the open keys take. Runs both topologies in this process
 * against the platform's broker (a standalone started with {@code --router=off}, so that neither runs there too),
 * reading the platform's firehose from offsets of the run's own, since the aggregator reads the firehose by name.
 *
 * <ol>
 *   <li>Registers six input types ({@code AggBench.<Verb>.Claim}, {@code /member/ssn} as PHI), the rules' output
 *       types, two apps and two subscriptions to the inputs (one app cleared for PHI, one not, as the router benchmark's)
 *       and 10 rules: 4 combine, 3 absence with 30-day deadlines, 3 sla with tag prefixes (one with an end). Straight
 *       onto the registry topics ({@link BenchRegistry}).
 *   <li>The opening segment: a {@code Submitted} and a {@code Received} event per key, {@code --open-keys} claim ids.
 *       The aggregator reads it (timed, not counted); then every keyed rule holds each key open.
 *   <li>{@code --warmup} segments, then {@code --trials} segments, each of {@code --events} events: mostly repeats of
 *       {@code Submitted} and {@code Received} on keys drawn at random (each updates the state of the open keys of
 *       the rules reading it), and for a block of keys of the segment's own a {@code Priced}, {@code Approved},
 *       {@code Paid} and {@code Closed} each, which complete each of the 4 combine rules once per key of the block and
 *       cancel the absences they end. Each segment is first routed by the router topology (2 subscriptions, a fresh
 *       application id, from the segment's offsets), then aggregated by the aggregator, which stays paused between
 *       segments with its state and JIT warm.
 *   <li>Per segment: both rates, their ratio, the aggregator's outputs by kind read back committed from the firehose,
 *       with what the combine rules must have made; at the end the medians of the trials, the open keys, and the
 *       stores' contents in bytes per open key.
 * </ol>
 */
final class AggregatorBench {
    static final String USAGE = "--mode=aggregator [--events=100000] [--open-keys=100000] [--warmup=1] [--trials=3]"
            + " [--body-bytes=300] [--stream-threads=1] [--router-threads=N] [--bootstrap=127.0.0.1:9092]"
            + " [--admin=http://127.0.0.1:8081] [--schema-registry=<admin>] [--admin-token=...|--data-dir=data]";

    static final String SUBMITTED = "AggBench.Submitted.Claim";
    static final String RECEIVED = "AggBench.Received.Claim";
    static final String PRICED = "AggBench.Priced.Claim";
    static final String APPROVED = "AggBench.Approved.Claim";
    static final String PAID = "AggBench.Paid.Claim";
    static final String CLOSED = "AggBench.Closed.Claim";
    /** The block events of a measured segment, per key of its block, in the order they are sent. */
    static final List<String> CLOSING = List.of(PRICED, APPROVED, PAID, CLOSED);

    static final int COMBINE_RULES = 4;
    private static final String[] STATES = {"TX", "CA", "NY", "FL", "IL", "PA", "OH", "GA", "NC", "MI"};
    private static final String[] CHANNELS = {"web", "phone", "mail"};
    private static final int ROUTER_SUBSCRIPTIONS = 2;
    /** How long one segment may take before the run gives up, naming the line. */
    private static final Duration SEGMENT_TIMEOUT = Duration.ofMinutes(30);

    /** The options, each checked as {@link Args} checks them. */
    record Options(
            String bootstrap,
            int events,
            int openKeys,
            int warmup,
            int trials,
            int bodyBytes,
            int streamThreads,
            int routerThreads) {
        static Options of(Map<String, String> o) {
            int warmup = Args.integer(o, "warmup", 1, 0, 10);
            int trials = Args.integer(o, "trials", 3, 1, 20);
            int openKeys = Args.integer(o, "open-keys", 100_000, 10, 10_000_000);
            if (openKeys < warmup + trials) {
                throw new IllegalArgumentException("--open-keys must be at least --warmup + --trials ("
                        + (warmup + trials) + "), not " + openKeys + ": each segment completes keys of its own");
            }
            return new Options(
                    o.getOrDefault("bootstrap", "127.0.0.1:9092"),
                    Args.integer(o, "events", 100_000, 100, 10_000_000),
                    openKeys,
                    warmup,
                    trials,
                    Args.integer(o, "body-bytes", 300, 200, 100_000),
                    Args.integer(o, "stream-threads", 1, 1, 16),
                    Args.integer(o, "router-threads", RouterTopology.defaultStreamThreads(), 1, 16));
        }

        /** How many keys each measured segment completes: a twentieth of its events, within its share of the keys. */
        int block() {
            return Math.min(events / 20, openKeys / (warmup + trials));
        }
    }

    /** One event of a segment: its type and the index of its claim id. */
    record Planned(String type, int key) {}

    /**
     * One segment's lines: the router's and the aggregator's results (null for the router on the opening segment),
     * the router's copies, the aggregator's committed outputs by rule kind ({@code combine}, {@code absence},
     * {@code sla}), what the combine rules had to make, and the open keys after it.
     */
    record Segment(
            String name,
            int events,
            RouterBench.Result router,
            long copies,
            RouterBench.Result aggregator,
            Map<String, Long> outputs,
            long expectedCombine,
            long deadLettered,
            long openKeys) {
        double ratio() {
            return aggregator.perSecond(events) / router.perSecond(events);
        }
    }

    /**
     * What the state stores hold at the end: key states (open keys) and sla windows in {@code aggregation-state},
     * timers in {@code aggregation-timers}, each as the bytes of the keys and values Streams writes (which the
     * changelogs hold), and RocksDB's files on disk after a clean close.
     */
    record StateSize(
            long openKeys, long stateEntries, long stateBytes, long timerEntries, long timerBytes, long sstBytes) {
        double bytesPerOpenKey() {
            return openKeys == 0 ? 0 : (stateBytes + timerBytes) / (double) openKeys;
        }
    }

    record Report(List<Segment> segments, StateSize state) {
        List<Segment> trials() {
            return segments.stream().filter(s -> s.name().startsWith("trial")).toList();
        }
    }

    private final Options options;
    private final SchemaRegistryClient registry;
    private final PrintStream out;
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String prefix = "bench-aggregator-" + run;
    private final String aggregatorId = prefix + "-aggregator";
    private final Map<String, String> kinds = new LinkedHashMap<>();
    private final BenchMetrics metrics = new BenchMetrics();
    private final List<String> subscriptionTopics = new ArrayList<>();
    private final Bodies bodies;
    private final SplittableRandom random = new SplittableRandom(20261207L);
    private int sequence;

    AggregatorBench(Options options, SchemaRegistryClient registry, PrintStream out) {
        this.options = options;
        this.registry = registry;
        this.out = out;
        this.bodies = new Bodies(options.bodyBytes());
    }

    Report run() throws Exception {
        Path stateDir = Files.createTempDirectory("aggregator-bench");
        try (Admin kafka = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap()));
                BenchRegistry registryTopics = new BenchRegistry(options.bootstrap())) {
            requirePlatformTopics(kafka);
            try {
                return measure(kafka, registryTopics, stateDir);
            } finally {
                registryTopics.takeBack();
                deleteRunTopics(kafka);
            }
        } finally {
            RouterBench.deleteTree(stateDir);
        }
    }

    private Report measure(Admin kafka, BenchRegistry registryTopics, Path stateDir) throws Exception {
        register(kafka, registryTopics);
        out.printf(
                "aggregator bench %s: %d rules (%s) over %d keys; segments of %d events (%d-byte bodies), %d"
                        + " completing keys each; aggregator %d stream thread(s), router %d%n",
                run,
                kinds.size(),
                "4 combine, 3 absence, 3 sla",
                options.openKeys(),
                options.events(),
                options.bodyBytes(),
                options.block(),
                options.streamThreads(),
                options.routerThreads());
        List<Segment> segments = new ArrayList<>();
        Properties config = AggregatorTopology.properties(options.bootstrap(), aggregatorId, stateDir.toString());
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, options.streamThreads());
        KafkaStreams aggregator = null;
        try {
            Map<TopicPartition, Long> from = RouterBench.endOffsets(kafka, AggregatorTopology.FIREHOSE);
            Map<TopicPartition, Long> to = seed(opening(options.openKeys()));
            // The application's first offsets: the opening segment's, not the start of the platform's firehose.
            commitOffsets(kafka, aggregatorId, from);
            aggregator = new KafkaStreams(AggregatorTopology.build(registry, metrics, Tracing.off()), config);
            aggregator.setUncaughtExceptionHandler(AggregatorBench::stopOnFailure);
            RouterBench.Result opening = aggregate(kafka, aggregator, to, true);
            Segment first = segment("opening", 2 * options.openKeys(), null, 0, opening, to, 0);
            segments.add(first);
            out.printf(
                    "opening: %d events (a Submitted and a Received per key) aggregated at %.0f events/s (%.2f s),"
                            + " not counted; %d open keys%n",
                    first.events(), opening.perSecond(first.events()), opening.nanos() / 1e9, first.openKeys());

            int measured = options.warmup() + options.trials();
            for (int m = 0; m < measured; m++) {
                String name = m < options.warmup()
                        ? "warm-up " + (m + 1) + " of " + options.warmup()
                        : "trial " + (m - options.warmup() + 1) + " of " + options.trials();
                from = RouterBench.endOffsets(kafka, AggregatorTopology.FIREHOSE);
                to = seed(measuredSegment(options, m, random));
                long copiesBefore = RouterBench.count(options.bootstrap(), subscriptionTopics, true);
                RouterBench.Result routed = route(kafka, m, from, to);
                long copies = RouterBench.count(options.bootstrap(), subscriptionTopics, true) - copiesBefore;
                RouterBench.Result aggregated = aggregate(kafka, aggregator, to, false);
                Segment s = segment(
                        name, options.events(), routed, copies, aggregated, to, (long) COMBINE_RULES * options.block());
                segments.add(s);
                report(s);
            }
            StateSize state = stateSize(aggregator);
            aggregator.close(Duration.ofSeconds(60));
            aggregator = null;
            state = new StateSize(
                    state.openKeys(),
                    state.stateEntries(),
                    state.stateBytes(),
                    state.timerEntries(),
                    state.timerBytes(),
                    sstBytes(stateDir));
            Report report = new Report(segments, state);
            summarize(report);
            return report;
        } finally {
            if (aggregator != null) {
                aggregator.close(Duration.ofSeconds(60));
            }
        }
    }

    // --- the workload

    /** A {@code Submitted} and a {@code Received} per key: every keyed rule then holds each key open. */
    static List<Planned> opening(int keys) {
        List<Planned> events = new ArrayList<>(2 * keys);
        for (int k = 0; k < keys; k++) {
            events.add(new Planned(SUBMITTED, k));
            events.add(new Planned(RECEIVED, k));
        }
        return events;
    }

    /**
     * Measured segment {@code m}: every fifth event, while the block lasts, one of {@link #CLOSING} for the segment's
     * block of keys (keys {@code m * block} on, each key's four in turn); the others alternately a {@code Submitted}
     * and a {@code Received} on a key drawn at random. The blocks of two segments never share a key, so each combine
     * rule completes exactly once per key of the block: those keys hold a {@code Submitted} and a {@code Received}
     * from the opening (or a later repeat), and get their other inputs only here.
     */
    static List<Planned> measuredSegment(Options options, int m, SplittableRandom random) {
        int block = options.block();
        int closing = CLOSING.size() * block;
        List<Planned> events = new ArrayList<>(options.events());
        int b = 0;
        boolean submitted = true;
        for (int j = 0; j < options.events(); j++) {
            if (j % 5 == 0 && b < closing) {
                events.add(new Planned(CLOSING.get(b % CLOSING.size()), m * block + b / CLOSING.size()));
                b++;
            } else {
                events.add(new Planned(submitted ? SUBMITTED : RECEIVED, random.nextInt(options.openKeys())));
                submitted = !submitted;
            }
        }
        return events;
    }

    static String claimId(int key) {
        return String.format(java.util.Locale.ROOT, "CLM-%08d", key);
    }

    /** Writes the events to the firehose as the intake writes it, keyed by claim id; answers its end offsets after. */
    private Map<TopicPartition, Long> seed(List<Planned> events) throws Exception {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap());
        // As the intake's firehose producer.
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        AvroWireSerializer<Envelope> envelopes = new AvroWireSerializer<>(registry, true);
        AtomicReference<Exception> failed = new AtomicReference<>();
        Instant now = Instant.now();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (Planned planned : events) {
                String claim = claimId(planned.key());
                String[] name = planned.type().split("\\.");
                String id = UUID.randomUUID().toString();
                Envelope e = Envelope.newBuilder()
                        .setEventId(id)
                        .setNoun(name[0])
                        .setVerb(name[1])
                        .setObject(name[2])
                        .setEventType(planned.type())
                        .setMetadata(Metadata.newBuilder()
                                .setTransactionId("tx-" + id)
                                .setOccurredAt(now)
                                .setReceivedAt(now)
                                .setProducerApp("bench-producer")
                                .build())
                        .setTags(tags(planned.key()))
                        .setSynthetic(false)
                        .setBody(bodies.next(sequence++, claim))
                        .setBodySchemaVersion(1)
                        .build();
                producer.send(
                        new ProducerRecord<>(
                                AggregatorTopology.FIREHOSE,
                                claim.getBytes(StandardCharsets.UTF_8),
                                envelopes.serialize(AggregatorTopology.FIREHOSE, e)),
                        (meta, ex) -> {
                            if (ex != null) {
                                failed.compareAndSet(null, ex);
                            }
                        });
            }
            producer.flush();
        }
        if (failed.get() != null) {
            throw new IllegalStateException("could not seed the firehose", failed.get());
        }
        try (Admin kafka = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap()))) {
            return RouterBench.endOffsets(kafka, AggregatorTopology.FIREHOSE);
        }
    }

    /** A key's tags: its state, plan and channel, which the sla rules count by. */
    static List<String> tags(int key) {
        return List.of("state:" + STATES[key % STATES.length], "plan:P" + key % 5, "channel:" + CHANNELS[key % 3]);
    }

    // --- the registry

    private void register(Admin kafka, BenchRegistry topics) throws Exception {
        JsonNode example = RegistryTopics.JSON.readTree(new Bodies(options.bodyBytes()).next(0, claimId(0)));
        for (String type : List.of(SUBMITTED, RECEIVED, PRICED, APPROVED, PAID, CLOSED)) {
            topics.eventType(type(
                    type,
                    "{\"type\": \"object\", \"required\": [\"claimId\"]}",
                    List.of(new SensitiveField("/member/ssn", "PHI")),
                    example));
        }
        String object = "{\"type\": \"object\"}";
        String combined = "{\"type\": \"object\", \"required\": [\"key\", \"events\"]}";
        String missed = "{\"type\": \"object\", \"required\": [\"key\", \"deadline\"]}";
        String counted = "{\"type\": \"object\", \"required\": [\"windowStart\", \"windowEnd\", \"count\"]}";
        List<SensitiveField> copiedSsn = List.of(new SensitiveField("/events/*/member/ssn", "PHI"));
        List<SensitiveField> startSsn = List.of(new SensitiveField("/start/member/ssn", "PHI"));
        for (String type : List.of(
                "AggBench.Matched.Pricing",
                "AggBench.Matched.Payment",
                "AggBench.Matched.Approval",
                "AggBench.Matched.Closure")) {
            topics.eventType(type(type, combined, copiedSsn, null));
        }
        for (String type : List.of("AggBench.Missed.Closure", "AggBench.Missed.Payment", "AggBench.Missed.Approval")) {
            topics.eventType(type(type, missed, startSsn, null));
        }
        for (String type : List.of("AggBench.Counted.State", "AggBench.Counted.Channel", "AggBench.Counted.Plan")) {
            topics.eventType(type(type, counted, List.of(), null));
        }
        topics.eventType(type("AggBench.Breached.Plan", object, List.of(), null));

        for (String rule : rules()) {
            Aggregation a = RegistryTopics.JSON.readValue(rule, Aggregation.class);
            kinds.put(a.id(), a.kind());
            topics.aggregation(a);
        }

        String cleared = prefix + "-cleared";
        String plain = prefix + "-plain";
        topics.app(new App(cleared, "load", List.of(), List.of("PHI"), List.of(), null, Instant.EPOCH, Instant.EPOCH));
        topics.app(new App(plain, "load", List.of(), List.of(), List.of(), null, Instant.EPOCH, Instant.EPOCH));
        for (int i = 0; i < ROUTER_SUBSCRIPTIONS; i++) {
            String id = prefix + "-sub-" + i;
            String topic = "bench.aggregator." + run + ".sub" + i;
            createTopic(kafka, topic, 3);
            subscriptionTopics.add(topic);
            topics.subscription(new Subscription(
                    id,
                    i % 2 == 0 ? cleared : plain,
                    List.of("AggBench.*.Claim"),
                    null,
                    null,
                    null,
                    List.of(),
                    topic,
                    3,
                    Instant.EPOCH));
        }
        createTopic(kafka, storeTopic(), 6);
        createTopic(kafka, ledgerTopic(), 6);
    }

    private static EventType type(String name, String schema, List<SensitiveField> sensitive, JsonNode example) {
        String[] part = name.split("\\.");
        return new EventType(
                part[0],
                part[1],
                part[2],
                "Events of the aggregator benchmark",
                "load-tool",
                1,
                example,
                List.of(new EventTypeVersion(1, RegistryTopics.JSON.readTree(schema), sensitive, Instant.EPOCH)),
                Instant.EPOCH,
                Instant.EPOCH);
    }

    /**
     * The 10 rules: 4 combine (2 and 3 inputs, whole bodies or kept fields), 3 absence with deadlines far beyond the
     * run (so their keys stay open), 3 sla by tag prefix (tumbling, hopping, and start-to-end durations with a
     * percentile threshold).
     */
    private List<String> rules() {
        String r = prefix + "-";
        return List.of(
                combine(r + "pricing", "AggBench.Matched.Pricing", "", SUBMITTED, PRICED),
                combine(r + "payment", "AggBench.Matched.Payment", "[\"/status\"]", SUBMITTED, APPROVED, PAID),
                combine(
                        r + "approval",
                        "AggBench.Matched.Approval",
                        "[\"/status\", \"/provider\"]",
                        RECEIVED,
                        APPROVED),
                combine(r + "closure", "AggBench.Matched.Closure", "", RECEIVED, PRICED, CLOSED),
                absence(r + "missed-closure", "AggBench.Missed.Closure", SUBMITTED, CLOSED, "[\"/status\"]"),
                absence(r + "missed-payment", "AggBench.Missed.Payment", RECEIVED, PAID, ""),
                absence(r + "missed-approval", "AggBench.Missed.Approval", PRICED, APPROVED, "[\"/status\"]"),
                "{\"id\": \"" + r + "by-state\", \"kind\": \"sla\", \"eventType\": \"" + SUBMITTED
                        + "\", \"tagPrefix\": \"state:\", \"window\": \"PT1M\", \"output\":"
                        + " \"AggBench.Counted.State\"}",
                "{\"id\": \"" + r + "by-channel\", \"kind\": \"sla\", \"eventType\": \"" + RECEIVED
                        + "\", \"tagPrefix\": \"channel:\", \"window\": \"PT5M\", \"hop\": \"PT1M\", \"output\":"
                        + " \"AggBench.Counted.Channel\"}",
                "{\"id\": \"" + r + "to-payment\", \"kind\": \"sla\", \"eventType\": \"" + SUBMITTED
                        + "\", \"key\": \"/claimId\", \"end\": {\"eventType\": \"" + PAID
                        + "\", \"key\": \"/claimId\"}, \"timeout\": \"P30D\", \"tagPrefix\": \"plan:\","
                        + " \"window\": \"PT1M\", \"threshold\": {\"percentile\": 95, \"within\": \"P1D\","
                        + " \"output\": \"AggBench.Breached.Plan\"}, \"output\": \"AggBench.Counted.Plan\"}");
    }

    private static String combine(String id, String output, String fields, String... inputs) {
        List<String> listed = new ArrayList<>();
        for (String in : inputs) {
            listed.add("{\"eventType\": \"" + in + "\", \"key\": \"/claimId\""
                    + (fields.isEmpty() ? "" : ", \"fields\": " + fields) + "}");
        }
        return "{\"id\": \"" + id + "\", \"kind\": \"combine\", \"window\": \"P30D\", \"inputs\": ["
                + String.join(", ", listed) + "], \"output\": \"" + output + "\"}";
    }

    private static String absence(String id, String output, String start, String expected, String fields) {
        return "{\"id\": \"" + id + "\", \"kind\": \"absence\", \"deadline\": \"P30D\", \"start\": {\"eventType\": \""
                + start + "\", \"key\": \"/claimId\"" + (fields.isEmpty() ? "" : ", \"fields\": " + fields)
                + "}, \"expected\": {\"eventType\": \"" + expected + "\", \"key\": \"/claimId\"}, \"output\": \""
                + output + "\"}";
    }

    // --- the lines

    /**
     * The aggregator over a segment already on the firehose: started (the opening) or resumed, timed from when it
     * runs (state RUNNING or its first record, whichever is first) until its committed offsets reach the segment's end
     * on the firehose and then on its repartition topic, so every input is aggregated and every output it made then
     * committed; paused after.
     */
    private RouterBench.Result aggregate(
            Admin kafka, KafkaStreams aggregator, Map<TopicPartition, Long> end, boolean start) throws Exception {
        long wallStart = System.nanoTime();
        long cpuStart = RouterBench.cpuNanos();
        long running;
        if (start) {
            AtomicLong runningAt = new AtomicLong();
            aggregator.setStateListener((now, before) -> {
                if (now == KafkaStreams.State.RUNNING) {
                    runningAt.compareAndSet(0, System.nanoTime());
                }
            });
            aggregator.start();
            while (runningAt.get() == 0 && RouterBench.processed(aggregator) == 0) {
                RouterBench.failIfStopped(aggregator, "the aggregator");
                Thread.sleep(1);
            }
            runningAt.compareAndSet(0, System.nanoTime());
            running = runningAt.get();
        } else {
            aggregator.resume();
            running = System.nanoTime();
        }
        awaitCommitted(kafka, aggregator, aggregatorId, end, "the aggregator");
        String repartition = aggregatorId + "-aggregation-inputs-repartition";
        awaitCommitted(kafka, aggregator, aggregatorId, RouterBench.endOffsets(kafka, repartition), "the aggregator");
        long done = System.nanoTime();
        aggregator.pause();
        return new RouterBench.Result(done - running, done - wallStart, RouterBench.cpuNanos() - cpuStart);
    }

    /**
     * The router topology (the service's, with its store and ledger records to topics of the run's own) over the
     * segment, from its offsets, with a fresh application id: timed as the router benchmark times it.
     */
    private RouterBench.Result route(Admin kafka, int m, Map<TopicPartition, Long> from, Map<TopicPartition, Long> end)
            throws Exception {
        String applicationId = prefix + "-router-" + m;
        commitOffsets(kafka, applicationId, from);
        Path stateDir = Files.createTempDirectory("aggregator-bench-router");
        Properties config = RouterTopology.properties(options.bootstrap(), applicationId, stateDir.toString());
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, options.routerThreads());
        long wallStart = System.nanoTime();
        long cpuStart = RouterBench.cpuNanos();
        AtomicLong running = new AtomicLong();
        try (Admin limitsAdmin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap()));
                KafkaStreams router = new KafkaStreams(
                        RouterTopology.build(
                                registry,
                                new TopicRecordLimits(limitsAdmin, 1024 * 1024, Duration.ofMinutes(1)),
                                new RouterTopology.Topics(
                                        AggregatorTopology.FIREHOSE, storeTopic(), ledgerTopic(), null, null),
                                new RouterMeters(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))),
                        config)) {
            router.setStateListener((now, before) -> {
                if (now == KafkaStreams.State.RUNNING) {
                    running.compareAndSet(0, System.nanoTime());
                }
            });
            router.setUncaughtExceptionHandler(AggregatorBench::stopOnFailure);
            router.start();
            while (running.get() == 0 && RouterBench.processed(router) == 0) {
                RouterBench.failIfStopped(router, "the router");
                Thread.sleep(1);
            }
            running.compareAndSet(0, System.nanoTime());
            awaitCommitted(kafka, router, applicationId, end, "the router");
            long done = System.nanoTime();
            return new RouterBench.Result(done - running.get(), done - wallStart, RouterBench.cpuNanos() - cpuStart);
        } finally {
            RouterBench.deleteTree(stateDir);
        }
    }

    private static StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse stopOnFailure(Throwable e) {
        System.err.println("stream thread failed: " + e);
        return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }

    private static void awaitCommitted(
            Admin kafka, KafkaStreams streams, String group, Map<TopicPartition, Long> end, String what)
            throws Exception {
        long deadline = System.nanoTime() + SEGMENT_TIMEOUT.toNanos();
        while (!RouterBench.committedTo(kafka, group, end)) {
            RouterBench.failIfStopped(streams, what);
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + " did not commit the segment's end within " + SEGMENT_TIMEOUT);
            }
            Thread.sleep(50);
        }
    }

    /** Sets a consumer group's offsets before its application first starts, so that it reads from there. */
    private static void commitOffsets(Admin kafka, String group, Map<TopicPartition, Long> offsets) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> at = new HashMap<>();
        offsets.forEach((tp, offset) -> at.put(tp, new OffsetAndMetadata(offset)));
        kafka.alterConsumerGroupOffsets(group, at).all().get(30, TimeUnit.SECONDS);
    }

    // --- what came out

    private Segment segment(
            String name,
            int events,
            RouterBench.Result routed,
            long copies,
            RouterBench.Result aggregated,
            Map<TopicPartition, Long> segmentEnd,
            long expectedCombine) {
        Map<String, Long> byKind = new TreeMap<>(Map.of("combine", 0L, "absence", 0L, "sla", 0L));
        outputsSince(segmentEnd).forEach((rule, n) -> byKind.merge(kinds.get(rule), n, Long::sum));
        return new Segment(
                name,
                events,
                routed,
                copies,
                aggregated,
                byKind,
                expectedCombine,
                metrics.deadLettered.sumThenReset(),
                metrics.openKeys.sum());
    }

    /** The outputs of this run's rules on the firehose after the offsets, read committed, by rule id. */
    private Map<String, Long> outputsSince(Map<TopicPartition, Long> from) {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap());
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        Map<String, Long> byRule = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(from.keySet());
            from.forEach(consumer::seek);
            Map<TopicPartition, Long> end = consumer.endOffsets(from.keySet());
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (from.keySet().stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    Header h = r.headers().lastHeader(AggregatorTopology.HEADER_AGGREGATION);
                    String rule = h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
                    if (rule != null && kinds.containsKey(rule)) {
                        byRule.merge(rule, 1L, Long::sum);
                    }
                }
            }
        }
        return byRule;
    }

    /** Walks both stores through interactive queries, counting each entry's key and value bytes as Streams writes them. */
    private static StateSize stateSize(KafkaStreams aggregator) {
        long open = 0;
        long stateEntries = 0;
        long stateBytes = 0;
        ReadOnlyKeyValueStore<String, byte[]> state = aggregator.store(
                StoreQueryParameters.fromNameAndType("aggregation-state", QueryableStoreTypes.keyValueStore()));
        try (KeyValueIterator<String, byte[]> it = state.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> e = it.next();
                stateEntries++;
                stateBytes += e.key.getBytes(StandardCharsets.UTF_8).length + e.value.length;
                // Key states are <rule>\nk\n<key>; sla windows <rule>\nw\n...
                if (e.key.contains("\nk\n")) {
                    open++;
                }
            }
        }
        long timerEntries = 0;
        long timerBytes = 0;
        ReadOnlyKeyValueStore<Bytes, byte[]> timers = aggregator.store(
                StoreQueryParameters.fromNameAndType("aggregation-timers", QueryableStoreTypes.keyValueStore()));
        try (KeyValueIterator<Bytes, byte[]> it = timers.all()) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> e = it.next();
                timerEntries++;
                timerBytes += e.key.get().length + e.value.length;
            }
        }
        return new StateSize(open, stateEntries, stateBytes, timerEntries, timerBytes, 0);
    }

    /** The bytes of RocksDB's table files under the state directory: what the stores take on disk. */
    private static long sstBytes(Path stateDir) throws IOException {
        try (Stream<Path> files = Files.walk(stateDir)) {
            long total = 0;
            for (Path f : files.filter(f -> f.toString().endsWith(".sst")).toList()) {
                total += Files.size(f);
            }
            return total;
        }
    }

    private void report(Segment s) {
        out.printf(
                "%s:%n  %-30s %9.0f events/s  (%.2f s; %.2f s with start-up)  [%d copies, expected %d; this process"
                        + " %.0f µs CPU/event]%n",
                s.name(),
                "router, " + ROUTER_SUBSCRIPTIONS + " subscriptions",
                s.router().perSecond(s.events()),
                s.router().nanos() / 1e9,
                s.router().wallNanos() / 1e9,
                s.copies(),
                (long) ROUTER_SUBSCRIPTIONS * s.events(),
                s.router().cpuNanos() / 1e3 / s.events());
        out.printf(
                "  %-30s %9.0f events/s  (%.2f s)  ratio to the router %.2f  [outputs %s, combine expected %d;"
                        + " dead-lettered %d; %d open keys; this process %.0f µs CPU/event]%n",
                "aggregator, " + kinds.size() + " rules",
                s.aggregator().perSecond(s.events()),
                s.aggregator().nanos() / 1e9,
                s.ratio(),
                s.outputs(),
                s.expectedCombine(),
                s.deadLettered(),
                s.openKeys(),
                s.aggregator().cpuNanos() / 1e3 / s.events());
        if (s.outputs().get("combine") != s.expectedCombine()) {
            out.printf(
                    "  !! the combine rules made %d outputs, expected %d%n",
                    s.outputs().get("combine"), s.expectedCombine());
        }
    }

    private void summarize(Report report) {
        List<Segment> trials = report.trials();
        double[] aggregated = trials.stream()
                .mapToDouble(s -> s.aggregator().perSecond(s.events()))
                .toArray();
        double[] routed = trials.stream()
                .mapToDouble(s -> s.router().perSecond(s.events()))
                .toArray();
        double[] ratios = trials.stream().mapToDouble(Segment::ratio).toArray();
        out.printf(
                "%nmedians of %d trials: aggregator %.0f events/s, router (2 subscriptions) %.0f events/s; the"
                        + " aggregator at %.2f of the router's rate (%.2f–%.2f)%n",
                trials.size(),
                RouterBench.median(aggregated),
                RouterBench.median(routed),
                RouterBench.median(ratios),
                java.util.Arrays.stream(ratios).min().orElseThrow(),
                java.util.Arrays.stream(ratios).max().orElseThrow());
        StateSize s = report.state();
        out.printf(
                "state at the end: %d open keys (rule × key) over %d claim ids; aggregation-state %d entries, %d"
                        + " bytes; aggregation-timers %d entries, %d bytes; %.0f bytes of store contents per open key;"
                        + " RocksDB table files on disk after close %d bytes (%.0f per open key)%n",
                s.openKeys(),
                options.openKeys(),
                s.stateEntries(),
                s.stateBytes(),
                s.timerEntries(),
                s.timerBytes(),
                s.bytesPerOpenKey(),
                s.sstBytes(),
                s.openKeys() == 0 ? 0 : s.sstBytes() / (double) s.openKeys());
    }

    // --- topics

    private String storeTopic() {
        return "bench.aggregator." + run + ".store";
    }

    private String ledgerTopic() {
        return "bench.aggregator." + run + ".ledger";
    }

    private static void createTopic(Admin kafka, String topic, int partitions) throws Exception {
        kafka.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                .all()
                .get(30, TimeUnit.SECONDS);
    }

    private static void requirePlatformTopics(Admin kafka) throws Exception {
        Set<String> existing = kafka.listTopics().names().get(30, TimeUnit.SECONDS);
        List<String> missing = Stream.of(
                        AggregatorTopology.FIREHOSE,
                        RegistryTopics.EVENT_TYPES,
                        RegistryTopics.APPS,
                        RegistryTopics.SUBSCRIPTIONS,
                        RegistryTopics.AGGREGATIONS)
                .filter(t -> !existing.contains(t))
                .toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("the platform's topics " + missing + " are missing: start the standalone"
                    + " platform (with --router=off) before this mode");
        }
    }

    /**
     * Deletes the run's topics: the subscriptions', store and ledger topics, and the Streams applications' internal
     * topics. The events seeded on the firehose stay there: it is the platform's.
     */
    private void deleteRunTopics(Admin kafka) {
        try {
            List<String> ours = kafka.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                    .filter(t -> t.startsWith("bench.aggregator." + run + ".") || t.startsWith(prefix + "-"))
                    .toList();
            kafka.deleteTopics(ours).all().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("could not delete the bench topics of run " + run + ": " + e);
        }
    }

    /** Counts what the aggregator reports: dead letters, and its open keys (the sum of the rules' gauges). */
    private static final class BenchMetrics implements AggregatorMetrics {
        final LongAdder deadLettered = new LongAdder();
        final LongAdder openKeys = new LongAdder();
        final Map<String, LongAdder> skipped = new ConcurrentHashMap<>();

        @Override
        public void emitted(String rule, String kind) {}

        @Override
        public void skipped(String rule, String reason) {
            skipped.computeIfAbsent(reason, r -> new LongAdder()).increment();
        }

        @Override
        public void deadLettered(String rule) {
            deadLettered.increment();
        }

        @Override
        public void openKeys(String rule, long delta) {
            openKeys.add(delta);
        }
    }
}
