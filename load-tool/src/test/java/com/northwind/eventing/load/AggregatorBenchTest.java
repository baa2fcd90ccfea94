package com.northwind.eventing.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AggregatorBenchTest {
    @Test
    void shouldRefuseTheOptionsWhenThereAreFewerKeysThanSegments() {
        // given
        Map<String, String> o = Map.of("open-keys", "10", "warmup", "5", "trials", "6");

        // when / then
        assertThatThrownBy(() -> AggregatorBench.Options.of(o))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--open-keys must be at least --warmup + --trials (11), not 10: each segment completes"
                        + " keys of its own");
    }

    @Test
    void shouldRefuseTheOptionsWhenASegmentIsTooSmall() {
        assertThatThrownBy(() -> AggregatorBench.Options.of(Map.of("events", "99")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--events must be 100 to 10000000, not 99");
    }

    @Test
    void shouldGiveEachKeyOfTheSegmentsBlockEachClosingTypeOnceWhenPlanningASegment() {
        // given
        AggregatorBench.Options options =
                AggregatorBench.Options.of(Map.of("events", "1000", "open-keys", "500", "warmup", "1", "trials", "3"));

        // when
        List<AggregatorBench.Planned> segment = AggregatorBench.measuredSegment(options, 2, new SplittableRandom(1));

        // then
        assertThat(options.block()).isEqualTo(50);
        assertThat(segment).hasSize(1000);
        Map<String, Integer> closing = new HashMap<>();
        for (AggregatorBench.Planned p : segment) {
            if (AggregatorBench.CLOSING.contains(p.type())) {
                assertThat(p.key()).isBetween(100, 149);
                closing.merge(p.type() + "/" + p.key(), 1, Integer::sum);
            } else {
                assertThat(p.type()).isIn(AggregatorBench.SUBMITTED, AggregatorBench.RECEIVED);
            }
        }
        assertThat(closing).hasSize(200).allSatisfy((k, n) -> assertThat(n).isEqualTo(1));
    }

    @Test
    void shouldOpenEveryKeyWithASubmittedAndAReceivedWhenPlanningTheOpening() {
        assertThat(AggregatorBench.opening(2))
                .containsExactly(
                        new AggregatorBench.Planned(AggregatorBench.SUBMITTED, 0),
                        new AggregatorBench.Planned(AggregatorBench.RECEIVED, 0),
                        new AggregatorBench.Planned(AggregatorBench.SUBMITTED, 1),
                        new AggregatorBench.Planned(AggregatorBench.RECEIVED, 1));
    }
}
