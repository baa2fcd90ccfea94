package com.northwind.eventing.admin.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class SecretsTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void shouldRemoveSecretMembersAndTokenValuesWhenTheyAreNestedAnywhere() {
        // given
        String state = """
                {"id": "a", "tokenHash": "h", "kafka": {"username": "app-a", "Password": "p"},
                 "tokens": [{"id": "tok_1", "token": "t"}], "note": "evt_abcdefghijklmnop", "list": ["x", "evt_q"]}""";

        // when
        String scrubbed = Secrets.scrub(JSON.readTree(state)).toString();

        // then
        assertThat(scrubbed)
                .isEqualTo(
                        "{\"id\":\"a\",\"kafka\":{\"username\":\"app-a\"},\"tokens\":[{\"id\":\"tok_1\"}],\"list\":[\"x\"]}");
    }
}
