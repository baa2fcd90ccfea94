package com.northwind.eventing.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.common.registry.InMemorySchemaRegistryClient;
import com.northwind.eventing.common.registry.SchemaRegistryClient;
import com.northwind.eventing.common.registry.SchemaRegistryException;
import com.northwind.eventing.schema.Envelope;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class LookupFirstRegistryTest {
    /** The platform's registry as the admin token sees it: its own subjects are read-only. */
    private final InMemorySchemaRegistryClient schemas = new InMemorySchemaRegistryClient();

    private final SchemaRegistryClient asAdmin = new SchemaRegistryClient() {
        @Override
        public int register(String subject, Schema schema) {
            if (subject.startsWith("eventing.")) {
                throw new SchemaRegistryException(403, 40301, "subject " + subject + " belongs to the platform");
            }
            return schemas.register(subject, schema);
        }

        @Override
        public int lookup(String subject, Schema schema) {
            return schemas.lookup(subject, schema);
        }

        @Override
        public Schema byId(int id) {
            return schemas.byId(id);
        }
    };

    @Test
    void shouldAnswerThePlatformsIdWhenTheFirehoseSubjectHoldsTheEnvelopeAlready() {
        // given
        int registered = schemas.register("eventing.firehose-value", Envelope.getClassSchema());

        // when
        int id = new LookupFirstRegistry(asAdmin).register("eventing.firehose-value", Envelope.getClassSchema());

        // then
        assertThat(id).isEqualTo(registered);
    }

    @Test
    void shouldRegisterWhenTheBenchmarksOwnSubjectDoesNotHoldTheSchemaYet() {
        // when
        int id = new LookupFirstRegistry(asAdmin).register("bench.aggregator.r1.sub0-value", Envelope.getClassSchema());

        // then
        assertThat(schemas.lookup("bench.aggregator.r1.sub0-value", Envelope.getClassSchema()))
                .isEqualTo(id);
    }
}
