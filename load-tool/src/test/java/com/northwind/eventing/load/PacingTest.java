package com.northwind.eventing.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PacingTest {
    @Test
    void shouldSpaceEventsEvenlyWhenPacedAtARate() {
        Pacing pacing = new Pacing(1_000L, 2000);

        long[] due = {pacing.due(0), pacing.due(1), pacing.due(2), pacing.due(2000), pacing.due(240_000)};

        assertThat(due).containsExactly(1_000L, 501_000L, 1_001_000L, 1_000_001_000L, 120_000_001_000L);
    }

    @Test
    void shouldKeepEachEventsTimeWhenTheSenderFellBehind() {
        Pacing pacing = new Pacing(0L, 1000);

        pacing.sent(pacing.due(0), 500_000L);
        pacing.sent(pacing.due(1), 1_000_000L + 3_000_000L);
        pacing.sent(pacing.due(2), 2_000_000L + 1_500_000L);

        assertThat(pacing.due(2)).isEqualTo(2_000_000L);
        assertThat(pacing.late()).isEqualTo(2);
        assertThat(pacing.maxLateNanos()).isEqualTo(3_000_000L);
    }

    @Test
    void shouldCountNoneLateWhenEverySendIsOnTime() {
        Pacing pacing = new Pacing(0L, 1000);

        pacing.sent(pacing.due(0), 0L);
        pacing.sent(pacing.due(1), 1_000_000L + 1_000_000L);

        assertThat(pacing.late()).isZero();
        assertThat(pacing.maxLateNanos()).isEqualTo(1_000_000L);
    }

    @Test
    void shouldRefuseARateWhenItIsZero() {
        assertThatThrownBy(() -> new Pacing(0L, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the rate must be 1 or more events/s, not 0");
    }
}
