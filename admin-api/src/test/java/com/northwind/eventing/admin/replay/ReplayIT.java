package com.northwind.eventing.admin.replay;

import static com.northwind.eventing.admin.replay.ReplayBed.OTHER_TYPE;
import static com.northwind.eventing.admin.replay.ReplayBed.TYPE;
import static com.northwind.eventing.admin.replay.ReplayBed.assertEachOnce;
import static com.northwind.eventing.admin.replay.ReplayBed.await;
import static com.northwind.eventing.admin.replay.ReplayBed.claim;
import static com.northwind.eventing.admin.replay.ReplayBed.claims;
import static com.northwind.eventing.admin.replay.ReplayBed.envelope;
import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.admin.replay.ReplayBed.Replayed;
import com.northwind.eventing.admin.replay.ReplayBed.Written;
import com.northwind.eventing.common.testing.KafkaBroker;
import com.northwind.eventing.common.testing.KafkaClusterExtension;
import com.northwind.eventing.schema.Envelope;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.LongSummaryStatistics;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * Replays on admin-api against the test broker and an event store in memory: what the worker writes to the replay
 * topic (read back read_committed), from the firehose and from the store, across a restart, paced, cancelled, and
 * the status with the router's counts written as the router writes them.
 */
@ExtendWith(KafkaClusterExtension.class)
class ReplayIT {
    private static final Instant START =
            Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofHours(3));

    @Test
    void shouldWriteExactlyTheMatchingEventsOfTheRangeOnceInOrderWhenReplayedFromTheFirehose(KafkaBroker kafka)
            throws Exception {
        // given 180 matching events in the range, and others: another type, untagged, synthetic, out of the range
        try (ReplayBed bed = new ReplayBed(kafka)) {
            List<Envelope> events = new ArrayList<>();
            events.add(envelope(TYPE, START.minusSeconds(5), List.of("state:TX"), false, claim("DENIED", "1")));
            for (int i = 0; i < 260; i++) {
                Instant at = START.plusSeconds(i);
                switch (i % 13) {
                    case 1 -> events.add(envelope(OTHER_TYPE, at, List.of("state:TX"), false, claim("DENIED", "2")));
                    case 2 -> events.add(envelope(TYPE, at, List.of("state:CA"), false, claim("DENIED", "3")));
                    case 3 -> events.add(envelope(TYPE, at, List.of("state:TX"), true, claim("DENIED", "4")));
                    case 4 -> events.add(envelope(TYPE, at, List.of("state:TX"), false, claim("APPROVED", "5")));
                    default -> events.add(envelope(TYPE, at, List.of("state:TX", "x"), false, claim("DENIED", "6")));
                }
            }
            events.add(envelope(TYPE, START.plusSeconds(400), List.of("state:TX"), false, claim("DENIED", "7")));
            List<Written> written = bed.publish(events);
            List<Written> expected = written.stream()
                    .filter(w -> w.type().equals(TYPE) && w.tags().contains("state:TX"))
                    .filter(w ->
                            !w.receivedAt().isBefore(START) && w.receivedAt().isBefore(START.plusSeconds(260)))
                    .filter(w -> events.stream()
                            .anyMatch(e -> e.getEventId().equals(w.eventId())
                                    && !e.getSynthetic()
                                    && e.getBody().contains("DENIED")))
                    .toList();
            assertThat(expected).hasSize(180);

            // when
            String id = bed.replay("""
                    {"subscription": "%s", "from": "%s", "to": "%s", "ratePerSecond": 50,
                     "filter": {"type": "Claim.*.Replayed", "tag": "state:TX", "synthetic": false,
                                "where": ["/status:DENIED"]}}""".formatted(bed.subscription, START, START.plusSeconds(260)));
            await(() -> bed.read(id) == 180, Duration.ofSeconds(60));

            // then
            List<Replayed> replayed = bed.replayed(id);
            assertThat(replayed).extracting(Replayed::eventId).doesNotHaveDuplicates();
            for (int partition = 0; partition < 2; partition++) {
                int p = partition;
                assertThat(replayed.stream().filter(r -> r.partition() == p).map(Replayed::eventId))
                        .containsExactlyElementsOf(expected.stream()
                                .filter(w -> w.partition() == p)
                                .sorted(Comparator.comparingLong(Written::offset))
                                .map(Written::eventId)
                                .toList());
            }
            Map<String, Written> byId = written.stream().collect(Collectors.toMap(Written::eventId, w -> w));
            for (Replayed r : replayed) {
                assertThat(r.value()).isEqualTo(byId.get(r.eventId()).value());
                assertThat(r.key()).isEqualTo(byId.get(r.eventId()).key());
                assertThat(r.source()).isEqualTo("firehose");
                assertThat(r.subscription()).isEqualTo(bed.subscription);
                assertThat(r.traceparent()).isEqualTo("00-trace-" + r.eventId());
            }
            // 36 batches of 5 at 50 a second: the last is sent at least 3.5 s after the first
            LongSummaryStatistics sent =
                    replayed.stream().mapToLong(Replayed::timestamp).summaryStatistics();
            assertThat(sent.getMax() - sent.getMin()).isGreaterThanOrEqualTo(3400);
            JsonNode status = bed.api.get("/v1/replays/" + id).json();
            assertThat(status.path("state").asString()).isEqualTo("RUNNING");
            assertThat(status.path("filter").path("where").get(0).asString()).isEqualTo("/status:DENIED");
        }
    }

    @Test
    void shouldBeDoneWithTheRoutersCountsWhenTheRouterCountedEveryEventWritten(KafkaBroker kafka) throws Exception {
        // given a replay whose worker has read its 10 events
        try (ReplayBed bed = new ReplayBed(kafka)) {
            List<Envelope> events = claims(START, 10, "1");
            bed.publish(events);
            String id = bed.replay("""
                    {"subscription": "%s", "from": "%s", "to": "%s"}""".formatted(bed.subscription, START, START.plusSeconds(60)));
            await(
                    () -> bed.api
                            .context()
                            .getBean(ReplayViews.class)
                            .progress
                            .get(id)
                            .map(p -> p.phase() == ReplayProgress.Phase.DONE)
                            .orElse(false),
                    Duration.ofSeconds(30));
            bed.counts(id, 6, 3);
            await(
                    () -> bed.api
                                    .get("/v1/replays/" + id)
                                    .json()
                                    .path("delivered")
                                    .asLong()
                            == 6,
                    Duration.ofSeconds(10));
            assertThat(bed.api.get("/v1/replays/" + id).json().path("state").asString())
                    .isEqualTo("RUNNING");

            // when
            bed.counts(id, 7, 3);
            await(
                    () -> bed.api
                                    .get("/v1/replays/" + id)
                                    .json()
                                    .path("delivered")
                                    .asLong()
                            == 7,
                    Duration.ofSeconds(10));

            // then
            JsonNode status = bed.api.get("/v1/replays/" + id).json();
            assertThat(status.path("state").asString()).isEqualTo("DONE");
            assertThat(status.path("read").asLong()).isEqualTo(10);
            assertThat(status.path("skipped").asLong()).isEqualTo(3);
            assertThat(status.path("finishedAt").isString()).isTrue();
            assertThat(bed.api.delete("/v1/replays/" + id).status()).isEqualTo(409);
            assertThat(bed.api
                            .get("/v1/replays")
                            .json()
                            .path("replays")
                            .get(0)
                            .path("id")
                            .asString())
                    .isEqualTo(id);
        }
    }

    @Test
    void shouldReadTheStoreForWhatRetentionTookAndTheFirehoseForTheRestWhenTheRangeIsOlder(KafkaBroker kafka)
            throws Exception {
        // given 120 events, the first 30 of each partition deleted from the firehose (retention) but stored
        try (ReplayBed bed = new ReplayBed(kafka)) {
            List<Envelope> events = claims(START, 120, "123-45-6789");
            List<Written> written = bed.publish(events);
            try (var admin = kafka.admin()) {
                admin.deleteRecords(Map.of(
                                new TopicPartition(bed.firehose, 0), RecordsToDelete.beforeOffset(30),
                                new TopicPartition(bed.firehose, 1), RecordsToDelete.beforeOffset(30)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }

            // when
            String id = bed.replay("""
                    {"subscription": "%s", "from": "%s", "to": "%s", "ratePerSecond": 5000}""".formatted(bed.subscription, START, START.plusSeconds(3600)));
            await(() -> bed.read(id) == 120, Duration.ofSeconds(60));

            // then
            List<Replayed> replayed = bed.replayed(id);
            assertEachOnce(replayed, written);
            Map<String, Written> byId = written.stream().collect(Collectors.toMap(Written::eventId, w -> w));
            for (Replayed r : replayed) {
                Written w = byId.get(r.eventId());
                assertThat(r.source()).as(r.eventId()).isEqualTo(w.offset() < 30 ? "store" : "firehose");
                if (w.offset() < 30) {
                    assertThat(r.body()).doesNotContain("123-45-6789").contains("***REDACTED***");
                    assertThat(r.redactedPaths()).containsExactly("/member/ssn");
                } else {
                    assertThat(r.value()).isEqualTo(w.value());
                }
            }
            assertThat(replayed.stream().filter(r -> r.source().equals("store")).count())
                    .isEqualTo(60);
        }
    }

    @Test
    void shouldGoOnWithoutWritingAnyEventTwiceWhenTheWorkerRestartsMidReplay(KafkaBroker kafka) throws Exception {
        // given a replay of 200 events at 50 a second, stopped part of the way through
        try (ReplayBed bed = new ReplayBed(kafka)) {
            List<Envelope> events = claims(START, 200, "1");
            List<Written> written = bed.publish(events);
            String id = bed.replay("""
                    {"subscription": "%s", "from": "%s", "to": "%s", "ratePerSecond": 50}""".formatted(bed.subscription, START, START.plusSeconds(3600)));
            await(() -> bed.read(id) >= 40, Duration.ofSeconds(30));
            bed.api.close();
            long readBeforeRestart = bed.replayed(id).size();

            // when
            bed.start();
            await(() -> bed.read(id) == 200, Duration.ofSeconds(60));

            // then
            List<Replayed> replayed = bed.replayed(id);
            assertThat(readBeforeRestart).isBetween(40L, 199L);
            assertEachOnce(replayed, written);
        }
    }

    @Test
    void shouldStopBeforeItsNextBatchWhenCancelled(KafkaBroker kafka) throws Exception {
        // given a slow replay under way
        try (ReplayBed bed = new ReplayBed(kafka)) {
            List<Envelope> events = claims(START, 300, "1");
            bed.publish(events);
            String id = bed.replay("""
                    {"subscription": "%s", "from": "%s", "to": "%s", "ratePerSecond": 20}""".formatted(bed.subscription, START, START.plusSeconds(3600)));
            await(() -> bed.read(id) > 0, Duration.ofSeconds(30));

            // when
            var cancelled = bed.api.delete("/v1/replays/" + id);
            Thread.sleep(1500);
            long settled = bed.read(id);
            Thread.sleep(1500);

            // then
            assertThat(cancelled.status()).isEqualTo(200);
            assertThat(cancelled.json().path("state").asString()).isEqualTo("CANCELLED");
            assertThat(bed.read(id)).isEqualTo(settled).isLessThan(300);
            assertThat(bed.replayed(id)).hasSize((int) settled);
            assertThat(bed.api.get("/v1/replays/" + id).json().path("state").asString())
                    .isEqualTo("CANCELLED");
            var again = bed.api.delete("/v1/replays/" + id);
            assertThat(again.status()).isEqualTo(409);
            assertThat(again.json().path("type").asString()).isEqualTo("urn:eventing:problem:conflict");
        }
    }

    @Test
    void shouldFailNamingTheSubscriptionWhenItIsDeletedDuringTheReplay(KafkaBroker kafka) throws Exception {
        // given a slow replay under way
        try (ReplayBed bed = new ReplayBed(kafka)) {
            List<Envelope> events = claims(START, 100, "1");
            bed.publish(events);
            String id = bed.replay("""
                    {"subscription": "%s", "from": "%s", "to": "%s", "ratePerSecond": 10}""".formatted(bed.subscription, START, START.plusSeconds(3600)));
            await(() -> bed.read(id) > 0, Duration.ofSeconds(30));

            // when
            assertThat(bed.api.delete("/v1/subscriptions/" + bed.subscription).status())
                    .isEqualTo(204);

            // then
            await(
                    () -> bed.api
                            .get("/v1/replays/" + id)
                            .json()
                            .path("state")
                            .asString()
                            .equals("FAILED"),
                    Duration.ofSeconds(30));
            JsonNode status = bed.api.get("/v1/replays/" + id).json();
            assertThat(status.path("error").asString()).isEqualTo("subscription " + bed.subscription + " was deleted");
            assertThat(status.path("read").asLong()).isLessThan(100);
        }
    }

    @Test
    void shouldReadFromTheStoreWhatRetentionTookAfterTheReplayBeganWhenItsFirehosePartReachesThatPartition(
            KafkaBroker kafka) throws Exception {
        // given a replay reading the firehose's partition 0, all of the range still retained when it began
        try (ReplayBed bed = new ReplayBed(kafka)) {
            List<Envelope> events = claims(START, 200, "123-45-6789");
            List<Written> written = bed.publish(events);
            long inPartition0 = written.stream().filter(w -> w.partition() == 0).count();
            String id = bed.replay("""
                    {"subscription": "%s", "from": "%s", "to": "%s", "ratePerSecond": 40}""".formatted(bed.subscription, START, START.plusSeconds(3600)));
            await(() -> bed.read(id) >= 8, Duration.ofSeconds(30));

            // when retention takes partition 1's first 30 offsets before the replay reads partition 1
            bed.retain(Map.of(1, 30L));
            long readWhenRetentionMoved = bed.read(id);
            await(() -> bed.phase(id) == ReplayProgress.Phase.DONE, Duration.ofSeconds(60));

            // then
            List<Replayed> replayed = bed.replayed(id);
            assertThat(readWhenRetentionMoved).isLessThan(inPartition0);
            assertEachOnce(replayed, written);
            Map<String, Written> byId = written.stream().collect(Collectors.toMap(Written::eventId, w -> w));
            for (Replayed r : replayed) {
                Written w = byId.get(r.eventId());
                boolean taken = w.partition() == 1 && w.offset() < 30;
                assertThat(r.source()).as(r.eventId()).isEqualTo(taken ? "store" : "firehose");
                if (taken) {
                    assertThat(r.body()).doesNotContain("123-45-6789").contains("***REDACTED***");
                }
            }
            assertThat(bed.read(id)).isEqualTo(200);
        }
    }

    @Test
    void shouldReadFromTheStoreWhatRetentionTookWhileTheWorkerWasStoppedWhenItGoesOn(KafkaBroker kafka)
            throws Exception {
        // given a replay stopped part of the way through partition 0
        try (ReplayBed bed = new ReplayBed(kafka)) {
            List<Envelope> events = claims(START, 200, "1");
            List<Written> written = bed.publish(events);
            long inPartition0 = written.stream().filter(w -> w.partition() == 0).count();
            String id = bed.replay("""
                    {"subscription": "%s", "from": "%s", "to": "%s", "ratePerSecond": 50}""".formatted(bed.subscription, START, START.plusSeconds(3600)));
            await(() -> bed.read(id) >= 10, Duration.ofSeconds(30));
            bed.api.close();
            Set<String> beforeRestart =
                    bed.replayed(id).stream().map(Replayed::eventId).collect(Collectors.toSet());
            long firstRetained0 = inPartition0 - 10;
            bed.retain(Map.of(0, firstRetained0, 1, 20L));

            // when
            bed.start();
            await(() -> bed.phase(id) == ReplayProgress.Phase.DONE, Duration.ofSeconds(60));

            // then
            List<Replayed> replayed = bed.replayed(id);
            assertThat((long) beforeRestart.size()).isBetween(10L, firstRetained0 - 1);
            assertEachOnce(replayed, written);
            Map<String, Written> byId = written.stream().collect(Collectors.toMap(Written::eventId, w -> w));
            for (Replayed r : replayed) {
                Written w = byId.get(r.eventId());
                boolean taken = !beforeRestart.contains(r.eventId())
                        && w.offset() < (w.partition() == 0 ? firstRetained0 : 20L);
                assertThat(r.source()).as(r.eventId()).isEqualTo(taken ? "store" : "firehose");
            }
            assertThat(replayed.stream().filter(r -> r.source().equals("store")).count())
                    .isEqualTo(firstRetained0 - beforeRestart.size() + 20);
            assertThat(bed.read(id)).isEqualTo(200);
        }
    }

    @Test
    void shouldFailNamingTheStoreWhenItIsOutOfReachLongerThanTheStoreOutage(KafkaBroker kafka) throws Exception {
        // given a range whose start retention took from the firehose, and the event store stopped
        try (ReplayBed bed = new ReplayBed(kafka, "--eventing.replay.store-outage=3s")) {
            List<Envelope> events = claims(START, 40, "1");
            bed.publish(events);
            bed.retain(Map.of(0, 5L, 1, 5L));
            bed.mongo.close();

            // when
            long began = System.nanoTime();
            String id = bed.replay("""
                    {"subscription": "%s", "from": "%s", "to": "%s"}""".formatted(bed.subscription, START, START.plusSeconds(3600)));
            await(
                    () -> bed.api
                            .get("/v1/replays/" + id)
                            .json()
                            .path("state")
                            .asString()
                            .equals("FAILED"),
                    Duration.ofSeconds(60));
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);

            // then
            JsonNode status = bed.api.get("/v1/replays/" + id).json();
            assertThat(status.path("error").asString())
                    .isEqualTo("the event store could not be reached for 3 s (eventing.replay.store-outage)");
            assertThat(status.path("read").asLong()).isEqualTo(0);
            assertThat(status.path("finishedAt").isString()).isTrue();
            assertThat(tookMillis).isGreaterThanOrEqualTo(3000);
            assertThat(bed.replayed(id)).isEmpty();
        }
    }

    @Test
    void shouldRunTheWaitingReplaysOldestFirstWhenARunningOneFreesItsSlot(KafkaBroker kafka) throws Exception {
        // given one replay at a time, and three slow replays requested in turn
        try (ReplayBed bed = new ReplayBed(kafka, "--eventing.replay.max-running=1")) {
            List<Envelope> events = claims(START, 100, "1");
            bed.publish(events);
            String range = """
                    {"subscription": "%s", "from": "%s", "to": "%s", "ratePerSecond": 10}""".formatted(bed.subscription, START, START.plusSeconds(3600));
            String first = bed.replay(range);
            await(() -> bed.read(first) > 0, Duration.ofSeconds(30));
            String second = bed.replay(range);
            String third = bed.replay(range);
            Thread.sleep(1500);
            long secondBeforeItsTurn = bed.read(second);
            long thirdBeforeItsTurn = bed.read(third);
            String secondStateBeforeItsTurn =
                    bed.api.get("/v1/replays/" + second).json().path("state").asString();

            // when
            assertThat(bed.api.delete("/v1/replays/" + first).status()).isEqualTo(200);
            await(() -> bed.read(second) > 0, Duration.ofSeconds(30));
            Thread.sleep(1000);
            long thirdWhileSecondRuns = bed.read(third);
            assertThat(bed.api.delete("/v1/replays/" + second).status()).isEqualTo(200);

            // then
            assertThat(secondBeforeItsTurn).isEqualTo(0);
            assertThat(thirdBeforeItsTurn).isEqualTo(0);
            assertThat(secondStateBeforeItsTurn).isEqualTo("RUNNING");
            assertThat(thirdWhileSecondRuns).isEqualTo(0);
            await(() -> bed.read(third) > 0, Duration.ofSeconds(30));
            assertThat(bed.read(first)).isLessThan(100);
        }
    }
}
