package com.northwind.eventing.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * The jar started with tracing on ({@code OTEL_TRACES_EXPORTER=otlp}), exporting OTLP/HTTP to a collector in the test:
 * one event with tags, published with the caller's traceparent to a type with two subscriptions, is one trace from the
 * publish through the firehose write and the routing to a span per copy, each span with the event's tags and its
 * service's own name.
 */
class StandaloneTracingIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final List<String> SPANS = List.of(
            "publish", "send eventing.firehose", "process eventing.firehose", "copy traced-clear", "copy traced-all");

    @TempDir
    Path dataDir;

    /** A span as exported, with its service's name. */
    record Exported(String service, Span span) {
        String name() {
            return span.getName();
        }

        String traceId() {
            return HexFormat.of().formatHex(span.getTraceId().toByteArray());
        }

        String spanId() {
            return HexFormat.of().formatHex(span.getSpanId().toByteArray());
        }

        String parentSpanId() {
            return HexFormat.of().formatHex(span.getParentSpanId().toByteArray());
        }

        AnyValue attribute(String key) {
            return span.getAttributesList().stream()
                    .filter(a -> a.getKey().equals(key))
                    .map(KeyValue::getValue)
                    .findFirst()
                    .orElse(null);
        }

        List<String> tags() {
            AnyValue tags = attribute("eventing.tags");
            return tags == null
                    ? List.of()
                    : tags.getArrayValue().getValuesList().stream()
                            .map(AnyValue::getStringValue)
                            .toList();
        }
    }

    private final List<Exported> spans = new CopyOnWriteArrayList<>();

    @Test
    void shouldExportOneTraceFromThePublishToEachCopyWhenStartedWithTracingOn() throws Exception {
        HttpServer collector = collector();
        try (StandaloneProcess platform = new StandaloneProcess(dataDir)
                .environment("OTEL_TRACES_EXPORTER", "otlp")
                .environment(
                        "OTEL_EXPORTER_OTLP_ENDPOINT",
                        "http://127.0.0.1:" + collector.getAddress().getPort())
                .environment("OTEL_BSP_SCHEDULE_DELAY", "200")) {
            platform.start();
            String token = platform.adminToken();
            platform.post(platform.admin() + "/v1/event-types", token, """
                    {"noun": "Claim", "verb": "Submitted", "object": "Traced", "owner": "claims",
                     "schema": {"type": "object", "properties": {"member": {"type": "object"}}},
                     "sensitiveFields": [{"path": "/member/ssn", "classification": "PHI"}]}
                    """);
            String producer = JSON.readTree(platform.post(platform.admin() + "/v1/apps", token, """
                                    {"id": "traced-portal", "team": "claims", "publish": ["Claim.*.*"]}
                                    """)
                            .body())
                    .path("token")
                    .asString();
            platform.post(platform.admin() + "/v1/apps", token, """
                    {"id": "traced-reader", "team": "care", "read": ["PHI"]}""");
            platform.post(platform.admin() + "/v1/subscriptions", token, """
                    {"id": "traced-clear", "app": "traced-reader", "eventTypes": ["Claim.Submitted.*"]}""");
            platform.post(platform.admin() + "/v1/subscriptions", token, """
                    {"id": "traced-all", "app": "traced-reader", "eventTypes": ["Claim.*.*"]}""");
            // The router follows the registry within moments: an untraced event shows when it has both subscriptions.
            StandaloneProcess.awaitTrue("the router to route to both subscriptions", WAIT, () -> {
                publish(platform, producer, null);
                return spans.stream().anyMatch(s -> s.name().equals("copy traced-clear"))
                        && spans.stream().anyMatch(s -> s.name().equals("copy traced-all"));
            });

            int published = publish(platform, producer, "00-" + TRACE + "-00f067aa0ba902b7-01");
            StandaloneProcess.awaitTrue(
                    "the event's spans",
                    WAIT,
                    () -> trace().stream()
                            .map(Exported::name)
                            .collect(Collectors.toSet())
                            .containsAll(SPANS));
            List<Exported> trace = trace();
            Map<String, Exported> byName =
                    trace.stream().collect(Collectors.toMap(Exported::name, s -> s, (a, b) -> a));

            assertThat(published).isEqualTo(202);
            assertThat(byName).containsKeys(SPANS.toArray(String[]::new));
            assertThat(byName.get("publish").parentSpanId()).isEqualTo("00f067aa0ba902b7");
            assertThat(byName.get("send eventing.firehose").parentSpanId())
                    .isEqualTo(byName.get("publish").spanId());
            assertThat(byName.get("process eventing.firehose").parentSpanId())
                    .isEqualTo(byName.get("send eventing.firehose").spanId());
            assertThat(List.of(byName.get("copy traced-clear"), byName.get("copy traced-all")))
                    .allSatisfy(copy -> {
                        assertThat(copy.parentSpanId())
                                .isEqualTo(
                                        byName.get("process eventing.firehose").spanId());
                        assertThat(copy.attribute("eventing.outcome").getStringValue())
                                .isEqualTo("DELIVERED");
                    });
            assertThat(trace).allSatisfy(s -> assertThat(s.tags()).containsExactly("state:TX", "line:dental"));
            assertThat(byName.get("publish").service()).isEqualTo("eventing-intake");
            assertThat(byName.get("send eventing.firehose").service()).isEqualTo("eventing-intake");
            assertThat(byName.get("process eventing.firehose").service()).isEqualTo("eventing-router");
            assertThat(byName.get("copy traced-all").service()).isEqualTo("eventing-router");
            assertThat(trace.stream().map(s -> s.span().toString()))
                    .noneMatch(s -> s.contains("123-45-6789") || s.contains("Ann Example"));
            assertThat(platform.stop()).isIn(0, 143);
        } finally {
            collector.stop(0);
        }
    }

    private List<Exported> trace() {
        return spans.stream().filter(s -> s.traceId().equals(TRACE)).toList();
    }

    private static int publish(StandaloneProcess platform, String token, String traceparent) {
        try {
            HttpResponse<String> r = platform.post(platform.intake() + "/v1/events", token, """
                    {"noun": "Claim", "verb": "Submitted", "object": "Traced",
                     "tags": ["state:TX", "line:dental"], "metadata": {"transactionId": "tx-traced"},
                     "body": {"member": {"ssn": "123-45-6789", "name": "Ann Example"}}}
                    """, traceparent);
            return r.statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** An OTLP/HTTP collector taking protobuf on /v1/traces, keeping every span it is sent. */
    private HttpServer collector() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/traces", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(in.readAllBytes());
                for (ResourceSpans rs : request.getResourceSpansList()) {
                    String service = rs.getResource().getAttributesList().stream()
                            .filter(a -> a.getKey().equals("service.name"))
                            .map(a -> a.getValue().getStringValue())
                            .findFirst()
                            .orElse(null);
                    for (ScopeSpans ss : rs.getScopeSpansList()) {
                        for (Span span : ss.getSpansList()) {
                            spans.add(new Exported(service, span));
                        }
                    }
                }
            }
            byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        return server;
    }
}
