package com.northwind.eventing.router.aggregation;

import com.northwind.eventing.common.jsonschema.JsonSchemas;
import com.northwind.eventing.common.model.EventType;
import com.northwind.eventing.common.model.EventTypeName;
import com.northwind.eventing.common.model.Violation;
import com.northwind.eventing.common.model.Violations;
import com.northwind.eventing.common.redaction.RedactionPlan;
import com.northwind.eventing.common.serde.AvroWireSerializer;
import com.northwind.eventing.common.tracing.EventAttributes;
import com.northwind.eventing.common.tracing.Tracing;
import com.northwind.eventing.router.topology.DeadLetters;
import com.northwind.eventing.router.topology.RecordLimits;
import com.northwind.eventing.router.topology.RouterTopology;
import com.northwind.eventing.schema.Envelope;
import com.northwind.eventing.schema.Metadata;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;
import org.everit.json.schema.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Makes an output event: a new envelope of the rule's output type, its body checked against the type's latest schema,
 * in the firehose's wire format, under the firehose's subject as the intake registers it. An output whose type is not
 * registered, or whose body its schema refuses, is a dead letter with the reason, redacted of every sensitive field
 * the output type declares (only its digest when the type is unknown), never written half and never dropped. One per
 * processor: used by its stream thread only. Logs rule ids, event ids and types, never a body or a key.
 */
final class Outputs {
    private static final Logger log = LoggerFactory.getLogger(Outputs.class);

    /**
     * The largest output written: Kafka's default {@code max.request.size} and {@code max.message.bytes}. Under
     * exactly-once a record the producer refuses aborts the transaction and fails the task on every retry, so a larger
     * output (a combine of many large bodies) is a dead letter instead, before the send.
     */
    static final int MAX_RECORD_BYTES = 1024 * 1024;

    private final AvroWireSerializer<Envelope> encoder;
    private final DeadLetters deadLetters;
    private final Tracing tracing;
    private final Map<String, Compiled> schemas = new HashMap<>();

    Outputs(AvroWireSerializer<Envelope> encoder, Tracing tracing) {
        this.encoder = encoder;
        this.deadLetters = new DeadLetters(encoder, topic -> MAX_RECORD_BYTES);
        this.tracing = tracing;
    }

    /**
     * What one output becomes.
     *
     * @param deadLettered whether it is a dead letter rather than the output
     */
    record Made(Record<byte[], Outgoing> record, boolean deadLettered) {}

