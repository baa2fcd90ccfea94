package com.northwind.eventing.router.topology;

import com.northwind.eventing.common.model.RegistryTopics;
import com.northwind.eventing.common.registry.SchemaRegistryClient;
import com.northwind.eventing.common.serde.AvroWireSerializer;
import com.northwind.eventing.common.serde.EnvelopeSerde;
import com.northwind.eventing.common.store.LedgerRecord;
import com.northwind.eventing.common.store.StoreDocument;
import com.northwind.eventing.common.tracing.Tracing;
import com.northwind.eventing.schema.Envelope;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.LogAndFailProcessingExceptionHandler;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.processor.TopicNameExtractor;
import org.apache.kafka.streams.state.Stores;

/**
 * The router: every firehose event goes, once, to every subscription that wants it, projected and redacted for the
 * subscribing app, or to the dead-letter topic with the reason in headers; once to the event store's topic; and, when
 * a subscription's type patterns match it, once to the delivery ledger. Records of the replay topic go each to the one
 * subscription they name, counted per replay. The registry topics are global tables, so
 * a new, changed or deleted subscription, event type or app applies to the next event with no restart. Production
 * and tests build the topology and its configuration with the same two methods.
 */
public final class RouterTopology {
    public static final String FIREHOSE = "eventing.firehose";
    public static final String DEADLETTER = "eventing.deadletter";
    /** Events admin-api replays, each for one subscription. */
    public static final String REPLAY = "eventing.replay";
    /** Per replay id, what the router did with its records: {@code {"id", "delivered", "skipped"}}, compacted. */
    public static final String REPLAY_COUNTS = "eventing.replays.counts";

    /** On a replayed record and on each copy and dead letter made of it: the replay's id. */
    public static final String HEADER_REPLAY = "eventing-replay";
    /** On a replayed record: the id of the one subscription it is copied to. */
    public static final String HEADER_REPLAY_SUBSCRIPTION = "eventing-replay-subscription";
    /** On a replayed record: where admin-api read it, {@code firehose} or {@link #REPLAY_SOURCE_STORE}. */
    public static final String HEADER_REPLAY_SOURCE = "eventing-replay-source";

    public static final String REPLAY_SOURCE_STORE = "store";

    public static final String HEADER_EVENT_ID = "eventing-event-id";
    public static final String HEADER_EVENT_TYPE = "eventing-event-type";
    public static final String HEADER_SUBSCRIPTION = "eventing-subscription";
    public static final String HEADER_SYNTHETIC = "eventing-synthetic";
    public static final String HEADER_TRACEPARENT = "traceparent";
    public static final String HEADER_TRACESTATE = "tracestate";

    public static final String HEADER_DLQ_REASON = "eventing-deadletter-reason";
    public static final String HEADER_DLQ_EXCEPTION = "eventing-deadletter-exception";
    public static final String HEADER_DLQ_TOPIC = "eventing-deadletter-topic";
    public static final String HEADER_DLQ_PARTITION = "eventing-deadletter-partition";
    public static final String HEADER_DLQ_OFFSET = "eventing-deadletter-offset";
    /** The firehose record's value size in bytes, on a dead letter that holds no value. */
    public static final String HEADER_DLQ_SIZE = "eventing-deadletter-size";
    /** The SHA-256 of the firehose record's value, 64 lower-case hex digits, on a dead letter that holds no value. */
    public static final String HEADER_DLQ_SHA256 = "eventing-deadletter-sha256";

    static final String SUBSCRIPTIONS_STORE = "registry-subscriptions";
    static final String EVENT_TYPES_STORE = "registry-event-types";
    static final String APPS_STORE = "registry-apps";
    /** The replays' counts, by replay id: a persistent store, changelogged, so a restarted router counts on. */
    static final String REPLAY_COUNTS_STORE = "replay-counts";

    private RouterTopology() {}

    /**
     * The topics a router reads and writes besides subscription topics and the dead-letter topic; null turns each
     * output off, and a null {@code replay} reads no replays.
     *
     * @param source the firehose
     * @param store where each event's store document goes, keyed by event id
     * @param ledger where each event's delivery ledger record goes, keyed by event id
     * @param replay the replay topic
     * @param replayCounts where each replay's counts go, keyed by replay id; required with {@code replay}
     */
    public record Topics(String source, String store, String ledger, String replay, String replayCounts) {
        /** The platform's own. */
        public static final Topics PLATFORM =
                new Topics(FIREHOSE, StoreDocument.TOPIC, LedgerRecord.TOPIC, REPLAY, REPLAY_COUNTS);

        public Topics {
            if (source == null || (replay != null && replayCounts == null)) {
                throw new IllegalArgumentException("a router needs a source, and counts where it reads replays");
            }
        }
    }

    /**
     * Builds the topology with no record limits of its own: every copy goes to the producer. Events are stored and
     * ledgered, and replays read.
     */
    public static Topology build(SchemaRegistryClient registry) {
        return build(registry, RecordLimits.NONE);
    }

