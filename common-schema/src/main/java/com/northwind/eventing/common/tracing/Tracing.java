package com.northwind.eventing.common.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service's tracing: the OpenTelemetry SDK configured by the standard {@code OTEL_*} variables and {@code otel.*}
 * system properties, or nothing at all. Off unless the operator names a traces exporter ({@code OTEL_TRACES_EXPORTER}
 * or {@code otel.traces.exporter} other than {@code none}): the SDK's own default would export OTLP to localhost
 * from every service that has it, and an operator who never asked for traces must not pay for them. While off, callers
 * check {@link #isEnabled()} and make no span, read no header and write no context.
 *
 * <p>Each service makes its own instance, with its own {@code service.name}; none is made global, so the standalone
 * platform's services, in one JVM, each report under their own name. The trace context travels as W3C
 * {@code traceparent} and {@code tracestate} whatever propagators the operator configured: those are the headers the
 * platform carries.
 */
public final class Tracing implements AutoCloseable {
    public static final String EXPORTER_PROPERTY = "otel.traces.exporter";
    public static final String EXPORTER_VARIABLE = "OTEL_TRACES_EXPORTER";
    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";

    /** The instrumentation scope of the platform's spans. */
    static final String SCOPE = "com.northwind.eventing";

    private static final Logger log = LoggerFactory.getLogger(Tracing.class);
    private static final Tracing OFF = new Tracing(OpenTelemetry.noop(), false, null);
    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();

    private final OpenTelemetry openTelemetry;
    private final boolean enabled;
    private final Tracer tracer;
    /** The SDK this instance made and so closes (flushing its spans), or null. */
    private final OpenTelemetrySdk owned;

    private Tracing(OpenTelemetry openTelemetry, boolean enabled, OpenTelemetrySdk owned) {
        this.openTelemetry = openTelemetry;
        this.enabled = enabled;
        this.tracer = openTelemetry.getTracer(SCOPE);
        this.owned = owned;
    }

    /** No tracing: no spans, no propagation work. */
    public static Tracing off() {
        return OFF;
    }

    /** Tracing through an SDK the caller made and closes (tests, embedding). */
    public static Tracing of(OpenTelemetry openTelemetry) {
        return new Tracing(Objects.requireNonNull(openTelemetry, "openTelemetry"), true, null);
    }

    /**
     * Tracing as the process's {@code otel.*} system properties and {@code OTEL_*} variables say, reporting as
     * {@code serviceName} unless {@code OTEL_SERVICE_NAME} says otherwise; {@link #off()} unless a traces exporter is
     * named.
     */
    public static Tracing fromEnvironment(String serviceName) {
        return fromEnvironment(serviceName, System::getProperty, System.getenv());
    }

    static Tracing fromEnvironment(String serviceName, Function<String, String> properties, Map<String, String> env) {
        if (!requested(properties, env)) {
            return OFF;
        }
        OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                // Defaults only: the operator's system properties and variables win over these.
                .addPropertiesSupplier(() -> Map.of(
                        "otel.service.name",
                        serviceName,
                        // The Java SDK's default is gRPC, which the JDK's HTTP sender does not speak.
                        "otel.exporter.otlp.protocol",
                        "http/protobuf",
                        // The platform makes spans only; nothing else is exported unless asked for.
                        "otel.metrics.exporter",
                        "none",
                        "otel.logs.exporter",
                        "none"))
                .disableShutdownHook() // closed by the service, after its last span
                .build()
                .getOpenTelemetrySdk();
        log.info(
                "Tracing on for {}: traces exporter {}",
                serviceName,
                setting(EXPORTER_PROPERTY, EXPORTER_VARIABLE, properties, env));
        return new Tracing(sdk, true, sdk);
    }

    /** Whether the operator asked for traces: a traces exporter named, and not {@code none}. */
    static boolean requested(Function<String, String> properties, Map<String, String> env) {
        String exporter = setting(EXPORTER_PROPERTY, EXPORTER_VARIABLE, properties, env);
        if (exporter == null || exporter.isBlank()) {
            return false;
        }
        for (String name : exporter.split(",")) {
            if (!name.isBlank() && !"none".equalsIgnoreCase(name.trim())) {
                return true;
            }
        }
        return false;
    }

    /** The system property, else the variable, as the SDK's autoconfigure reads them. */
    private static String setting(
            String property, String variable, Function<String, String> properties, Map<String, String> env) {
        String value = properties.apply(property);
        return value != null ? value : env.get(variable);
    }

    public boolean isEnabled() {
        return enabled;
    }

    public Tracer tracer() {
        return tracer;
    }

    /**
     * The context a W3C {@code traceparent} (and {@code tracestate}) names, or the root context when there is none or
     * it is not valid: a span started under it then begins a trace of its own.
     */
    public Context extract(String traceparent, String tracestate) {
        if (traceparent == null) {
            return Context.root();
        }
        return W3C.extract(Context.root(), new String[] {traceparent, tracestate}, GETTER);
    }

    /** The W3C {@code traceparent} of the span, or null when it is not a valid, sampled or unsampled, span. */
    public static String traceparent(Span span) {
        if (!span.getSpanContext().isValid()) {
            return null;
        }
        String[] out = new String[2];
        W3C.inject(Context.root().with(span), out, SETTER);
        return out[0];
    }

    @Override
    public void close() {
        if (owned != null) {
            owned.close();
        }
    }

    private static final TextMapGetter<String[]> GETTER = new TextMapGetter<>() {
        @Override
        public String get(String[] carrier, String key) {
            if (carrier == null) {
                return null;
            }
            if (TRACEPARENT.equals(key)) {
                return carrier[0];
            }
            return TRACESTATE.equals(key) ? carrier[1] : null;
        }
    };

    private static final TextMapSetter<String[]> SETTER = (carrier, key, value) -> {
        if (carrier != null && TRACEPARENT.equals(key)) {
            carrier[0] = value;
        } else if (carrier != null && TRACESTATE.equals(key)) {
            carrier[1] = value;
        }
    };
}
