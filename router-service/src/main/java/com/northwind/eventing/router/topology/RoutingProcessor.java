package com.northwind.eventing.router.topology;

import com.northwind.eventing.common.model.App;
import com.northwind.eventing.common.model.EventType;
import com.northwind.eventing.common.model.EventTypeName;
import com.northwind.eventing.common.model.EventTypeVersion;
import com.northwind.eventing.common.model.Subscription;
import com.northwind.eventing.common.redaction.RedactionPlan;
import com.northwind.eventing.common.registry.SchemaRegistryException;
import com.northwind.eventing.common.serde.AvroWireSerializer;
import com.northwind.eventing.common.store.LedgerRecord;
import com.northwind.eventing.common.store.StoreDocument;
import com.northwind.eventing.common.tracing.Tracing;
import com.northwind.eventing.schema.Envelope;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Routes one firehose record: a copy to every matching subscription, projected and redacted for its app, or a dead
 * letter with the reason. Decides everything about each record it emits: the copy's schema id under its topic's
 * subject, its bytes, whether it fits its topic; a copy that cannot be written for a reason of its own becomes a dead
 * letter here, beside its siblings. Every output of a record is computed before any is forwarded, so a failure
 * half-way never leaves some copies sent. Every event routing can read (its type and version known) also goes, once,
 * to the event store's topic, de-identified by its type's store policy, in the same transaction as its copies; and
 * every event some subscription's type patterns match gets one delivery ledger record saying what became of it for
 * each of them. Never logs a body: it carries PHI.
 *
 * <p>The same processor, made by {@link #replaying}, copies the records of the replay topic: each to the one
 * subscription its {@code eventing-replay-subscription} header names, by the same code as a live copy, with no store
 * or ledger record, and emits one tally per record (delivered or skipped, keyed by replay id) for
 * {@link ReplayCounter}, in the same transaction.
 */
final class RoutingProcessor implements Processor<byte[], byte[], byte[], Outbound> {
    private static final Logger log = LoggerFactory.getLogger(RoutingProcessor.class);
    // Decimals are read as decimals, as the intake reads them: a redacted copy keeps 125.10 and 1e400 as they were,
    // never a double's 125.1 or an infinity that is not JSON.
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private static final List<String> TRACE_HEADERS =
            List.of(RouterTopology.HEADER_TRACEPARENT, RouterTopology.HEADER_TRACESTATE);

    /** What a replay id looks like: it is a record key and goes into the counts record's JSON as it is. */
    private static final Pattern REPLAY_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    /** Type names whose matching subscriptions are remembered per view; past it, the memo starts again. */
    private static final int MAX_MATCHES_REMEMBERED = 10_000;

    private final Deserializer<Envelope> envelopes;
    private final AvroWireSerializer<Envelope> encoder;
    private final RecordLimits limits;
    private final DeadLetters deadLetters;
    private final RegistryViews views;
    /** Where each event's store document goes, or null when the router writes none. */
    private final String storeTopic;
    /** Where each event's ledger record goes, or null when the router writes none. */
    private final String ledgerTopic;
    /** Whether this processor copies the replay topic's records rather than route the firehose. */
    private final boolean replay;

    /** The current record's spans, or null while tracing is off. */
    private final RouteSpans spans;

    private final RedactionPlans plans = new RedactionPlans();
    private ProcessorContext<byte[], Outbound> context;

    /** The view the current record is routed with, read once for it. */
    private RegistryView registry;

    /** The subscriptions each event type matches in {@link #matchedIn}: the index's answer, kept per view. */
    private final Map<String, List<RegistryView.CompiledSubscription>> matched = new HashMap<>();

    private RegistryView matchedIn;

    // What routing the current record has learnt so far, for its dead letter: the event once read, and its type once
    // both it and the event's version are known (only then can anyone say what in it is sensitive).
    private Envelope routedEvent;
    private EventType routedType;
    /** The subscriptions whose type patterns match the current record's event, once known. */
    private List<RegistryView.CompiledSubscription> candidates;
    /** What is counted of each routed event; its outcomes are built for it even with the ledger off. */
    private final RouterMetrics metrics;

    /** The current event's ledger record, while it has candidates and the ledger or the metrics are on. */
    private LedgerRecord ledger;
    /** The {@code eventing-replay} header every copy of the current replayed record carries; null for a live one. */
    private Header replayHeader;
    /** Whether the current record's copies list the event's own redacted paths (a replayed stored event's). */
    private boolean keepOwnPaths;

    /** A processor that counts nothing and makes no spans. */
    RoutingProcessor(
            Deserializer<Envelope> envelopes,
            AvroWireSerializer<Envelope> encoder,
            RecordLimits limits,
            RegistryViews views,
            DeadLetters deadLetters,
            String storeTopic,
            String ledgerTopic) {
        this(
                envelopes,
                encoder,
                limits,
                views,
                deadLetters,
                storeTopic,
                ledgerTopic,
                RouterMetrics.NONE,
                Tracing.off());
    }

    RoutingProcessor(
            Deserializer<Envelope> envelopes,
            AvroWireSerializer<Envelope> encoder,
            RecordLimits limits,
            RegistryViews views,
            DeadLetters deadLetters,
            String storeTopic,
            String ledgerTopic,
            RouterMetrics metrics,
            Tracing tracing) {
        this(envelopes, encoder, limits, views, deadLetters, storeTopic, ledgerTopic, false, metrics, tracing);
    }

    private RoutingProcessor(
            Deserializer<Envelope> envelopes,
            AvroWireSerializer<Envelope> encoder,
            RecordLimits limits,
            RegistryViews views,
            DeadLetters deadLetters,
            String storeTopic,
            String ledgerTopic,
            boolean replay,
            RouterMetrics metrics,
            Tracing tracing) {
        this.envelopes = envelopes;
        this.metrics = metrics;
        this.spans = tracing.isEnabled() ? new RouteSpans(tracing) : null;
        this.storeTopic = storeTopic;
        this.ledgerTopic = ledgerTopic;
        this.replay = replay;
        this.encoder = encoder;
        this.limits = limits;
        this.views = views;
        this.deadLetters = deadLetters;
    }

    /**
     * A processor for the replay topic's records. Its tallies are {@link Outbound} records to {@link #TALLY}: key the
     * replay id, value {@link #DELIVERED} or {@link #SKIPPED}.
     */
    static RoutingProcessor replaying(
            Deserializer<Envelope> envelopes,
            AvroWireSerializer<Envelope> encoder,
            RecordLimits limits,
            RegistryViews views,
            DeadLetters deadLetters,
            Tracing tracing) {
        // Replays have counts of their own (eventing.replays.counts); the routing meters count the firehose.
        return new RoutingProcessor(
                envelopes, encoder, limits, views, deadLetters, null, null, true, RouterMetrics.NONE, tracing);
    }

    /** The topic name a replay tally carries: not a topic, the tallies are repartitioned by replay id and counted. */
    static final String TALLY = "eventing-replay-tally";

    static final byte[] DELIVERED = {1};
    static final byte[] SKIPPED = {0};

    @Override
    public void init(ProcessorContext<byte[], Outbound> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        routedEvent = null;
        routedType = null;
        candidates = null;
        ledger = null;
        replayHeader = null;
        keepOwnPaths = false;
        registry = views.current();
        if (registry == null) {
            // Not the record's fault, and nobody can say where it goes or what its readers may see: fail the task.
            throw new IllegalStateException("the registry tables are not open");
        }
        if (spans == null) {
            forward(record);
            return;
        }
        spans.begin(record.headers(), topic(), replay ? header(record.headers(), RouterTopology.HEADER_REPLAY) : null);
        try {
            forward(record);
        } catch (RuntimeException e) {
            spans.failed(e);
            throw e;
        } finally {
            spans.end();
        }
    }

    private void forward(Record<byte[], byte[]> record) {
        List<Record<byte[], Outbound>> out;
        if (replay) {
            out = replayed(record);
        } else {
            out = routeOrDeadLetter(record, null);
            if (ledger != null) {
                metrics.routed(
                        ledger, routedEvent.getMetadata().getReceivedAt().toEpochMilli(), System.currentTimeMillis());
            } else if (!out.isEmpty()
                    && RouterTopology.DEADLETTER.equals(out.get(0).value().topic())) {
                // With no subscription considered, a dead letter is the whole record's.
                metrics.deadLettered();
            }
            Record<byte[], Outbound> ledgered = ledger == null || ledgerTopic == null ? null : ledgerRecord(record);
            if (ledgered != null) {
                out.add(ledgered);
            }
        }
        for (Record<byte[], Outbound> r : out) {
            context.forward(r);
        }
    }

    /** The records routing makes of one event, or the whole record's dead letter; a list the caller may add to. */
    private List<Record<byte[], Outbound>> routeOrDeadLetter(
            Record<byte[], byte[]> record, RegistryView.CompiledSubscription only) {
        String reason;
        Throwable cause;
        boolean unreadableBody = false;
        try {
            return route(record, only);
        } catch (TaskFailure e) {
            throw e;
        } catch (RoutingException e) {
            reason = e.getMessage();
            cause = e.getCause() != null ? e.getCause() : e;
            unreadableBody = e.unreadableBody;
        } catch (RuntimeException e) {
            if (isRegistryOutage(e)) {
                // Not the record's fault: fail the task so it retries, rather than dead-letter good events.
                throw e;
            }
            // The exception's class, not its message: a message may quote what it failed on, a body's value.
            reason = "cannot route the record: " + e.getClass().getName();
            cause = e;
        }
        if (spans != null) {
            spans.unroutable(candidates);
        }
        if (ledger != null) {
            // What was decided before the failure no longer holds: no subscription gets the event.
            ledger.clear();
            for (RegistryView.CompiledSubscription cs : candidates) {
                ledger.deadLettered(
                        cs.subscription().id(), cs.subscription().app(), LedgerRecord.REASON_UNROUTABLE, reason);
            }
        }
        List<Record<byte[], Outbound>> out = new ArrayList<>(2);
        out.add(deadLetter(record, reason, cause, null, unreadableBody));
        return out;
    }

    /**
     * A replay topic's record: copied to the subscription it names, if that subscription still wants it, and counted
     * for its replay. A record that names no valid replay or subscription is dead-lettered, and copied nowhere.
     */
    private List<Record<byte[], Outbound>> replayed(Record<byte[], byte[]> record) {
        String replayId = header(record.headers(), RouterTopology.HEADER_REPLAY);
        String subscription = header(record.headers(), RouterTopology.HEADER_REPLAY_SUBSCRIPTION);
        boolean validId = replayId != null && REPLAY_ID.matcher(replayId).matches();
        List<Record<byte[], Outbound>> out;
        if (!validId
                || subscription == null
                || !Subscription.ID.matcher(subscription).matches()) {
            String missing = !validId ? RouterTopology.HEADER_REPLAY : RouterTopology.HEADER_REPLAY_SUBSCRIPTION;
            out = new ArrayList<>(2);
            out.add(deadLetter(record, "the replayed record has no valid " + missing + " header", null, null, true));
        } else {
            RegistryView.CompiledSubscription cs = registry.subscription(subscription);
            if (cs == null) {
                log.info("replay {}: subscription {} is gone, so the record is skipped", replayId, subscription);
                out = new ArrayList<>(1);
            } else {
                replayHeader = new RecordHeader(RouterTopology.HEADER_REPLAY, utf8(replayId));
                keepOwnPaths = RouterTopology.REPLAY_SOURCE_STORE.equals(
                        header(record.headers(), RouterTopology.HEADER_REPLAY_SOURCE));
                out = routeOrDeadLetter(record, cs);
            }
        }
        if (validId) {
            boolean delivered = false;
            for (Record<byte[], Outbound> r : out) {
                delivered |= !RouterTopology.DEADLETTER.equals(r.value().topic());
            }
            // The records of one replay are spread over the replay topic's partitions, so over tasks: each tally
            // goes by replay id to the one task that counts that replay.
            out.add(new Record<>(
                    utf8(replayId),
                    new Outbound(TALLY, delivered ? DELIVERED : SKIPPED),
                    record.timestamp(),
                    new RecordHeaders()));
        }
        return out;
    }

    /**
     * The event's ledger record, keyed by event id, with the event's id and type in headers, or null. One larger than the
     * ledger topic takes (thousands of subscriptions matching one type) is left out with an ERROR naming the event:
     * the copies still go; anything else that goes wrong fails the task, as for the store record.
     */
    private Record<byte[], Outbound> ledgerRecord(Record<byte[], byte[]> record) {
        try {
            EventType type = routedType != null ? routedType : registry.eventType(routedEvent.getEventType());
            byte[] value = ledger.toJson(type == null ? null : type.retentionDays());
            byte[] key = utf8(routedEvent.getEventId());
            Headers headers = new RecordHeaders(new Header[] {
                new RecordHeader(RouterTopology.HEADER_EVENT_ID, key),
                new RecordHeader(RouterTopology.HEADER_EVENT_TYPE, utf8(routedEvent.getEventType()))
            });
            int limit = limits.maxRecordBytes(ledgerTopic);
            int size = RecordLimits.upperBound(key, value, headers);
            if (size > limit) {
                log.error(
                        "event {} of type {} has no ledger record: it is {} bytes, and {} takes at most {}",
                        routedEvent.getEventId(),
                        routedEvent.getEventType(),
                        size,
                        ledgerTopic,
                        limit);
                return null;
            }
            if (spans != null) {
                spans.written("ledger", ledgerTopic);
            }
            return new Record<>(
                    key, new Outbound(ledgerTopic, value, alongside(ledgerTopic)), record.timestamp(), headers);
        } catch (TaskFailure e) {
            throw e;
        } catch (RuntimeException e) {
            throw new TaskFailure(
                    "cannot write the ledger record of event " + routedEvent.getEventId() + " of type "
                            + routedEvent.getEventType() + " to " + ledgerTopic + " now: "
                            + e.getClass().getName(),
                    e);
        }
    }

    private List<Record<byte[], Outbound>> route(
            Record<byte[], byte[]> record, RegistryView.CompiledSubscription only) {
        if (record.value() == null) {
            throw new RoutingException("the record has no value", null);
        }
        Envelope event;
        try {
            event = envelopes.deserialize(topic(), record.headers(), record.value());
        } catch (SerializationException e) {
            if (isRegistryOutage(e)) {
                throw e;
            }
            throw new RoutingException("cannot deserialize the envelope: " + e.getMessage(), e);
        }
        routedEvent = event;
        if (spans != null) {
            spans.event(event);
        }
        EventTypeName typeName;
        try {
            typeName = EventTypeName.parse(event.getEventType());
        } catch (RuntimeException e) {
            throw new RoutingException("event type '" + event.getEventType() + "' is not a Noun.Verb.Object name", e);
        }
        List<String> tags = event.getTags();
        boolean synthetic = event.getSynthetic();

        Body body = null;
        Map<CopyKey, Copy> copies = null;
        EventType type = null;
        EventTypeVersion version = null;
        Header[] eventHeaders = null;
        List<Record<byte[], Outbound>> out = new ArrayList<>();
        if (only == null) {
            candidates = matching(event.getEventType(), typeName);
        } else {
            candidates = only.matchesType(typeName) ? List.of(only) : List.of();
        }
        if ((ledgerTopic != null || metrics.enabled()) && !candidates.isEmpty()) {
            ledger = new LedgerRecord(
                    event.getEventId(),
                    event.getEventType(),
                    event.getMetadata().getReceivedAt().toEpochMilli(),
                    synthetic);
        }
        for (RegistryView.CompiledSubscription cs : candidates) {
            var sub = cs.subscription();
            // The ledger's reasons, in the order the contract gives them: synthetic, tags, content.
            if (!sub.synthetic().admits(synthetic)) {
                filtered(sub, LedgerRecord.REASON_SYNTHETIC);
                continue;
            }
            if (!sub.tags().matches(tags)) {
                filtered(sub, LedgerRecord.REASON_TAGS);
                continue;
            }
            if (body == null) {
                body = new Body(event);
                // Fail closed: without the type's sensitive fields no copy can be made safely.
                type = registry.eventType(event.getEventType());
                if (type == null) {
                    throw new RoutingException("event type " + event.getEventType() + " is not registered", null);
                }
                version = type.version(event.getBodySchemaVersion());
                if (version == null) {
                    // A version the router has not read yet may declare fields no known version does.
                    throw new RoutingException(
                            "event type " + event.getEventType() + " has no version " + event.getBodySchemaVersion(),
                            null);
                }
                routedType = type;
            }
            App app = registry.app(sub.app());
            // An app that is not registered has no grants: its filter reads what a dead letter would hold.
            RedactionPlan plan = app == null
                    ? plans.everything(event.getEventType(), type)
                    : plans.plan(event.getEventType(), type, version, app);
            if (!cs.filter().isEmpty() && !cs.filter().matches(body.filtered(plan, cs.hiddenReads()))) {
                filtered(sub, LedgerRecord.REASON_CONTENT);
                continue;
            }
            if (app == null) {
                String reason = "app " + sub.app() + " of subscription " + sub.id() + " is not registered";
                out.add(deadLetter(record, reason, null, sub.id(), false));
                if (ledger != null) {
                    ledger.deadLettered(sub.id(), sub.app(), LedgerRecord.REASON_APP_NOT_REGISTERED, reason);
                }
                if (spans != null) {
                    spans.deadLettered(sub, LedgerRecord.REASON_APP_NOT_REGISTERED);
                }
                continue;
            }
            if (copies == null) {
                copies = new HashMap<>();
            }
            // Subscriptions whose apps have the same plan and that keep the same fields get the same copy: it is
            // made, and encoded, once per event.
            Body parsed = body;
            boolean ownPaths = keepOwnPaths;
            Copy copy = copies.computeIfAbsent(
                    new CopyKey(plan, sub.include()),
                    k -> copy(parsed, k.plan(), k.include(), record.value(), ownPaths));
            if (eventHeaders == null) {
                eventHeaders = eventHeaders(record.headers(), event, replayHeader);
            }
            Headers headers = copyHeaders(eventHeaders, cs.subscriptionHeader());
            if (spans != null) {
                // The copy span's context, not the event's: a consumer's spans then hang under the copy it read.
                headers.remove(RouterTopology.HEADER_TRACEPARENT);
                headers.add(RouterTopology.HEADER_TRACEPARENT, utf8(spans.traceparent(sub)));
            }
            out.add(delivery(record, sub, copy, headers));
        }
        if (body != null) {
            // A body no filter, redaction or projection read is still checked: what is not JSON goes nowhere.
            body.check();
        }
        if (storeTopic != null) {
            if (type == null) {
                // No subscription took the event, so its type has not been looked up: the store keeps it anyway.
                type = registry.eventType(event.getEventType());
                version = type == null ? null : type.version(event.getBodySchemaVersion());
            }
            if (version != null) {
                stored(record, event, type).ifPresent(out::add);
            }
        }
        return out;
    }

    /**
     * The event's store record: its document, keyed by event id, for the store topic. One too large for the topic is
     * stored without its body; it is never dropped, and never dead-letters the copies. Anything else that goes wrong
     * here is not the event's fault (the builder stores any body, JSON or not): the task fails, so that the
     * transaction aborts with the copies and nothing is written half.
     */
    private Optional<Record<byte[], Outbound>> stored(Record<byte[], byte[]> record, Envelope event, EventType type) {
        RecordMetadata m = context.recordMetadata().orElse(null);
        String firehose = m == null ? topic() : m.topic();
        int partition = m == null ? -1 : m.partition();
        long offset = m == null ? -1 : m.offset();
        try {
            StoreDocument.Plan plan = plans.store(event.getEventType(), type, event.getBodySchemaVersion());
            String traceparent = header(record.headers(), RouterTopology.HEADER_TRACEPARENT);
            Optional<byte[]> value = StoreDocument.build(event, plan, firehose, partition, offset, traceparent);
            if (value.isEmpty()) {
                return Optional.empty();
            }
            byte[] key = utf8(event.getEventId());
            Headers headers = new RecordHeaders(new Header[] {
                new RecordHeader(RouterTopology.HEADER_EVENT_ID, key),
                new RecordHeader(RouterTopology.HEADER_EVENT_TYPE, utf8(event.getEventType()))
            });
            int limit = limits.maxRecordBytes(storeTopic);
            if (RecordLimits.upperBound(key, value.get(), headers) > limit) {
                log.warn(
                        "event {} of type {} is stored without its body: its store record is larger than {} takes"
                                + " ({} bytes)",
                        event.getEventId(),
                        event.getEventType(),
                        storeTopic,
                        limit);
                value = StoreDocument.buildWithoutBody(event, plan, firehose, partition, offset, traceparent);
                int size = RecordLimits.upperBound(key, value.orElseThrow(), headers);
                if (size > limit) {
                    throw new TaskFailure(
                            "the store record of event " + event.getEventId() + " is " + size
                                    + " bytes without its body, and topic " + storeTopic + " takes at most " + limit,
                            null);
                }
            }
            if (spans != null) {
                spans.written("store", storeTopic);
            }
            return Optional.of(new Record<>(
                    key, new Outbound(storeTopic, value.get(), alongside(storeTopic)), record.timestamp(), headers));
        } catch (TaskFailure e) {
            throw e;
        } catch (RuntimeException e) {
            // The exception's class only: a message may quote what it failed on.
            throw new TaskFailure(
                    "cannot write the store record of event " + event.getEventId() + " of type " + event.getEventType()
                            + " to " + storeTopic + " now: " + e.getClass().getName(),
                    e);
        }
    }

    private void filtered(Subscription sub, String reason) {
        if (ledger != null) {
            ledger.filtered(sub.id(), sub.app(), reason);
        }
        if (spans != null) {
            spans.filtered(sub, reason);
        }
    }

    /**
     * The partition for the event's store or ledger record: its firehose partition's number, modulo the topic's
     * count. A stream thread's producer then writes these records to as many partitions as it has tasks, rather than
     * to every partition of both topics: under exactly-once each partition a transaction touches costs a batch (and
     * its lz4 buffers) every linger, and a marker at each commit. The sink writes them by event id whatever their
     * partition. Where the count or the record's partition is not known, the producer's default partitioner
     * chooses.
     */
    private int alongside(String topic) {
        RecordMetadata m = context.recordMetadata().orElse(null);
        if (m == null || m.partition() < 0) {
            return Outbound.ANY_PARTITION;
        }
        int count = limits.partitions(topic, 0);
        return count > 0 ? m.partition() % count : Outbound.ANY_PARTITION;
    }

    /**
     * The partition of a copy: what Kafka's default partitioner gives its key on a topic of {@code count} partitions
     * (murmur2, made positive, modulo the count), chosen here so that the ledger says where the copy is. An event
     * published without a key goes by its event id instead of the producer's sticky choice, for the same reason.
     */
    static int partition(byte[] key, String eventId, int count) {
        byte[] hashed = key != null ? key : utf8(eventId);
        return Utils.toPositive(Utils.murmur2(hashed)) % count;
    }

    /** The subscriptions the index gives for the type, remembered for as long as the view is the same. */
    private List<RegistryView.CompiledSubscription> matching(String name, EventTypeName parsed) {
        if (matchedIn != registry || matched.size() >= MAX_MATCHES_REMEMBERED) {
            matched.clear();
            matchedIn = registry;
        }
        List<RegistryView.CompiledSubscription> subs = matched.get(name);
        if (subs == null) {
            subs = registry.subscriptions(name, parsed);
            matched.put(name, subs);
        }
        return subs;
    }

    /**
     * The record for one subscription's copy: its value in the wire format under the schema id of its topic's subject,
     * checked against the topic's record limit. A copy that cannot be written for a reason of its own (the registry
     * refuses the subject, Avro cannot write it, it is larger than its topic takes) is that subscription's dead letter
     * instead, and its siblings still go; anything else (the registry or Kafka cannot be reached) fails the task, so
     * that it is retried and nothing is lost.
     */
    private Record<byte[], Outbound> delivery(
            Record<byte[], byte[]> record, Subscription sub, Copy copy, Headers headers) {
        String subscription = sub.id();
        String topic = sub.topic();
        byte[] value;
        int partition;
        try {
            // The topic's own count: a kept topic taken again keeps its partitions, whatever the subscription says.
            partition =
                    partition(record.key(), copy.envelope().getEventId(), limits.partitions(topic, sub.partitions()));
            // Every topic's subject is registered (or refused) on its own; only the encoding is shared.
            value = copy.framed(encoder.schemaId(topic, copy.envelope().getSchema()), encoder);
            int size = RecordLimits.upperBound(record.key(), value, headers);
            int limit = limits.maxRecordBytes(topic);
            if (size > limit) {
                throw new RecordTooLargeException("the copy is up to " + size + " bytes as a record, and topic " + topic
                        + " takes at most " + limit);
            }
        } catch (RuntimeException e) {
            if (!CopyFailureHandler.isFaultOfThisCopy(e)) {
                // The exception's class only: a message may quote what it failed on.
                throw new TaskFailure(
                        "cannot write the copy for subscription " + subscription + " to " + topic + " now: "
                                + e.getClass().getName(),
                        e);
            }
            String reason =
                    "cannot write the copy for subscription " + subscription + " to " + topic + ": " + e.getMessage();
            String code = isTooLarge(e) ? LedgerRecord.REASON_COPY_TOO_LARGE : LedgerRecord.REASON_COPY_REFUSED;
            if (ledger != null) {
                ledger.deadLettered(subscription, sub.app(), code, reason);
            }
            if (spans != null) {
                spans.deadLettered(sub, code);
            }
            return deadLetter(record, reason, e, subscription, false);
        }
        if (ledger != null) {
            ledger.delivered(
                    subscription, sub.app(), topic, partition, copy.envelope().getRedactedPaths());
        }
        if (spans != null) {
            spans.delivered(sub, topic, partition);
        }
        return new Record<>(record.key(), new Outbound(topic, value, partition), record.timestamp(), headers);
    }

    private static boolean isTooLarge(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RecordTooLargeException) {
                return true;
            }
        }
        return false;
    }

    /** What makes two copies of one event the same: the redaction plan and the projection. */
    private record CopyKey(RedactionPlan plan, List<String> include) {}

    /**
     * The copy of an event for a plan and projection. One that changes nothing (nothing to redact, nothing projected,
     * and an event that lists no redacted paths of its own, or whose list the copy keeps) is the event itself, with the
     * record's bytes, to be written again as they came where the topic's schema id is the record's. A plan alone
     * rewrites only the redacted values' characters of the body's text; a projection is made on the parsed tree,
     * redacted there and written again.
     *
     * <p>{@code redactedPaths} lists what this copy's redaction masked. A live event's own list is dropped: its body is
     * as the producer sent it, so a path it lists holds the value sent, not a mask. A replayed stored event's is kept
     * ({@code keepOwnPaths}), before the copy's own: the store masked or removed those fields, and its body is what
     * the replay copies.
     */
    private static Copy copy(
            Body body, RedactionPlan plan, List<String> include, byte[] firehoseValue, boolean keepOwnPaths) {
        Envelope event = body.event;
        String text;
        List<String> paths;
        if (plan.isEmpty() && include.isEmpty()) {
            if (keepOwnPaths || event.getRedactedPaths().isEmpty()) {
                return new Copy(event, firehoseValue);
            }
            text = event.getBody();
            paths = List.of();
        } else if (include.isEmpty()) {
            RedactionPlan.RedactedText redacted = body.redact(plan);
            text = redacted.body();
            paths = redacted.paths();
        } else {
            RedactionPlan.Redacted redacted = plan.apply(project(body.tree(), include));
            text = JSON.writeValueAsString(redacted.body());
            paths = redacted.paths();
        }
        if (keepOwnPaths && !event.getRedactedPaths().isEmpty()) {
            LinkedHashSet<String> both = new LinkedHashSet<>(event.getRedactedPaths());
            both.addAll(paths);
            paths = List.copyOf(both);
        }
        // A shallow copy: the event's other fields are immutable values shared with it, never modified.
        return new Copy(new Envelope(
                event.getEventId(),
                event.getNoun(),
                event.getVerb(),
                event.getObject(),
                event.getSubObject(),
                event.getEventType(),
                event.getMetadata(),
                event.getTags(),
                event.getSynthetic(),
                text,
                event.getBodySchemaVersion(),
                paths));
    }

    /**
     * An event's body, read no more than its copies need: a tree only for content filters and projections, the text's
     * tokens for redaction, and a check that it is JSON when nothing else read it.
     */
    private static final class Body {
        private final Envelope event;
        private JsonNode tree;
        private boolean checked;
        private Map<RedactionPlan, JsonNode> redactedTrees;

        Body(Envelope event) {
            this.event = event;
        }

        JsonNode tree() {
            if (tree == null) {
                JsonNode read;
                try {
                    read = JSON.readTree(event.getBody());
                } catch (RuntimeException e) {
                    // Not only Jackson's: a number no BigDecimal holds fails with a NumberFormatException, whose
                    // message quotes the body. The reason says only that it is not JSON.
                    throw notJson(e);
                }
                if (read == null || read.isMissingNode()) {
                    // An empty or blank body reads as a missing node, which a filter could still match.
                    throw notJson(null);
                }
                tree = read;
                checked = true;
            }
            return tree;
        }

        /**
         * The tree a subscription's content filter reads: the body as its app gets it, redacted by the app's plan, so
         * that no filter decides by a value the app may not see. Where the filter reads nothing the plan redacts, the
         * body as it came gives the same verdict and is read instead; a redacted tree is made once per plan.
         */
        JsonNode filtered(RedactionPlan plan, RegistryView.HiddenReads hiddenReads) {
            JsonNode whole = tree();
            if (plan.isEmpty() || !hiddenReads.by(plan)) {
                return whole;
            }
            if (redactedTrees == null) {
                redactedTrees = new HashMap<>(4);
            }
            return redactedTrees.computeIfAbsent(plan, p -> p.apply(whole).body());
        }

        RedactionPlan.RedactedText redact(RedactionPlan plan) {
            RedactionPlan.RedactedText redacted;
            try {
                redacted = plan.apply(event.getBody());
            } catch (JacksonException e) {
                throw notJson(e);
            }
            checked = true;
            return redacted;
        }

        void check() {
            if (!checked) {
                // The plan that redacts nothing only checks that the text is one JSON value.
                redact(RedactionPlan.NONE);
            }
        }

        private RoutingException notJson(RuntimeException e) {
            return new RoutingException("the body of event " + event.getEventId() + " is not JSON", e, true);
        }
    }

    /** Keeps only the named top-level fields; the kept subtrees are shared, and redaction copies them. */
    private static JsonNode project(JsonNode body, List<String> include) {
        if (include.isEmpty()) {
            return body;
        }
        if (!body.isObject()) {
            throw new RoutingException("the body is not an object, so it cannot be projected", null);
        }
        ObjectNode kept = JSON.createObjectNode();
        for (String field : include) {
            JsonNode value = body.get(field);
            if (value != null) {
                kept.set(field, value);
            }
        }
        return kept;
    }

    /**
     * The headers every copy of the event carries, in the order a copy has them, but for the copy's own
     * {@code eventing-subscription}, which goes after the first two ({@link #copyHeaders}). Made once per event:
     * headers are never changed once made, so the copies share them.
     */
    private static Header[] eventHeaders(Headers in, Envelope event, Header replay) {
        List<Header> h = new ArrayList<>(6);
        h.add(new RecordHeader(RouterTopology.HEADER_EVENT_ID, utf8(event.getEventId())));
        h.add(new RecordHeader(RouterTopology.HEADER_EVENT_TYPE, utf8(event.getEventType())));
        h.add(new RecordHeader(RouterTopology.HEADER_SYNTHETIC, utf8(Boolean.toString(event.getSynthetic()))));
        for (String name : TRACE_HEADERS) {
            Header trace = in.lastHeader(name);
            if (trace != null) {
                h.add(new RecordHeader(name, trace.value()));
            }
        }
        if (replay != null) {
            h.add(replay);
        }
        return h.toArray(Header[]::new);
    }

    /** The event's id and type, the subscription, then the rest of the event's headers. */
    private static Headers copyHeaders(Header[] eventHeaders, Header subscription) {
        Header[] h = new Header[eventHeaders.length + 1];
        h[0] = eventHeaders[0];
        h[1] = eventHeaders[1];
        h[2] = subscription;
        System.arraycopy(eventHeaders, 2, h, 3, eventHeaders.length - 2);
        return new RecordHeaders(h);
    }

    /**
     * A dead letter for the record, or for one subscription's copy of it: the event redacted of every sensitive field
     * of its type when routing got as far as knowing the type and the body is JSON, otherwise only the record's digest.
     */
    private Record<byte[], Outbound> deadLetter(
            Record<byte[], byte[]> record,
            String reason,
            Throwable cause,
            String subscription,
            boolean unreadableBody) {
        RecordMetadata m = context.recordMetadata().orElse(null);
        DeadLetters.Body body = routedType == null || unreadableBody
                ? DeadLetters.digest(record.value())
                : deadLetters.redacted(
                        record.value(), routedEvent, plans.everything(routedEvent.getEventType(), routedType));
        DeadLetters.Letter letter = deadLetters.letter(
                record.key(),
                record.value(),
                body,
                b -> DeadLetters.headers(
                        record.headers(),
                        reason,
                        cause,
                        m == null ? null : m.topic(),
                        m == null ? -1 : m.partition(),
                        m == null ? -1 : m.offset(),
                        subscription,
                        b));
        log.warn(
                "dead-lettering {} at {}-{}@{}: {}",
                subscription == null ? "record" : "the copy for subscription " + subscription + " of the record",
                m == null ? "?" : m.topic(),
                m == null ? "?" : m.partition(),
                m == null ? "?" : m.offset(),
                reason);
        return new Record<>(
                record.key(),
                new Outbound(RouterTopology.DEADLETTER, letter.value()),
                record.timestamp(),
                letter.headers());
    }

    private String topic() {
        return context.recordMetadata().map(RecordMetadata::topic).orElse(RouterTopology.FIREHOSE);
    }

    /** A registry that cannot be reached (as opposed to one that says the schema is not there). */
    private static boolean isRegistryOutage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SchemaRegistryException sre) {
                return sre.status() < 0 || sre.status() >= 500;
            }
        }
        return false;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A header's value as UTF-8 text, or null when absent or empty. */
    private static String header(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null || h.value().length == 0
                ? null
                : new String(h.value(), StandardCharsets.UTF_8);
    }

    /**
     * Why a record cannot be routed now, though it is not the record's fault (the registry or Kafka cannot be
     * reached, a subscription's topic does not exist): the task fails, and whether it is retried or the router stops
     * is {@link StreamFailures}' decision.
     */
    static final class TaskFailure extends StreamsException {
        private static final long serialVersionUID = 1L;

        TaskFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Why a record cannot be routed; its message is the dead letter's reason. */
    static final class RoutingException extends RuntimeException {
        /** Whether the body cannot be read as JSON, so that no part of it may go to the dead letter. */
        final boolean unreadableBody;

        RoutingException(String message, Throwable cause) {
            this(message, cause, false);
        }

        RoutingException(String message, Throwable cause, boolean unreadableBody) {
            super(message, cause);
            this.unreadableBody = unreadableBody;
        }
    }
}
