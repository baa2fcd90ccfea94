package com.northwind.eventing.router.aggregation;

import com.northwind.eventing.common.model.RegistryTopics;
import com.northwind.eventing.common.registry.SchemaRegistryClient;
import com.northwind.eventing.common.serde.AvroWireSerializer;
import com.northwind.eventing.common.serde.EnvelopeSerde;
import com.northwind.eventing.common.tracing.Tracing;
import com.northwind.eventing.router.topology.RegistryStore;
import com.northwind.eventing.router.topology.RouterTopology;
import com.northwind.eventing.schema.Envelope;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.TopicNameExtractor;
import org.apache.kafka.streams.state.Stores;

/**
 * The aggregator: makes new events out of the firehose's by the aggregation rules of {@code
 * eventing.registry.aggregations}, exactly once. Each event is keyed, for each rule reading its type, by the rule and
 * its correlation key ({@link KeyingProcessor}), repartitioned so that one key of one rule meets in one task, and
 * aggregated there in state stores with changelogs ({@link AggregatingProcessor}); outputs go back to the firehose, as
 * envelopes of the rules' output types, where the router routes, redacts and stores them like any event, in the same
 * transaction as the state that made them. The rules and event types are global tables: a rule added, changed or
 * deleted applies with no restart. Production and tests build it with the same methods.
 */
public final class AggregatorTopology {
    public static final String FIREHOSE = RouterTopology.FIREHOSE;
    /** The outputs' {@code metadata.producerApp}. */
    public static final String PRODUCER_APP = "eventing-aggregator";

    public static final String DEFAULT_APPLICATION_ID = "eventing-aggregator";
    /** On an output and its dead letter: the id of the rule that made it. */
    public static final String HEADER_AGGREGATION = "eventing-aggregation";

    static final String RULES_STORE = "registry-aggregations";
    static final String EVENT_TYPES_STORE = "registry-event-types";
    /** Each open key's state, and each sla window's counts. */
    static final String STATE_STORE = "aggregation-state";
    /** The open keys' deadlines, ordered by due time. */
    static final String TIMERS_STORE = "aggregation-timers";
    /** The repartition topic's name within the application: {@code <application.id>-aggregation-inputs-repartition}. */
    static final String INPUTS = "aggregation-inputs";

    private AggregatorTopology() {}

    /** Builds the topology, counting nothing and making no spans. */
    public static Topology build(SchemaRegistryClient registry) {
        return build(registry, AggregatorMetrics.NONE, Tracing.off());
    }

    /**
     * Builds the topology.
     *
     * @param registry firehose schemas are looked up in it, and the envelope registered under the firehose's subject
     *     (and the dead-letter topic's) as the intake registers it
     * @param metrics what is counted
     * @param tracing where each output's span goes, when on
     */
    public static Topology build(SchemaRegistryClient registry, AggregatorMetrics metrics, Tracing tracing) {
        RuleViews views = new RuleViews();
        AvroWireSerializer<Envelope> encoder = new AvroWireSerializer<>(registry, true);
        StreamsBuilder builder = new StreamsBuilder();
        globalTable(builder, RegistryTopics.AGGREGATIONS, RULES_STORE, views.rules());
        globalTable(builder, RegistryTopics.EVENT_TYPES, EVENT_TYPES_STORE, views.eventTypes());
        // Persistent (RocksDB), changelogged: open keys live up to 90 days and may be many, so they stay off the heap,
        // and a clean restart reopens them instead of reading the whole changelog again.
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(STATE_STORE), Serdes.String(), Serdes.ByteArray()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(TIMERS_STORE), Serdes.Bytes(), Serdes.ByteArray()));
        builder.stream(
                        FIREHOSE,
                        Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("aggregator-firehose"))
                .process(
                        () -> new KeyingProcessor(
                                EnvelopeSerde.create(registry, true).deserializer(), views, metrics),
                        Named.as("aggregation-key"))
                .repartition(Repartitioned.<String, byte[]>as(INPUTS)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(Serdes.ByteArray()))
                .process(
                        () -> new AggregatingProcessor(views, new Outputs(encoder, tracing), metrics),
                        Named.as("aggregate"),
                        STATE_STORE,
                        TIMERS_STORE)
                .to(
                        BY_TOPIC,
                        Produced.with(
                                        Serdes.ByteArray(),
                                        Serdes.serdeFrom((topic, out) -> out.value(), AggregatorTopology::neverRead))
                                .withName("aggregator-outputs"));
        return builder.build();
    }

    private static final TopicNameExtractor<byte[], Outgoing> BY_TOPIC = (key, value, context) -> value.topic();

    private static Outgoing neverRead(String topic, byte[] data) {
        throw new UnsupportedOperationException("the aggregator does not read its own output");
    }

    private static void globalTable(
            StreamsBuilder builder, String topic, String store, RegistryStore.Listener listener) {
        builder.globalTable(
                topic,
                Consumed.with(Serdes.String(), Serdes.ByteArray()).withName(store + "-source"),
                Materialized.<String, byte[]>as(RegistryStore.supplier(store, listener))
                        .withKeySerde(Serdes.String())
                        .withValueSerde(Serdes.ByteArray())
                        // As the router's: a record cache would hide a rule change for up to 10,000 records.
                        .withCachingDisabled());
    }

    /**
     * The Streams configuration: the router's (exactly-once v2, lz4 as the firehose, its failure handlers) with the
     * aggregator's own application id and state directory.
     */
    public static Properties properties(String bootstrapServers, String applicationId, String stateDir) {
        return RouterTopology.properties(bootstrapServers, applicationId, stateDir);
    }
}
