package com.northwind.eventing.router;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.AbortTransactionSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeProducersResult;
import org.apache.kafka.clients.admin.DescribeProducersResult.PartitionProducerState;
import org.apache.kafka.clients.admin.DescribeTransactionsResult;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the hanging transactions of one exactly-once Streams application of this process, the router's or the
 * aggregator's (below, "the router" stands for either): a partition that still holds an open transaction of one of the
 * router's producer ids while that producer's transaction coordinator does not count the partition in any transaction,
 * so that nobody will ever write its marker and every {@code read_committed} reader of the partition (the router's own
 * offset fetch on its group's {@code __consumer_offsets} partition, the sinks, the apps) stops before it for good. A
 * broker killed in the middle of a transaction can leave one. The router's transactional ids change with every start,
 * so a restarted router never fences the old producer id by itself; the aggregator's stay (its state stores are
 * persistent, so Streams keeps its process id in the state directory), but a restart only fences what the coordinator
 * counts, which a hanging transaction is not.
 *
 * <p>The partitions looked at are the group's {@code __consumer_offsets} partition and every partition of the
 * non-internal topics the router may describe. A transaction is aborted only when all of these hold:
 *
 * <ul>
 *   <li>the coordinator lists its producer id under one of the router's transactional ids ({@code
 *       <applicationId>-<process UUID>-<n>}): a producer id the coordinator does not list, or lists under another
 *       id, belongs to someone else (or to a transactional id this principal may not see) and is only reported;
 *   <li>the coordinator does not count the partition: the transaction is complete or empty, or its partitions do not
 *       include this one (as Kafka's {@code kafka-transactions.sh find-hanging} decides);
 *   <li>a second look {@code confirmAfter} later finds the same producer id, epoch and start offset still open and
 *       still not counted. A live transaction's partition is counted by its coordinator from before its first record
 *       until its marker is written, so a transaction open on both looks and not counted in between is not live: one
 *       that was completing in the meantime has a marker (or a new start offset) by the second look.
 * </ul>
 *
 * <p>It logs partitions, producer ids, epochs and offsets, never a record.
 */
final class HangingTransactions {
    private static final Logger log = LoggerFactory.getLogger(HangingTransactions.class);
    private static final long TIMEOUT_SECONDS = 30;
    /** The states in which a coordinator still writes markers for the partitions it lists. */
    private static final Set<TransactionState> OPEN_STATES = EnumSet.of(
            TransactionState.ONGOING,
            TransactionState.PREPARE_COMMIT,
            TransactionState.PREPARE_ABORT,
            TransactionState.PREPARE_EPOCH_FENCE);
    /** The states in which a coordinator counts no partition at all. */
    private static final Set<TransactionState> ENDED_STATES =
            EnumSet.of(TransactionState.EMPTY, TransactionState.COMPLETE_COMMIT, TransactionState.COMPLETE_ABORT);

    /** What the sweeper waits for between its two looks; a test may do something in between. */
    interface Pause {
        void pause(Duration duration) throws InterruptedException;
    }

    /** One producer's open transaction on one partition, as the partition's leader describes it. */
    record Open(TopicPartition partition, long producerId, int producerEpoch, long startOffset, int coordinatorEpoch) {
        @Override
        public String toString() {
            return partition + " producer id " + producerId + " epoch " + producerEpoch + " from offset " + startOffset;
        }
    }

    /**
     * What one sweep saw.
     *
     * @param open the open transactions it found on the partitions it could describe
     * @param aborted those it aborted
     * @param foreign those that look hanging but are not the router's, left for an operator: open and uncounted
     *     (as far as this principal sees) on both looks of this sweep and already on the sweep before
     */
    record Sweep(List<Open> open, List<Open> aborted, List<Open> foreign) {}

    private final Admin admin;
    private final String applicationId;
    /** What the logs and the sweeper's thread call the application: router, aggregator. */
    private final String kind;
    /** What the logs call the application: "router eventing-router". */
    private final String who;

    private final Pattern routersTransactionalId;
    private final Duration confirmAfter;
    private final Pause pause;
    /** Warnings given once for the life of the sweeper: missing rights, and what is not the router's to end. */
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    /**
     * Topics whose producers the application may not describe, left out of the sweeps for {@link #REFUSED_FOR} (the
     * admin client logs every refused partition at ERROR, which would fill the log each interval), then tried again
     * in case the right was granted since.
     */
    private final Map<String, Long> refusedTopics = new ConcurrentHashMap<>();

    static final Duration REFUSED_FOR = Duration.ofHours(1);

    /** What the last sweep found open and uncounted of producer ids not the router's; one sweep at a time. */
    private Set<Open> previousForeign = Set.of();

    /**
     * @param admin the router's admin client, not closed here
     * @param kind what the logs call the application: {@code router}, {@code aggregator}
     * @param applicationId the Streams application id: the consumer group and the prefix of the router's
     *     transactional ids
     * @param confirmAfter how long after the first look the second one is taken
     */
    HangingTransactions(Admin admin, String kind, String applicationId, Duration confirmAfter, Pause pause) {
        this.admin = admin;
        this.applicationId = applicationId;
        this.kind = kind;
        this.who = kind + " " + applicationId;
        this.routersTransactionalId = Pattern.compile(
                Pattern.quote(applicationId) + "-\\p{XDigit}{8}(-\\p{XDigit}{4}){3}-\\p{XDigit}{12}-\\d+");
        this.confirmAfter = confirmAfter;
        this.pause = pause;
    }

    HangingTransactions(Admin admin, String applicationId, Duration confirmAfter, Pause pause) {
        this(admin, "router", applicationId, confirmAfter, pause);
    }

    HangingTransactions(Admin admin, String kind, String applicationId, Duration confirmAfter) {
        this(admin, kind, applicationId, confirmAfter, d -> Thread.sleep(d.toMillis()));
    }

    HangingTransactions(Admin admin, String applicationId, Duration confirmAfter) {
        this(admin, "router", applicationId, confirmAfter);
    }

    /**
     * Sweeps once at once and then every interval, on a daemon thread of its own ({@code <kind>-hanging-transactions}),
     * so that the application starts no slower (Streams retries a task blocked by one meanwhile) and a sweep that fails
     * or is refused never stops it. Shut the answer down to end the sweeps: that interrupts one between its looks.
     */
    ScheduledExecutorService schedule(Duration interval) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, kind + "-hanging-transactions");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(
                () -> {
                    try {
                        sweep();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (RuntimeException e) {
                        log.warn(
                                "Hanging transaction sweep of the {} failed, to be tried again: {}", who, e.toString());
                    }
                },
                0,
                interval.toMillis(),
                TimeUnit.MILLISECONDS);
        return executor;
    }

    /** One sweep over the router's partitions; a failure to reach Kafka ends the sweep, to be tried again. */
    Sweep sweep() throws InterruptedException {
        List<TopicPartition> partitions = partitions();
        Look first = look(partitions);
        if (first.open().isEmpty()) {
            previousForeign = Set.of();
            return new Sweep(List.of(), List.of(), List.of());
        }
        List<Open> aborted = new ArrayList<>();
        List<Open> foreign = new ArrayList<>();
        if (!first.hanging().isEmpty() || !first.foreign().isEmpty()) {
            pause.pause(confirmAfter);
            Set<TopicPartition> again = new LinkedHashSet<>();
            first.hanging().forEach(o -> again.add(o.partition()));
            first.foreign().forEach(o -> again.add(o.partition()));
            Look second = look(again);
            for (Open open : first.hanging()) {
                if (second.hanging().contains(open) && abort(open)) {
                    aborted.add(open);
                }
            }
            // Reported only once seen by two sweeps as well: a transactional id this principal may not describe (the
            // replay worker's, under ACLs) looks like this for the moment each of its live transactions is open.
            List<Open> stillForeign =
                    first.foreign().stream().filter(second.foreign()::contains).toList();
            stillForeign.stream().filter(previousForeign::contains).forEach(foreign::add);
            previousForeign = Set.copyOf(stillForeign);
        } else {
            previousForeign = Set.of();
        }
        foreign.forEach(o -> warnOnce(
                "foreign " + o,
                "An open transaction on {} is not counted by any coordinator, but its producer id is not one of"
                        + " the {}'s transactional ids (or one this principal may not describe): left alone; if it"
                        + " blocks a reader, an operator can end it with kafka-transactions.sh abort --topic {}"
                        + " --partition {} --start-offset {}",
                o,
                who,
                o.partition().topic(),
                o.partition().partition(),
                o.startOffset()));
        Sweep sweep = new Sweep(first.open(), aborted, foreign);
        if (first.hanging().isEmpty() && foreign.isEmpty()) {
            return sweep;
        }
        log.info(
                "Hanging transaction sweep of the {}: {} open transaction(s) on {} partition(s), {} hanging of its"
                        + " own, {} aborted, {} not its own",
                who,
                first.open().size(),
                partitions.size(),
                first.hanging().size(),
                aborted.size(),
                foreign.size());
        return sweep;
    }

    /**
     * @param open every open transaction found
     * @param hanging those of the router's producer ids that no coordinator counts
     * @param foreign those no coordinator counts as far as this principal sees, of producer ids not the router's
     */
    private record Look(List<Open> open, List<Open> hanging, List<Open> foreign) {}

    private Look look(Collection<TopicPartition> partitions) throws InterruptedException {
        List<Open> open = openTransactions(partitions);
        if (open.isEmpty()) {
            return new Look(List.of(), List.of(), List.of());
        }
        // Asked after the producers were described: a live transaction open on a partition then is counted now.
        Set<Long> producerIds = new HashSet<>();
        open.forEach(o -> producerIds.add(o.producerId()));
        Map<Long, TransactionListing> listed = new HashMap<>();
        for (TransactionListing l : await(
                admin.listTransactions(new ListTransactionsOptions().filterProducerIds(producerIds))
                        .all(),
                "list the transactions of producer ids " + new TreeSet<>(producerIds))) {
            if (producerIds.contains(l.producerId())) {
                listed.put(l.producerId(), l);
            }
        }
        Map<String, TransactionDescription> described = describe(listed.values());
        List<Open> hanging = new ArrayList<>();
        List<Open> foreign = new ArrayList<>();
        for (Open o : open) {
            TransactionListing listing = listed.get(o.producerId());
            if (listing == null || !isRouters(listing.transactionalId())) {
                // Nobody this principal sees counts it; whether anyone does is not for the router to decide.
                if (listing == null || ENDED_STATES.contains(listing.state())) {
                    foreign.add(o);
                }
                continue;
            }
            TransactionDescription d = described.get(listing.transactionalId());
            if (d != null && !counts(d, o)) {
                hanging.add(o);
            }
        }
        return new Look(open, hanging, foreign);
    }

    /**
     * Whether the id is one Kafka Streams gives this application's producers under exactly-once v2: {@code
     * <applicationId>-<process UUID>-<thread index>}; another application whose id merely starts alike is not the
     * router.
     */
    private boolean isRouters(String transactionalId) {
        return routersTransactionalId.matcher(transactionalId).matches();
    }

    /**
     * Whether the coordinator may still write this transaction's marker on the partition. A description of another
     * producer id (the transactional id moved on to a new one between the listing and the description) and a state
     * this client does not know count everything: what is not understood is never aborted.
     */
    static boolean counts(TransactionDescription d, Open o) {
        if (d.producerId() != o.producerId()) {
            return true;
        }
        if (ENDED_STATES.contains(d.state())) {
            return false;
        }
        if (!OPEN_STATES.contains(d.state())) {
            return true;
        }
        return d.topicPartitions().contains(o.partition());
    }

    /** The descriptions of the router's listed transactional ids; one that cannot be described is left out. */
    private Map<String, TransactionDescription> describe(Collection<TransactionListing> listings)
            throws InterruptedException {
        Set<String> ids = new TreeSet<>();
        listings.stream()
                .map(TransactionListing::transactionalId)
                .filter(this::isRouters)
                .forEach(ids::add);
        if (ids.isEmpty()) {
            return Map.of();
        }
        DescribeTransactionsResult result = admin.describeTransactions(ids);
        Map<String, TransactionDescription> described = new HashMap<>();
        for (String id : ids) {
            try {
                described.put(id, result.description(id).get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            } catch (ExecutionException e) {
                // Left out, so its open transactions are not hanging: what cannot be seen is never aborted.
                if (e.getCause() instanceof AuthorizationException) {
                    warnOnce(
                            "describe " + id,
                            "The {} may not describe transactional id {} (DESCRIBE on TRANSACTIONAL_ID): its open"
                                    + " transactions are not checked",
                            who,
                            id);
                } else {
                    log.warn(
                            "Could not describe transaction {}: {}",
                            id,
                            e.getCause().toString());
                }
            } catch (TimeoutException e) {
                log.warn("Could not describe transaction {} within {} s", id, TIMEOUT_SECONDS);
            }
        }
        return described;
    }

    private List<Open> openTransactions(Collection<TopicPartition> partitions) throws InterruptedException {
        if (partitions.isEmpty()) {
            return List.of();
        }
        DescribeProducersResult result = admin.describeProducers(partitions);
        List<Open> open = new ArrayList<>();
        Set<String> refused = new TreeSet<>();
        for (TopicPartition tp : partitions) {
            PartitionProducerState state;
            try {
                state = result.partitionResult(tp).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TopicAuthorizationException) {
                    refused.add(tp.topic());
                } else {
                    log.debug(
                            "Could not describe the producers of {}: {}",
                            tp,
                            e.getCause().toString());
                }
                continue;
            } catch (TimeoutException e) {
                log.warn("Could not describe the producers of {} within {} s", tp, TIMEOUT_SECONDS);
                continue;
            }
            for (ProducerState p : state.activeProducers()) {
                if (p.currentTransactionStartOffset().isPresent()) {
                    open.add(new Open(
                            tp,
                            p.producerId(),
                            p.producerEpoch(),
                            p.currentTransactionStartOffset().getAsLong(),
                            p.coordinatorEpoch().orElse(0)));
                }
            }
        }
        long now = System.nanoTime();
        refused.forEach(topic -> refusedTopics.put(topic, now));
        if (!refused.isEmpty()) {
            warnOnce(
                    "read " + refused,
                    "The {} may not describe the producers of {} (READ on TOPIC): hanging transactions there are"
                            + " not looked for",
                    who,
                    refused);
        }
        return open;
    }

    /** True when the abort marker was written. */
    private boolean abort(Open o) throws InterruptedException {
        log.warn(
                "Aborting a hanging transaction of the {} on {} (producer id {}, epoch {}, start offset {}):"
                        + " its coordinator counts it in no transaction, so no marker would ever end it",
                who,
                o.partition(),
                o.producerId(),
                o.producerEpoch(),
                o.startOffset());
        try {
            admin.abortTransaction(new AbortTransactionSpec(
                            o.partition(), o.producerId(), (short) o.producerEpoch(), o.coordinatorEpoch()))
                    .all()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ClusterAuthorizationException) {
                warnOnce(
                        "abort",
                        "The {} may not abort transactions (ALTER on CLUSTER, which it is not granted): an"
                                + " operator can end this one with kafka-transactions.sh abort --topic {}"
                                + " --partition {} --start-offset {}",
                        who,
                        o.partition().topic(),
                        o.partition().partition(),
                        o.startOffset());
            } else {
                log.warn(
                        "Could not abort the transaction on {}: {}",
                        o,
                        e.getCause().toString());
            }
        } catch (TimeoutException e) {
            log.warn("Could not abort the transaction on {} within {} s", o, TIMEOUT_SECONDS);
        }
        return false;
    }

    /**
     * The router's group's {@code __consumer_offsets} partition and every partition of the non-internal topics this
     * principal may describe; a part it may not describe is logged once and left out.
     */
    private List<TopicPartition> partitions() throws InterruptedException {
        List<TopicPartition> partitions = new ArrayList<>();
        try {
            Set<String> topics = new TreeSet<>(
                    await(admin.listTopics(new ListTopicsOptions()).names(), "list topics"));
            topics.add(Topic.GROUP_METADATA_TOPIC_NAME);
            long now = System.nanoTime();
            refusedTopics.values().removeIf(at -> now - at > REFUSED_FOR.toNanos());
            topics.removeAll(refusedTopics.keySet());
            Map<String, KafkaFuture<TopicDescription>> futures =
                    new LinkedHashMap<>(admin.describeTopics(topics).topicNameValues());
            for (Map.Entry<String, KafkaFuture<TopicDescription>> e : futures.entrySet()) {
                TopicDescription d;
                try {
                    d = e.getValue().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                } catch (ExecutionException x) {
                    if (e.getKey().equals(Topic.GROUP_METADATA_TOPIC_NAME)
                            && x.getCause() instanceof TopicAuthorizationException) {
                        warnOnce(
                                "describe offsets",
                                "The {} may not describe {} (DESCRIBE on TOPIC): its group's offsets partition is"
                                        + " not looked at",
                                who,
                                Topic.GROUP_METADATA_TOPIC_NAME);
                    }
                    continue;
                }
                if (d.name().equals(Topic.GROUP_METADATA_TOPIC_NAME)) {
                    // The group coordinator's own placement of the group (GroupMetadataManager#partitionFor).
                    int partition =
                            Utils.abs(applicationId.hashCode()) % d.partitions().size();
                    partitions.add(new TopicPartition(d.name(), partition));
                } else {
                    d.partitions().forEach(p -> partitions.add(new TopicPartition(d.name(), p.partition())));
                }
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer within " + TIMEOUT_SECONDS + " s", e);
        }
        return partitions;
    }

    private <T> T await(KafkaFuture<T> future, String what) throws InterruptedException {
        try {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not " + what + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("could not " + what + " within " + TIMEOUT_SECONDS + " s", e);
        }
    }

    private void warnOnce(String key, String message, Object... args) {
        if (warned.add(key)) {
            log.warn(message, args);
        }
    }
}
