package com.northwind.eventing.admin.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SubscriptionLagPropertiesTest {
    @Test
    void shouldMeasureEvery30sForTenGroupsWhenNothingIsSet() {
        SubscriptionLagProperties p = new SubscriptionLagProperties(null, null);

        assertThat(p.interval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(p.maxGroups()).isEqualTo(10);
    }

    @Test
    void shouldTurnTheMeasurementOffWhenTheIntervalIsZero() {
        assertThat(new SubscriptionLagProperties(Duration.ZERO, null).interval())
                .isZero();
    }

    @Test
    void shouldRefuseAnIntervalUnderASecondOrOverAnHourWhenSet() {
        assertThatThrownBy(() -> new SubscriptionLagProperties(Duration.ofMillis(500), null))
                .hasMessage("eventing.subscriptions.lag.interval must be 0 (off) or 1s to 1h");
        assertThatThrownBy(() -> new SubscriptionLagProperties(Duration.ofMinutes(61), null))
                .hasMessage("eventing.subscriptions.lag.interval must be 0 (off) or 1s to 1h");
    }

    @Test
    void shouldRefuseAGroupCapOutsideOneToAHundredWhenSet() {
        assertThatThrownBy(() -> new SubscriptionLagProperties(null, 0))
                .hasMessage("eventing.subscriptions.lag.max-groups must be 1 to 100");
        assertThatThrownBy(() -> new SubscriptionLagProperties(null, 101))
                .hasMessage("eventing.subscriptions.lag.max-groups must be 1 to 100");
    }
}
