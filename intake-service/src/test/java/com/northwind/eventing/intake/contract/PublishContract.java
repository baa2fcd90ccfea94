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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
        // Polynomial backtracking on a long status: far beyond the time limit of a validation.
        platform.registerEventType(claimType("Slow")
                .replace(
                        "\"status\": {\"type\": \"string\"}",
                        "\"status\": {\"type\": \"string\", \"pattern\": \"^(.*a){12}$\"}"));
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
        String limited = oneEventPerSecondApp("slow");
        // The limit is taken before validation: warmed up, the two events come well within its second.
        transport.publish(token, claim("Contract", "tx-0"), null);

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
        revokeFirstToken(id);
        long revokedAt = System.nanoTime();
        Outcome revoked = eventually(() -> transport.publish(fresh, claim("Fresh", "tx-2"), null), false);
        long tookMillis = (System.nanoTime() - revokedAt) / 1_000_000;

        assertThat(newApp.ok()).isTrue();
        assertThat(revoked.error()).isEqualTo("unauthorized");
        assertThat(tookMillis).isLessThan(1000);
    }

    @Test
    void shouldRefuseHostileNumbersAtOnceNamingTheMember() {
        Map<String, String> numbers = Map.of(
                "\"amount\": 1e200000", "/body/amount",
                "\"amount\": -1.5e-1000", "/body/amount",
                "\"amount\": 1, \"scores\": [1, 2.5E+99999999999]", "/body/scores/1");
        numbers.forEach((member, pointer) -> {
            String event = claim("Contract", "tx-n").replace("\"amount\": 125.5", member);

            long started = System.nanoTime();
            Outcome o = assertRefused(token, event, "malformed-request");
            Outcome inBatch = assertRefusedInBatch(event, "malformed-request");

            assertThat(millisSince(started)).isLessThan(1000);
            assertThat(o.pointers()).containsExactly(pointer);
            assertThat(inBatch.pointers())
                    .singleElement()
                    .satisfies(p -> assertThat(p).endsWith(pointer));
        });
    }

    /** The largest numbers the bound allows, and characters however written, reach the firehose as sent. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"claimId\": \"C-1\", \"amount\": 1e1000, \"status\": \"NEW\", \"member\": {\"n\": -1.5e-999}}",
                "{\"claimId\": \"C-é😀\", \"amount\": 1, \"status\": \"\\u00e9\\ud83d\\ude00\\n\\\\ud800\"}"
            })
    void shouldPublishWellFormedBodiesExactlyAsSent(String body) {
        String event = withBody(claim("Contract", "tx-as-sent"), body);

        String published = publishedBody(event);

        assertThat(published).isEqualTo(body);
    }

    @Test
    void shouldRefuseLoneSurrogateEscapesNamingTheMember() {
        String inValue = claim("Contract", "tx-s").replace("\"status\": \"NEW\"", "\"status\": \"N\\ud800EW\"");
        String lowInArray = claim("Contract", "tx-s")
                .replace("\"status\": \"NEW\"", "\"status\": \"NEW\", \"notes\": [\"ok\", \"\\udc00\"]");

        Outcome value = assertRefused(token, inValue, "malformed-request");
        Outcome element = assertRefused(token, lowInArray, "malformed-request");
        Outcome valueInBatch = assertRefusedInBatch(inValue, "malformed-request");

        assertThat(value.pointers()).containsExactly("/body/status");
        assertThat(value.detail()).contains("a lone surrogate");
        assertThat(element.pointers()).containsExactly("/body/notes/1");
        assertThat(valueInBatch.pointers())
                .singleElement()
                .satisfies(p -> assertThat(p).endsWith("/body/status"));
    }

    @Test
    void shouldRefuseBodiesNestedDeeperThanTheLimitNamingWhere() {
        String sixtyFour = "[".repeat(62) + "]".repeat(62);
        String sixtyFive = "[".repeat(63) + "]".repeat(63);
        String event = claim("Contract", "tx-d")
                .replace("\"member\": {\"id\": \"M-1\"", "\"member\": {\"deep\": %s, \"id\": \"M-1\"");

        Outcome deepest = transport.publish(token, event.formatted(sixtyFour), null);
        Outcome tooDeep = assertRefused(token, event.formatted(sixtyFive), "malformed-request");

        assertThat(deepest.ok()).as(deepest.detail()).isTrue();
        assertThat(tooDeep.pointers()).containsExactly("/body/member/deep" + "/0".repeat(62));
    }

    @Test
    void shouldRefuseTimestampsTheEnvelopeCannotHoldAsValidation() {
        for (String timestamp : List.of("+999999999-12-31T23:59:59Z", "0000-12-31T23:59:59Z")) {
            String event = claim("Contract", "tx-t").replace("2026-11-22T10:15:30Z", timestamp);

            Outcome o = assertRefused(token, event, "validation");

            assertThat(o.pointers()).containsExactly("/metadata/timestamp");
        }
    }

    @Test
    void shouldRefuseControlCharactersInTagsKeyAndMetadataAsValidation() {
        String event = claim("Contract", "tx-c\\u001b[2J")
                .replace("\"channel:web\"", "\"a\\u0000b\", \"c\\u007fd\"")
                .replace("\"userId\": \"u-7\"", "\"userId\": \"u\\u0085\"")
                .replace("\"tags\":", "\"key\": \"k\\n\", \"tags\":");

        Outcome o = assertRefused(token, event, "validation");

        assertThat(o.pointers())
                .containsExactlyInAnyOrder("/metadata/transactionId", "/metadata/userId", "/key", "/tags/1", "/tags/2");
    }

    @Test
    void shouldSpendTheRateLimitOnEventsRefusedByValidation() {
        String limited = oneEventPerSecondApp("spent");
        transport.publish(token, claim("Contract", "tx-0"), null);

        Outcome invalid = transport.publish(limited, claim("Contract", "tx-1").replace("125.5", "\"many\""), null);
        Outcome next = transport.publish(limited, claim("Contract", "tx-2"), null);

        assertThat(invalid.error()).isEqualTo("validation");
        assertThat(next.error()).isEqualTo("rate-limited");
    }

    @Test
    void shouldRefuseABodyWhoseValidationTakesLongerThanTheLimit() {
        String slow =
                platform.registerApp(app("slow-" + UUID.randomUUID().toString().substring(0, 8), "Claim.*.Slow"));
        String event =
                claim("Slow", "tx-slow").replace("\"status\": \"NEW\"", "\"status\": \"" + "a".repeat(300) + "!\"");

        Map<TopicPartition, Long> before = Firehose.endOffsets(platform.kafka());

        long started = System.nanoTime();
        Outcome o = transport.publish(slow, event, null);

        assertThat(millisSince(started))
                .as("answered once the limit of a second is spent")
                .isLessThan(2000);
        assertThat(o.error()).isEqualTo("validation");
        assertThat(Firehose.endOffsets(platform.kafka())).isEqualTo(before);
        assertThat(o.pointers()).containsExactly("/body");
        assertThat(o.detail()).contains("validation took longer than 1 s");
    }

    @Test
    void shouldRefuseARevokedTokenFromTheMomentTheIntakeHasReadTheRevocation() throws Exception {
        String id = "revoked-" + UUID.randomUUID().toString().substring(0, 8);
        String revoked = platform.registerApp(app(id, "Claim.*.*"));
        Outcome before = transport.publish(revoked, claim("Contract", "tx-r0"), null);

        revokeFirstToken(id);
        platform.awaitRevoked(revoked);
        List<Outcome> after = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            after.add(transport.publish(revoked, claim("Contract", "tx-r" + i), null));
            Thread.sleep(100);
        }

        assertThat(before.ok()).isTrue();
        assertThat(after).allSatisfy(o -> assertThat(o.error()).isEqualTo("unauthorized"));
    }

    /** Revokes the app's first token through the admin API. */
    private static void revokeFirstToken(String appId) {
        String tokenId = IntakePlatform.json(
                        platform.adminCall(platform.admin("/v1/apps/" + appId)).body())
                .at("/tokens/0/id")
                .asString();
        platform.adminCall(
                platform.admin("/v1/apps/" + appId + "/tokens/" + tokenId).DELETE());
    }

    /** Registers an app allowed one event a second, with a burst of one, and returns its token. */
    private static String oneEventPerSecondApp(String prefix) {
        return platform.registerApp(
                """
                {"id": "%s-%s", "team": "t", "publish": ["Claim.*.*"], "rateLimit": {"eventsPerSecond": 1, "burst": 1}}
                """.formatted(prefix, UUID.randomUUID().toString().substring(0, 8)));
    }

    /** The event with the given body text in place of its own. */
    private static String withBody(String event, String body) {
        return event.substring(0, event.indexOf("\"body\": ")) + "\"body\": " + body + "}";
    }

    /** The body text of the one event this publishes, as the firehose holds it. */
    private String publishedBody(String event) {
        Map<TopicPartition, Long> before = Firehose.endOffsets(platform.kafka());

        Outcome o = transport.publish(token, event, null);

        assertThat(o.ok()).as(o.detail()).isTrue();
        List<ConsumerRecord<String, byte[]>> written = Firehose.since(platform.kafka(), before);
        assertThat(written).hasSize(1);
        return Firehose.envelopes(platform.adminUrl())
                .deserialize(Firehose.TOPIC, written.get(0).value())
                .getBody();
    }

    /** Publishes the event alone in a batch, expects its error, and checks that the firehose did not move. */
    protected Outcome assertRefusedInBatch(String event, String error) {
        Map<TopicPartition, Long> before = Firehose.endOffsets(platform.kafka());

        List<Outcome> outcomes = transport.publishBatch(token, List.of(event));

        assertThat(outcomes)
                .singleElement()
                .satisfies(o -> assertThat(o.error()).as(o.detail()).isEqualTo(error));
        assertThat(Firehose.endOffsets(platform.kafka())).isEqualTo(before);
        return outcomes.get(0);
    }

    protected static long millisSince(long started) {
        return (System.nanoTime() - started) / 1_000_000;
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

    /** Publishes, expects the given error within a second, and checks that the firehose did not move. */
    protected Outcome assertRefused(String token, String event, String error) {
        Map<TopicPartition, Long> before = Firehose.endOffsets(platform.kafka());

        long started = System.nanoTime();
        Outcome o = transport.publish(token, event, null);

        assertThat(millisSince(started)).as("answered within a second").isLessThan(1000);
        assertThat(o.error()).as(o.detail()).isEqualTo(error);
        assertThat(Firehose.endOffsets(platform.kafka())).isEqualTo(before);
        return o;
    }
}
