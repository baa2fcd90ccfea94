package com.northwind.eventing.intake.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.northwind.eventing.common.json.JsonLimits;
import com.northwind.eventing.common.model.App;
import com.northwind.eventing.common.model.AppToken;
import com.northwind.eventing.common.model.RateLimit;
import com.northwind.eventing.common.model.Violation;
import com.northwind.eventing.common.registry.InMemorySchemaRegistryClient;
import com.northwind.eventing.common.serde.AvroWireSerializer;
import com.northwind.eventing.common.tracing.EventAttributes;
import com.northwind.eventing.common.tracing.Tracing;
import com.northwind.eventing.intake.auth.AppDirectory;
import com.northwind.eventing.intake.auth.RateLimiter;
import com.northwind.eventing.intake.support.Events;
import com.northwind.eventing.schema.Envelope;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The publish core's order of checks and the rules on what goes into the envelope, with a firehose that encodes each
 * envelope as Kafka's serializer does and acknowledges at once.
 */
class PublisherTest {
    private static final String TOKEN = "evt_publisher-test-token";

    private final AtomicBoolean current = new AtomicBoolean(true);
    private final List<Envelope> sent = new ArrayList<>();
    /** The traceparent each envelope was sent with, in order. */
    private final List<String> traceparents = new ArrayList<>();

    private final AvroWireSerializer<Envelope> serializer =
            new AvroWireSerializer<>(new InMemorySchemaRegistryClient(), true);
    private final Publisher publisher = publisher(new RateLimit(1, 1));
    private final App app = publisher.authenticate(TOKEN);

    @Test
    void shouldSpendTheRateLimitOnAnEventThatFailsValidation() {
        PublishException invalid = refused(event("Claim", "{\"amount\": \"many\"}"));
        PublishException next = refused(event("Claim", "{\"amount\": 1}"));

        assertThat(invalid.kind()).isEqualTo(PublishException.Kind.INVALID);
        assertThat(next.kind()).isEqualTo(PublishException.Kind.RATE_LIMITED);
        assertThat(sent).isEmpty();
    }

