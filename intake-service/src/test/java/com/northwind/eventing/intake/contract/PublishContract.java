package com.northwind.eventing.intake.contract;

import static com.northwind.eventing.intake.support.Events.app;
import static com.northwind.eventing.intake.support.Events.claim;
import static com.northwind.eventing.intake.support.Events.claimType;
import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.common.testing.KafkaBroker;
import com.northwind.eventing.common.testing.KafkaClusterExtension;
import com.northwind.eventing.intake.support.Firehose;
import com.northwind.eventing.intake.support.IntakePlatform;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What every publish transport promises, run once per transport: a good event is acknowledged with where Kafka put
 * it; each bad one gets its error and the firehose does not move.
 */
@ExtendWith(KafkaClusterExtension.class)
public abstract class PublishContract {
    protected static IntakePlatform platform;
    protected static String token;
    private Transport transport;

    /** The transport under test, on the running platform. */
    protected abstract Transport transport(IntakePlatform platform);

    @BeforeAll
    static void startPlatform(KafkaBroker kafka) {
        platform = new IntakePlatform(kafka).start();
        platform.registerEventType(claimType("Contract"));
        platform.registerEventType(claimType("Other"));
        token = platform.registerApp(
                app("contract-" + UUID.randomUUID().toString().substring(0, 8), "Claim.*.Contract"));
    }

    @AfterAll
    static void stopPlatform() {
        platform.close();
    }

    @BeforeEach
    void openTransport() {
        transport = transport(platform);
    }

    protected Transport transport() {
        return transport;
    }

    @Test
    void shouldAcknowledgeWithWhereKafkaPutItWhenEventValid() {
        Map<TopicPartition, Long> before = Firehose.endOffsets(platform.kafka());

        Outcome o = transport.publish(token, claim("Contract", "tx-ok"), null);

        Map<TopicPartition, Long> after = Firehose.endOffsets(platform.kafka());
        assertThat(o.ok()).as(o.detail()).isTrue();
        assertThat(o.eventType()).isEqualTo("Claim.Submitted.Contract");
        assertThat(o.eventId()).hasSize(36);
        TopicPartition tp = new TopicPartition(Firehose.TOPIC, o.partition());
        assertThat(o.offset()).isGreaterThanOrEqualTo(before.get(tp)).isLessThan(after.get(tp));
    }

    @Test
    void shouldRefuseWhenTokenMissingOrUnknown() {
        assertRefused(null, claim("Contract", "tx-1"), "unauthorized");
        assertRefused("evt_not-a-token", claim("Contract", "tx-1"), "unauthorized");
    }

    @Test
    void shouldRefuseWhenAppHasNoGrantForTheType() {
        Outcome o = assertRefused(token, claim("Other", "tx-1"), "forbidden");

        assertThat(o.detail()).contains("may not publish Claim.Submitted.Other");
    }

    @Test
    void shouldRefuseWhenEventTypeIsNotRegistered() {
        String unregistered = claim("Unregistered", "tx-1");
        String granted = platform.registerApp(
                app("contract-any-" + UUID.randomUUID().toString().substring(0, 8), "*.*.*"));

        Outcome notGranted = assertRefused(token, unregistered, "forbidden");
        Outcome unknown = assertRefused(granted, unregistered, "unknown-event-type");

        // Without a grant the app learns nothing, not even that the type does not exist.
        assertThat(notGranted.detail()).doesNotContain("is not registered");
        assertThat(unknown.detail()).isEqualTo("event type Claim.Submitted.Unregistered is not registered");
    }

    @Test
    void shouldListEverySchemaViolationWithItsPointer() {
        String event = claim("Contract", "tx-1")
                .replace("\"amount\": 125.5", "\"amount\": -3")
                .replace("\"claimId\": \"C-tx-1\"", "\"claimId\": 7");

        Outcome o = assertRefused(token, event, "validation");

        assertThat(o.pointers()).containsExactlyInAnyOrder("/body/claimId", "/body/amount");
    }

    @Test
    void shouldListEveryMetadataAndTagViolation() {
        List<String> tags = new ArrayList<>();
        for (int i = 0; i < 33; i++) {
            tags.add("\"t" + i + "\"");
        }
        String event = claim("Contract", "")
                .replace("\"timestamp\": \"2026-11-22T10:15:30Z\"", "\"timestamp\": \"yesterday\"")
                .replace("\"tags\": [\"state:TX\", \"channel:web\"]", "\"tags\": [" + String.join(",", tags) + "]");
        String longTag = claim("Contract", "tx-2").replace("\"state:TX\"", "\"" + "x".repeat(129) + "\"");

        Outcome o = assertRefused(token, event, "validation");
        Outcome tooLong = assertRefused(token, longTag, "validation");

        assertThat(o.pointers()).containsExactlyInAnyOrder("/metadata/transactionId", "/metadata/timestamp", "/tags");
        assertThat(tooLong.pointers()).containsExactly("/tags/0");
    }

