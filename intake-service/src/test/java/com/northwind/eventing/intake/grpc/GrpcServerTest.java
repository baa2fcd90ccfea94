package com.northwind.eventing.intake.grpc;

import static com.northwind.eventing.intake.grpc.GrpcFixture.TOKEN;
import static com.northwind.eventing.intake.grpc.GrpcFixture.claim;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.rpc.RetryInfo;
import com.northwind.eventing.intake.config.IntakeProperties;
import com.northwind.eventing.intake.contract.GrpcStreamClient;
import com.northwind.eventing.intake.contract.GrpcTransport;
import com.northwind.eventing.intake.contract.Outcome;
import com.northwind.eventing.schema.grpc.EventIntakeGrpc;
import com.northwind.eventing.schema.grpc.PublishRequest;
import com.northwind.eventing.schema.grpc.PublishStreamResponse;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The gRPC transport end to end, on a real listener, with the publish core in front of a firehose the test holds. */
class GrpcServerTest {
    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    private final GrpcFixture fixture = new GrpcFixture(5, 4);
    private final GrpcTransport transport = new GrpcTransport(fixture.target());
    private final GrpcStreamClient streams = new GrpcStreamClient(fixture.target());

    @AfterEach
    void close() {
        transport.close();
        streams.close();
        fixture.close();
    }

    @Test
    void shouldAcknowledgeWithTheReceiptWhenEventValid() {
        Outcome o = transport.publish(TOKEN, claim("Grpc", "tx-1"), TRACEPARENT);

        assertThat(o.ok()).as(o.detail()).isTrue();
        assertThat(o.eventType()).isEqualTo("Claim.Submitted.Grpc");
        assertThat(o.eventId()).hasSize(36);
        assertThat(o.partition()).isZero();
        GrpcFixture.HeldFirehose.Send sent = fixture.firehose.sent().get(0);
        assertThat(sent.key()).isEqualTo("tx-1");
        assertThat(sent.traceparent()).isEqualTo(TRACEPARENT);
        assertThat(sent.envelope().getMetadata().getProducerApp()).isEqualTo("producer");
        // The body as the producer wrote it, spacing and all: the envelope carries the text it sent.
        assertThat(sent.envelope().getBody()).isEqualTo("{\"claimId\": \"C-tx-1\", \"amount\": 125.5}");
    }

    @Test
    void shouldAnswerOnlyOnceKafkaAcknowledged() throws Exception {
        fixture.firehose.hold = true;

        CompletableFuture<Outcome> answer =
                CompletableFuture.supplyAsync(() -> transport.publish(TOKEN, claim("Grpc", "tx-1"), null));
        await().until(() -> fixture.firehose.pending() == 1);
        Thread.sleep(100);
        boolean answeredBeforeAck = answer.isDone();
        fixture.firehose.completeAll();

        assertThat(answeredBeforeAck).isFalse();
        assertThat(answer.get(10, TimeUnit.SECONDS).ok()).isTrue();
    }

    @Test
    void shouldRefuseUnauthenticatedWhenTokenMissingOrUnknown() {
        Outcome missing = transport.publish(null, claim("Grpc", "tx-1"), null);
        Outcome unknown = transport.publish("evt_nobody", claim("Grpc", "tx-1"), null);

        assertThat(missing.error()).isEqualTo("unauthorized");
        assertThat(unknown.error()).isEqualTo("unauthorized");
        assertThat(fixture.firehose.sent()).isEmpty();
    }

    @Test
    void shouldListEveryViolationPointerWhenEventInvalid() {
        String event = claim("Grpc", "")
                .replace("\"amount\": 125.5", "\"amount\": -3")
                .replace("2026-11-22T10:15:30Z", "yesterday");

        Outcome o = transport.publish(TOKEN, event, null);

        assertThat(o.error()).isEqualTo("validation");
        assertThat(o.pointers())
                .containsExactlyInAnyOrder("/body/amount", "/metadata/transactionId", "/metadata/timestamp");
        assertThat(fixture.firehose.sent()).isEmpty();
    }

