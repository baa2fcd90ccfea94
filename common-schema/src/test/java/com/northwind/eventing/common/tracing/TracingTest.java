package com.northwind.eventing.common.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TracingTest {
    @Test
    void shouldBeOffWhenNoTracesExporterIsNamed() {
        Map<String, String> env = Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318");

        Tracing tracing = Tracing.fromEnvironment("eventing-test", name -> null, env);

        assertThat(tracing.isEnabled()).isFalse();
        assertThat(tracing).isSameAs(Tracing.off());
    }

    @Test
    void shouldBeOffWhenTheTracesExporterIsNone() {
        Map<String, String> env = Map.of("OTEL_TRACES_EXPORTER", "otlp");

        boolean requested = Tracing.requested(name -> "otel.traces.exporter".equals(name) ? " none " : null, env);

        assertThat(requested).isFalse();
    }

    @Test
    void shouldBeOnWhenTheVariableNamesAnExporter() {
        Map<String, String> env = Map.of("OTEL_TRACES_EXPORTER", "none,otlp");

        boolean requested = Tracing.requested(name -> null, env);

        assertThat(requested).isTrue();
    }

    @Test
    void shouldMakeAnSdkReportingUnderTheServiceNameWhenTheSystemPropertyNamesAnExporter() {
        // The span is never ended, so nothing is sent to the endpoint, where nothing listens.
        Map<String, String> properties =
                Map.of("otel.traces.exporter", "otlp", "otel.exporter.otlp.endpoint", "http://127.0.0.1:9");

        try (Tracing tracing = Tracing.fromEnvironment("eventing-test", properties::get, Map.of())) {
            Span span = tracing.tracer().spanBuilder("probe").startSpan();

            assertThat(tracing.isEnabled()).isTrue();
            assertThat(span.getSpanContext().isValid()).isTrue();
        }
    }

    @Test
    void shouldContinueTheTraceparentWhenExtractingAndInjecting() {
        Tracing tracing = Tracing.off();

        Context parent = tracing.extract("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "vendor=1");

        assertThat(Tracing.traceparent(Span.fromContext(parent)))
                .isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        assertThat(Span.fromContext(tracing.extract("not a traceparent", null))
                        .getSpanContext()
                        .isValid())
                .isFalse();
    }
}
