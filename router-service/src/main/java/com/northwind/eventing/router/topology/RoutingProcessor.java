package com.northwind.eventing.router.topology;

import com.northwind.eventing.common.model.App;
import com.northwind.eventing.common.model.EventType;
import com.northwind.eventing.common.model.EventTypeName;
import com.northwind.eventing.common.model.EventTypeVersion;
import com.northwind.eventing.common.redaction.RedactionPlan;
import com.northwind.eventing.common.registry.SchemaRegistryException;
import com.northwind.eventing.common.serde.AvroWireSerializer;
import com.northwind.eventing.schema.Envelope;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
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
 * half-way never leaves some copies sent. Never logs a body: it carries PHI.
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

    /** Type names whose matching subscriptions are remembered per view; past it, the memo starts again. */
    private static final int MAX_MATCHES_REMEMBERED = 10_000;

    private final Deserializer<Envelope> envelopes;
    private final AvroWireSerializer<Envelope> encoder;
    private final RecordLimits limits;
    private final DeadLetters deadLetters;
    private final RegistryViews views;
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

    RoutingProcessor(
            Deserializer<Envelope> envelopes,
            AvroWireSerializer<Envelope> encoder,
            RecordLimits limits,
            RegistryViews views,
            DeadLetters deadLetters) {
        this.envelopes = envelopes;
        this.encoder = encoder;
        this.limits = limits;
        this.views = views;
        this.deadLetters = deadLetters;
    }

    @Override
    public void init(ProcessorContext<byte[], Outbound> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        routedEvent = null;
        routedType = null;
        registry = views.current();
        if (registry == null) {
            // Not the record's fault, and nobody can say where it goes or what its readers may see: fail the task.
            throw new IllegalStateException("the registry tables are not open");
        }
        List<Record<byte[], Outbound>> out;
        try {
            out = route(record);
        } catch (TaskFailure e) {
            throw e;
        } catch (RoutingException e) {
            out = List.of(deadLetter(
                    record, e.getMessage(), e.getCause() != null ? e.getCause() : e, null, e.unreadableBody));
        } catch (RuntimeException e) {
            if (isRegistryOutage(e)) {
                // Not the record's fault: fail the task so it retries, rather than dead-letter good events.
                throw e;
            }
            // The exception's class, not its message: a message may quote what it failed on, a body's value.
            out = List.of(deadLetter(
                    record, "cannot route the record: " + e.getClass().getName(), e, null, false));
        }
        for (Record<byte[], Outbound> r : out) {
            context.forward(r);
        }
    }

    private List<Record<byte[], Outbound>> route(Record<byte[], byte[]> record) {
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
        for (RegistryView.CompiledSubscription cs : matching(event.getEventType(), typeName)) {
            var sub = cs.subscription();
            if (!sub.synthetic().admits(synthetic) || !sub.tags().matches(tags)) {
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
                continue;
            }
            if (app == null) {
                out.add(deadLetter(
                        record,
                        "app " + sub.app() + " of subscription " + sub.id() + " is not registered",
                        null,
                        sub.id(),
                        false));
                continue;
            }
            if (copies == null) {
                copies = new HashMap<>();
            }
            // Subscriptions whose apps have the same plan and that keep the same fields get the same copy: it is
            // made, and encoded, once per event.
            Body parsed = body;
            Copy copy = copies.computeIfAbsent(
                    new CopyKey(plan, sub.include()), k -> copy(parsed, k.plan(), k.include(), record.value()));
            if (eventHeaders == null) {
                eventHeaders = eventHeaders(record.headers(), event);
            }
            out.add(delivery(record, sub.id(), sub.topic(), copy, copyHeaders(eventHeaders, cs.subscriptionHeader())));
        }
        if (body != null) {
            // A body no filter, redaction or projection read is still checked: what is not JSON goes nowhere.
            body.check();
        }
        return out;
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
            Record<byte[], byte[]> record, String subscription, String topic, Copy copy, Headers headers) {
        byte[] value;
        try {
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
            return deadLetter(
                    record,
                    "cannot write the copy for subscription " + subscription + " to " + topic + ": " + e.getMessage(),
                    e,
                    subscription,
                    false);
        }
        return new Record<>(record.key(), new Outbound(topic, value), record.timestamp(), headers);
    }

    /** What makes two copies of one event the same: the redaction plan and the projection. */
    private record CopyKey(RedactionPlan plan, List<String> include) {}

    /**
     * The copy of an event for a plan and projection. One that changes nothing (nothing to redact, nothing projected,
     * and an event that lists no redacted paths of its own) is the event itself, with the firehose record's bytes, to
     * be written again as they came where the topic's schema id is the record's. A plan alone rewrites only the
     * redacted values' characters of the body's text; a projection is made on the parsed tree, redacted there and
     * written again.
     */
    private static Copy copy(Body body, RedactionPlan plan, List<String> include, byte[] firehoseValue) {
        Envelope event = body.event;
        String text;
        List<String> paths;
        if (plan.isEmpty() && include.isEmpty()) {
            if (event.getRedactedPaths().isEmpty()) {
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
    private static Header[] eventHeaders(Headers in, Envelope event) {
        List<Header> h = new ArrayList<>(5);
        h.add(new RecordHeader(RouterTopology.HEADER_EVENT_ID, utf8(event.getEventId())));
        h.add(new RecordHeader(RouterTopology.HEADER_EVENT_TYPE, utf8(event.getEventType())));
        h.add(new RecordHeader(RouterTopology.HEADER_SYNTHETIC, utf8(Boolean.toString(event.getSynthetic()))));
        for (String name : TRACE_HEADERS) {
            Header trace = in.lastHeader(name);
            if (trace != null) {
                h.add(new RecordHeader(name, trace.value()));
            }
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
