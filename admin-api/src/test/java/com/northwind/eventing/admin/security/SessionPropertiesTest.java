package com.northwind.eventing.admin.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SessionPropertiesTest {
    @Test
    void shouldTakeSecureDefaultsWhenNothingIsSet() {
        // given nothing

        // when
        SessionProperties p = new SessionProperties(null, null, null, null);

        // then
        assertThat(p).isEqualTo(new SessionProperties(Duration.ofMinutes(30), Duration.ofHours(12), 10_000, 10));
    }

    @Test
    void shouldRefuseToStartWhenLifetimeIsShorterThanIdleTimeout() {
        // given
        Duration idle = Duration.ofHours(2);

        // when / then
        assertThatThrownBy(() -> new SessionProperties(idle, Duration.ofHours(1), null, null))
                .hasMessage("eventing.console.session.max-lifetime must not be shorter than its idle-timeout");
    }

    @Test
    void shouldRefuseToStartWhenAValueIsOutOfRange() {
        // given
        Duration zero = Duration.ZERO;

        // when / then
        assertThatThrownBy(() -> new SessionProperties(zero, null, null, null))
                .hasMessage("eventing.console.session.idle-timeout must be 1s to 24h");
        assertThatThrownBy(() -> new SessionProperties(null, Duration.ofDays(8), null, null))
                .hasMessage("eventing.console.session.max-lifetime must be 1m to 7d");
        assertThatThrownBy(() -> new SessionProperties(null, null, 0, null))
                .hasMessage("eventing.console.session.max-sessions must be 1 to 1000000");
        assertThatThrownBy(() -> new SessionProperties(null, null, null, 0))
                .hasMessage("eventing.console.session.sign-in-failures-per-minute must be 1 to 1000");
    }
}
