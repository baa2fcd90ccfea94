package com.northwind.eventing.router.topology;

import com.northwind.eventing.common.model.App;
import com.northwind.eventing.common.model.EventType;
import com.northwind.eventing.common.model.EventTypeName;
import com.northwind.eventing.common.model.EventTypeVersion;
import com.northwind.eventing.common.redaction.RedactionPlan;
import com.northwind.eventing.common.registry.SchemaRegistryException;
import com.northwind.eventing.schema.Envelope;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Routes one firehose record: a copy to every matching subscription, projected and redacted for its app, or a dead
 * letter with the reason. Every output of a record is computed before any is forwarded, so a failure half-way never
 * leaves some copies sent. Never logs a body: it carries PHI.
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

    private final Deserializer<Envelope> envelopes;
    private final DeadLetters deadLetters;
    private ProcessorContext<byte[], Outbound> context;
    private RegistryView registry;

    private final RegistryStore.Changes registryChanges;

    // What routing the current record has learnt so far, for its dead letter: the event once read, and its type once
    // both it and the event's version are known (only then can anyone say what in it is sensitive).
    private Envelope routedEvent;
    private EventType routedType;

    RoutingProcessor(Deserializer<Envelope> envelopes, RegistryStore.Changes registryChanges, DeadLetters deadLetters) {
        this.envelopes = envelopes;
        this.registryChanges = registryChanges;
        this.deadLetters = deadLetters;
    }

    @Override
    public void init(ProcessorContext<byte[], Outbound> context) {
        this.context = context;
        this.registry = new RegistryView(
                store(context, RouterTopology.SUBSCRIPTIONS_STORE),
                store(context, RouterTopology.EVENT_TYPES_STORE),
                store(context, RouterTopology.APPS_STORE),
                registryChanges);
    }

    @SuppressWarnings("unchecked")
    private static ReadOnlyKeyValueStore<String, Object> store(ProcessorContext<?, ?> context, String name) {
        return (ReadOnlyKeyValueStore<String, Object>) context.getStateStore(name);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        routedEvent = null;
        routedType = null;
        List<Record<byte[], Outbound>> out;
        try {
            out = route(record);
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
        Map<CopyKey, Outbound.Copy> copies = null;
        EventType type = null;
        EventTypeVersion version = null;
        Outbound.Source source = null;
        Header[] eventHeaders = null;
        List<Record<byte[], Outbound>> out = new ArrayList<>();
        for (RegistryView.CompiledSubscription cs : registry.subscriptions()) {
            var sub = cs.subscription();
            if (!sub.synthetic().admits(synthetic)
                    || !cs.matchesType(typeName)
                    || !sub.tags().matches(tags)) {
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
                    ? registry.everything(event.getEventType(), type)
                    : registry.plan(event.getEventType(), type, version, app);
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
            // made, and written, once per event.
            Body parsed = body;
            Outbound.Copy routed = copies.computeIfAbsent(
                    new CopyKey(plan, sub.include()), k -> copy(parsed, k.plan(), k.include(), record.value()));
            if (source == null) {
                source = source(record, event, registry.everything(event.getEventType(), type));
                eventHeaders = eventHeaders(record.headers(), event);
            }
            out.add(new Record<byte[], Outbound>(
                    record.key(),
                    new Outbound.Delivery(sub.topic(), routed, source),
                    record.timestamp(),
                    copyHeaders(eventHeaders, cs.subscriptionHeader())));
        }
        if (body != null) {
            // A body no filter, redaction or projection read is still checked: what is not JSON goes nowhere.
            body.check();
        }
        return out;
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
    private static Outbound.Copy copy(Body body, RedactionPlan plan, List<String> include, byte[] firehoseValue) {
        Envelope event = body.event;
        String text;
        List<String> paths;
        if (plan.isEmpty() && include.isEmpty()) {
            if (event.getRedactedPaths().isEmpty()) {
                return new Outbound.Copy(event, firehoseValue);
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
        return new Outbound.Copy(new Envelope(
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

    private Outbound.Source source(Record<byte[], byte[]> record, Envelope event, RedactionPlan everything) {
        RecordMetadata m = context.recordMetadata().orElse(null);
        byte[] value = record.value();
        return new Outbound.Source(
                record.key(),
                headersFor -> deadLetters.letter(
                        record.key(), value, deadLetters.redacted(value, event, everything), headersFor),
                record.headers(),
                record.timestamp(),
                m == null ? null : m.topic(),
                m == null ? -1 : m.partition(),
                m == null ? -1 : m.offset());
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
                        record.value(), routedEvent, registry.everything(routedEvent.getEventType(), routedType));
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
                "dead-lettering record at {}-{}@{}: {}",
                m == null ? "?" : m.topic(),
                m == null ? "?" : m.partition(),
                m == null ? "?" : m.offset(),
                reason);
        return new Record<>(
                record.key(), new Outbound.DeadLetter(letter.value()), record.timestamp(), letter.headers());
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