    /**
     * Builds the topology.
     *
     * @param registry the schema registry: firehose schemas are looked up in it, and the envelope is registered under
     *     each subscription topic's subject so that Confluent's deserializer reads those topics
     * @param limits the largest record each subscription topic takes; a larger copy is dead-lettered before the send
     *     (see {@link CopyFailureHandler}); and the store topic's, past which an event is stored without its body
     */
    public static Topology build(SchemaRegistryClient registry, RecordLimits limits) {
        return build(registry, limits, Topics.PLATFORM);
    }

    /**
     * Builds the topology reading {@code source} and writing each event's store document to {@code storeTopic}: the
     * firehose and {@link StoreDocument#TOPIC} in production; the router benchmark routes a topic of its own, so that
     * the platform's router does not route its events too, and stores them apart from the platform's events.
     *
     * @param storeTopic where each event's store document goes, keyed by event id; null writes none
     */
    public static Topology build(SchemaRegistryClient registry, RecordLimits limits, String source, String storeTopic) {
        return build(registry, limits, new Topics(source, storeTopic, null, null, null));
    }

    /** Builds the topology over {@code topics}, counting nothing. */
    public static Topology build(SchemaRegistryClient registry, RecordLimits limits, Topics topics) {
        return build(registry, limits, topics, RouterMetrics.NONE);
    }

    /** Builds the topology over {@code topics}, counting what it routes in {@code metrics}, making no spans. */
    public static Topology build(
            SchemaRegistryClient registry, RecordLimits limits, Topics topics, RouterMetrics metrics) {
        return build(registry, limits, topics, metrics, Tracing.off());
    }

    /**
     * Builds the topology over {@code topics}, counting what it routes in {@code metrics}; each routed record's spans
     * go to {@code tracing} when it is on.
     */
    public static Topology build(
            SchemaRegistryClient registry, RecordLimits limits, Topics topics, RouterMetrics metrics, Tracing tracing) {
        Serde<Envelope> envelopes = EnvelopeSerde.create(registry, true);
        AvroWireSerializer<Envelope> encoder = new AvroWireSerializer<>(registry, true);
        DeadLetters deadLetters = new DeadLetters(encoder, limits);
        StreamsBuilder builder = new StreamsBuilder();
        RegistryViews views = new RegistryViews();
        globalTable(
                builder, RegistryTopics.SUBSCRIPTIONS, SUBSCRIPTIONS_STORE, RegistryViews.Table.SUBSCRIPTIONS, views);
        globalTable(builder, RegistryTopics.EVENT_TYPES, EVENT_TYPES_STORE, RegistryViews.Table.EVENT_TYPES, views);
        globalTable(builder, RegistryTopics.APPS, APPS_STORE, RegistryViews.Table.APPS, views);

        // Raw bytes in: a record that cannot be deserialized is the processor's to dead-letter, not a crash.
        builder.stream(
                        topics.source(),
                        Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("firehose"))
                .process(
                        () -> new RoutingProcessor(
                                envelopes.deserializer(),
                                encoder,
                                limits,
                                views,
                                deadLetters,
                                topics.store(),
                                topics.ledger(),
                                metrics,
                                tracing),
                        Named.as("route"))
                .to(BY_TOPIC, produced("deliver"));
        if (topics.replay() != null) {
            // A sub-topology of its own (its own tasks), by the same processor code.
            KStream<byte[], Outbound> replayed = builder.stream(
                            topics.replay(),
                            Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
                                    .withName("replay"))
                    .process(
                            () -> RoutingProcessor.replaying(
                                    envelopes.deserializer(), encoder, limits, views, deadLetters, tracing),
                            Named.as("replay-route"));
            replayed.filter((key, out) -> !RoutingProcessor.TALLY.equals(out.topic()), Named.as("replay-copies"))
                    .to(BY_TOPIC, produced("replay-deliver"));
            // A replay's records are on every partition of the replay topic: its tallies go by replay id to one task,
            // which keeps the whole count.
            builder.addStateStore(Stores.keyValueStoreBuilder(
                    Stores.persistentKeyValueStore(REPLAY_COUNTS_STORE), Serdes.String(), Serdes.ByteArray()));
            replayed.filter((key, out) -> RoutingProcessor.TALLY.equals(out.topic()), Named.as("replay-tallies"))
                    .mapValues(Outbound::value, Named.as("replay-tally-values"))
                    .repartition(Repartitioned.<byte[], byte[]>as("replay-tallies")
                            .withKeySerde(Serdes.ByteArray())
                            .withValueSerde(Serdes.ByteArray()))
                    .process(
                            () -> new ReplayCounter(REPLAY_COUNTS_STORE), Named.as("replay-count"), REPLAY_COUNTS_STORE)
                    .to(
                            topics.replayCounts(),
                            Produced.with(Serdes.ByteArray(), Serdes.ByteArray())
                                    .withName("replay-counts"));
        }
        return builder.build();
    }

    private static final TopicNameExtractor<byte[], Outbound> BY_TOPIC = (key, value, context) -> value.topic();

