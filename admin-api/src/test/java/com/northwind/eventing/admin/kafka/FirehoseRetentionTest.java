package com.northwind.eventing.admin.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.northwind.eventing.admin.config.AdminProperties;
import com.northwind.eventing.common.model.EventType;
import com.northwind.eventing.common.model.EventTypeVersion;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class FirehoseRetentionTest {
    private static final FirehoseRetention RETENTION = new FirehoseRetention(
            new FirehoseProperties(null, Duration.ofDays(30), null),
            new AdminProperties("test-admin-token-0123456789", null, null, null, null),
            null);

    @Test
    void shouldKeepSevenDaysWhenNoTypeOrOnlyShorterTypesAreRegistered() {
        List<EventType> shorter = List.of(type("Short", 2), type("Shorter", 1));

        assertThat(RETENTION.retention(List.of())).isEqualTo(Duration.ofDays(7));
        assertThat(RETENTION.retention(shorter)).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void shouldTakeTheLongestTypeRetentionWhenWithinTheBound() {
        List<EventType> types = List.of(type("Short", 2), type("Long", 12), type("Middle", 9));

        assertThat(RETENTION.retention(types)).isEqualTo(Duration.ofDays(12));
    }

    @Test
    void shouldHoldAtTheBoundWhenATypeKeepsLonger() {
        List<EventType> types = List.of(type("Short", 2), type("Decade", 3650));

        assertThat(RETENTION.retention(types)).isEqualTo(Duration.ofDays(30));
    }

    @Test
    void shouldRefuseABoundBelowSevenDaysWhenConfigured() {
        IllegalArgumentException thrown = catchThrowableOfType(
                IllegalArgumentException.class, () -> new FirehoseProperties(null, Duration.ofDays(6), null));

        assertThat(thrown.getMessage())
                .isEqualTo("eventing.firehose.max-retention must be at least PT168H: the firehose is the replay source"
                        + " and never keeps less than it does by default");
    }

    @Test
    void shouldUseTheIntakesFirehoseAndSevenDaysWhenNothingIsConfigured() {
        FirehoseProperties defaults = new FirehoseProperties(null, null, null);

        assertThat(defaults.topic()).isEqualTo("eventing.firehose");
        assertThat(defaults.maxRetention()).isEqualTo(Duration.ofDays(7));
        assertThat(defaults.retentionCheckInterval()).isEqualTo(Duration.ofMinutes(1));
    }

    private static EventType type(String object, int retentionDays) {
        Instant now = Instant.parse("2026-01-05T10:00:00Z");
        return new EventType(
                "Claim",
                "Submitted",
                object,
                null,
                "claims-team",
                retentionDays,
                null,
                List.of(new EventTypeVersion(1, JsonMapper.builder().build().readTree("{}"), List.of(), now)),
                now,
                now);
    }
}
