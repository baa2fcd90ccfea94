package com.northwind.eventing.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LatencyResultsTest {
    @Test
    void shouldGivePercentilesOfBothLatenciesWhenEventsArrive() {
        LatencyResults results = new LatencyResults(1000);

        for (int i = 0; i < 1000; i++) {
            results.acknowledged(i);
            results.received(i, (i + 1) * 1_000L, (i + 1) * 2_000L);
        }

        assertThat(results.fromReceiptMillis(50)).isEqualTo(0.5);
        assertThat(results.fromReceiptMillis(99)).isEqualTo(0.99);
        assertThat(results.fromReceiptMillis(99.9)).isEqualTo(0.999);
        assertThat(results.fromReceiptMillis(100)).isEqualTo(1.0);
        assertThat(results.fromIntendedMillis(50)).isEqualTo(1.0);
        assertThat(results.fromIntendedMillis(100)).isEqualTo(2.0);
    }

    @Test
    void shouldCountLostEventsWhenAcknowledgedButNotReceived() {
        LatencyResults results = new LatencyResults(5);

        for (int i = 0; i < 4; i++) {
            results.acknowledged(i);
        }
        results.received(0, 1_000_000L, 1_000_000L);
        results.received(2, 1_000_000L, 1_000_000L);
        results.received(4, 1_000_000L, 1_000_000L);

        assertThat(results.acknowledgedCount()).isEqualTo(4);
        assertThat(results.receivedCount()).isEqualTo(3);
        assertThat(results.lost()).isEqualTo(2);
        assertThat(results.receivedUnacknowledged()).isEqualTo(1);
        assertThat(results.drained()).isFalse();
        assertThat(results.targetMet()).isFalse();
    }

    @Test
    void shouldCountADuplicateOnceWhenACopyArrivesTwice() {
        LatencyResults results = new LatencyResults(2);
        results.acknowledged(0);

        results.received(0, 1_000_000L, 1_000_000L);
        results.received(0, 90_000_000L, 90_000_000L);
        results.received(7, 1_000_000L, 1_000_000L);

        assertThat(results.duplicates()).isEqualTo(1);
        assertThat(results.unknown()).isEqualTo(1);
        assertThat(results.fromReceiptMillis(100)).isEqualTo(1.0);
        assertThat(results.drained()).isTrue();
    }

    @Test
    void shouldMeetTheTargetWhenNothingIsLostAndP99IsUnder50ms() {
        LatencyResults results = new LatencyResults(100);

        for (int i = 0; i < 100; i++) {
            results.acknowledged(i);
            results.received(i, i < 99 ? 2_000_000L : 400_000_000L, 2_000_000L);
        }

        assertThat(results.targetMet()).isTrue();
        assertThat(results.summary(Duration.ofSeconds(30)))
                .last()
                .isEqualTo("target (p99 from the intake's receipt under 50 ms, no event lost): met");
    }

    @Test
    void shouldMissTheTargetWhenP99IsOver50ms() {
        LatencyResults results = new LatencyResults(100);

        for (int i = 0; i < 100; i++) {
            results.acknowledged(i);
            results.received(i, i < 98 ? 2_000_000L : 60_000_000L, 2_000_000L);
        }

        assertThat(results.targetMet()).isFalse();
    }

    @Test
    void shouldSayLoudlyHowManyWereLostWhenTheDrainEndsShort() {
        LatencyResults results = new LatencyResults(3);
        results.acknowledged(0);
        results.acknowledged(1);
        results.received(0, 1_000_000L, 1_000_000L);

        assertThat(results.summary(Duration.ofSeconds(30)))
                .contains(
                        "received 1 of 2 acknowledged; lost 1; duplicates 0; received without a 202 0; unknown 0",
                        "!!! 1 EVENTS LOST: acknowledged by the intake (202) and not received within PT30S of the"
                                + " last send",
                        "target (p99 from the intake's receipt under 50 ms, no event lost): NOT met");
    }

    @Test
    void shouldCountANegativeLatencyAsZeroWhenTheReceiptIsRoundedDown() {
        LatencyResults results = new LatencyResults(1);
        results.acknowledged(0);

        results.received(0, -300_000L, 5_000L);

        assertThat(results.fromReceiptMillis(100)).isEqualTo(0.0);
    }
}