    /**
     * A copy goes to the partition the processor chose and the ledger names; anything else where the producer's
     * default partitioner puts it. The processor chose among the partitions the topic had when it last read its count,
     * and Kafka never takes partitions away; a topic deleted and made again with fewer fails the task, retriably,
     * until the count is read again, rather than put a copy where the ledger does not say.
     */
    private static final StreamPartitioner<byte[], Outbound> CHOSEN_PARTITION = (topic, key, value, partitions) -> {
        int p = value.partition();
        if (p == Outbound.ANY_PARTITION) {
            return Optional.empty();
        }
        if (p >= partitions) {
            throw new FewerPartitionsException(
                    "topic " + topic + " has " + partitions + " partitions, and the copy was meant for partition " + p);
        }
        return Optional.of(Set.of(p));
    };

    /** The processor made each value's bytes, and chose each copy's partition: writing them is all that is left. */
    private static Produced<byte[], Outbound> produced(String name) {
        return Produced.with(
                        Serdes.ByteArray(),
                        Serdes.serdeFrom((topic, outbound) -> outbound.value(), RouterTopology::neverRead))
                .withStreamPartitioner(CHOSEN_PARTITION)
                .withName(name);
    }

    /** A topic has fewer partitions than when the router last read its count. */
    static final class FewerPartitionsException extends RetriableException {
        private static final long serialVersionUID = 1L;

        FewerPartitionsException(String message) {
            super(message);
        }
    }

    /** Outbound records are only ever written by the router. */
    private static Outbound neverRead(String topic, byte[] data) {
        throw new UnsupportedOperationException("the router does not read its own output");
    }

    private static void globalTable(
            StreamsBuilder builder, String topic, String store, RegistryViews.Table table, RegistryViews views) {
        builder.globalTable(
                topic,
                Consumed.with(Serdes.String(), Serdes.ByteArray()).withName(store + "-source"),
                Materialized.<String, byte[]>as(RegistryStore.supplier(store, table, views))
                        .withKeySerde(Serdes.String())
                        .withValueSerde(Serdes.ByteArray())
                        // No record cache in front of the store: the global thread flushes it only every 10,000
                        // records, so the store, and the view compiled from it, would not see a change for that long.
                        .withCachingDisabled());
    }

    /**
     * How often Streams commits when none is configured: its own exactly-once default. A read_committed consumer sees a
     * copy once its transaction commits, so this is also about the longest the commit makes a copy wait.
     */
    public static final java.time.Duration DEFAULT_COMMIT_INTERVAL = java.time.Duration.ofMillis(100);

    /**
     * Stream threads when none are configured: one per processor. A thread routes the firehose partitions (tasks)
     * given to it one record at a time, so one thread uses one core; threads beyond the partition count stay idle.
     */
    public static int defaultStreamThreads() {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * The Streams configuration: exactly-once, so that a crash and restart neither loses nor duplicates a copy.
     *
     * @param stateDir where Streams keeps its state (under the data dir in standalone)
     */
    @SuppressWarnings(
            "deprecation") // processing.exception.handler.global.enabled is deprecated from birth: 5.0 drops it
    public static Properties properties(String bootstrapServers, String applicationId, String stateDir) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, defaultStreamThreads());
        // Set, not left to Streams' default, so that what the router runs with is what it says it runs with.
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, DEFAULT_COMMIT_INTERVAL.toMillis());
        // Copies are compressed, as the intake compresses the firehose: each event is written once per subscription,
        // so the broker, its disks and every consumer move fewer bytes. Consumers decompress lz4 with no setting of
        // their own; Confluent's, librdkafka's and Kafka's all do.
        p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        // Larger batches, as the firehose's: each one opens an lz4 stream and a produce request, and at the router's
        // rates Kafka's 16 KiB batch fills in a millisecond or two. Lingering up to 20 ms lets a batch fill when the
        // copies come slower; a read_committed consumer sees a copy only when its transaction commits (every 100 ms),
        // so the linger adds less to what it waits for than it seems to.
        p.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 128 * 1024);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 20);
        p.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        p.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        // The processor dead-letters a copy that cannot be written for a reason of its own before it is sent; a record
        // the producer or broker refuses after that fails the task (retried when the error may pass).
        // errors.dead.letter.queue.topic.name stays unset: Streams' own dead letters have other headers than the
        // router's eventing-deadletter-*, and its default handlers would add them for failures that fail on purpose.
        p.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, CopyFailureHandler.class);
        // Log and fail, set explicitly because it now covers the global tables too (next line). The processor
        // dead-letters poison records itself; what still escapes it (a registry outage) must fail the task and retry.
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndFailProcessingExceptionHandler.class);
        // KIP-1270: whether the processing exception handler also handles failures while the global tables are
        // updated. Kafka's default, false, lets such a failure bypass the handler and stop the client; Kafka warns
        // whenever it is false, and 5.0 makes true the only behaviour. The global tables are the registry, which
        // decides what each app may see: a registry record passed over could leave an app reading fields under a
        // revoked grant, so a failure there must stop the router. With the log-and-fail handler above, true does
        // exactly that, now and after 5.0; a continue-type handler here would skip registry records and must not be
        // configured.
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        return p;
    }
}