    @Test
    void shouldRefuseMalformedNamesAsValidation() {
        Outcome o = assertRefused(
                token, claim("Contract", "tx-1").replace("\"noun\": \"Claim\"", "\"noun\": \"claim\""), "validation");

        assertThat(o.pointers()).containsExactly("/noun");
    }

    @Test
    void shouldRefuseOnceTheAppsRateLimitIsSpent() {
        String limited =
                platform.registerApp("""
                {"id": "slow-%s", "team": "t", "publish": ["Claim.*.*"], "rateLimit": {"eventsPerSecond": 1, "burst": 1}}
                """.formatted(UUID.randomUUID().toString().substring(0, 8)));

        Outcome first = transport.publish(limited, claim("Contract", "tx-1"), null);
        Map<TopicPartition, Long> before = Firehose.endOffsets(platform.kafka());
        Outcome second = transport.publish(limited, claim("Contract", "tx-2"), null);

        assertThat(first.ok()).as(first.detail()).isTrue();
        assertThat(second.error()).isEqualTo("rate-limited");
        assertThat(Firehose.endOffsets(platform.kafka())).isEqualTo(before);
    }

    @Test
    void shouldAnswerEachEventOfABatchOnItsOwn() {
        Map<TopicPartition, Long> before = Firehose.endOffsets(platform.kafka());

        List<Outcome> outcomes = transport.publishBatch(
                token,
                List.of(
                        claim("Contract", "tx-b1"),
                        claim("Contract", "tx-b2").replace("\"amount\": 125.5", "\"amount\": \"many\""),
                        claim("Other", "tx-b3"),
                        claim("Contract", "tx-b4")));

        assertThat(outcomes).hasSize(4);
        assertThat(outcomes.get(0).ok()).isTrue();
        assertThat(outcomes.get(1).error()).isEqualTo("validation");
        assertThat(outcomes.get(1).pointers()).containsExactly("/body/amount");
        assertThat(outcomes.get(2).error()).isEqualTo("forbidden");
        assertThat(outcomes.get(3).ok()).isTrue();
        assertThat(Firehose.total(Firehose.endOffsets(platform.kafka())) - Firehose.total(before))
                .isEqualTo(2);
    }

    @Test
    void shouldRefuseABatchOverTheLimitWhole() {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 501; i++) {
            events.add(claim("Contract", "tx-" + i));
        }
        Map<TopicPartition, Long> before = Firehose.endOffsets(platform.kafka());

        List<Outcome> outcomes = transport.publishBatch(token, events);

        assertThat(outcomes).allMatch(o -> "payload-too-large".equals(o.error()));
        assertThat(Firehose.endOffsets(platform.kafka())).isEqualTo(before);
    }

    @Test
    void shouldHonourRegistryChangesWithinASecondWithoutRestart() throws Exception {
        String id = "fresh-" + UUID.randomUUID().toString().substring(0, 8);
        String fresh = platform.registerApp(app(id, "Claim.*.*"));
        platform.registerEventType(claimType("Fresh"));

        Outcome newApp = eventually(() -> transport.publish(fresh, claim("Fresh", "tx-1"), null), true);
        String tokenId = IntakePlatform.json(
                        platform.adminCall(platform.admin("/v1/apps/" + id)).body())
                .at("/tokens/0/id")
                .asString();
        platform.adminCall(
                platform.admin("/v1/apps/" + id + "/tokens/" + tokenId).DELETE());
        long revokedAt = System.nanoTime();
        Outcome revoked = eventually(() -> transport.publish(fresh, claim("Fresh", "tx-2"), null), false);
        long tookMillis = (System.nanoTime() - revokedAt) / 1_000_000;

        assertThat(newApp.ok()).isTrue();
        assertThat(revoked.error()).isEqualTo("unauthorized");
        assertThat(tookMillis).isLessThan(1000);
    }

    /** Retries for up to a second until the outcome's success is {@code ok}; returns the last outcome. */
    private static Outcome eventually(java.util.function.Supplier<Outcome> call, boolean ok)
            throws InterruptedException {
        long deadline = System.nanoTime() + 1_000_000_000L;
        Outcome o = call.get();
        while (o.ok() != ok && System.nanoTime() < deadline) {
            Thread.sleep(20);
            o = call.get();
        }
        return o;
    }

    /** Publishes, expects the given error, and checks that the firehose did not move. */
    protected Outcome assertRefused(String token, String event, String error) {
        Map<TopicPartition, Long> before = Firehose.endOffsets(platform.kafka());

        Outcome o = transport.publish(token, event, null);

        assertThat(o.error()).as(o.detail()).isEqualTo(error);
        assertThat(Firehose.endOffsets(platform.kafka())).isEqualTo(before);
        return o;
    }
}
