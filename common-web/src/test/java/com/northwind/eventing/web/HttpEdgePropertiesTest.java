package com.northwind.eventing.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.List;
import org.junit.jupiter.api.Test;

class HttpEdgePropertiesTest {
    @Test
    void shouldAllowLoopbackNamesOnlyWhenNothingIsConfigured() {
        // given nothing

        // when
        HttpEdgeProperties properties = new HttpEdgeProperties(null);

        // then
        assertThat(properties.allowedHosts()).containsExactly("localhost", "127.0.0.1", "::1");
    }

    @Test
    void shouldNormalizeCaseAndIpv6BracketsWhenHostsAreConfigured() {
        // given
        List<String> hosts = List.of(" Admin-API ", "[::1]", "*");

        // when
        HttpEdgeProperties properties = new HttpEdgeProperties(hosts);

        // then
        assertThat(properties.allowedHosts()).containsExactly("admin-api", "::1", "*");
    }

    @Test
    void shouldRefuseEntryWhenItIsAUrlRatherThanAHost() {
        // given
        List<String> hosts = List.of("http://admin-api:8081");

        // when
        Throwable thrown = catchThrowable(() -> new HttpEdgeProperties(hosts));

        // then
        assertThat(thrown)
                .hasMessage("eventing.http.allowed-hosts has 'http://admin-api:8081', which is not a host name or"
                        + " address (give names without scheme or port, or *)");
    }
}
