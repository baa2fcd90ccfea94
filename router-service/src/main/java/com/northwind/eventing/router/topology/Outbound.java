package com.northwind.eventing.router.topology;

import com.northwind.eventing.schema.Envelope;

/** What the routing processor emits: a copy for a subscription's topic, or a dead letter. */
sealed interface Outbound {
    /** The topic the record goes to. */
    String topic();

    /** A redacted, projected copy of an event for one subscription. */
    record Delivery(String topic, Envelope envelope) implements Outbound {}

    /** The original bytes of a record that could not be routed; the reason travels in headers. */
    record DeadLetter(byte[] value) implements Outbound {
        @Override
        public String topic() {
            return RouterTopology.DEADLETTER;
        }
    }
}
