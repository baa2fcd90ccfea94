package com.northwind.eventing.admin.schemaregistry;

import com.northwind.eventing.common.registry.SchemaRegistryClient;
import com.northwind.eventing.common.registry.SchemaRegistryException;
import org.apache.avro.Schema;
import org.springframework.stereotype.Component;

/**
 * The embedded registry as admin-api's own serializers use it: straight to its store, without HTTP to itself and
 * without a credential (admin-api is the registry's writer). Refusals carry Confluent's codes, as over HTTP.
 */
@Component
@EmbeddedRegistry
class InProcessRegistryClient implements SchemaRegistryClient {
    private final SchemaStore store;

    InProcessRegistryClient(SchemaStore store) {
        this.store = store;
    }

    @Override
    public int register(String subject, Schema schema) {
        try {
            return store.register(subject, schema);
        } catch (RegistryError e) {
            throw new SchemaRegistryException(e.status, e.errorCode, e.getMessage());
        }
    }

    @Override
    public int lookup(String subject, Schema schema) {
        return store.lookup(subject, schema, false)
                .map(SchemaStore.Entry::id)
                .orElseThrow(() -> new SchemaRegistryException(404, 40403, "Schema not found under " + subject));
    }

    @Override
    public Schema byId(int id) {
        return store.schemaById(id)
                .map(text -> new Schema.Parser().parse(text))
                .orElseThrow(() -> new SchemaRegistryException(404, 40403, "Schema " + id + " not found"));
    }
}
