package com.northwind.eventing.admin.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConsoleTracePropertiesTest {
    @Test
    void shouldLinkNoTraceWhenNothingIsSet() {
        // given nothing

        // when
        ConsoleTraceProperties none = new ConsoleTraceProperties(null);
        ConsoleTraceProperties blank = new ConsoleTraceProperties(" ");

        // then
        assertThat(none.traceUrl()).isNull();
        assertThat(blank.traceUrl()).isNull();
    }

    @Test
    void shouldKeepTheTemplateWhenItIsAnAbsoluteHttpsUrlWithThePlaceholder() {
        // given
        String template = "https://tempo.example.com:3200/explore?trace={traceId}&orgId=1";

        // when
        ConsoleTraceProperties p = new ConsoleTraceProperties(template);

        // then
        assertThat(p.traceUrl()).isEqualTo("https://tempo.example.com:3200/explore?trace={traceId}&orgId=1");
    }

    @Test
    void shouldRefuseToStartWhenThePlaceholderIsMissing() {
        // given
        String template = "https://tempo.example.com/trace/";

        // when / then
        assertThatThrownBy(() -> new ConsoleTraceProperties(template))
                .hasMessage("eventing.console.trace-url must contain {traceId}");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "javascript:alert(1)//{traceId}",
                "/trace/{traceId}",
                "ftp://traces.example.com/{traceId}",
                "data:text/html,{traceId}",
                "https:///{traceId}"
            })
    void shouldRefuseToStartWhenTheTemplateIsNotAnAbsoluteHttpUrl(String template) {
        // given the template

        // when / then
        assertThatThrownBy(() -> new ConsoleTraceProperties(template))
                .hasMessage("eventing.console.trace-url must be an absolute http or https URL with a host");
    }

    @Test
    void shouldRefuseToStartWhenTheTemplateHoldsCredentials() {
        // given
        String template = "https://user:secret@traces.example.com/{traceId}";

        // when / then
        assertThatThrownBy(() -> new ConsoleTraceProperties(template))
                .hasMessage("eventing.console.trace-url must not hold credentials: the console shows it");
    }

    @Test
    void shouldRefuseToStartWhenTheTemplateIsNotAUrl() {
        // given
        String template = "https://traces.example.com/a b/{traceId}";

        // when / then
        assertThatThrownBy(() -> new ConsoleTraceProperties(template))
                .hasMessageStartingWith("eventing.console.trace-url is not a URL: ");
    }
}
