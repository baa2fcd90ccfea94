package com.northwind.eventing.router.aggregation;

import com.northwind.eventing.common.model.Aggregation;
import com.northwind.eventing.common.model.JsonPointers;
import com.northwind.eventing.common.registry.SchemaRegistryException;
import com.northwind.eventing.common.tracing.Tracing;
import com.northwind.eventing.schema.Envelope;
import com.northwind.eventing.schema.Metadata;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads each firehose event once and, for every rule that reads its type, emits what the rule keeps of it, keyed by
 * the rule and the event's correlation key: the repartition topic then brings all events of one key of one rule to one
 * task. An sla rule's events all go under the rule's own key, as its counts are per window, not per key. An event
 * without a value at a rule's key is skipped for that rule and counted. A record that is not a readable envelope, or
 * whose body is not JSON, is left to the router, which dead-letters it; the aggregator passes it over.
 */
final class KeyingProcessor implements Processor<byte[], byte[], String, byte[]> {
    private static final Logger log = LoggerFactory.getLogger(KeyingProcessor.class);
    /** Decimals as decimals, as the intake reads them: a kept 125.10 stays 125.10. */
    static final JsonMapper BODIES = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private final Deserializer<Envelope> envelopes;
    private final RuleViews views;
    private final AggregatorMetrics metrics;
    private ProcessorContext<String, byte[]> context;

    KeyingProcessor(Deserializer<Envelope> envelopes, RuleViews views, AggregatorMetrics metrics) {
        this.envelopes = envelopes;
        this.views = views;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RuleView view = views.current();
        if (view == null) {
            // Not the record's fault: fail the task and retry once the tables are open, rather than pass events over.
            throw new IllegalStateException("the aggregations and event types tables are not open");
        }
        if (record.value() == null) {
            return;
        }
        Envelope event;
        try {
            event = envelopes.deserialize(AggregatorTopology.FIREHOSE, record.headers(), record.value());
        } catch (SerializationException e) {
            if (isRegistryOutage(e)) {
                throw e;
            }
            log.debug(
                    "passing over a record that is not an envelope: {}",
                    e.getClass().getName());
            return;
        }
        List<Rule> rules = view.reading(event.getEventType());
        if (rules.isEmpty()) {
            return;
        }
        JsonNode body = null;
        for (Rule rule : rules) {
            Rule.Role role = rule.role(event.getEventType());
            String key = null;
            if (role.key() != null) {
                if (!role.keyIsMetadata() && body == null) {
                    body = tree(event);
                    if (body == null) {
                        return;
                    }
                }
                key = role.keyIsMetadata() ? metadata(event.getMetadata(), role.key()) : keyAt(body, role.key());
                if (key == null) {
                    metrics.skipped(rule.id(), "no-key");
                    continue;
                }
            }
            String kept = null;
            if (keepsBody(rule, role)) {
                if (body == null) {
                    body = tree(event);
                    if (body == null) {
                        return;
                    }
                }
                kept = BODIES.writeValueAsString(keep(body, role.fields()));
            }
            Kept.Input input =
                    new Kept.Input(rule.id(), rule.fingerprint(), role.index(), key, event(event, record, kept));
            // An sla rule's counts span its keys: all of its events go to one task.
            String routed = rule.kind() == Aggregation.Kind.SLA ? rule.id() : rule.id() + '\n' + key;
            context.forward(new Record<>(
                    routed,
                    Kept.write(input),
                    event.getMetadata().getReceivedAt().toEpochMilli()));
        }
    }

    /** Whether the rule's output holds this role's body: every combine input, and an absence's start. */
    private static boolean keepsBody(Rule rule, Rule.Role role) {
        return switch (rule.kind()) {
            case COMBINE -> true;
            case ABSENCE -> role.index() == Rule.START;
            case SLA -> false;
        };
    }

    private static Kept.Event event(Envelope e, Record<byte[], byte[]> record, String kept) {
        Header tp = record.headers().lastHeader(Tracing.TRACEPARENT);
        return new Kept.Event(
                e.getEventId(),
                e.getEventType(),
                e.getMetadata().getReceivedAt().toEpochMilli(),
                List.copyOf(e.getTags()),
                e.getSynthetic(),
                e.getMetadata().getTransactionId(),
                tp == null || tp.value() == null ? null : new String(tp.value(), StandardCharsets.UTF_8),
                kept);
    }

    /** The body's tree, or null (the event is passed over) when it is not JSON. */
    private static JsonNode tree(Envelope event) {
        try {
            JsonNode tree = BODIES.readTree(event.getBody());
            return tree == null || tree.isMissingNode() ? null : tree;
        } catch (RuntimeException e) {
            log.debug("passing over event {}: its body is not JSON", event.getEventId());
            return null;
        }
    }

    /** The key's value as text: a string as it is, a number as written; anything else, or nothing, is no key. */
    static String keyAt(JsonNode body, String pointer) {
        JsonNode v = body.at(pointer);
        if (v.isString()) {
            String s = v.stringValue();
            return s.isEmpty() ? null : s;
        }
        if (v.isNumber()) {
            return v.numberValue().toString();
        }
        return null;
    }

    private static String metadata(Metadata m, String field) {
        String v = switch (field) {
            case "transactionId" -> m.getTransactionId();
            case "userId" -> m.getUserId();
            case "sourceSystem" -> m.getSourceSystem();
            case "transactionType" -> m.getTransactionType();
            default -> null;
        };
        return v == null || v.isEmpty() ? null : v;
    }

    /** The body, or only the members at {@code fields}, each at the same place; a field the body lacks is left out. */
    static JsonNode keep(JsonNode body, List<String> fields) {
        if (fields.isEmpty()) {
            return body;
        }
        ObjectNode out = BODIES.createObjectNode();
        for (String field : fields) {
            JsonNode v = body.at(field);
            if (v.isMissingNode()) {
                continue;
            }
            List<String> tokens = JsonPointers.parse(field);
            ObjectNode at = out;
            for (int i = 0; i < tokens.size() - 1; i++) {
                JsonNode next = at.get(tokens.get(i));
                at = next instanceof ObjectNode o ? o : at.putObject(tokens.get(i));
            }
            at.set(tokens.get(tokens.size() - 1), v);
        }
        return out;
    }

    /** A registry that cannot be reached (as opposed to one that says the schema is not there). */
    static boolean isRegistryOutage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SchemaRegistryException sre) {
                return sre.status() < 0 || sre.status() >= 500;
            }
        }
        return false;
    }
}
