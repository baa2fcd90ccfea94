package com.northwind.eventing.router.topology;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The headers of a dead letter, the same whether the processor could not route a record or a copy of it could not be
 * written: the record's own headers, then the reason, the exception class, where the record was read and, for one
 * copy, the subscription.
 */
final class DeadLetters {
    private DeadLetters() {}

    /**
     * @param cause the exception that made the record a dead letter, or null when there is none
     * @param topic where the record was read, or null when not known (then partition and offset are left out too)
     * @param subscription the subscription whose copy failed, or null when the whole record failed
     */
    static Headers headers(
            Headers source,
            String reason,
            Throwable cause,
            String topic,
            int partition,
            long offset,
            String subscription) {
        Headers h = new RecordHeaders(source.toArray());
        h.add(RouterTopology.HEADER_DLQ_REASON, utf8(reason));
        h.add(
                RouterTopology.HEADER_DLQ_EXCEPTION,
                utf8(cause == null ? "" : cause.getClass().getName()));
        if (topic != null) {
            h.add(RouterTopology.HEADER_DLQ_TOPIC, utf8(topic));
            h.add(RouterTopology.HEADER_DLQ_PARTITION, utf8(Integer.toString(partition)));
            h.add(RouterTopology.HEADER_DLQ_OFFSET, utf8(Long.toString(offset)));
        }
        if (subscription != null) {
            h.add(RouterTopology.HEADER_SUBSCRIPTION, utf8(subscription));
        }
        return h;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
