package com.northwind.eventing.router.topology;

import com.northwind.eventing.common.model.Subscription;
import com.northwind.eventing.common.store.LedgerRecord;
import com.northwind.eventing.common.tracing.EventAttributes;
import com.northwind.eventing.common.tracing.Tracing;
import com.northwind.eventing.schema.Envelope;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The spans of one routed record, made only while tracing is on: a CONSUMER span for the routing, parented by the
 * record's {@code traceparent}, and under it one span per subscription whose type patterns match the event (its
 * outcome DELIVERED, FILTERED or DEAD_LETTERED, and the ledger's reason code), and one each for the store and the
 * ledger record. A copy's outcome can still change after it was decided (the copy turns out too large, or the whole
 * record is dead-lettered), so the copy spans end with the record's span, when every outcome is final.
 */
final class RouteSpans {
    static final String DELIVERED = "DELIVERED";
    static final String FILTERED = "FILTERED";
    static final String DEAD_LETTERED = "DEAD_LETTERED";

    private final Tracing tracing;
    private Span route;
    /** The event once read: its id, type, tags go on every span of it. */
    private Envelope event;

    private final Map<String, Span> copies = new LinkedHashMap<>();

    RouteSpans(Tracing tracing) {
        this.tracing = tracing;
    }

    /** Starts the record's span; {@code replayId} is the replay a replayed record belongs to, else null. */
    void begin(Headers headers, String source, String replayId) {
        copies.clear();
        event = null;
        route = tracing.tracer()
                .spanBuilder("process " + source)
                .setSpanKind(SpanKind.CONSUMER)
                .setParent(tracing.extract(header(headers, Tracing.TRACEPARENT), header(headers, Tracing.TRACESTATE)))
                .setAttribute(EventAttributes.MESSAGING_SYSTEM, EventAttributes.KAFKA)
                .setAttribute(EventAttributes.MESSAGING_DESTINATION, source)
                .setAttribute(EventAttributes.MESSAGING_OPERATION_TYPE, "process")
                .startSpan();
        if (replayId != null) {
            route.setAttribute(EventAttributes.REPLAY, replayId);
        }
    }

    /** The event, once read. */
    void event(Envelope event) {
        this.event = event;
        EventAttributes.describe(route, event);
    }

    /** The {@code traceparent} a subscription's copy carries: its copy span's, so that its consumers continue it. */
    String traceparent(Subscription sub) {
        return Tracing.traceparent(copy(sub));
    }

    void delivered(Subscription sub, String topic, int partition) {
        Span s = copy(sub);
        s.setAttribute(EventAttributes.OUTCOME, DELIVERED);
        s.setAttribute(EventAttributes.MESSAGING_DESTINATION, topic);
        s.setAttribute(EventAttributes.MESSAGING_PARTITION, Integer.toString(partition));
    }

    void filtered(Subscription sub, String reason) {
        Span s = copy(sub);
        s.setAttribute(EventAttributes.OUTCOME, FILTERED);
        s.setAttribute(EventAttributes.REASON, reason);
    }

    void deadLettered(Subscription sub, String reason) {
        Span s = copy(sub);
        s.setAttribute(EventAttributes.OUTCOME, DEAD_LETTERED);
        s.setAttribute(EventAttributes.REASON, reason);
        s.setStatus(StatusCode.ERROR, reason);
    }

    /**
     * The whole record went to the dead-letter topic: no candidate subscription gets it, whatever was decided for it
     * before, as the ledger then says.
     */
    void unroutable(List<RegistryView.CompiledSubscription> candidates) {
        if (candidates != null) {
            for (RegistryView.CompiledSubscription cs : candidates) {
                deadLettered(cs.subscription(), LedgerRecord.REASON_UNROUTABLE);
            }
        }
        route.setAttribute(EventAttributes.OUTCOME, DEAD_LETTERED);
        route.setStatus(StatusCode.ERROR, "dead-lettered");
    }

    /** A record for the store or the ledger topic, made in the same transaction as the copies. */
    void written(String what, String topic) {
        Span s = tracing.tracer()
                .spanBuilder(what + " " + topic)
                .setSpanKind(SpanKind.INTERNAL)
                .setParent(Context.root().with(route))
                .setAttribute(EventAttributes.MESSAGING_DESTINATION, topic)
                .startSpan();
        describe(s);
        s.end();
    }

    /** Routing failed for a reason that is not the record's: the task fails and the record is routed again. */
    void failed(Throwable e) {
        route.setStatus(StatusCode.ERROR, e.getClass().getName());
    }

    /** Ends the copy spans, then the record's. */
    void end() {
        for (Span s : copies.values()) {
            s.end();
        }
        copies.clear();
        route.end();
        route = null;
    }

    private Span copy(Subscription sub) {
        Span s = copies.get(sub.id());
        if (s == null) {
            s = tracing.tracer()
                    .spanBuilder("copy " + sub.id())
                    .setSpanKind(SpanKind.INTERNAL)
                    .setParent(Context.root().with(route))
                    .setAttribute(EventAttributes.SUBSCRIPTION, sub.id())
                    .startSpan();
            describe(s);
            copies.put(sub.id(), s);
        }
        return s;
    }

    private void describe(Span s) {
        if (event != null) {
            EventAttributes.describe(s, event);
        }
    }

    private static String header(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
