package com.northwind.eventing.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoreIngestTest {
    private static final String PROMETHEUS = """
            # HELP eventing_store_documents Events in the store (MongoDB's estimated count)
            # TYPE eventing_store_documents gauge
            eventing_store_documents{application="eventing-admin-api"} 123456.0
            # HELP eventing_store_sink_lag_records Records on eventing.store the store's sink connector has not committed yet
            # TYPE eventing_store_sink_lag_records gauge
            eventing_store_sink_lag_records NaN
            eventing_store_documents_total 7.0
            """;

    @Test
    void shouldReadAGaugeWhenItHasLabelsOrNone() {
        assertThat(StoreIngest.gauge(PROMETHEUS, "eventing_store_documents")).isEqualTo(123456.0);
        assertThat(StoreIngest.gauge(PROMETHEUS, "eventing_store_sink_lag_records"))
                .isNaN();
        assertThat(StoreIngest.gauge(PROMETHEUS, "eventing_store_absent")).isNaN();
    }

    @Test
    void shouldTakeTheBriefsDefaultsWhenNoOptionIsGiven() {
        StoreIngest.Options o = StoreIngest.Options.of(Map.of());

        assertThat(o.rate()).isEqualTo(5000);
        assertThat(o.duration()).isEqualTo(Duration.ofMinutes(5));
        assertThat(o.drainTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(o.events()).isEqualTo(1_500_000);
        assertThat(o.admin()).isEqualTo("http://127.0.0.1:8081");
        assertThat(o.firehose()).isEqualTo("eventing.firehose");
    }

    @Test
    void shouldRefuseAnOptionNamingItWhenItIsNotADurationOrOutOfRange() {
        assertThatThrownBy(() -> StoreIngest.Options.of(Map.of("duration", "5m")))
                .hasMessage("--duration must be an ISO-8601 duration such as PT5M or PT30S, not '5m'");
        assertThatThrownBy(() -> StoreIngest.Options.of(Map.of("rate", "0")))
                .hasMessage("--rate must be 1 to 1000000, not 0");
        assertThatThrownBy(() -> StoreIngest.Options.of(Map.of("rate", "fast")))
                .hasMessage("--rate must be a whole number, not 'fast'");
        assertThatThrownBy(() -> StoreIngest.Options.of(Map.of("rate", "100000", "duration", "PT1H")))
                .hasMessage("--rate times --duration is 360000000 events; at most 20000000 are kept track of");
        assertThatThrownBy(() -> StoreIngest.Options.of(Map.of("admin", "127.0.0.1:8081")))
                .hasMessage("--admin must be an http URL, not '127.0.0.1:8081'");
    }

    @Test
    void shouldSayTheTargetIsMetOnlyWhenEveryAgeWasMeasuredUnderFiveSecondsAndTheStoreCaughtUp() {
        var met = StoreIngest.summary(60, 120_000, 0, 2000, 2000, 1900, 1950, 4.9, 3.0, 0, 2.5, Duration.ofMinutes(10));
        var late =
                StoreIngest.summary(60, 120_000, 0, 2000, 2000, 1900, 1950, 5.0, 3.0, 0, 2.5, Duration.ofMinutes(10));
        var unmeasured =
                StoreIngest.summary(60, 120_000, 0, 2000, 2000, 1900, 1950, 1.0, 1.0, 3, 2.5, Duration.ofMinutes(10));
        var undrained = StoreIngest.summary(
                60, 120_000, 0, 2000, 2000, 1900, 1950, 1.0, 1.0, 0, Double.NaN, Duration.ofMinutes(10));

        assertThat(met)
                .containsExactly(
                        "published 120000 events in 60.0 s = 2000 events/s (0 failed); firehose took 2000/s",
                        "store ingest while publishing: 1900 documents/s = 0.95 of the firehose's rate; until caught"
                                + " up: 1950/s",
                        "store lag (age of the oldest unstored event): max 4.9 s, p99 3.0 s",
                        "drain: caught up 2.5 s after the publishing ended",
                        "target (store lag under 5 s throughout): met");
        assertThat(late).last().isEqualTo("target (store lag under 5 s throughout): NOT met");
        assertThat(unmeasured).last().isEqualTo("target (store lag under 5 s throughout): NOT met");
        assertThat(undrained)
                .contains("drain: the store had not caught up PT10M after the publishing ended")
                .last()
                .isEqualTo("target (store lag under 5 s throughout): NOT met");
    }
}
