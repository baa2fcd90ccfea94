package com.northwind.eventing.common.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class EventTypeTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Instant CREATED = Instant.parse("2026-01-05T10:00:00Z");
    private static final JsonNode SCHEMA = JSON.readTree("{\"type\": \"object\"}");

    @Test
    void shouldGiveLatestAndNumberedVersionsWhenThereAreTwo() {
        EventTypeVersion v1 = new EventTypeVersion(1, SCHEMA, null, CREATED);
        EventTypeVersion v2 = new EventTypeVersion(2, SCHEMA, List.of(new SensitiveField("/ssn", "PHI")), CREATED);

        EventType type = eventType("Claim", List.of(v1, v2));

        assertThat(type.name()).isEqualTo(new EventTypeName("Claim", "Submitted", "Reconsideration"));
        assertThat(type.latest().version()).isEqualTo(2);
        assertThat(type.version(1)).isSameAs(v1);
        assertThat(type.version(0)).isNull();
        assertThat(type.version(3)).isNull();
    }

    @Test
    void shouldRejectTypeWhenItHasNoVersion() {
        List<EventTypeVersion> versions = List.of();

        ValidationException thrown =
                catchThrowableOfType(ValidationException.class, () -> eventType("Claim", versions));

        assertThat(thrown.violations())
                .containsExactly(new Violation("/versions", "an event type has at least one version"));
    }

    @Test
    void shouldRejectTypeWhenVersionsAreNotNumberedInOrder() {
        List<EventTypeVersion> versions =
                List.of(new EventTypeVersion(1, SCHEMA, null, CREATED), new EventTypeVersion(3, SCHEMA, null, CREATED));

        ValidationException thrown =
                catchThrowableOfType(ValidationException.class, () -> eventType("Claim", versions));

        assertThat(thrown.violations())
                .containsExactly(new Violation("/versions/1", "versions must be numbered 1, 2, ... in order"));
    }

    @Test
    void shouldRejectTypeWhenNounIsInvalid() {
        List<EventTypeVersion> versions = List.of(new EventTypeVersion(1, SCHEMA, null, CREATED));

        ValidationException thrown =
                catchThrowableOfType(ValidationException.class, () -> eventType("claim", versions));

        assertThat(thrown.violations())
                .containsExactly(new Violation(
                        "/noun",
                        "noun 'claim' must start with an upper-case letter and contain only letters, digits and"
                                + " hyphens"));
    }

    @Test
    void shouldRejectVersionWhenItIsZero() {
        ValidationException thrown =
                catchThrowableOfType(ValidationException.class, () -> new EventTypeVersion(0, SCHEMA, null, CREATED));

        assertThat(thrown.violations()).containsExactly(new Violation("/version", "version must be 1 or more"));
    }

    @Test
    void shouldReadStorePolicyAsRedactWhenRegistryRecordHasNone() {
        String written = """
                {"version": 1, "schema": {"type": "object"}, "sensitiveFields": [], "createdAt": "2026-01-05T10:00:00Z"}
                """;

        EventTypeVersion read = RegistryTopics.JSON.readValue(written, EventTypeVersion.class);

        assertThat(read.storePolicy()).isEqualTo(StorePolicy.REDACT);
    }

    @Test
    void shouldKeepStorePolicyWhenWrittenAndReadBack() {
        EventTypeVersion v = new EventTypeVersion(1, SCHEMA, null, StorePolicy.REMOVE, CREATED);

        String written = RegistryTopics.JSON.writeValueAsString(v);
        EventTypeVersion read = RegistryTopics.JSON.readValue(written, EventTypeVersion.class);

        assertThat(written).contains("\"storePolicy\":\"REMOVE\"");
        assertThat(read).isEqualTo(v);
    }

    private static EventType eventType(String noun, List<EventTypeVersion> versions) {
        return new EventType(
                noun,
                "Submitted",
                "Reconsideration",
                "A reconsideration",
                "claims",
                7,
                null,
                versions,
                CREATED,
                CREATED);
    }
}
