package com.northwind.eventing.intake;

import static com.northwind.eventing.intake.support.Events.app;
import static com.northwind.eventing.intake.support.Events.claim;
import static com.northwind.eventing.intake.support.Events.claimType;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import com.northwind.eventing.common.testing.KafkaBroker;
import com.northwind.eventing.common.testing.KafkaClusterExtension;
import com.northwind.eventing.intake.contract.GrpcTransport;
import com.northwind.eventing.intake.grpc.GrpcServer;
import com.northwind.eventing.intake.support.IntakePlatform;
import com.northwind.eventing.schema.grpc.EventIntakeGrpc;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An event whose Kafka record is over the producer's {@code max.request.size} or the firehose topic's
 * {@code max.message.bytes} is 413 (gRPC RESOURCE_EXHAUSTED without RetryInfo): sending it again will not help, so
 * it is never a 503.
 */
@ExtendWith(KafkaClusterExtension.class)
class FirehoseLimitsIT {
    private static final String TOPIC = "limits.firehose";
    private static final int MAX_REQUEST_SIZE = 20_000;
    private static final int MAX_MESSAGE_BYTES = 12_000;

    private static KafkaBroker kafka;
    private static IntakePlatform platform;
    private static String token;

    @BeforeAll
    static void start(KafkaBroker broker) throws Exception {
        kafka = broker;
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, Optional.of(3), Optional.empty())
                            .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(MAX_MESSAGE_BYTES)))))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        platform = new IntakePlatform(
                        broker,
                        "--eventing.firehose.topic=" + TOPIC,
                        "--eventing.kafka.properties.max.request.size=" + MAX_REQUEST_SIZE)
                .start();
        platform.registerEventType(claimType("Large"));
        token = platform.registerApp(app("large", "Claim.*.*"));
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void shouldAnswer413WhenTheRecordIsOverTheTopicsLimit() throws Exception {
        Map<TopicPartition, Long> before = endOffsets();

        HttpResponse<String> r = platform.postEvent("/v1/events", token, withStatus(15_000));
        HttpResponse<String> next = platform.postEvent("/v1/events", token, claim("Large", "tx-ok"));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
        assertThat(IntakePlatform.json(r.body()).path("type").asString())
                .isEqualTo("urn:eventing:problem:payload-too-large");
        assertThat(r.headers().firstValue("Retry-After")).isEmpty();
        assertThat(next.statusCode()).isEqualTo(202);
        assertThat(total(endOffsets()) - total(before)).isEqualTo(1);
    }

    @Test
    void shouldAnswer413WhenTheRecordIsOverTheProducersLimit() throws Exception {
        Map<TopicPartition, Long> before = endOffsets();

        HttpResponse<String> r = platform.postEvent("/v1/events", token, withStatus(25_000));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
        assertThat(IntakePlatform.json(r.body()).path("detail").asString()).contains("max.request.size");
        assertThat(endOffsets()).isEqualTo(before);
    }

    @Test
    void shouldAnswerResourceExhaustedWithoutRetryInfoOverGrpc() throws Exception {
        Map<TopicPartition, Long> before = endOffsets();
        ManagedChannel channel = Grpc.newChannelBuilder(
                        "127.0.0.1:"
                                + platform.intake().getBean(GrpcServer.class).port(),
                        InsecureChannelCredentials.create())
                .build();
        StatusRuntimeException overTopic;
        StatusRuntimeException overProducer;
        try {
            EventIntakeGrpc.EventIntakeBlockingStub stub =
                    GrpcTransport.withHeaders(EventIntakeGrpc.newBlockingStub(channel), token, null);
            overTopic = org.assertj.core.api.Assertions.catchThrowableOfType(
                    StatusRuntimeException.class, () -> stub.publish(GrpcTransport.toRequest(withStatus(15_000))));
            overProducer = org.assertj.core.api.Assertions.catchThrowableOfType(
                    StatusRuntimeException.class, () -> stub.publish(GrpcTransport.toRequest(withStatus(25_000))));
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }

        for (StatusRuntimeException e : List.of(overTopic, overProducer)) {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            com.google.rpc.Status status = StatusProto.fromThrowable(e);
            assertThat(status.getDetails(0).unpack(ErrorInfo.class).getReason()).isEqualTo("payload-too-large");
            assertThat(status.getDetailsList()).noneMatch(d -> d.is(RetryInfo.class));
        }
        assertThat(endOffsets()).isEqualTo(before);
    }

    /** A valid event whose status is {@code length} characters that lz4 cannot shrink much. */
    private static String withStatus(int length) {
        byte[] random = new byte[length];
        new Random(length).nextBytes(random);
        String text = Base64.getEncoder().encodeToString(random).substring(0, length);
        return claim("Large", "tx-" + length).replace("\"status\": \"NEW\"", "\"status\": \"" + text + "\"");
    }

    private static Map<TopicPartition, Long> endOffsets() throws Exception {
        try (Admin admin = kafka.admin()) {
            Map<TopicPartition, OffsetSpec> latest = admin
                    .describeTopics(List.of(TOPIC))
                    .allTopicNames()
                    .get(10, TimeUnit.SECONDS)
                    .get(TOPIC)
                    .partitions()
                    .stream()
                    .collect(Collectors.toMap(p -> new TopicPartition(TOPIC, p.partition()), p -> OffsetSpec.latest()));
            return admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).entrySet().stream()
                    .collect(Collectors.toMap(
                            Map.Entry::getKey, e -> e.getValue().offset()));
        }
    }

    private static long total(Map<TopicPartition, Long> offsets) {
        return offsets.values().stream().mapToLong(Long::longValue).sum();
    }
}