    @Test
    void shouldRefuseWithTheDomainErrorsOfTheCore() {
        Outcome forbidden = transport.publish(TOKEN, claim("Other", "tx-1"), null);
        Outcome unknown = transport.publish(TOKEN, claim("Grpc", "tx-1").replace("Submitted", "Paid"), null);

        assertThat(forbidden.error()).isEqualTo("forbidden");
        assertThat(unknown.error()).isEqualTo("unknown-event-type");
    }

    @Test
    void shouldRefuseAsMalformedWhenTheBodyGivesAMemberTwice() {
        String event = claim("Grpc", "tx-1").replace("\"amount\": 125.5", "\"amount\": 1, \"amount\": 2");

        Outcome o = transport.publish(TOKEN, event, null);

        assertThat(o.error()).isEqualTo("malformed-request");
        assertThat(o.detail()).doesNotStartWith(GrpcTransport.NOT_SENT);
        assertThat(fixture.firehose.sent()).isEmpty();
    }

    @Test
    void shouldRefuseResourceExhaustedWithRetryInfoWhenRateLimited() {
        // The limit is taken before validation: warmed up, the two calls come well within its second.
        transport.publish(TOKEN, claim("Grpc", "tx-0"), null);
        Outcome first = transport.publish(GrpcFixture.LIMITED_TOKEN, claim("Grpc", "tx-1"), null);
        StatusRuntimeException second = publishRaw(GrpcFixture.LIMITED_TOKEN, claim("Grpc", "tx-2"));

        assertThat(first.ok()).isTrue();
        assertThat(second.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(StatusProto.fromThrowable(second).getDetailsList()).anyMatch(d -> d.is(RetryInfo.class));
    }

    @Test
    void shouldRefuseUnavailableWithRetryInfoWhenKafkaFails() {
        fixture.firehose.fail = true;

        StatusRuntimeException e = publishRaw(TOKEN, claim("Grpc", "tx-1"));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(StatusProto.fromThrowable(e).getDetailsList()).anyMatch(d -> d.is(RetryInfo.class));
    }

    @Test
    void shouldRefuseAMessageOverTheSizeLimitBeforeReadingIt() {
        String big = claim("Grpc", "tx-1")
                .replace("\"amount\": 125.5", "\"amount\": 1, \"pad\": \"" + "x".repeat(5000) + "\"");

        Outcome o = transport.publish(TOKEN, big, null);

        assertThat(o.error()).isEqualTo("payload-too-large");
        assertThat(fixture.firehose.sent()).isEmpty();
    }

    @Test
    void shouldAnswerEachEventOfABatchOnItsOwn() {
        List<Outcome> outcomes = transport.publishBatch(
                TOKEN,
                List.of(
                        claim("Grpc", "tx-b1"),
                        claim("Grpc", "tx-b2").replace("\"amount\": 125.5", "\"amount\": \"many\""),
                        claim("Other", "tx-b3"),
                        claim("Grpc", "tx-b4")));

        assertThat(outcomes).hasSize(4);
        assertThat(outcomes.get(0).ok()).isTrue();
        assertThat(outcomes.get(1).error()).isEqualTo("validation");
        assertThat(outcomes.get(1).pointers()).containsExactly("/body/amount");
        assertThat(outcomes.get(2).error()).isEqualTo("forbidden");
        assertThat(outcomes.get(3).ok()).isTrue();
        assertThat(fixture.firehose.sent()).hasSize(2);
    }

    @Test
    void shouldRefuseABatchWholeWhenOverTheEventLimit() {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            events.add(claim("Grpc", "tx-" + i));
        }

        List<Outcome> outcomes = transport.publishBatch(TOKEN, events);

        assertThat(outcomes).hasSize(6).allMatch(o -> "payload-too-large".equals(o.error()));
        assertThat(fixture.firehose.sent()).isEmpty();
    }

