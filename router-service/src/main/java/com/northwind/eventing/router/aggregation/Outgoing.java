package com.northwind.eventing.router.aggregation;

/** A record the aggregator writes, its value final: an output to the firehose, or a dead letter. */
record Outgoing(String topic, byte[] value) {}
