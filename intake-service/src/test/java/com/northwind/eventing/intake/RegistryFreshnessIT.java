package com.northwind.eventing.intake;

import static com.northwind.eventing.intake.support.Events.app;
import static com.northwind.eventing.intake.support.Events.claim;
import static com.northwind.eventing.intake.support.Events.claimType;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import com.northwind.eventing.common.kafka.CompactedTopic;
import com.northwind.eventing.common.testing.KafkaBroker;
import com.northwind.eventing.common.testing.KafkaClusterExtension;
import com.northwind.eventing.intake.contract.GrpcStreamClient;
import com.northwind.eventing.intake.contract.GrpcTransport;
import com.northwind.eventing.intake.contract.Outcome;
import com.northwind.eventing.intake.grpc.GrpcServer;
import com.northwind.eventing.intake.support.Firehose;
import com.northwind.eventing.intake.support.IntakePlatform;
import com.northwind.eventing.schema.grpc.EventIntakeGrpc;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fail closed: while a registry follower is not current (here: its reader has stopped), the intake is not ready and
 * answers every publish 503 with Retry-After (gRPC UNAVAILABLE with RetryInfo), on every path.
 */
@ExtendWith(KafkaClusterExtension.class)
class RegistryFreshnessIT {
    private static IntakePlatform platform;
    private static String token;

    @BeforeAll
    static void start(KafkaBroker kafka) {
        platform = new IntakePlatform(kafka).start();
        platform.registerEventType(claimType("Fresh"));
        token = platform.registerApp(app("freshness", "Claim.*.*"));
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void shouldStopBeingReadyAndAnswerEveryPublish503WhenAFollowerStops() throws Exception {
        HttpResponse<String> readyBefore = get("/actuator/health/readiness");
        HttpResponse<String> publishedBefore = platform.postEvent("/v1/events", token, claim("Fresh", "tx-0"));
        Map<TopicPartition, Long> before = Firehose.endOffsets(platform.kafka());

        appsFollower().close();
        HttpResponse<String> readiness = get("/actuator/health/readiness");
        HttpResponse<String> health = get("/actuator/health");
        HttpResponse<String> rest = platform.postEvent("/v1/events", token, claim("Fresh", "tx-1"));
        HttpResponse<String> batch =
                platform.postEvent("/v1/events/batch", token, "{\"events\": [" + claim("Fresh", "tx-2") + "]}");
        StatusRuntimeException unary = grpcPublish(claim("Fresh", "tx-3"));
        List<Outcome> streamed = new GrpcStreamClient("127.0.0.1:" + grpcPort())
                .publishJson(token, List.of(claim("Fresh", "tx-4")), Duration.ofSeconds(30))
                .outcomes();

        assertThat(readyBefore.statusCode()).isEqualTo(200);
        assertThat(publishedBefore.statusCode()).isEqualTo(202);
        assertThat(readiness.statusCode()).isEqualTo(503);
        assertThat(IntakePlatform.json(readiness.body()).path("status").asString())
                .isEqualTo("DOWN");
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(rest.statusCode()).isEqualTo(503);
        assertThat(IntakePlatform.json(rest.body()).path("type").asString())
                .isEqualTo("urn:eventing:problem:unavailable");
        assertThat(rest.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(IntakePlatform.json(batch.body())
                        .at("/results/0/error/status")
                        .asInt())
                .isEqualTo(503);
        assertThat(unary.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        com.google.rpc.Status status = StatusProto.fromThrowable(unary);
        assertThat(status.getDetails(0).unpack(ErrorInfo.class).getReason()).isEqualTo("unavailable");
        assertThat(status.getDetailsList()).anyMatch(d -> d.is(RetryInfo.class));
        assertThat(streamed)
                .singleElement()
                .satisfies(o -> assertThat(o.error()).isEqualTo("unavailable"));
        assertThat(Firehose.endOffsets(platform.kafka())).isEqualTo(before);
    }

    /** The follower of the apps topic, as the intake wires it. */
    private static CompactedTopic<?> appsFollower() {
        return platform.intake().getBean("appsTopic", CompactedTopic.class);
    }

    private static StatusRuntimeException grpcPublish(String event) throws InterruptedException {
        ManagedChannel channel = Grpc.newChannelBuilder("127.0.0.1:" + grpcPort(), InsecureChannelCredentials.create())
                .build();
        try {
            EventIntakeGrpc.EventIntakeBlockingStub stub =
                    GrpcTransport.withHeaders(EventIntakeGrpc.newBlockingStub(channel), token, null);
            stub.publish(GrpcTransport.toRequest(event));
            throw new AssertionError("published while the registry view is not current");
        } catch (StatusRuntimeException e) {
            return e;
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static int grpcPort() {
        return platform.intake().getBean(GrpcServer.class).port();
    }

    private static HttpResponse<String> get(String path) {
        return platform.send(HttpRequest.newBuilder(URI.create(platform.intakeUrl() + path)));
    }
}
