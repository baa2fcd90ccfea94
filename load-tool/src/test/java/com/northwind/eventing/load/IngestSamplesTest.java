package com.northwind.eventing.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class IngestSamplesTest {
    @Test
    void shouldAnswerTheAgeOfTheOldestUnstoredEventWhenTheStoreTrailsTheFirehose() {
        IngestSamples samples = new IngestSamples();

        samples.add(new IngestSamples.Sample(0, 0, 0, 0, 0));
        samples.add(new IngestSamples.Sample(1, 1000, 1000, 0, 1000));
        samples.add(new IngestSamples.Sample(2, 2000, 2000, 500, 1500));
        samples.add(new IngestSamples.Sample(3, 3000, 3000, 3000, 0));

        // Record 1 arrived 1/1000 into the first second; record 501 half-way through it.
        assertThat(samples.age(1)).isCloseTo(0.999, within(1e-9));
        assertThat(samples.age(2)).isCloseTo(1.499, within(1e-9));
        assertThat(samples.age(3)).isEqualTo(0);
        assertThat(samples.maxAge()).isCloseTo(1.499, within(1e-9));
    }

    @Test
    void shouldCountTheAgeAsUnknownWhenTheDocumentsGaugeIsNaN() {
        IngestSamples samples = new IngestSamples();

        samples.add(new IngestSamples.Sample(0, 0, 0, 0, 0));
        samples.add(new IngestSamples.Sample(1, 100, 100, Double.NaN, Double.NaN));
        samples.add(new IngestSamples.Sample(2, 200, 200, 200, 0));

        assertThat(samples.age(1)).isNaN();
        assertThat(samples.unmeasured()).isEqualTo(1);
        assertThat(samples.maxAge()).isNaN();
        assertThat(samples.agePercentile(99)).isEqualTo(0);
    }

    @Test
    void shouldPrintOneRowPerTenSecondsWithTheWindowsGreatestAgeWhenSampledEverySecond() {
        IngestSamples samples = new IngestSamples();
        samples.add(new IngestSamples.Sample(0, 0, 0, 0, 0));
        for (int t = 1; t <= 25; t++) {
            // The store is 3 s behind from second 12 to 14 only.
            long stored = t >= 12 && t <= 14 ? 100L * (t - 3) : 100L * t;
            samples.add(new IngestSamples.Sample(t, 100L * t, 100L * t, stored, 100L * t - stored));
        }

        List<IngestSamples.Row> rows = samples.rows(10);

        assertThat(rows).extracting(r -> r.last().seconds()).containsExactly(9.0, 19.0, 25.0);
        assertThat(rows.get(0).maxAgeSeconds()).isEqualTo(0);
        assertThat(rows.get(1).maxAgeSeconds()).isCloseTo(2.99, within(1e-9));
        assertThat(rows.get(2).maxAgeSeconds()).isEqualTo(0);
        assertThat(IngestSamples.line(rows.get(1), 100))
                .isEqualTo("     19        1900        1900        1900          0         0.0        3.0");
    }

    @Test
    void shouldAnswerTheNearestRankPercentileOfTheAgesWhenAsked() {
        IngestSamples samples = new IngestSamples();
        samples.add(new IngestSamples.Sample(0, 0, 0, 0, 0));
        for (int t = 1; t <= 100; t++) {
            // At second t the store lacks the last second's records only when t is a multiple of 10.
            long stored = t % 10 == 0 ? 10L * (t - 1) : 10L * t;
            samples.add(new IngestSamples.Sample(t, 10L * t, 10L * t, stored, 0));
        }

        // 101 ages, ten of them 0.9: the p99 is the 100th smallest.
        assertThat(samples.agePercentile(50)).isEqualTo(0);
        assertThat(samples.agePercentile(99)).isCloseTo(0.9, within(1e-9));
        assertThat(samples.agePercentile(100)).isCloseTo(0.9, within(1e-9));
    }
}
