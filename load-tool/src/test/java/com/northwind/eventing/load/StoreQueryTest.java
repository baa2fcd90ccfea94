package com.northwind.eventing.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class StoreQueryTest {
    @Test
    void shouldAnswerCountAndPercentilesWhenEveryQueryRan() {
        StoreQuery.Series lookups = new StoreQuery.Series("lookup", 50, 100);

        for (int ms = 1; ms <= 100; ms++) {
            lookups.answered(ms * 1_000_000L, 3);
        }

        assertThat(lookups.line())
                .isEqualTo("lookup                              100/100        100       50.0       99.0      100.0"
                        + "    50 ms       3.0  NOT met");
    }

    @Test
    void shouldSayMetWhenTheP99IsUnderTheTargetAndNothingFailed() {
        StoreQuery.Series searches = new StoreQuery.Series("search", 200, 3);

        searches.answered(10_000_000L, 50);
        searches.answered(20_000_000L, 50);
        searches.answered(199_000_000L, 50);

        assertThat(searches.verdict()).isEqualTo("met");
    }

    @Test
    void shouldJudgeOnlyWhatRanWhenTheBudgetCutTheSeriesShortOrAQueryFailed() {
        StoreQuery.Series cut = new StoreQuery.Series("search", 200, 5);
        StoreQuery.Series failed = new StoreQuery.Series("search", 200, 2);
        StoreQuery.Series none = new StoreQuery.Series("search", 200, 5);

        cut.answered(10_000_000L, 50);
        failed.answered(10_000_000L, 50);
        failed.failed("HTTP 503");

        assertThat(cut.verdict()).isEqualTo("under on what ran");
        assertThat(failed.ran()).isEqualTo(2);
        assertThat(failed.verdict()).isEqualTo("under on what ran");
        assertThat(none.verdict()).isEqualTo("not measured");
    }

    @Test
    void shouldTakeTheBriefsDefaultsWhenNoOptionIsGiven() {
        StoreQuery.Options o = StoreQuery.Options.of(Map.of());

        assertThat(o.documents()).isEqualTo(1_000_000);
        assertThat(o.lookups()).isEqualTo(200);
        assertThat(o.searches()).isEqualTo(50);
        assertThat(o.requestTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(o.budget()).isEqualTo(Duration.ofMinutes(30));
        assertThat(o.storeUri()).isEqualTo("mongodb://127.0.0.1:27017");
        assertThat(o.database()).isEqualTo("eventing");
        assertThat(o.collection()).isEqualTo("events");
    }

    @Test
    void shouldRefuseAnOptionNamingItWhenItIsOutOfRange() {
        assertThatThrownBy(() -> StoreQuery.Options.of(Map.of("budget", "PT0S")))
                .hasMessage("--budget must be at least PT1S, not PT0S");
        assertThatThrownBy(() -> StoreQuery.Options.of(Map.of("documents", "-1")))
                .hasMessage("--documents must be 0 to 100000000, not -1");
    }

    @Test
    void shouldGroupEventsIntoTransactionsOfTwoToFiveWhenSeeding() {
        long[] numbers =
                LongStream.range(0, 28).map(SeedEvents::transactionNumber).toArray();

        assertThat(numbers)
                .containsExactly(0, 0, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 3, 4, 4, 5, 5, 5, 6, 6, 6, 6, 7, 7, 7, 7, 7);
        assertThat(SeedEvents.transactionId(27)).isEqualTo("seed-tx-7");
    }
}
