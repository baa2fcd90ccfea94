package com.northwind.eventing.common.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegistryTopicsTest {

    @Test
    void shouldReadTheSameAppWhenWrittenAsJson() {
        App app = new App(
                "claims-intake",
                "claims",
                List.of("Claim.*.*"),
                List.of("PHI", "/member/ssn"),
                List.of(new AppToken("t1", "ab12", Instant.parse("2026-01-05T10:00:00Z"))),
                new RateLimit(500, 1000),
                Instant.parse("2026-01-05T10:00:00Z"),
                Instant.parse("2026-01-06T11:00:00Z"));

        String json = RegistryTopics.JSON.writeValueAsString(app);
        App read = RegistryTopics.JSON.readValue(json, App.class);

        assertThat(read).isEqualTo(app);
    }

    @Test
    void shouldIgnoreUnknownMembersWhenANewerWriterAddedThem() {
        String json = """
                {"id": "claims-intake", "team": "claims", "publish": ["Claim.*.*"], "costCentre": "CC-12"}
                """;

        App read = RegistryTopics.JSON.readValue(json, App.class);

        assertThat(read)
                .isEqualTo(new App("claims-intake", "claims", List.of("Claim.*.*"), null, null, null, null, null));
    }

    @Test
    void shouldReadSubscriptionFilterAsJsonWhenSubscriptionIsRead() {
        String json = """
                {"id": "claims-tx", "app": "claims-reader", "eventTypes": ["Claim.*.*"],
                 "tags": {"allOf": ["state:TX"]}, "synthetic": "INCLUDE",
                 "filter": {"/amount": [{"numeric": [">", 100]}]},
                 "topic": "eventing.sub.claims-tx", "partitions": 3}
                """;

        Subscription read = RegistryTopics.JSON.readValue(json, Subscription.class);

        assertThat(read.tags()).isEqualTo(new TagFilter(List.of("state:TX"), null, null));
        assertThat(read.synthetic()).isEqualTo(SyntheticPolicy.INCLUDE);
        assertThat(read.filter().toString()).isEqualTo("{\"/amount\":[{\"numeric\":[\">\",100]}]}");
        assertThat(read.partitions()).isEqualTo(3);
    }
}
