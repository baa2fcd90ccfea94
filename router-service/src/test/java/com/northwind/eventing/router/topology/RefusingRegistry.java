package com.northwind.eventing.router.topology;

import com.northwind.eventing.common.registry.SchemaRegistryClient;
import com.northwind.eventing.common.registry.SchemaRegistryException;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * A schema registry that answers as another one, except that registering under a subject in {@code refusals} throws
 * that subject's refusal: a subject the registry refuses (409, 422), credentials it refuses, or one it cannot reach.
 */
final class RefusingRegistry implements SchemaRegistryClient {
    private final SchemaRegistryClient registry;
    private final Map<String, SchemaRegistryException> refusals;

    /** @param refusals read at each registration, so that a test may add to it as it goes */
    RefusingRegistry(SchemaRegistryClient registry, Map<String, SchemaRegistryException> refusals) {
        this.registry = registry;
        this.refusals = refusals;
    }

    @Override
    public int register(String subject, Schema schema) {
        SchemaRegistryException refusal = refusals.get(subject);
        if (refusal != null) {
            throw refusal;
        }
        return registry.register(subject, schema);
    }

    @Override
    public int lookup(String subject, Schema schema) {
        return registry.lookup(subject, schema);
    }

    @Override
    public Schema byId(int id) {
        return registry.byId(id);
    }
}