    @Test
    void shouldAcknowledgeEveryEventOfAStreamInOrderWhenKafkaAcknowledgesOutOfOrder() throws Exception {
        fixture.firehose.hold = true;
        int count = 1000;
        CompletableFuture<GrpcStreamClient.Result> result = CompletableFuture.supplyAsync(
                () -> streams.publish(TOKEN, count, i -> event("Grpc", "tx-" + i), Duration.ofSeconds(60)));

        // Kafka acknowledges whatever is in flight, last first, until the stream ends.
        while (!result.isDone()) {
            Thread.sleep(2);
            fixture.firehose.completeAllReversed();
        }
        GrpcStreamClient.Result r = result.join();

        assertThat(r.status().getCode()).isEqualTo(Status.Code.OK);
        assertThat(r.responses()).hasSize(count);
        assertThat(r.inOrder()).isTrue();
        assertThat(r.acknowledged()).isEqualTo(count);
        assertThat(fixture.firehose.maxPending()).isLessThanOrEqualTo(4);
        for (int i = 0; i < count; i++) {
            assertThat(r.responses().get(i).getReceipt().getEventId())
                    .isEqualTo(fixture.firehose.sent().get(i).envelope().getEventId());
        }
    }

    @Test
    void shouldReadNoMoreThanMaxInFlightEventsWhileKafkaHoldsThem() throws Exception {
        fixture.firehose.hold = true;
        CompletableFuture<GrpcStreamClient.Result> result = CompletableFuture.supplyAsync(
                () -> streams.publish(TOKEN, 100, i -> event("Grpc", "tx-" + i), Duration.ofSeconds(60)));

        await().until(() -> fixture.firehose.pending() == 4);
        Thread.sleep(300);
        int pendingWhileHeld = fixture.firehose.pending();
        fixture.firehose.hold = false;
        fixture.firehose.completeAll();

        assertThat(pendingWhileHeld).isEqualTo(4);
        assertThat(result.get(30, TimeUnit.SECONDS).acknowledged()).isEqualTo(100);
    }

    @Test
    void shouldAnswerABadEventWithItsErrorAndGoOnWithTheStream() {
        List<PublishRequest> events = List.of(
                event("Grpc", "tx-1"),
                event("Grpc", "tx-2").toBuilder().setBody("{\"claimId\": 7}").build(),
                event("Grpc", "tx-3").toBuilder().setBody("{not json").build(),
                event("Other", "tx-4"),
                event("Grpc", "tx-5"));

        GrpcStreamClient.Result r = streams.publish(TOKEN, events, Duration.ofSeconds(30));

        assertThat(r.status().getCode()).isEqualTo(Status.Code.OK);
        assertThat(r.inOrder()).isTrue();
        assertThat(r.outcomes())
                .extracting(Outcome::error)
                .containsExactly(null, "validation", "malformed-request", "forbidden", null);
        assertThat(r.outcomes().get(1).pointers()).contains("/body/claimId");
        assertThat(fixture.firehose.sent()).hasSize(2);
    }

    @Test
    void shouldRefuseTheEventsOfAnOpenStreamSentAfterItsTokenIsRevoked() {
        int revokedAt = 50;

        GrpcStreamClient.Result r = streams.publish(
                TOKEN,
                100,
                i -> {
                    if (i == revokedAt) {
                        fixture.apps.apply("producer", Optional.empty());
                    }
                    return event("Grpc", "tx-" + i);
                },
                Duration.ofSeconds(30));

        // The stream stays open; each event is looked up again, so those read after the revocation are refused, and
        // once one is, every later one is too.
        assertThat(r.status().getCode()).isEqualTo(Status.Code.OK);
        List<String> errors = r.outcomes().stream().map(Outcome::error).toList();
        assertThat(errors).hasSize(100);
        assertThat(errors.subList(revokedAt, 100)).containsOnly("unauthorized");
        int firstRefused = errors.indexOf("unauthorized");
        assertThat(errors.subList(0, firstRefused)).containsOnlyNulls();
        assertThat(errors.subList(firstRefused, 100)).containsOnly("unauthorized");
        assertThat(fixture.firehose.sent()).hasSize(firstRefused);
    }

