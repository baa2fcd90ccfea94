package com.northwind.eventing.intake.grpc;

import static com.northwind.eventing.intake.support.Events.app;
import static com.northwind.eventing.intake.support.Events.claimType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.northwind.eventing.common.testing.KafkaBroker;
import com.northwind.eventing.common.testing.KafkaClusterExtension;
import com.northwind.eventing.intake.support.Firehose;
import com.northwind.eventing.intake.support.IntakePlatform;
import com.northwind.eventing.schema.grpc.EventIntakeGrpc;
import com.northwind.eventing.schema.grpc.Metadata;
import com.northwind.eventing.schema.grpc.PublishRequest;
import com.northwind.eventing.schema.grpc.PublishStreamResponse;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.kafka.common.TopicPartition;

/**
 * Hostile input over gRPC, generated: bodies that are not JSON, nested too deep, with duplicate members or wrong
 * types, names with odd unicode, messages over the size limit. Each is INVALID_ARGUMENT (or RESOURCE_EXHAUSTED for
 * size), never INTERNAL or UNKNOWN, and nothing reaches the firehose.
 */
class GrpcHostileInputIT {
    private static KafkaBroker kafka;
    private static IntakePlatform platform;
    private static ManagedChannel channel;
    private static EventIntakeGrpc.EventIntakeBlockingStub stub;
    private static Channel authenticated;
    private static Map<TopicPartition, Long> before;

