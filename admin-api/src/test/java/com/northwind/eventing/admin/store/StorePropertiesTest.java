package com.northwind.eventing.admin.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class StorePropertiesTest {
    @Test
    void shouldUseTheContractsDefaultsWhenNothingIsSet() {
        // given nothing

        // when
        StoreProperties p = new StoreProperties(null, null, null, null, null, null, null, null, null, null, null, null);

        // then
        assertThat(p.uri()).isEqualTo("mongodb://127.0.0.1:27017");
        assertThat(p.database()).isEqualTo("eventing");
        assertThat(p.collection()).isEqualTo("events");
        assertThat(p.sweepInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(p.serverSelectionTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(p.defaultRange()).isEqualTo(Duration.ofDays(1));
        assertThat(p.maxRange()).isEqualTo(Duration.ofDays(31));
    }

    @Test
    void shouldRefuseWithoutRepeatingItWhenUriIsNotAConnectionString() {
        // given a broken connection string holding a password
        String uri = "mongodb://user:hunter2-secret@";

        // when / then
        assertThatThrownBy(() ->
                        new StoreProperties(uri, null, null, null, null, null, null, null, null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("eventing.store.uri ")
                .hasMessageNotContaining("hunter2-secret");
    }

    @Test
    void shouldRefuseWhenMaxRangeIsShorterThanDefaultRange() {
        // given
        Duration defaultRange = Duration.ofDays(2);
        Duration maxRange = Duration.ofDays(1);

        // when / then
        assertThatThrownBy(() -> new StoreProperties(
                        null, null, null, null, null, null, defaultRange, maxRange, null, null, null, null))
                .hasMessageStartingWith("eventing.store.max-range ");
    }

    @Test
    void shouldRefuseWhenCollectionNameCouldBeAPath() {
        // given
        String collection = "events.$cmd";

        // when / then
        assertThatThrownBy(() -> new StoreProperties(
                        null, null, collection, null, null, null, null, null, null, null, null, null))
                .hasMessageStartingWith("eventing.store.collection ");
    }
}
