package com.northwind.eventing.intake.publish;

import com.northwind.eventing.schema.Envelope;
import java.util.concurrent.CompletionStage;

/** Where accepted events go: the Kafka side, free of any transport. */
public interface Firehose {
    /**
     * Writes the envelope and completes once Kafka acknowledged it (acks=all), or fails with a
     * {@link PublishException} (UNAVAILABLE when Kafka or the schema registry cannot take it now, TOO_LARGE when the
     * record is over Kafka's limits), or with the failure itself when it is no refusal but a bug.
     *
     * @param traceparent the W3C trace context to carry in the record headers, or null
     */
    CompletionStage<Receipt> send(String key, Envelope envelope, String traceparent);

    /** The topic written to, as the firehose write's span names it. */
    default String topic() {
        return "eventing.firehose";
    }
}
