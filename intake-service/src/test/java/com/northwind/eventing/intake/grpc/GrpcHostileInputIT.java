package com.northwind.eventing.intake.grpc;

import static com.northwind.eventing.intake.support.Events.app;
import static com.northwind.eventing.intake.support.Events.claimType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.northwind.eventing.common.testing.KafkaBroker;
import com.northwind.eventing.common.testing.KafkaClusterExtension;
import com.northwind.eventing.intake.support.Firehose;
import com.northwind.eventing.intake.support.IntakePlatform;
import com.northwind.eventing.schema.grpc.EventIntakeGrpc;
import com.northwind.eventing.schema.grpc.Metadata;
import com.northwind.eventing.schema.grpc.PublishRequest;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
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
