package com.northwind.eventing.admin.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import org.junit.jupiter.api.Test;

class AdminPropertiesTest {
    private static final String ADMIN = "admin-token-0123456789";

    @Test
    void shouldRefuseServiceTokenWhenShorterThan32Characters() {
        // given a 31-character service token

        // when
        Throwable thrown = catchThrowable(
                () -> new AdminProperties.SchemaRegistry(null, null, "0123456789012345678901234567890", false));

        // then
        assertThat(thrown).hasMessage("eventing.schema-registry.service-token must be at least 32 characters");
    }

    @Test
    void shouldRefuseServiceTokenWhenItIsTheAdminToken() {
        // given
        String same = "the-same-token-for-both-0123456789";

        // when
        Throwable thrown = catchThrowable(() -> new AdminProperties(
                same, null, null, null, new AdminProperties.SchemaRegistry(null, null, same, false)));

        // then
        assertThat(thrown)
                .hasMessage("eventing.schema-registry.service-token must not be the admin token: it may write the"
                        + " platform's subjects, which the admin token may not");
    }

    @Test
    void shouldHaveNoServiceTokenAndClosedWritesWhenNothingIsConfigured() {
        // given nothing for the registry

        // when
        AdminProperties properties = new AdminProperties(ADMIN, null, null, null, null);

        // then
        assertThat(properties.schemaRegistry().serviceToken()).isNull();
        assertThat(properties.schemaRegistry().openWrites()).isFalse();
    }
}