    @BeforeContainer
    static void start() {
        kafka = KafkaClusterExtension.startBroker();
        platform = new IntakePlatform(kafka).start();
        platform.registerEventType(claimType("Hostile"));
        String token = platform.registerApp(app("grpc-hostile", "Claim.*.*"));
        int port = platform.intake().getBean(GrpcServer.class).port();
        channel = Grpc.newChannelBuilder("127.0.0.1:" + port, InsecureChannelCredentials.create())
                .maxInboundMessageSize(8 * 1024 * 1024)
                .build();
        io.grpc.Metadata headers = new io.grpc.Metadata();
        headers.put(
                io.grpc.Metadata.Key.of("authorization", io.grpc.Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        stub = EventIntakeGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
        authenticated = ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
        before = Firehose.endOffsets(kafka);
    }

    @AfterContainer
    static void stop() throws InterruptedException {
        try {
            assertThat(Firehose.endOffsets(kafka))
                    .as("the firehose after every hostile request")
                    .isEqualTo(before);
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            platform.close();
            kafka.close();
        }
    }

    @Property(tries = 150)
    void shouldRefuseBodiesThatAreNotValidEvents(@ForAll("hostileBody") String body) {
        assertInvalid(event("Claim", "Hostile", body));
    }

    @Property(tries = 60)
    void shouldRefuseOddUnicodeInNames(@ForAll("oddName") String name) {
        assertInvalid(event(name, "Hostile", "{\"claimId\": \"c\", \"amount\": 1}"));
    }

    @Property(tries = 5)
    void shouldRefuseMessagesOverTheSizeLimit(@ForAll("hugeLength") int length) {
        PublishRequest request =
                event("Claim", "Hostile", "{\"claimId\": \"" + "9".repeat(length) + "\", \"amount\": 1}");

        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> stub.publish(request));

        assertThat(e).isNotNull();
        assertThat(e.getStatus().getCode()).isIn(Status.Code.RESOURCE_EXHAUSTED, Status.Code.INVALID_ARGUMENT);
    }

    /** A string field that is not UTF-8 is named as REST would name the member; in the body, down to the member. */
    @Property(tries = 60)
    void shouldRefuseInvalidUtf8InAnyStringFieldNamingIt(
            @ForAll("stringFields") int field, @ForAll("invalidUtf8") byte[] bad) throws Exception {
        byte[] message = message(field, bad);

        StatusRuntimeException e = catchThrowableOfType(
                StatusRuntimeException.class,
                () -> ClientCalls.blockingUnaryCall(
                        authenticated,
                        RawMessages.of(EventIntakeGrpc.getPublishMethod()),
                        CallOptions.DEFAULT,
                        message));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        com.google.rpc.Status status = StatusProto.fromThrowable(e);
        assertThat(status.getDetails(0).unpack(ErrorInfo.class).getReason()).isEqualTo("malformed-request");
        assertThat(status.getDetails(1).unpack(BadRequest.class).getFieldViolationsList())
                .singleElement()
                .satisfies(v -> {
                    assertThat(v.getField()).isEqualTo(POINTERS.get(field));
                    assertThat(v.getDescription()).contains("invalid UTF-8");
                });
    }

    @Example
    void shouldRefuseABatchWithInvalidUtf8NamingTheEventAndField() throws Exception {
        ByteString.Output batch = ByteString.newOutput();
        CodedOutputStream out = CodedOutputStream.newInstance(batch);
        out.writeBytes(1, ByteString.copyFrom(message(FIELD_TAG, new byte[] {(byte) 0xC0, (byte) 0xAF})));
        out.flush();

        StatusRuntimeException e = catchThrowableOfType(
                StatusRuntimeException.class,
                () -> ClientCalls.blockingUnaryCall(
                        authenticated,
                        RawMessages.of(EventIntakeGrpc.getPublishBatchMethod()),
                        CallOptions.DEFAULT,
                        batch.toByteString().toByteArray()));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(StatusProto.fromThrowable(e)
                        .getDetails(1)
                        .unpack(BadRequest.class)
                        .getFieldViolations(0)
                        .getField())
                .isEqualTo("/events/0/tags/1");
    }

    @Example
    void shouldAnswerInvalidUtf8OnAStreamEventByEventAndGoOn() throws Exception {
        List<byte[]> answers = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        StreamObserver<byte[]> requests = ClientCalls.asyncBidiStreamingCall(
                authenticated.newCall(RawMessages.of(EventIntakeGrpc.getPublishStreamMethod()), CallOptions.DEFAULT),
                new StreamObserver<>() {
                    @Override
                    public void onNext(byte[] answer) {
                        answers.add(answer);
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.countDown();
                    }

                    @Override
                    public void onCompleted() {
                        done.countDown();
                    }
                });

        requests.onNext(message(FIELD_TAG, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}));
        requests.onNext(message(FIELD_BODY, new byte[] {(byte) 0xFF}));
        requests.onCompleted();

        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(answers).hasSize(2);
        List<String> fields = new java.util.ArrayList<>();
        for (byte[] a : answers) {
            com.google.rpc.Status error = PublishStreamResponse.parseFrom(a).getError();
            assertThat(error.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT.value());
            fields.add(error.getDetails(1)
                    .unpack(BadRequest.class)
                    .getFieldViolations(0)
                    .getField());
        }
        assertThat(fields).containsExactly("/tags/1", "/body/claimId");
    }

    private static final int FIELD_NOUN = 1;
    private static final int FIELD_TRANSACTION_ID = 61;
    private static final int FIELD_TAG = 7;
    private static final int FIELD_BODY = 9;
    private static final Map<Integer, String> POINTERS = Map.of(
            FIELD_NOUN,
            "/noun",
            FIELD_TRANSACTION_ID,
            "/metadata/transactionId",
            FIELD_TAG,
            "/tags/1",
            FIELD_BODY,
            "/body/claimId");

    @Provide
    Arbitrary<Integer> stringFields() {
        return Arbitraries.of(FIELD_NOUN, FIELD_TRANSACTION_ID, FIELD_TAG, FIELD_BODY);
    }

