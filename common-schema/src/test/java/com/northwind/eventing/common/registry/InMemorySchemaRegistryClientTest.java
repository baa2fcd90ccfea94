package com.northwind.eventing.common.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class InMemorySchemaRegistryClientTest {
    private static final Schema PING = record("Ping");
    private static final Schema PONG = record("Pong");

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

    @Test
    void shouldHandOutIdsInOrderWhenSchemasAreNew() {
        int ping = registry.register("pings-value", PING);
        int pong = registry.register("pongs-value", PONG);

        assertThat(ping).isEqualTo(1);
        assertThat(pong).isEqualTo(2);
    }

    @Test
    void shouldKeepTheIdWhenTheSameSchemaIsRegisteredUnderAnotherSubject() {
        registry.register("pings-value", PING);

        int again = registry.register("other-value", PING);

        assertThat(again).isEqualTo(1);
        assertThat(registry.subjects()).containsExactly("other-value", "pings-value");
    }

    @Test
    void shouldAddNoVersionWhenTheSameSchemaIsRegisteredTwiceUnderOneSubject() {
        registry.register("pings-value", PING);

        int again = registry.register("pings-value", PING);

        assertThat(again).isEqualTo(1);
        assertThat(registry.versions("pings-value")).containsExactly(1);
    }

    @Test
    void shouldListVersionsOldestFirstWhenASubjectHasSeveral() {
        registry.register("pings-value", PING);
        registry.register("pings-value", PONG);

        assertThat(registry.versions("pings-value")).containsExactly(1, 2);
        assertThat(registry.versions("unknown-value")).isEmpty();
    }

    @Test
    void shouldFindTheIdWhenTheSchemaIsRegisteredUnderTheSubject() {
        registry.register("pings-value", PING);

        int id = registry.lookup("pings-value", PING);

        assertThat(id).isEqualTo(1);
    }

    @Test
    void shouldThrowSchemaNotFoundWhenLookingUpAnUnregisteredSchema() {
        registry.register("pings-value", PING);

        SchemaRegistryException thrown =
                catchThrowableOfType(SchemaRegistryException.class, () -> registry.lookup("pings-value", PONG));

        assertThat(thrown.status()).isEqualTo(404);
        assertThat(thrown.errorCode()).isEqualTo(40403);
        assertThat(thrown).hasMessage("schema not found under subject pings-value (status 404, error code 40403)");
    }

    @Test
    void shouldThrowSchemaNotFoundWhenTheSchemaIsRegisteredOnlyUnderAnotherSubject() {
        registry.register("pings-value", PING);

        SchemaRegistryException thrown =
                catchThrowableOfType(SchemaRegistryException.class, () -> registry.lookup("other-value", PING));

        assertThat(thrown.errorCode()).isEqualTo(40403);
        assertThat(registry.subjects()).containsExactly("pings-value");
    }

    @Test
    void shouldReturnAnEqualSchemaWhenLookingUpById() {
        registry.register("pings-value", PING);

        Schema schema = registry.byId(1);

        assertThat(schema).isEqualTo(PING);
        assertThat(schema.getFullName()).isEqualTo("com.northwind.test.Ping");
    }

    @Test
    void shouldThrowSchemaNotFoundWhenTheIdIsUnknown() {
        SchemaRegistryException thrown = catchThrowableOfType(SchemaRegistryException.class, () -> registry.byId(7));

        assertThat(thrown.status()).isEqualTo(404);
        assertThat(thrown.errorCode()).isEqualTo(40403);
        assertThat(thrown).hasMessage("schema 7 not found (status 404, error code 40403)");
    }

    private static Schema record(String name) {
        return new Schema.Parser()
                .parse("{\"type\": \"record\", \"name\": \"" + name + "\", \"namespace\": \"com.northwind.test\","
                        + " \"fields\": [{\"name\": \"id\", \"type\": \"string\"}]}");
    }
}
