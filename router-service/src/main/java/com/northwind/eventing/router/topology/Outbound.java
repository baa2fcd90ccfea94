package com.northwind.eventing.router.topology;

/**
 * What the routing processor emits: a record's value, final, the topic it goes to (a subscription's, the dead-letter
 * topic, the store's, the ledger's), and for a copy the partition the processor chose for it, so that the ledger can
 * say where the copy is. Everything about it was decided in the processor: schema id, encoding, size, partition;
 * writing it is only handing these bytes to the producer.
 *
 * @param value the record's value, or null for a dead letter that holds none
 * @param partition the partition, or {@link #ANY_PARTITION} for the producer's default partitioner
 */
record Outbound(String topic, byte[] value, int partition) {
    static final int ANY_PARTITION = -1;

    Outbound(String topic, byte[] value) {
        this(topic, value, ANY_PARTITION);
    }
}
