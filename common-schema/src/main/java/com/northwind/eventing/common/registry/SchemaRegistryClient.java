package com.northwind.eventing.common.registry;

import org.apache.avro.Schema;

/** The part of the Confluent Schema Registry API that serializers need. Implementations cache. */
public interface SchemaRegistryClient {
    /**
     * Registers {@code schema} under {@code subject}, or finds it there, and returns its global id.
     *
     * @throws SchemaRegistryException with Confluent's error code when the registry refuses
     */
    int register(String subject, Schema schema);

    /** Finds the id of a schema already registered under {@code subject} without registering it. */
    int lookup(String subject, Schema schema);

    /** The schema with the given global id. */
    Schema byId(int id);
}
