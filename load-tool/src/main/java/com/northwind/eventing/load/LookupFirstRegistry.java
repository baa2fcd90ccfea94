package com.northwind.eventing.load;

import com.northwind.eventing.common.registry.SchemaRegistryClient;
import com.northwind.eventing.common.registry.SchemaRegistryException;
import org.apache.avro.Schema;

/**
 * A registry client that looks a schema up before it registers it. The aggregator benchmark writes to the platform's
 * firehose, whose subject only the platform's service token may write; the intake registered the envelope there at its
 * start, and a look-up is a read, open to all. Subjects of the benchmark's own topics are registered with the admin
 * token as usual.
 */
final class LookupFirstRegistry implements SchemaRegistryClient {
    private static final int NOT_FOUND = 404;

    private final SchemaRegistryClient registry;

    LookupFirstRegistry(SchemaRegistryClient registry) {
        this.registry = registry;
    }

    @Override
    public int register(String subject, Schema schema) {
        try {
            return registry.lookup(subject, schema);
        } catch (SchemaRegistryException e) {
            if (e.status() != NOT_FOUND) {
                throw e;
            }
            return registry.register(subject, schema);
        }
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