    /**
     * The output event, or its dead letter.
     *
     * @param inputs the events it was made of, in the order they were received: the last one's trace is continued
     * @param tags the output's tags; null for the inputs' tags merged
     * @param transactionId the output's transaction id; null for the first input's
     */
    Made make(
            Rule rule,
            String outputType,
            String key,
            JsonNode body,
            List<Kept.Event> inputs,
            List<String> tags,
            boolean synthetic,
            String transactionId,
            EventType type,
            long now) {
        EventTypeName name = EventTypeName.parse(outputType);
        Instant at = Instant.ofEpochMilli(now);
        List<String> merged = tags != null
                ? tags
                : List.copyOf(
                        inputs.stream().flatMap(e -> e.tags().stream()).collect(Collectors.toCollection(TreeSet::new)));
        Envelope envelope = Envelope.newBuilder()
                .setEventId(UuidV7.next(now).toString())
                .setNoun(name.noun())
                .setVerb(name.verb())
                .setObject(name.object())
                .setSubObject(null)
                .setEventType(outputType)
                .setMetadata(Metadata.newBuilder()
                        .setTransactionId(
                                transactionId != null
                                        ? transactionId
                                        : inputs.get(0).transactionId())
                        .setUserId(null)
                        .setOccurredAt(at)
                        .setReceivedAt(at)
                        .setTransactionType(null)
                        .setSourceSystem(null)
                        .setProducerApp(AggregatorTopology.PRODUCER_APP)
                        .build())
                .setTags(merged)
                .setSynthetic(synthetic)
                .setBody(KeyingProcessor.BODIES.writeValueAsString(body))
                .setBodySchemaVersion(type == null ? 0 : type.latest().version())
                .setRedactedPaths(List.of())
                .build();
        byte[] recordKey = key.getBytes(StandardCharsets.UTF_8);
        byte[] value = encoder.serialize(AggregatorTopology.FIREHOSE, envelope);
        Headers headers = new RecordHeaders();
        headers.add(AggregatorTopology.HEADER_AGGREGATION, utf8(rule.id()));
        String traceparent = trace(rule, envelope, inputs);
        if (traceparent != null) {
            headers.add(Tracing.TRACEPARENT, utf8(traceparent));
        }
        int size = RecordLimits.upperBound(recordKey, value, headers);
        String reason = size > MAX_RECORD_BYTES
                ? "the output is up to " + size + " bytes as a record, more than the " + MAX_RECORD_BYTES
                        + " the firehose takes"
                : refusal(outputType, type, body);
        if (reason == null) {
            return new Made(
                    new Record<>(recordKey, new Outgoing(AggregatorTopology.FIREHOSE, value), now, headers), false);
        }
        log.warn(
                "dead-lettering output {} of type {} of aggregation {}: {}",
                envelope.getEventId(),
                outputType,
                rule.id(),
                reason);
        DeadLetters.Body letterBody = type == null
                ? DeadLetters.digest(value)
                : deadLetters.redacted(value, envelope, RedactionPlan.compile(type, 1, List.of()));
        DeadLetters.Letter letter = deadLetters.letter(
                recordKey, value, letterBody, b -> DeadLetters.headers(headers, reason, null, null, -1, -1, null, b));
        return new Made(
                new Record<>(recordKey, new Outgoing(RouterTopology.DEADLETTER, letter.value()), now, letter.headers()),
                true);
    }

    /** Why the body cannot be the output, or null when it can. Violations name pointers, never values. */
    private String refusal(String outputType, EventType type, JsonNode body) {
        if (type == null) {
            return "output type " + outputType + " is not registered";
        }
        Compiled c = schemas.get(outputType);
        if (c == null || c.type != type) {
            c = new Compiled(type, JsonSchemas.compile(type.latest().schema()));
            schemas.put(outputType, c);
        }
        Violations v = JsonSchemas.check(c.schema, body);
        if (v.isEmpty()) {
            return null;
        }
        List<String> said = new ArrayList<>();
        for (Violation violation : v.list()) {
            said.add(violation.pointer() + ": " + violation.detail());
        }
        return "the output does not match version " + type.latest().version() + " of " + outputType + ": "
                + String.join("; ", said);
    }

    /**
     * The output's {@code traceparent}: with tracing on, a span continuing the last input's trace, linked to the other
     * inputs'; else the last input's own header as it came.
     */
    private String trace(Rule rule, Envelope output, List<Kept.Event> inputs) {
        String last = inputs.isEmpty() ? null : inputs.get(inputs.size() - 1).traceparent();
        if (!tracing.isEnabled()) {
            return last;
        }
        SpanBuilder b = tracing.tracer()
                .spanBuilder("aggregate " + rule.id())
                .setSpanKind(SpanKind.PRODUCER)
                .setParent(tracing.extract(last, null))
                .setAttribute(EventAttributes.MESSAGING_SYSTEM, EventAttributes.KAFKA)
                .setAttribute(EventAttributes.MESSAGING_DESTINATION, AggregatorTopology.FIREHOSE);
        for (int i = 0; i < inputs.size() - 1; i++) {
            SpanContext other = Span.fromContext(tracing.extract(inputs.get(i).traceparent(), null))
                    .getSpanContext();
            if (other.isValid()) {
                b.addLink(other);
            }
        }
        Span span = b.startSpan();
        EventAttributes.describe(span, output);
        span.end();
        return Tracing.traceparent(span);
    }

    private record Compiled(EventType type, Schema schema) {}

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
