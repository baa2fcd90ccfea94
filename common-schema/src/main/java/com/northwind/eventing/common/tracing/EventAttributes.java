package com.northwind.eventing.common.tracing;

import com.northwind.eventing.schema.Envelope;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import java.util.List;

/**
 * The attributes the platform's spans carry: OpenTelemetry's messaging conventions where they have a name for the
 * thing, ours under {@code eventing.*} for the rest. What describes an event is its id, type, producing app, tags and
 * whether it is synthetic: never its key (a transaction or member id can be one) nor any value of its body, which is
 * PHI.
 */
public final class EventAttributes {
    public static final AttributeKey<String> MESSAGING_SYSTEM = AttributeKey.stringKey("messaging.system");
    public static final AttributeKey<String> MESSAGING_DESTINATION =
            AttributeKey.stringKey("messaging.destination.name");
    public static final AttributeKey<String> MESSAGING_OPERATION_TYPE =
            AttributeKey.stringKey("messaging.operation.type");
    public static final AttributeKey<String> MESSAGING_MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");
    public static final AttributeKey<String> MESSAGING_PARTITION =
            AttributeKey.stringKey("messaging.destination.partition.id");
    public static final AttributeKey<Long> MESSAGING_OFFSET = AttributeKey.longKey("messaging.kafka.offset");

    public static final AttributeKey<String> EVENT_ID = AttributeKey.stringKey("eventing.event.id");
    public static final AttributeKey<String> EVENT_TYPE = AttributeKey.stringKey("eventing.event.type");
    public static final AttributeKey<String> PRODUCER_APP = AttributeKey.stringKey("eventing.producer.app");
    public static final AttributeKey<List<String>> TAGS = AttributeKey.stringArrayKey("eventing.tags");
    public static final AttributeKey<Boolean> SYNTHETIC = AttributeKey.booleanKey("eventing.synthetic");
    public static final AttributeKey<String> SUBSCRIPTION = AttributeKey.stringKey("eventing.subscription");
    /** DELIVERED, FILTERED or DEAD_LETTERED, for one subscription's copy. */
    public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("eventing.outcome");
    /** Why a copy was filtered or dead-lettered: the delivery ledger's reason code, never free text. */
    public static final AttributeKey<String> REASON = AttributeKey.stringKey("eventing.reason");
    /** Why a publish was refused: the refusal's kind. */
    public static final AttributeKey<String> REFUSAL = AttributeKey.stringKey("eventing.refusal");
    /** The replay a replayed copy belongs to: its id, as the copy's {@code eventing-replay} header has it. */
    public static final AttributeKey<String> REPLAY = AttributeKey.stringKey("eventing.replay");

    public static final String KAFKA = "kafka";

    private EventAttributes() {}

    /** The event's id, type, producing app, tags and synthetic flag on the span. */
    public static void describe(Span span, Envelope event) {
        span.setAttribute(EVENT_ID, event.getEventId());
        span.setAttribute(MESSAGING_MESSAGE_ID, event.getEventId());
        span.setAttribute(EVENT_TYPE, event.getEventType());
        if (event.getMetadata() != null && event.getMetadata().getProducerApp() != null) {
            span.setAttribute(PRODUCER_APP, event.getMetadata().getProducerApp());
        }
        span.setAttribute(TAGS, event.getTags() == null ? List.of() : List.copyOf(event.getTags()));
        span.setAttribute(SYNTHETIC, event.getSynthetic());
    }
}
