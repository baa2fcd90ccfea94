package com.northwind.eventing.intake.contract;

import static com.northwind.eventing.intake.support.Events.claim;
import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.intake.grpc.GrpcServer;
import com.northwind.eventing.intake.support.Firehose;
import com.northwind.eventing.intake.support.IntakePlatform;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The publish contract over gRPC, and what only gRPC has: the bidirectional stream. */
class GrpcContractIT extends PublishContract {
    @Override
    protected Transport transport(IntakePlatform platform) {
        return new GrpcTransport("127.0.0.1:" + grpcPort());
    }

    private static int grpcPort() {
        return platform.intake().getBean(GrpcServer.class).port();
    }

    @Test
    void shouldAcknowledgeTenThousandStreamedEventsInOrder() {
        Map<TopicPartition, Long> before = Firehose.endOffsets(platform.kafka());
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            events.add(claim("Contract", "stream-" + i));
        }

        GrpcStreamClient.Result result =
                new GrpcStreamClient("127.0.0.1:" + grpcPort()).publishJson(token, events, Duration.ofMinutes(3));

        assertThat(result.status().isOk()).as(String.valueOf(result.status())).isTrue();
        assertThat(result.acknowledged()).isEqualTo(10_000);
        assertThat(result.inOrder()).isTrue();
        assertThat(Firehose.total(Firehose.endOffsets(platform.kafka())) - Firehose.total(before))
                .isEqualTo(10_000);
    }

    @Test
    void shouldAnswerABadStreamedEventAndGoOn() {
        Map<TopicPartition, Long> before = Firehose.endOffsets(platform.kafka());
        List<String> events = List.of(
                claim("Contract", "s-1"),
                claim("Contract", "s-2").replace("\"amount\": 125.5", "\"amount\": -1"),
                claim("Other", "s-3"),
                claim("Contract", "s-4"));

        GrpcStreamClient.Result result =
                new GrpcStreamClient("127.0.0.1:" + grpcPort()).publishJson(token, events, Duration.ofMinutes(1));
        List<Outcome> outcomes = result.outcomes();

        assertThat(outcomes).hasSize(4);
        assertThat(outcomes.get(0).ok()).isTrue();
        assertThat(outcomes.get(1).error()).isEqualTo("validation");
        assertThat(outcomes.get(1).pointers()).containsExactly("/body/amount");
        assertThat(outcomes.get(2).error()).isEqualTo("forbidden");
        assertThat(outcomes.get(3).ok()).isTrue();
        assertThat(result.inOrder()).isTrue();
        assertThat(Firehose.total(Firehose.endOffsets(platform.kafka())) - Firehose.total(before))
                .isEqualTo(2);
    }

    @Test
    void shouldAnswerHostileEventsOnAStreamAndGoOn() {
        Map<TopicPartition, Long> before = Firehose.endOffsets(platform.kafka());
        List<String> events = List.of(
                claim("Contract", "h-1"),
                claim("Contract", "h-2").replace("\"amount\": 125.5", "\"amount\": 1e200000"),
                claim("Contract", "h-3").replace("\"status\": \"NEW\"", "\"status\": \"\\ud800\""),
                claim("Contract", "h-4")
                        .replace("\"status\": \"NEW\"", "\"status\": " + "[".repeat(80) + "]".repeat(80)),
                claim("Contract", "h-5").replace("2026-11-22T10:15:30Z", "+999999999-12-31T23:59:59Z"),
                claim("Contract", "h-6"));

        GrpcStreamClient.Result result =
                new GrpcStreamClient("127.0.0.1:" + grpcPort()).publishJson(token, events, Duration.ofMinutes(1));
        List<Outcome> outcomes = result.outcomes();

        assertThat(outcomes).hasSize(6);
        assertThat(outcomes.get(0).ok()).isTrue();
        assertThat(outcomes.get(1).error()).isEqualTo("malformed-request");
        assertThat(outcomes.get(1).pointers()).containsExactly("/body/amount");
        assertThat(outcomes.get(2).error()).isEqualTo("malformed-request");
        assertThat(outcomes.get(2).pointers()).containsExactly("/body/status");
        assertThat(outcomes.get(3).error()).isEqualTo("malformed-request");
        assertThat(outcomes.get(3).pointers()).containsExactly("/body/status" + "/0".repeat(63));
        assertThat(outcomes.get(4).error()).isEqualTo("validation");
        assertThat(outcomes.get(4).pointers()).containsExactly("/metadata/timestamp");
        assertThat(outcomes.get(5).ok()).isTrue();
        assertThat(result.inOrder()).isTrue();
        assertThat(Firehose.total(Firehose.endOffsets(platform.kafka())) - Firehose.total(before))
                .isEqualTo(2);
    }
}
