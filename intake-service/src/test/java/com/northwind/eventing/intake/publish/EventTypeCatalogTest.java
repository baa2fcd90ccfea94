package com.northwind.eventing.intake.publish;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.common.jsonschema.JsonSchemas;
import com.northwind.eventing.common.model.EventType;
import com.northwind.eventing.common.model.EventTypeVersion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class EventTypeCatalogTest {
    private static final String NAME = "Claim.Submitted.Reconsideration";
    private final EventTypeCatalog catalog = new EventTypeCatalog();

    @Test
    void shouldValidateAgainstTheNewLatestVersionWhenTheTypeChanges() {
        EventType v1 = type(schema("claimId"));
        catalog.apply(NAME, Optional.of(v1));
        assertThat(violations(catalog.find(NAME).orElseThrow(), "{\"claimId\": \"C1\"}"))
                .isEmpty();

        EventType v2 = type(schema("claimId"), schema("memberId"));
        catalog.apply(NAME, Optional.of(v2));

        assertThat(violations(catalog.find(NAME).orElseThrow(), "{\"claimId\": \"C1\"}"))
                .singleElement()
                .asString()
                .contains("memberId");
        assertThat(violations(catalog.find(NAME).orElseThrow(), "{\"claimId\": \"C1\", \"memberId\": \"M1\"}"))
                .isEmpty();
    }

    @Test
    void shouldForgetADeletedTypeAndCompileItAgainWhenItComesBack() {
        catalog.apply(NAME, Optional.of(type(schema("claimId"))));
        violations(catalog.find(NAME).orElseThrow(), "{}");

        catalog.apply(NAME, Optional.empty());
        assertThat(catalog.find(NAME)).isEmpty();

        catalog.apply(NAME, Optional.of(type(schema("status"))));
        assertThat(violations(catalog.find(NAME).orElseThrow(), "{\"claimId\": \"C1\"}"))
                .singleElement()
                .asString()
                .contains("status");
    }

    private List<String> violations(EventType type, String body) {
        return JsonSchemas.check(catalog.schema(NAME, type), RequestJson.MAPPER.readTree(body)).list().stream()
                .map(v -> v.pointer() + " " + v.detail())
                .toList();
    }

    private static JsonNode schema(String required) {
        return RequestJson.MAPPER.readTree("{\"type\": \"object\", \"required\": [\"" + required
                + "\"], \"properties\": {\"" + required + "\": {\"type\": \"string\"}}}");
    }

    private static EventType type(JsonNode... schemas) {
        List<EventTypeVersion> versions = new ArrayList<>();
        for (int i = 0; i < schemas.length; i++) {
            versions.add(new EventTypeVersion(i + 1, schemas[i], List.of(), Instant.EPOCH));
        }
        return new EventType(
                "Claim",
                "Submitted",
                "Reconsideration",
                "claims",
                "claims-team",
                30,
                null,
                versions,
                Instant.EPOCH,
                Instant.EPOCH);
    }
}