    @Provide
    Arbitrary<byte[]> invalidUtf8() {
        return Arbitraries.of(
                new byte[] {(byte) 0xC0, (byte) 0xAF},
                new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0xAF},
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
                new byte[] {(byte) 0xE2, (byte) 0x82},
                new byte[] {(byte) 0x80},
                new byte[] {(byte) 0xFE});
    }

    /**
     * A PublishRequest written field by field, with {@code bad} inside one string field: protobuf's builders refuse to
     * carry a string that is not UTF-8, so a client that sends one writes its bytes itself.
     */
    private static byte[] message(int field, byte[] bad) throws java.io.IOException {
        ByteString.Output bytes = ByteString.newOutput();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.writeBytes(1, field == FIELD_NOUN ? concat("Cl", bad, "aim") : ByteString.copyFromUtf8("Claim"));
        out.writeString(2, "Submitted");
        out.writeString(3, "Hostile");
        ByteString.Output metadata = ByteString.newOutput();
        CodedOutputStream m = CodedOutputStream.newInstance(metadata);
        m.writeBytes(1, field == FIELD_TRANSACTION_ID ? concat("tx", bad, "") : ByteString.copyFromUtf8("tx"));
        m.flush();
        out.writeBytes(6, metadata.toByteString());
        out.writeString(7, "state:TX");
        out.writeBytes(7, field == FIELD_TAG ? concat("a", bad, "b") : ByteString.copyFromUtf8("ab"));
        out.writeBytes(
                9,
                field == FIELD_BODY
                        ? concat("{\"amount\": 1, \"claimId\": \"C", bad, "\"}")
                        : ByteString.copyFromUtf8("{\"amount\": 1, \"claimId\": \"C\"}"));
        out.flush();
        return bytes.toByteString().toByteArray();
    }

    private static ByteString concat(String before, byte[] bad, String after) {
        return ByteString.copyFromUtf8(before).concat(ByteString.copyFrom(bad)).concat(ByteString.copyFromUtf8(after));
    }

    @Provide
    Arbitrary<String> hostileBody() {
        return Arbitraries.oneOf(
                Arbitraries.strings()
                        .all()
                        .ofMaxLength(200)
                        .filter(s -> !s.strip().startsWith("{")),
                Arbitraries.strings()
                        .withChars("{}[]\":,0123456789truefalsenul ")
                        .ofMaxLength(100),
                Arbitraries.integers()
                        .between(600, 5000)
                        .map(d -> "{\"claimId\": " + "[".repeat(d) + "]".repeat(d) + "}"),
                Arbitraries.of(
                        "{\"claimId\": \"a\", \"claimId\": \"b\", \"amount\": 1}",
                        "{\"claimId\": 7, \"amount\": 1}",
                        "{\"claimId\": \"a\", \"amount\": \"1\"}",
                        "{\"claimId\": \"a\", \"amount\": -1e400}",
                        "{\"claimId\": \"a\", \"amount\": 1} trailing",
                        "[]",
                        "null",
                        ""));
    }

    @Provide
    Arbitrary<String> oddName() {
        return Arbitraries.of(
                "Cl\u0000aim",
                "Cl\u202eaim",
                "Cl\u200baim",
                "Cl\ud83d\ude00aim",
                "claim",
                "Cl aim",
                "Claim.",
                "\ufeffClaim",
                "");
    }

    @Provide
    Arbitrary<Integer> hugeLength() {
        return Arbitraries.integers().between(1024 * 1024, 3 * 1024 * 1024);
    }

    private static PublishRequest event(String noun, String object, String body) {
        return PublishRequest.newBuilder()
                .setNoun(noun)
                .setVerb("Submitted")
                .setObject(object)
                .setMetadata(Metadata.newBuilder().setTransactionId("tx"))
                .setBody(body)
                .build();
    }

    private static void assertInvalid(PublishRequest request) {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> stub.publish(request));

        assertThat(e)
                .as("accepted: " + request.getNoun() + " " + request.getBody())
                .isNotNull();
        assertThat(e.getStatus().getCode()).as(e.getStatus().toString()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    }
}
