package com.northwind.eventing.admin.replay;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gt;
import static com.mongodb.client.model.Filters.gte;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.or;

import com.mongodb.MongoException;
import com.mongodb.MongoExecutionTimeoutException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.client.model.Sorts;
import com.northwind.eventing.admin.replay.ReplayProgress.Phase;
import com.northwind.eventing.admin.replay.ReplayProgress.Position;
import com.northwind.eventing.admin.store.StoreQueries;
import com.northwind.eventing.common.model.EventType;
import com.northwind.eventing.common.model.RegistryTopics;
import com.northwind.eventing.common.serde.AvroWireDeserializer;
import com.northwind.eventing.common.serde.AvroWireSerializer;
import com.northwind.eventing.common.store.StoreDocument;
import com.northwind.eventing.schema.Envelope;
import com.northwind.eventing.schema.Metadata;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.AbortTransactionSpec;
import org.apache.kafka.clients.admin.DescribeProducersResult.PartitionProducerState;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies one replay's events to the replay topic (docs/replay-and-ledger.md, "How events are selected"): first the
 * stored events of the part of the range the firehose no longer holds, oldest first, then the firehose partition by
 * partition. Offsets of a partition that retention takes after the replay began and before the firehose part read
 * them are read from the store (by their {@code firehose.partition}/{@code offset}) where the firehose part finds them
 * gone, so every event of the range comes from exactly one source whatever retention does. Each batch (at most 500
 * events) and the progress it makes are one Kafka transaction under the replay's own transactional id, so a worker
 * that starts again (here or in a new admin-api) fences the one before and goes on from the last committed batch:
 * nothing is written twice and nothing is skipped.
 *
 * <p>It logs ids, offsets and types only, never a body or a body value, and its {@code error}s name causes only.
 */
final class ReplayWorker {
    private static final Logger log = LoggerFactory.getLogger(ReplayWorker.class);

    static final String REPLAY_TOPIC = "eventing.replay";
    static final String HEADER_REPLAY = "eventing-replay";
    static final String HEADER_SUBSCRIPTION = "eventing-replay-subscription";
    static final String HEADER_SOURCE = "eventing-replay-source";
    static final int MAX_BATCH = 500;
    /** A firehose record's Kafka timestamp may trail its receivedAt by this much, and lead it as much. */
    static final Duration CLOCK_SLACK = Duration.ofMinutes(1);

    private static final Set<String> TRACE_HEADERS = Set.of("traceparent", "tracestate");
    private static final JsonWriterSettings RELAXED =
            JsonWriterSettings.builder().outputMode(JsonMode.RELAXED).build();
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(30);

    private final Replay replay;
    private final ReplayContext context;
    private final ReplaySelection selection;
    private final EventMatcher matcher;
    private final int batchSize;
    private final AvroWireSerializer<Envelope> serializer;
    private final AvroWireDeserializer<Envelope> deserializer;
    private long storeDownSince = -1;
    /** The first retained offset of each partition whose gap was logged, so that a gap is logged once. */
    private final Map<Integer, Long> gapsLogged = new HashMap<>();

    ReplayWorker(Replay replay, ReplayContext context) {
        this.replay = replay;
        this.context = context;
        this.selection = ReplaySelection.of(replay, context.clock());
        this.matcher = new EventMatcher(selection);
        // About ten transactions a second: smooth pacing without a transaction per event.
        this.batchSize = Math.max(1, Math.min(MAX_BATCH, replay.ratePerSecond() / 10));
        this.serializer = new AvroWireSerializer<>(context.registry(), true);
        this.deserializer = new AvroWireDeserializer<>(context.registry(), Envelope.getClassSchema(), true);
    }

