package com.northwind.eventing.router.topology;

/**
 * The largest record, in bytes as the broker counts them (a record batch holding just that record), that a topic
 * takes. The router checks each copy against it before the copy goes to the producer: under exactly-once a record the
 * broker refuses makes the whole transaction abortable, so a refused copy can no longer be dead-lettered beside its
 * siblings; one refused before the send can.
 */
@FunctionalInterface
public interface RecordLimits {
    /** No limit: every copy goes to the producer, as in tests that do not exercise limits. */
    RecordLimits NONE = topic -> Integer.MAX_VALUE;

    /**
     * The limit for {@code topic}.
     *
     * @throws org.apache.kafka.common.errors.RetriableException when the limit cannot be learnt now (Kafka does not
     *     answer); the copy is then neither written nor dead-lettered, and the task retries
     */
    int maxRecordBytes(String topic);

    /**
     * How many partitions {@code topic} has, as last read; {@code declared} (the subscription's {@code partitions})
     * where the limits do not read topics. Kafka never takes partitions away, so a partition below the count read once
     * stays a partition of the topic.
     *
     * @throws org.apache.kafka.common.errors.RetriableException when the count cannot be learnt now
     */
    default int partitions(String topic, int declared) {
        return declared;
    }

    /**
     * An upper bound of the size of a batch holding only this record, as the producer computes it for its own
     * {@code max.request.size} check: the batch header, then each field with the widest varint it can need.
     */
    public static int upperBound(byte[] key, byte[] value, org.apache.kafka.common.header.Headers headers) {
        int size = 61 // the v2 record batch header
                + 5 // record length
                + 1 // attributes
                + 10 // timestamp delta
                + 5 // offset delta
                + 5
                + (key == null ? 0 : key.length)
                + 5
                + (value == null ? 0 : value.length)
                + 5; // header count
        if (headers != null) {
            for (org.apache.kafka.common.header.Header h : headers) {
                size += 5
                        + org.apache.kafka.common.utils.Utils.utf8Length(h.key())
                        + 5
                        + (h.value() == null ? 0 : h.value().length);
            }
        }
        return size;
    }
}
