package com.northwind.eventing.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RouterBenchTest {
    @Test
    void shouldReadCommitIntervalsOnceEachWhenListed() {
        assertThat(RouterBench.commitIntervals("20, 50,100,20")).containsExactly(20L, 50L, 100L);
    }

    @Test
    void shouldRunNoExtraLineWhenNoIntervalIsGiven() {
        assertThat(RouterBench.commitIntervals("")).isEmpty();
    }

    @Test
    void shouldRefuseACommitIntervalWhenTheRouterWouldRefuseIt() {
        assertThatThrownBy(() -> RouterBench.commitIntervals("5,100"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--commit-intervals must each be 10 to 10000 ms, not 5");
    }

    @Test
    void shouldRefuseACommitIntervalWhenItIsNotANumber() {
        assertThatThrownBy(() -> RouterBench.commitIntervals("20ms"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--commit-intervals takes milliseconds separated by commas (20,50,100), not '20ms'");
    }
}
