package com.northwind.eventing.intake.publish;

import com.northwind.eventing.schema.Envelope;
import java.util.concurrent.CompletionStage;

/** Where accepted events go: the Kafka side, free of any transport. */
public interface Firehose {
    /**
     * Writes the envelope and completes once Kafka acknowledged it (acks=all), or fails with a
     * {@link PublishException} of kind UNAVAILABLE.
     *
     * @param traceparent the W3C trace context to carry in the record headers, or null
     */
    CompletionStage<Receipt> send(String key, Envelope envelope, String traceparent);
}
