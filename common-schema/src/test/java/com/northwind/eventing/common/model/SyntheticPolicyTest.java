package com.northwind.eventing.common.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SyntheticPolicyTest {

    @ParameterizedTest
    @CsvSource({
        "EXCLUDE, false, true",
        "EXCLUDE, true,  false",
        "INCLUDE, false, true",
        "INCLUDE, true,  true",
        "ONLY,    false, false",
        "ONLY,    true,  true",
    })
    void shouldAdmitEventWhenPolicyAllowsItsSyntheticFlag(SyntheticPolicy policy, boolean synthetic, boolean expected) {
        boolean admitted = policy.admits(synthetic);

        assertThat(admitted).isEqualTo(expected);
    }
}
