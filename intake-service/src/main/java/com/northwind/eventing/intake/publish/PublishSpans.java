package com.northwind.eventing.intake.publish;

import com.northwind.eventing.common.model.App;
import com.northwind.eventing.common.tracing.EventAttributes;
import com.northwind.eventing.common.tracing.Tracing;
import com.northwind.eventing.schema.Envelope;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;

/**
 * The spans of one publish, made only while tracing is on: a SERVER span for the publish, continuing the caller's
 * {@code traceparent}, and under it a PRODUCER span for the firehose write, ended when Kafka acknowledged it. The
 * firehose record carries the PRODUCER span's context, so that the router's spans join the same trace. Failures are
 * described by their kind or class, never their message: a message may quote what it failed on.
 */
final class PublishSpans {
    private final Tracing tracing;
    private final String topic;
    private final Span server;
    private Span producer;

    private PublishSpans(Tracing tracing, String topic, Span server) {
        this.tracing = tracing;
        this.topic = topic;
        this.server = server;
    }

    static PublishSpans start(Tracing tracing, App app, String traceparent, String topic) {
        Span server = tracing.tracer()
                .spanBuilder("publish")
                .setSpanKind(SpanKind.SERVER)
                .setParent(tracing.extract(traceparent, null))
                .setAttribute(EventAttributes.PRODUCER_APP, app.id())
                .startSpan();
        return new PublishSpans(tracing, topic, server);
    }

    /** Starts the firehose write's span; answers the {@code traceparent} the firehose record carries. */
    String sending(Envelope event) {
        EventAttributes.describe(server, event);
        producer = tracing.tracer()
                .spanBuilder("send " + topic)
                .setSpanKind(SpanKind.PRODUCER)
                .setParent(Context.root().with(server))
                .setAttribute(EventAttributes.MESSAGING_SYSTEM, EventAttributes.KAFKA)
                .setAttribute(EventAttributes.MESSAGING_DESTINATION, topic)
                .setAttribute(EventAttributes.MESSAGING_OPERATION_TYPE, "send")
                .startSpan();
        EventAttributes.describe(producer, event);
        return Tracing.traceparent(producer);
    }

    /** Ends both spans once the write is acknowledged, or failed. */
    void acknowledged(Receipt receipt, Throwable error) {
        if (producer != null) {
            if (error == null) {
                producer.setAttribute(EventAttributes.MESSAGING_PARTITION, Integer.toString(receipt.partition()));
                producer.setAttribute(EventAttributes.MESSAGING_OFFSET, receipt.offset());
            } else {
                fail(producer, error);
            }
            producer.end();
        }
        if (error != null) {
            fail(server, error);
        }
        server.end();
    }

    /** Ends the publish's span for a failure before anything was written. */
    void failed(Throwable error) {
        fail(server, error);
        server.end();
    }

    private static void fail(Span span, Throwable error) {
        Throwable e = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause()
                : error;
        if (e instanceof PublishException p) {
            span.setAttribute(EventAttributes.REFUSAL, p.kind().name());
            span.setStatus(StatusCode.ERROR, p.kind().name());
        } else {
            span.setStatus(StatusCode.ERROR, e.getClass().getName());
        }
    }
}
