package com.northwind.eventing.router.topology;

/**
 * What the routing processor emits: a record's value, final, and the topic it goes to (a subscription's, the
 * dead-letter topic). Everything about it was decided in the processor: schema id, encoding, size; writing it is
 * only handing these bytes to the producer.
 *
 * @param value the record's value, or null for a dead letter that holds none
 */
record Outbound(String topic, byte[] value) {}