    /** Runs until the replay is finished or cancelled, or admin-api stops; a failure of Kafka is tried again. */
    void run() {
        long backoff = 100;
        while (!context.stopping()) {
            try {
                if (session()) {
                    return;
                }
                backoff = 100;
            } catch (ProducerFencedException | InvalidProducerEpochException e) {
                log.warn("Replay {}: another worker took it over; this one stops", replay.id());
                return;
            } catch (RuntimeException e) {
                // The class only: a message may quote a query value.
                log.warn(
                        "Replay {} interrupted by {}; going on from its last committed batch in {} ms",
                        replay.id(),
                        e.getClass().getName(),
                        backoff);
                context.sleep(backoff);
                backoff = Math.min(backoff * 2, 10_000);
            }
        }
    }

    /**
     * Ends what an earlier worker of this replay left open where it writes. When the broker itself is killed in the
     * middle of a transaction, a partition can keep that transaction's records while the coordinator no longer counts
     * them in any transaction (it shows the replay's transactional id empty), so no marker ever ends them and
     * read_committed readers (this worker's own progress read, every other replay's, the router) stop before them for
     * good. Such a transaction has this replay's producer id and an epoch that {@code initTransactions} has just
     * fenced, so no worker can still commit it: aborting it is what the coordinator would have done.
     */
    private void abortOrphans() {
        String transactionalId = transactionalId();
        try {
            TransactionDescription mine = context.admin()
                    .describeTransactions(List.of(transactionalId))
                    .description(transactionalId)
                    .get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            List<TopicPartition> written = new ArrayList<>();
            written.add(new TopicPartition(ReplayProgress.TOPIC, 0));
            context.admin()
                    .describeTopics(List.of(REPLAY_TOPIC))
                    .allTopicNames()
                    .get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .get(REPLAY_TOPIC)
                    .partitions()
                    .forEach(p -> written.add(new TopicPartition(REPLAY_TOPIC, p.partition())));
            Map<TopicPartition, PartitionProducerState> states = context.admin()
                    .describeProducers(written)
                    .all()
                    .get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            for (Map.Entry<TopicPartition, PartitionProducerState> e : states.entrySet()) {
                for (ProducerState open : e.getValue().activeProducers()) {
                    if (open.producerId() == mine.producerId()
                            && open.producerEpoch() < mine.producerEpoch()
                            && open.currentTransactionStartOffset().isPresent()) {
                        log.warn(
                                "Replay {}: an earlier worker's transaction is still open on {} from offset {};"
                                        + " aborting it",
                                replay.id(),
                                e.getKey(),
                                open.currentTransactionStartOffset().getAsLong());
                        context.admin()
                                .abortTransaction(new AbortTransactionSpec(
                                        e.getKey(),
                                        open.producerId(),
                                        (short) open.producerEpoch(),
                                        open.coordinatorEpoch().orElse(0)))
                                .all()
                                .get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    }
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException("could not look for open transactions of replay " + replay.id());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted");
        }
    }

    private String transactionalId() {
        return "eventing-replay-" + replay.id();
    }

    /** One producer's life: true once the replay needs no more work. */
    private boolean session() {
        context.ensureReplayTopic();
        try (KafkaProducer<byte[], byte[]> producer = producer();
                KafkaConsumer<byte[], byte[]> firehose = consumer(IsolationLevel.READ_COMMITTED)) {
            // Fences an earlier worker of this replay, and completes or aborts its last transaction.
            producer.initTransactions();
            abortOrphans();
            ReplayProgress p = committedProgress();
            if (p == null) {
                p = begin(firehose);
                if (p.phase() == Phase.FAILED) {
                    commit(producer, List.of(), p);
                    return true;
                }
            }
            long started = System.nanoTime();
            long written = 0;
            Set<Integer> ended = new HashSet<>();
            while (!p.finished()) {
                if (context.stopping()) {
                    return false;
                }
                Optional<Replay> now = context.replays().get(replay.id());
                if (now.isEmpty() || now.get().cancelled()) {
                    log.info("Replay {} cancelled after {} events", replay.id(), p.read());
                    return true;
                }
                if (context.subscriptions().get(replay.subscription()).isEmpty()) {
                    p = p.failed(
                            "subscription " + replay.subscription() + " was deleted",
                            context.clock().instant());
                    commit(producer, List.of(), p);
                    log.warn("Replay {} failed: its subscription {} was deleted", replay.id(), replay.subscription());
                    return true;
                }
                Batch b = p.phase() == Phase.STORE ? storeBatch(p) : firehoseBatch(p, firehose, ended);
                if (b == null) {
                    context.sleep(context.properties().firehoseIdle().toMillis());
                    continue;
                }
                commit(producer, b.records(), b.progress());
                p = b.progress();
                written += b.records().size();
                pace(started, written);
            }
            log.info(
                    "Replay {} {}: {} events written, {} could not be replayed",
                    replay.id(),
                    p.phase(),
                    p.read(),
                    p.unreplayable());
            return true;
        }
    }

    /** What one transaction writes: the records and the progress they make. */
    private record Batch(List<ProducerRecord<byte[], byte[]>> records, ReplayProgress progress) {}

    private void commit(
            KafkaProducer<byte[], byte[]> producer,
            List<ProducerRecord<byte[], byte[]>> records,
            ReplayProgress progress) {
        producer.beginTransaction();
        try {
            for (ProducerRecord<byte[], byte[]> r : records) {
                producer.send(r);
            }
            producer.send(new ProducerRecord<>(
                    ReplayProgress.TOPIC,
                    0,
                    replay.id().getBytes(StandardCharsets.UTF_8),
                    RegistryTopics.JSON.writeValueAsBytes(progress)));
            producer.commitTransaction();
        } catch (ProducerFencedException | InvalidProducerEpochException e) {
            throw e;
        } catch (KafkaException e) {
            try {
                producer.abortTransaction();
            } catch (KafkaException again) {
                // The next session's initTransactions aborts it.
            }
            throw e;
        }
    }

    /** Holds the written events to the replay's rate since this session began. */
    private void pace(long startedNanos, long written) {
        long due = startedNanos + written * 1_000_000_000L / replay.ratePerSecond();
        long wait = TimeUnit.NANOSECONDS.toMillis(due - System.nanoTime());
        if (wait > 0) {
            context.sleep(wait);
        }
    }

    /**
     * Where a new replay starts: in each firehose partition the first record of the range (by the offset of {@code
     * from} less the clock slack), never before the partition's first retained offset; and whether the store has to
     * give what retention has taken from the range's start.
     */
    private ReplayProgress begin(KafkaConsumer<byte[], byte[]> firehose) {
        String topic = context.firehoseTopic();
        int partitions;
        try {
            TopicDescription d = context.admin()
                    .describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .get(topic);
            partitions = d.partitions().size();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return new ReplayProgress(
                        replay.id(),
                        Phase.FAILED,
                        null,
                        null,
                        0,
                        0,
                        "the firehose " + topic + " does not exist",
                        context.clock().instant());
            }
            throw new KafkaException("could not describe " + topic, e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaException("Kafka did not describe " + topic + " in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted");
        }
        List<TopicPartition> tps = new ArrayList<>();
        Map<TopicPartition, Long> at = new HashMap<>();
        long fromMillis = replay.from().minus(CLOCK_SLACK).toEpochMilli();
        for (int i = 0; i < partitions; i++) {
            TopicPartition tp = new TopicPartition(topic, i);
            tps.add(tp);
            at.put(tp, Math.max(0, fromMillis));
        }
        // In this order: a record appended after the end was read is at or after it, and retention that moves on
        // after the offsets of the range's start were looked up shows in the first retained offsets read after them.
        Map<TopicPartition, Long> end = firehose.endOffsets(tps, KAFKA_TIMEOUT);
        Map<TopicPartition, OffsetAndTimestamp> byTime = firehose.offsetsForTimes(at, KAFKA_TIMEOUT);
        Map<TopicPartition, Long> beginning = firehose.beginningOffsets(tps, KAFKA_TIMEOUT);
        Map<String, Long> next = new TreeMap<>();
        boolean needStore = false;
        for (TopicPartition tp : tps) {
            OffsetAndTimestamp found = byTime.get(tp);
            long fromOffset = found == null ? end.get(tp) : found.offset();
            long first = beginning.get(tp);
            next.put(Integer.toString(tp.partition()), Math.max(fromOffset, first));
            // The retained log starts at or after the range's start: retention may have taken part of the range.
            needStore |= first > 0 && fromOffset <= first;
        }
        log.info(
                "Replay {} of subscription {} starts{}",
                replay.id(),
                replay.subscription(),
                needStore ? " in the store (retention took the range's start from the firehose)" : " on the firehose");
        return new ReplayProgress(replay.id(), needStore ? Phase.STORE : Phase.FIREHOSE, null, next, 0, 0, null, null);
    }

    /**
     * The next stored events of the range that the firehose no longer holds (before each partition's start of the
     * firehose part), oldest first; null to try again later while the store is out of reach.
     */
    private Batch storeBatch(ReplayProgress p) {
        List<Bson> before = new ArrayList<>();
        p.firehose()
                .forEach((partition, offset) -> before.add(
                        and(eq("firehose.partition", Integer.parseInt(partition)), lt("firehose.offset", offset))));
        List<Bson> conditions = new ArrayList<>(
                List.of(selection.query().bson(), eq("firehose.topic", context.firehoseTopic()), or(before)));
        if (p.store() != null) {
            Date at = Date.from(p.store().receivedAt());
            conditions.add(or(
                    gt(StoreQueries.RECEIVED_AT, at),
                    and(eq(StoreQueries.RECEIVED_AT, at), gt("_id", p.store().id()))));
        }
        StorePage page = storePage(and(conditions), Sorts.ascending(StoreQueries.RECEIVED_AT, "_id"), p);
        if (page == null || page.failed() != null) {
            return page == null ? null : new Batch(List.of(), page.failed());
        }
        List<Document> found = page.found();
        List<ProducerRecord<byte[], byte[]>> records = storeRecords(found);
        long unreplayable = p.unreplayable() + found.size() - records.size();
        Position last = p.store();
        if (!found.isEmpty()) {
            Document d = found.get(found.size() - 1);
            last = new Position(
                    d.get("metadata", Document.class).getDate("receivedAt").toInstant(), d.getString("_id"));
        }
        Phase phase = found.size() < batchSize ? Phase.FIREHOSE : Phase.STORE;
        return new Batch(
                records,
                new ReplayProgress(
                        replay.id(), phase, last, p.firehose(), p.read() + records.size(), unreplayable, null, null));
    }

    /** One page of stored events, or the replay's failure ({@code failed}) when the store refused or stayed away. */
    private record StorePage(List<Document> found, ReplayProgress failed) {}

    /** The next page of the store's answer to the query; null to try again later while the store is out of reach. */
    private StorePage storePage(Bson query, Bson sort, ReplayProgress p) {
        List<Document> found = new ArrayList<>(batchSize);
        try {
            context.store()
                    .events()
                    .find(query)
                    .sort(sort)
                    .limit(batchSize)
                    .maxTime(context.store().queryTimeoutMillis(), TimeUnit.MILLISECONDS)
                    .into(found);
            storeDownSince = -1;
            return new StorePage(found, null);
        } catch (MongoTimeoutException | MongoSocketException | MongoExecutionTimeoutException e) {
            long now = System.nanoTime();
            if (storeDownSince < 0) {
                storeDownSince = now;
            }
            Duration down = Duration.ofNanos(now - storeDownSince);
            if (down.compareTo(context.properties().storeOutage()) >= 0) {
                log.warn("Replay {} failed: the event store was out of reach for {}", replay.id(), down);
                return new StorePage(
                        List.of(),
                        p.failed(
                                "the event store could not be reached for "
                                        + context.properties().storeOutage().toSeconds()
                                        + " s (eventing.replay.store-outage)",
                                context.clock().instant()));
            }
            log.info(
                    "Replay {}: the event store is out of reach ({}); trying again",
                    replay.id(),
                    e.getClass().getSimpleName());
            return null;
        } catch (MongoException e) {
            log.warn(
                    "Replay {} failed: the event store refused its query ({})",
                    replay.id(),
                    e.getClass().getName());
            return new StorePage(
                    List.of(),
                    p.failed(
                            "the event store refused the replay's query ("
                                    + e.getClass().getSimpleName() + ")",
                            context.clock().instant()));
        }
    }

    /** The replay records of stored events, in their order; an event whose body was not stored has none. */
    private List<ProducerRecord<byte[], byte[]>> storeRecords(List<Document> found) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(found.size());
        for (Document d : found) {
            Optional<Envelope> envelope = envelope(d);
            if (envelope.isEmpty()) {
                continue;
            }
            Envelope e = envelope.get();
            ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(
                    REPLAY_TOPIC,
                    e.getMetadata().getTransactionId().getBytes(StandardCharsets.UTF_8),
                    serializer.serialize(REPLAY_TOPIC, e));
            headers(r, "store");
            records.add(r);
        }
        return records;
    }

    /**
     * The next stored events of a firehose partition from {@code next} up to its first retained offset, in offset
     * order: retention took them after the replay began and before the firehose part read them. The partition's
     * position moves past them (to the first retained offset once none is left), so each is read once, from here.
     */
    private Batch retainedBackfill(ReplayProgress p, TopicPartition tp, long next, long firstRetained) {
        if (!Long.valueOf(firstRetained).equals(gapsLogged.put(tp.partition(), firstRetained))) {
            log.info(
                    "Replay {}: retention took {} offsets {} to {} before the replay read them; they come from the"
                            + " event store",
                    replay.id(),
                    tp,
                    next,
                    firstRetained - 1);
        }
        Bson query = and(
                selection.query().bson(),
                eq("firehose.topic", tp.topic()),
                eq("firehose.partition", tp.partition()),
                gte("firehose.offset", next),
                lt("firehose.offset", firstRetained));
        StorePage page = storePage(query, Sorts.ascending("firehose.offset"), p);
        if (page == null || page.failed() != null) {
            return page == null ? null : new Batch(List.of(), page.failed());
        }
        List<Document> found = page.found();
        List<ProducerRecord<byte[], byte[]>> records = storeRecords(found);
        long position = found.size() < batchSize
                ? firstRetained
                : ((Number) found.get(found.size() - 1)
                                        .get("firehose", Document.class)
                                        .get("offset"))
                                .longValue()
                        + 1;
        return new Batch(
                records, p.firehoseAt(tp.partition(), position, records.size(), found.size() - records.size()));
    }

    /**
     * The stored document made an envelope again: its body as stored (masked or with fields removed by the store
     * policy) and its redacted paths. Empty when the body was not stored, or the document lacks what an envelope needs.
     */
    private Optional<Envelope> envelope(Document d) {
        String id = d.getString("_id");
        try {
            if (!(d.get("body") instanceof Document body)) {
                log.info("Replay {}: stored event {} has no body; it cannot be replayed", replay.id(), id);
                return Optional.empty();
            }
            Document m = d.get("metadata", Document.class);
            return Optional.of(Envelope.newBuilder()
                    .setEventId(d.getString("eventId"))
                    .setNoun(d.getString("noun"))
                    .setVerb(d.getString("verb"))
                    .setObject(d.getString("object"))
                    .setSubObject(d.getString("subObject"))
                    .setEventType(d.getString("eventType"))
                    .setMetadata(Metadata.newBuilder()
                            .setTransactionId(m.getString("transactionId"))
                            .setUserId(m.getString("userId"))
                            .setOccurredAt(m.getDate("occurredAt").toInstant())
                            .setReceivedAt(m.getDate("receivedAt").toInstant())
                            .setTransactionType(m.getString("transactionType"))
                            .setSourceSystem(m.getString("sourceSystem"))
                            .setProducerApp(m.getString("producerApp"))
                            .build())
                    .setTags(d.getList("tags", String.class, List.of()))
                    .setSynthetic(Boolean.TRUE.equals(d.getBoolean("synthetic")))
                    .setBody(body.toJson(RELAXED))
                    .setBodySchemaVersion(((Number) d.get("bodySchemaVersion")).intValue())
                    .setRedactedPaths(d.getList("redactedPaths", String.class, List.of()))
                    .build());
        } catch (RuntimeException e) {
            log.warn(
                    "Replay {}: stored event {} is not a complete document ({}); it cannot be replayed",
                    replay.id(),
                    id,
                    e.getClass().getSimpleName());
            return Optional.empty();
        }
    }

    /**
     * The next matching records of the first firehose partition not ended yet; null when there is nothing new yet.
     * A partition ends at its first record received at or after {@code to}, or timestamped more than the clock slack
     * after it, or at its end once no record of the range can still come.
     */
    private Batch firehoseBatch(ReplayProgress p, KafkaConsumer<byte[], byte[]> firehose, Set<Integer> ended) {
        Integer partition = null;
        for (String key : p.firehose().keySet()) {
            int candidate = Integer.parseInt(key);
            if (!ended.contains(candidate) && (partition == null || candidate < partition)) {
                partition = candidate;
            }
        }
        Instant now = context.clock().instant();
        if (partition == null) {
            return new Batch(
                    List.of(),
                    new ReplayProgress(
                            replay.id(), Phase.DONE, p.store(), p.firehose(), p.read(), p.unreplayable(), null, now));
        }
        TopicPartition tp = new TopicPartition(context.firehoseTopic(), partition);
        long next = p.firehose().get(Integer.toString(partition));
        if (!firehose.assignment().equals(Set.of(tp))) {
            firehose.assign(List.of(tp));
        }
        firehose.seek(tp, next);
        ConsumerRecords<byte[], byte[]> polled;
        try {
            polled = firehose.poll(Duration.ofMillis(200));
        } catch (OffsetOutOfRangeException gone) {
            long first = firehose.beginningOffsets(List.of(tp), KAFKA_TIMEOUT).get(tp);
            if (first <= next) {
                throw gone;
            }
            return retainedBackfill(p, tp, next, first);
        }
        long toMillis = replay.to().toEpochMilli();
        long position = next;
        boolean end = false;
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        Map<String, EventType> types = null;
        for (ConsumerRecord<byte[], byte[]> r : polled.records(tp)) {
            if (r.offset() < position) {
                continue;
            }
            if (r.timestamp() > toMillis + CLOCK_SLACK.toMillis()) {
                end = true;
                break;
            }
            Envelope e;
            try {
                e = deserializer.deserialize(tp.topic(), r.value());
            } catch (RuntimeException unreadable) {
                log.warn(
                        "Replay {}: the firehose record at {}-{} cannot be read ({}); it is not replayed",
                        replay.id(),
                        tp,
                        r.offset(),
                        unreadable.getClass().getSimpleName());
                position = r.offset() + 1;
                continue;
            }
            if (!e.getMetadata().getReceivedAt().isBefore(replay.to())) {
                end = true;
                break;
            }
            position = r.offset() + 1;
            if (matcher.readsDocument() && types == null) {
                types = new HashMap<>();
                for (EventType t : context.eventTypes().list()) {
                    types.put(t.name().toString(), t);
                }
            }
            Map<String, EventType> known = types;
            if (matcher.matches(e, () -> document(e, known, tp, r.offset()))) {
                ProducerRecord<byte[], byte[]> out = new ProducerRecord<>(REPLAY_TOPIC, r.key(), r.value());
                for (Header h : r.headers()) {
                    if (TRACE_HEADERS.contains(h.key())) {
                        out.headers().add(h.key(), h.value());
                    }
                }
                headers(out, "firehose");
                records.add(out);
                if (records.size() >= batchSize) {
                    break;
                }
            }
        }
        if (!end && position == next) {
            long last = firehose.endOffsets(List.of(tp), KAFKA_TIMEOUT).get(tp);
            if (position >= last && now.isAfter(replay.to().plus(CLOCK_SLACK))) {
                end = true;
            } else {
                return null;
            }
        }
        if (end) {
            ended.add(partition);
        }
        return new Batch(records, p.firehoseAt(partition, position, records.size(), 0));
    }

    /** The event's store document as the router would store it now; empty when the store would hold none. */
    private Optional<Document> document(Envelope e, Map<String, EventType> types, TopicPartition tp, long offset) {
        EventType type = types.get(e.getEventType());
        if (type == null) {
            return Optional.empty();
        }
        try {
            return StoreDocument.build(e, type, tp.topic(), tp.partition(), offset)
                    .map(bytes -> Document.parse(new String(bytes, StandardCharsets.UTF_8)));
        } catch (RuntimeException unreadable) {
            // The sink could not store it either.
            return Optional.empty();
        }
    }

    private void headers(ProducerRecord<byte[], byte[]> r, String source) {
        r.headers().add(HEADER_REPLAY, replay.id().getBytes(StandardCharsets.UTF_8));
        r.headers().add(HEADER_SUBSCRIPTION, replay.subscription().getBytes(StandardCharsets.UTF_8));
        r.headers().add(HEADER_SOURCE, source.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The replay's progress as last committed, read from its topic to its high watermark (read_committed, so an
     * aborted batch's progress is never seen), not from the view, which may not yet show the transaction that
     * {@code initTransactions} has just completed.
     */
    private ReplayProgress committedProgress() {
        TopicPartition tp = new TopicPartition(ReplayProgress.TOPIC, 0);
        long highWatermark;
        try {
            ListOffsetsResult.ListOffsetsResultInfo info = context.admin()
                    .listOffsets(
                            Map.of(tp, OffsetSpec.latest()), new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED))
                    .partitionResult(tp)
                    .get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            highWatermark = info.offset();
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException("could not read the end of " + ReplayProgress.TOPIC);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted");
        }
        byte[] key = replay.id().getBytes(StandardCharsets.UTF_8);
        ReplayProgress latest = null;
        long deadline = System.nanoTime() + KAFKA_TIMEOUT.toNanos();
        try (KafkaConsumer<byte[], byte[]> c = consumer(IsolationLevel.READ_COMMITTED)) {
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            // Other replays' open transactions hold the last stable offset back for a moment only.
            while (c.position(tp) < highWatermark) {
                if (System.nanoTime() > deadline) {
                    throw new KafkaException("could not read " + ReplayProgress.TOPIC + " to its end in time");
                }
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (java.util.Arrays.equals(key, r.key())) {
                        latest = r.value() == null
                                ? null
                                : RegistryTopics.JSON.readValue(r.value(), ReplayProgress.class);
                    }
                }
            }
        }
        return latest;
    }

    private KafkaProducer<byte[], byte[]> producer() {
        Map<String, Object> config = context.clientConfig();
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "eventing-admin-replay-" + replay.id());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private KafkaConsumer<byte[], byte[]> consumer(IsolationLevel isolation) {
        Map<String, Object> config = context.clientConfig();
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "eventing-admin-replay-" + replay.id());
        config.put(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                isolation == IsolationLevel.READ_COMMITTED ? "read_committed" : "read_uncommitted");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Never a silent jump past offsets retention took: the firehose part reads them from the store instead.
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, batchSize);
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