    @Test
    void shouldRefuseAStreamUnauthenticatedWhenTokenUnknown() {
        GrpcStreamClient.Result r =
                streams.publish("evt_nobody", List.of(event("Grpc", "tx-1")), Duration.ofSeconds(30));

        assertThat(r.status().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(r.responses()).isEmpty();
        assertThat(fixture.firehose.sent()).isEmpty();
    }

    @Test
    void shouldAnswerWhatItReadThenEndUnavailableWhenStoppedMidStream() throws Exception {
        fixture.firehose.hold = true;
        CompletableFuture<GrpcStreamClient.Result> result = CompletableFuture.supplyAsync(
                () -> streams.publish(TOKEN, 100, i -> event("Grpc", "tx-" + i), Duration.ofSeconds(60)));
        await().until(() -> fixture.firehose.pending() == 4);

        CompletableFuture<Void> stopped = CompletableFuture.runAsync(fixture.server::stop);
        Thread.sleep(200);
        fixture.firehose.hold = false;
        fixture.firehose.completeAll();
        stopped.get(30, TimeUnit.SECONDS);
        GrpcStreamClient.Result r = result.get(30, TimeUnit.SECONDS);

        assertThat(r.status().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(r.status().getDescription()).contains("from sequence 4 on were not read");
        assertThat(r.responses()).hasSize(4).allMatch(PublishStreamResponse::hasReceipt);
        assertThat(fixture.firehose.sent()).hasSize(4);
    }

    @Test
    void shouldRefuseAsMalformedWhenTheMessageDoesNotParse() {
        byte[] notUtf8 = {0x0A, 0x02, (byte) 0xC3, 0x28};
        byte[] notProtobuf = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF};

        StatusRuntimeException event = callRaw(EventIntakeGrpc.getPublishMethod(), notUtf8);
        StatusRuntimeException garbage = callRaw(EventIntakeGrpc.getPublishMethod(), notProtobuf);
        StatusRuntimeException batch = callRaw(EventIntakeGrpc.getPublishBatchMethod(), notProtobuf);

        assertThat(List.of(event, garbage, batch)).allSatisfy(e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(GrpcTransport.failure(e).error()).isEqualTo("malformed-request");
        });
        assertThat(fixture.firehose.sent()).isEmpty();
    }

    @Test
    void shouldListWhatIsMissingWhenTheRequestIsEmpty() {
        StatusRuntimeException e = publishRaw(TOKEN, PublishRequest.getDefaultInstance());
        Outcome o = GrpcTransport.failure(e);

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(o.error()).isEqualTo("validation");
        assertThat(o.pointers()).contains("/noun", "/verb", "/object", "/metadata", "/body");
        assertThat(LenientParsing.unparseable(PublishRequest.getDefaultInstance()))
                .isFalse();
    }

    @Test
    void shouldNotListenWhenThePortIsMinusOne() {
        GrpcServer off = new GrpcServer(
                null, new IntakeProperties(null, null, null, null, null, new IntakeProperties.Grpc(null, -1, 0), null));

        off.start();

        assertThat(off.isRunning()).isFalse();
        assertThat(off.port()).isEqualTo(-1);
    }

    private static PublishRequest event(String object, String transactionId) {
        return GrpcTransport.toRequest(claim(object, transactionId));
    }

    /** Sends the bytes as the request message of a unary method, as a client with no proto would. */
    private StatusRuntimeException callRaw(MethodDescriptor<?, ?> method, byte[] request) {
        MethodDescriptor<byte[], byte[]> raw = RawMessages.of(method);
        ManagedChannel channel = Grpc.newChannelBuilder(fixture.target(), InsecureChannelCredentials.create())
                .build();
        try {
            io.grpc.Metadata headers = new io.grpc.Metadata();
            headers.put(AuthInterceptor.AUTHORIZATION, "Bearer " + TOKEN);
            ClientCalls.blockingUnaryCall(
                    ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers)),
                    raw,
                    CallOptions.DEFAULT,
                    request);
            throw new AssertionError("the call succeeded");
        } catch (StatusRuntimeException e) {
            return e;
        } finally {
            channel.shutdownNow();
        }
    }

    private StatusRuntimeException publishRaw(String token, String eventJson) {
        return publishRaw(token, GrpcTransport.toRequest(eventJson));
    }

    private StatusRuntimeException publishRaw(String token, PublishRequest request) {
        ManagedChannel channel = Grpc.newChannelBuilder(fixture.target(), InsecureChannelCredentials.create())
                .build();
        try {
            io.grpc.Metadata headers = new io.grpc.Metadata();
            headers.put(AuthInterceptor.AUTHORIZATION, "Bearer " + token);
            EventIntakeGrpc.newBlockingStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                    .publish(request);
            throw new AssertionError("the call succeeded");
        } catch (StatusRuntimeException e) {
            return e;
        } finally {
            channel.shutdownNow();
        }
    }
}
