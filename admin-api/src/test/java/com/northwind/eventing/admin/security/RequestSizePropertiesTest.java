package com.northwind.eventing.admin.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestSizePropertiesTest {
    @Test
    void shouldTake2MiBWhenNothingIsConfigured() {
        // when
        RequestSizeProperties properties = new RequestSizeProperties(null);

        // then
        assertThat(properties.maxRequestBytes()).isEqualTo(2_097_152);
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 1023, 67_108_865, Integer.MAX_VALUE})
    void shouldStopTheStartWhenTheLimitIsOutOfRange(int bytes) {
        assertThatThrownBy(() -> new RequestSizeProperties(bytes))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("eventing.admin.max-request-bytes must be 1024 to 67108864");
    }

    @ParameterizedTest
    @ValueSource(ints = {1024, 67_108_864})
    void shouldTakeTheLimitWhenItIsInRange(int bytes) {
        assertThat(new RequestSizeProperties(bytes).maxRequestBytes()).isEqualTo(bytes);
    }
}
