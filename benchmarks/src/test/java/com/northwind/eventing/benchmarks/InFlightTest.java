package com.northwind.eventing.benchmarks;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class InFlightTest {
    @Test
    void shouldFailTheCheckWhenAnySendFailed() throws Exception {
        InFlight inFlight = new InFlight();
        inFlight.acquire();
        inFlight.acquire();

        inFlight.done(null);
        inFlight.done(new IllegalStateException("broker gone"));

        assertThatThrownBy(() -> inFlight.check("publish"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("1 sends of publish failed")
                .hasMessageContaining("broker gone");
    }

    @Test
    void shouldPassTheCheckWhenEverySendSucceeded() throws Exception {
        InFlight inFlight = new InFlight();
        inFlight.acquire();

        inFlight.done(null);

        assertThatCode(() -> inFlight.awaitAll(Duration.ofSeconds(1))).doesNotThrowAnyException();
        assertThatCode(() -> inFlight.check("publish")).doesNotThrowAnyException();
    }

    @Test
    void shouldRefuseToWaitForeverWhenASendNeverCompletes() throws Exception {
        InFlight inFlight = new InFlight();
        inFlight.acquire();

        assertThatThrownBy(() -> inFlight.awaitAll(Duration.ofMillis(50)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("1 sends were still unacknowledged");
    }
}