    @Test
    void shouldContinueTheCallersTraceAndSendTheFirehoseWritesContextWhenTracingIsOn() {
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        Publisher traced = publisher(new RateLimit(100, 100), tracing(spans));

        traced.publish(
                traced.authenticate(TOKEN),
                request(event("Claim", "{\"amount\": 125.10}")),
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

        SpanData publish = span(spans, "publish");
        SpanData send = span(spans, "send eventing.firehose");
        assertThat(publish.getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(publish.getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(publish.getParentSpanId()).isEqualTo("00f067aa0ba902b7");
        assertThat(send.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(send.getParentSpanId()).isEqualTo(publish.getSpanId());
        assertThat(traceparents).containsExactly("00-4bf92f3577b34da6a3ce929d0e0e4736-" + send.getSpanId() + "-01");
        assertThat(publish.getAttributes().get(EventAttributes.TAGS)).containsExactly("ok");
        assertThat(publish.getAttributes().get(EventAttributes.PRODUCER_APP)).isEqualTo("producer");
        assertThat(publish.getAttributes().get(EventAttributes.EVENT_ID))
                .isEqualTo(sent.get(0).getEventId());
        assertThat(send.getAttributes().get(EventAttributes.MESSAGING_OFFSET)).isEqualTo(0L);
        assertThat(spans.getFinishedSpanItems())
                .flatExtracting(s -> s.getAttributes().asMap().values())
                .map(String::valueOf)
                .noneMatch(v -> v.contains("125.1"));
    }

    @Test
    void shouldEndThePublishSpanWithTheRefusalsKindAndNoBodyValueWhenValidationRefusesTheEvent() {
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        Publisher traced = publisher(new RateLimit(100, 100), tracing(spans));

        catchThrowableOfType(
                PublishException.class,
                () -> traced.publish(
                        traced.authenticate(TOKEN),
                        request(event("Claim", "{\"amount\": \"many-secret\"}")),
                        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));

        assertThat(spans.getFinishedSpanItems()).extracting(SpanData::getName).containsExactly("publish");
        SpanData publish = span(spans, "publish");
        assertThat(publish.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(publish.getAttributes().get(EventAttributes.REFUSAL)).isEqualTo("INVALID");
        assertThat(publish.getAttributes().asMap().values())
                .map(String::valueOf)
                .noneMatch(v -> v.contains("many-secret"));
        assertThat(sent).isEmpty();
    }

    @Test
    void shouldSendTheCallersTraceparentAsItCameWhenTracingIsOff() {
        publisher.publish(
                app,
                request(event("Claim", "{\"amount\": 1}")),
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

        assertThat(traceparents).containsExactly("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    }

    @Test
    void shouldRefuseTheGrantBeforeSpendingTheRateLimit() {
        PublishException forbidden = refused(event("Other", "{\"amount\": 1}"));

        publisher.publish(app, request(event("Claim", "{\"amount\": 1}")), null);

        assertThat(forbidden.kind()).isEqualTo(PublishException.Kind.FORBIDDEN);
        assertThat(sent).hasSize(1);
    }

    @Test
    void shouldRefuseEveryEventUnavailableWhileTheRegistryViewIsNotCurrent() {
        current.set(false);

        PublishException stale = refused(event("Claim", "{\"amount\": 1}"));

        assertThat(stale.kind()).isEqualTo(PublishException.Kind.UNAVAILABLE);
        assertThat(stale.retryAfter()).isEqualTo(Duration.ofSeconds(5));
        assertThat(sent).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "+999999999-12-31T23:59:59Z",
                "0000-12-31T23:59:59Z",
                "-0001-01-01T00:00:00Z",
                "9999-12-31T23:59:59-01:00",
                "+10000-01-01T00:00:00Z"
            })
    void shouldRefuseTimestampsTheEnvelopeCannotHold(String timestamp) {
        PublishException e = refused(event("Claim", "{\"amount\": 1}")
                .replace("\"transactionId\": \"t\"", "\"transactionId\": \"t\", \"timestamp\": \"" + timestamp + "\""));

        assertThat(e.violations())
                .containsExactly(new Violation(
                        "/metadata/timestamp",
                        "timestamp must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z", "2026-11-22T10:15:30+14:00"})
    void shouldPublishTimestampsAtTheEndsOfTheRange(String timestamp) {
        publisher.publish(
                app,
                request(event("Claim", "{\"amount\": 1}")
                        .replace(
                                "\"transactionId\": \"t\"",
                                "\"transactionId\": \"t\", \"timestamp\": \"" + timestamp + "\"")),
                null);

        assertThat(sent)
                .singleElement()
                .satisfies(e -> assertThat(e.getMetadata().getOccurredAt())
                        .isEqualTo(OffsetDateTime.parse(timestamp).toInstant()));
    }

    @Test
    void shouldRefuseControlCharactersWhereTheyWouldReachHeadersLogsAndStores() {
        String event = event("Claim", "{\"amount\": 1}")
                .replace("\"tags\": [\"ok\"]", "\"tags\": [\"ok\", \"a\\u0000b\", \"c\\u007f\"]")
                .replace("\"transactionId\": \"t\"", "\"transactionId\": \"t\\u001b[2J\", \"userId\": \"u\\u0085\"")
                .replace("\"noun\":", "\"key\": \"k\\n\", \"subObject\": \"S\\u0009\", \"noun\":");

        PublishException e = refused(event);

        assertThat(e.kind()).isEqualTo(PublishException.Kind.INVALID);
        assertThat(e.violations())
                .extracting(Violation::pointer)
                .containsExactlyInAnyOrder(
                        "/tags/1", "/tags/2", "/metadata/transactionId", "/metadata/userId", "/key", "/subObject");
        assertThat(sent).isEmpty();
    }

    @Test
    void shouldRefuseABodyWhoseValidationTakesLongerThanItsLimitOnTheBody() {
        Publisher slow = publisher(new RateLimit(100, 100));
        String body = "{\"amount\": 1, \"name\": \"" + "a".repeat(300) + "!\"}";

        long started = System.nanoTime();
        PublishException e = catchThrowableOfType(
                PublishException.class, () -> slow.publish(app, request(event("Slow", body)), null));

        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(1_000);
        assertThat(e.violations())
                .containsExactly(new Violation(
                        "/body",
                        "validation took longer than 200 ms; the document is too costly to check against its schema"));
    }

    private PublishException refused(String event) {
        return catchThrowableOfType(PublishException.class, () -> publisher.publish(app, request(event), null));
    }

    private static Tracing tracing(InMemorySpanExporter spans) {
        return Tracing.of(OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .addSpanProcessor(SimpleSpanProcessor.create(spans))
                        .build())
                .build());
    }

    private static SpanData span(InMemorySpanExporter spans, String name) {
        return spans.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no span " + name + " in " + spans.getFinishedSpanItems()));
    }

    private PublishRequest request(String event) {
        return publisher.requests().event(event.getBytes(StandardCharsets.UTF_8));
    }

    private static String event(String object, String body) {
        return "{\"noun\": \"Claim\", \"verb\": \"Submitted\", \"object\": \"" + object + "\","
                + " \"metadata\": {\"transactionId\": \"t\"}, \"tags\": [\"ok\"], \"body\": " + body + "}";
    }

    private Publisher publisher(RateLimit limit) {
        return publisher(limit, Tracing.off());
    }

    private Publisher publisher(RateLimit limit, Tracing tracing) {
        Instant now = Instant.now();
        AppDirectory apps = new AppDirectory();
        apps.apply(
                "producer",
                Optional.of(new App(
                        "producer",
                        "claims",
                        List.of("Claim.Submitted.Claim", "Claim.Submitted.Slow"),
                        List.of(),
                        List.of(new AppToken("tok_p", AppToken.sha256Of(TOKEN), now)),
                        limit,
                        now,
                        now)));
        EventTypeCatalog types = new EventTypeCatalog();
        types.apply(
                "Claim.Submitted.Claim",
                Optional.of(Events.eventType("Claim", "{\"properties\": {\"amount\": {\"type\": \"number\"}}}")));
        types.apply("Claim.Submitted.Other", Optional.of(Events.eventType("Other", "{}")));
        // Polynomial backtracking: far beyond the limit on a run of 300.
        types.apply(
                "Claim.Submitted.Slow",
                Optional.of(Events.eventType("Slow", "{\"properties\": {\"name\": {\"pattern\": \"^(.*a){12}$\"}}}")));
        Firehose encoding = (key, envelope, traceparent) -> {
            serializer.serialize("eventing.firehose", envelope);
            sent.add(envelope);
            traceparents.add(traceparent);
            return CompletableFuture.completedFuture(
                    new Receipt(envelope.getEventId(), envelope.getEventType(), 0, sent.size() - 1));
        };
        return new Publisher(
                apps,
                new RateLimiter(new RateLimit(5_000, 10_000), System::nanoTime),
                types,
                encoding,
                Clock.systemUTC(),
                new PublishMetrics(
                        new SimpleMeterRegistry(), name -> types.find(name).isPresent()),
                new Publisher.Limits(JsonLimits.DEFAULT, Duration.ofMillis(200)),
                nowMillis -> current.get(),
                tracing);
    }
}
