package com.northwind.eventing.admin.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.admin.AdminApiServer;
import com.northwind.eventing.admin.store.Corpus.Event;
import com.northwind.eventing.common.testing.KafkaBroker;
import com.northwind.eventing.common.testing.KafkaClusterExtension;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * The store's search, transaction and stats API on admin-api, against a MongoDB wire-protocol server in memory holding
 * a generated corpus; every expected answer is computed from the corpus itself, not asked of the store.
 */
@ExtendWith(KafkaClusterExtension.class)
class StoreApiIT {
    private static final int CORPUS_SIZE = 3000;

    private static InMemoryMongo mongo;
    private static AdminApiServer admin;
    private static Corpus corpus;
    private static Instant start;
    private static Instant end;

    @BeforeAll
    static void start(KafkaBroker kafka) {
        mongo = new InMemoryMongo();
        start = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofHours(6));
        end = start.plus(Duration.ofHours(5));
        corpus = new Corpus(7);
        corpus.add(mongo.events(), "ev-", CORPUS_SIZE, start, Duration.between(start, end));
        admin = new AdminApiServer(kafka, "--eventing.store.uri=" + mongo.uri()).start();
    }

    @AfterAll
    static void stop() {
        admin.close();
        mongo.close();
    }

    static Stream<Arguments> searches() {
        return Stream.of(
                Arguments.of("", (Predicate<Event>) e -> !e.synthetic()),
                Arguments.of("type=Claim.Denied.Appeal", (Predicate<Event>)
                        e -> !e.synthetic() && e.eventType().equals("Claim.Denied.Appeal")),
                Arguments.of("type=Claim.*.*", (Predicate<Event>)
                        e -> !e.synthetic() && e.noun().equals("Claim")),
                Arguments.of("type=*.Submitted.*", (Predicate<Event>)
                        e -> !e.synthetic() && e.verb().equals("Submitted")),
                Arguments.of("tag=state:TX", (Predicate<Event>)
                        e -> !e.synthetic() && e.tags().contains("state:TX")),
                Arguments.of("tag=state:TX&tag=channel:web", (Predicate<Event>) e -> !e.synthetic()
                        && e.tags().contains("state:TX")
                        && e.tags().contains("channel:web")),
                Arguments.of("synthetic=true", (Predicate<Event>) Event::synthetic),
                Arguments.of("synthetic=any", (Predicate<Event>) e -> true),
                Arguments.of("producerApp=member-hub", (Predicate<Event>)
                        e -> !e.synthetic() && e.producerApp().equals("member-hub")),
                Arguments.of("transactionId=tx-17", (Predicate<Event>)
                        e -> !e.synthetic() && e.transactionId().equals("tx-17")),
                Arguments.of("userId=u-5", (Predicate<Event>)
                        e -> !e.synthetic() && e.userId().equals("u-5")),
                Arguments.of("q=" + enc("Denied, RECONSIDERATION!"), (Predicate<Event>) e -> !e.synthetic()
                        && (e.words().contains("denied") || e.verb().equals("Denied"))
                        && (e.words().contains("reconsideration") || e.object().equals("Reconsideration"))),
                Arguments.of("where=" + enc("/status:DENIED"), (Predicate<Event>)
                        e -> !e.synthetic() && e.status().equals("DENIED")),
                Arguments.of(
                        "where=" + enc("/amount:500"), (Predicate<Event>) e -> !e.synthetic() && e.amount() == 500),
                Arguments.of(
                        "where=" + enc("/status:PENDING") + "&where=" + enc("/member/ssn:***REDACTED***"),
                        (Predicate<Event>) e -> !e.synthetic() && e.status().equals("PENDING")),
                Arguments.of(
                        "type=Claim.*.*&tag=state:CA&synthetic=any&where=" + enc("/status:APPROVED") + "&q=urgent",
                        (Predicate<Event>) e -> e.noun().equals("Claim")
                                && e.tags().contains("state:CA")
                                && e.status().equals("APPROVED")
                                && e.words().contains("urgent")),
                Arguments.of(
                        "from=" + start.plus(Duration.ofHours(1)) + "&to=" + start.plus(Duration.ofHours(2)),
                        (Predicate<Event>) e -> !e.synthetic()
                                && !e.receivedAt().isBefore(start.plus(Duration.ofHours(1)))
                                && e.receivedAt().isBefore(start.plus(Duration.ofHours(2)))));
    }

    @ParameterizedTest
    @MethodSource("searches")
    void shouldFindExactlyTheMatchingEventsNewestFirstWhenSearchedByParameters(
            String query, Predicate<Event> expected) {
        // given the corpus

        // when
        List<String> found = pageThrough(query, 500);

        // then
        List<String> want = ids(corpus.where(expected));
        assertThat(want).isNotEmpty();
        assertThat(found).containsExactlyElementsOf(want);
    }

    @Test
    void shouldReturnEachEventOnceWhenPagingThroughAllOfThemWithSmallPages() {
        // given
        String query = "synthetic=any";

        // when
        List<String> found = pageThrough(query, 137);

        // then
        assertThat(found).hasSize(corpus.events().size());
        assertThat(new HashSet<>(found)).hasSize(found.size());
        assertThat(found).containsExactlyElementsOf(ids(corpus.where(e -> true)));
    }

    @Test
    void shouldReturnEachEventOnceWhenEventsArriveBetweenPages() {
        // given the events there before the first page
        Set<String> before = new HashSet<>(ids(corpus.where(e -> e.eventId().startsWith("ev-") && !e.synthetic())));
        List<String> found = new ArrayList<>();
        String cursor = null;
        int round = 0;

        // when newer and older events are stored between the pages
        do {
            JsonNode page = okJson("/v1/events?limit=200&type=Claim.*.*" + (cursor == null ? "" : "&cursor=" + cursor));
            page.path("events").forEach(e -> found.add(e.path("eventId").asString()));
            cursor = page.path("nextCursor").isNull()
                    ? null
                    : page.path("nextCursor").asString();
            corpus.add(mongo.events(), "late-" + round + "-", 20, start, Duration.between(start, end));
            round++;
        } while (cursor != null);

        // then
        assertThat(new HashSet<>(found)).hasSize(found.size());
        Set<String> claimsBefore = new HashSet<>();
        corpus.events().stream()
                .filter(e -> before.contains(e.eventId()) && e.noun().equals("Claim"))
                .forEach(e -> claimsBefore.add(e.eventId()));
        assertThat(found).containsAll(claimsBefore);
        assertThat(round).isGreaterThan(3);
    }

    @Test
    void shouldAnswerTheDocumentWithTheEnvelopesNamesWhenEventIdIsStored() {
        // given
        Event e = corpus.events().get(42);

        // when
        AdminApiServer.Response r = admin.get("/v1/events/" + e.eventId());

        // then
        assertThat(r.status()).isEqualTo(200);
        JsonNode d = r.json();
        assertThat(d.path("eventId").asString()).isEqualTo(e.eventId());
        assertThat(d.path("eventType").asString()).isEqualTo(e.eventType());
        assertThat(d.path("metadata").path("receivedAt").asString())
                .isEqualTo(e.receivedAt().toString());
        assertThat(d.path("expiresAt").asString()).isEqualTo(e.expiresAt().toString());
        assertThat(d.path("body").path("member").path("ssn").asString()).isEqualTo("***REDACTED***");
        assertThat(d.path("redactedPaths").get(0).asString()).isEqualTo("/member/ssn");
        assertThat(d.has("_id")).isFalse();
        assertThat(d.has("searchTerms")).isFalse();
        for (String member : List.of(
                "noun", "verb", "object", "tags", "synthetic", "bodySchemaVersion", "storePolicy", "firehose")) {
            assertThat(d.has(member)).as(member).isTrue();
        }
    }

    @Test
    void shouldAnswer404ProblemWhenEventIdIsNotStored() {
        // given
        String eventId = "no-such-event";

        // when
        AdminApiServer.Response r = admin.get("/v1/events/" + eventId);

        // then
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().path("type").asString()).isEqualTo("urn:eventing:problem:not-found");
    }

    @Test
    void shouldAnswerEveryEventOfTheTransactionOldestFirstWhenItSpansTwoTypes() {
        // given three events of one transaction, of two types, stored out of order
        Instant t = start.plus(Duration.ofMinutes(30));
        List<Event> tx = List.of(
                event("tx-b", "Claim.Denied.Appeal", t.plusSeconds(20), "tx-shared"),
                event("tx-a", "Claim.Submitted.Initial", t, "tx-shared"),
                event("tx-c", "Member.Enrolled.Plan", t.plusSeconds(40), "tx-shared"));
        corpus.store(mongo.events(), tx);

        // when
        AdminApiServer.Response r = admin.get("/v1/transactions/tx-shared");

        // then
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("transactionId").asString()).isEqualTo("tx-shared");
        List<String> ids = new ArrayList<>();
        List<String> types = new ArrayList<>();
        r.json().path("events").forEach(e -> {
            ids.add(e.path("eventId").asString());
            types.add(e.path("eventType").asString());
        });
        assertThat(ids).containsExactly("tx-a", "tx-b", "tx-c");
        assertThat(types).containsExactly("Claim.Submitted.Initial", "Claim.Denied.Appeal", "Member.Enrolled.Plan");
    }

    @Test
    void shouldCountEveryRealEventPerMinuteAndTypeWhenStatsCoverTheCorpus() {
        // given
        String query = "/v1/stats?interval=minute&groupBy=eventType&from=" + start + "&to=" + end;

        // when
        JsonNode stats = okJson(query);

        // then
        List<Event> real = corpus.events().stream()
                .filter(e -> !e.synthetic() && inCorpusRange(e))
                .toList();
        assertThat(stats.path("buckets")).hasSize(300);
        assertThat(total(stats)).isEqualTo(real.size());
        assertThat(buckets(stats)).isEqualTo(expectedBuckets(real, e -> List.of(e.eventType()), ChronoUnit.MINUTES));
    }

    @Test
    void shouldAnswerEveryMinuteOfTheDefaultRangeWhenOnlyTheIntervalIsGiven() {
        // given the default range, a day back from now, which starts within a minute

        // when
        JsonNode stats = okJson("/v1/stats?interval=minute");

        // then
        assertThat(stats.path("buckets").size()).isBetween(1440, 1441);
    }

    static Stream<Arguments> groupings() {
        return Stream.of(
                Arguments.of("groupBy=tag", (Predicate<Event>) e -> !e.synthetic(), (Function<Event, List<String>>)
                        Event::tags),
                Arguments.of("groupBy=" + enc("body:/status"), (Predicate<Event>) e -> !e.synthetic(), (Function<
                                Event, List<String>>)
                        e -> List.of(e.status())),
                Arguments.of("groupBy=producerApp&synthetic=true", (Predicate<Event>) Event::synthetic, (Function<
                                Event, List<String>>)
                        e -> List.of(e.producerApp())),
                Arguments.of(
                        "groupBy=synthetic&synthetic=any", (Predicate<Event>) e -> true, (Function<Event, List<String>>)
                                e -> List.of(String.valueOf(e.synthetic()))));
    }

    @ParameterizedTest
    @MethodSource("groupings")
    void shouldCountPerHourAndGroupWhenGroupedBy(
            String grouping, Predicate<Event> counted, Function<Event, List<String>> groups) {
        // given
        String query = "/v1/stats?interval=hour&from=" + start + "&to=" + end + "&" + grouping;

        // when
        JsonNode stats = okJson(query);

        // then
        List<Event> expected = corpus.events().stream()
                .filter(e -> counted.test(e) && inCorpusRange(e))
                .toList();
        assertThat(buckets(stats)).isEqualTo(expectedBuckets(expected, groups, ChronoUnit.HOURS));
    }

    static Stream<Arguments> hostile() {
        String tenThousandWords = String.join(" ", java.util.Collections.nCopies(10_000, "w"));
        String seventeenWords = String.join(
                " ", Stream.iterate(0, i -> i + 1).limit(17).map(i -> "w" + i).toList());
        String seventeenTags = String.join("&", java.util.Collections.nCopies(17, "tag=a"));
        return Stream.of(
                Arguments.of("/v1/events?cursor=" + enc("not a cursor!"), 400, "cursor"),
                Arguments.of("/v1/events?cursor=" + b64("v1:abc:ev-1"), 400, "cursor"),
                Arguments.of("/v1/events?cursor=" + b64("v2:1:ev-1"), 400, "cursor"),
                Arguments.of("/v1/events?cursor=" + b64("v1:99999999999999999:ev-1"), 400, "cursor"),
                Arguments.of("/v1/events?cursor=" + b64("v1:1:"), 400, "cursor"),
                Arguments.of("/v1/events?limit=100000", 422, "limit"),
                Arguments.of("/v1/events?limit=0", 422, "limit"),
                Arguments.of("/v1/events?limit=abc", 400, "limit"),
                Arguments.of("/v1/events?limit=99999999999999999999", 400, "limit"),
                Arguments.of("/v1/events?limit=5&limit=6", 400, "limit"),
                Arguments.of("/v1/events?where=" + enc("/status/$gt:A"), 422, "where"),
                Arguments.of("/v1/events?where=" + enc("/$where:1"), 422, "where"),
                Arguments.of("/v1/events?where=" + enc("/member.ssn:x"), 422, "where"),
                Arguments.of("/v1/events?where=" + enc("/status//x:1"), 422, "where"),
                Arguments.of("/v1/events?where=" + enc("status:DENIED"), 400, "where"),
                Arguments.of("/v1/events?where=" + enc("/status"), 400, "where"),
                Arguments.of("/v1/events?where=" + enc("/~2status:x"), 400, "where"),
                Arguments.of("/v1/events?where=" + enc("/status~:x"), 400, "where"),
                Arguments.of("/v1/events?where=" + enc("/$x~0:1"), 422, "where"),
                Arguments.of("/v1/events?where=" + enc("/a~1b/$ne:1"), 422, "where"),
                Arguments.of("/v1/events?q=" + enc(tenThousandWords.substring(0, 2000)), 422, "q"),
                Arguments.of("/v1/events?q=" + enc(seventeenWords), 422, "q"),
                Arguments.of("/v1/events?q=" + enc("!!! ???"), 422, "q"),
                Arguments.of("/v1/events?from=2026-13-01T00:00:00Z", 400, "from"),
                Arguments.of("/v1/events?from=yesterday", 400, "from"),
                Arguments.of("/v1/events?to=" + enc("2026-12-05T10:00:00"), 400, "to"),
                Arguments.of("/v1/events?from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z", 422, "from"),
                Arguments.of("/v1/events?from=2026-03-01T00:00:00Z&to=2026-01-01T00:00:00Z", 422, "from"),
                Arguments.of("/v1/events?from=" + enc("+20000-01-01T00:00:00Z"), 422, "from"),
                Arguments.of("/v1/events?type=claim", 422, "type"),
                Arguments.of("/v1/events?type=Claim.*", 422, "type"),
                Arguments.of("/v1/events?type=" + enc("Claim.$ne.*"), 422, "type"),
                Arguments.of("/v1/events?synthetic=maybe", 400, "synthetic"),
                Arguments.of("/v1/events?" + seventeenTags, 422, "tag"),
                Arguments.of("/v1/events?lmit=5", 400, "lmit"),
                Arguments.of("/v1/events?transactionId=" + enc("tx\u0000"), 400, "transactionId"),
                Arguments.of("/v1/events/ev-1?limit=5", 400, "limit"),
                Arguments.of("/v1/stats?interval=week", 400, "interval"),
                Arguments.of(
                        "/v1/stats?interval=minute&from=2026-01-01T00:00:00Z&to=2026-01-03T00:00:00Z", 422, "interval"),
                Arguments.of("/v1/stats?groupBy=" + enc("body:/$x"), 422, "groupBy"),
                Arguments.of("/v1/stats?groupBy=" + enc("body:/a.b"), 422, "groupBy"),
                Arguments.of("/v1/stats?groupBy=eventtype", 400, "groupBy"),
                Arguments.of(
                        "/v1/stats?interval=minute&from=" + start + "&to=" + end + "&groupBy=" + enc("body:/claimId"),
                        422,
                        "groupBy"));
    }

    @ParameterizedTest
    @MethodSource("hostile")
    void shouldRefuseNamingTheParameterWhenAParameterIsHostile(String path, int status, String parameter) {
        // given a hostile parameter

        // when
        AdminApiServer.Response r = admin.get(path);

        // then
        assertThat(r.status()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        JsonNode p = r.json();
        assertThat(p.path("type").asString())
                .isEqualTo(
                        status == 400 ? "urn:eventing:problem:malformed-request" : "urn:eventing:problem:validation");
        assertThat(p.path("parameter").asString()).isEqualTo(parameter);
        assertThat(p.path("detail").asString()).startsWith(parameter + ": ");
    }

    @Test
    void shouldRefuseWith400ProblemWhenQueryHasTenThousandWords() {
        // given a q of 10,000 words: longer than the HTTP listener takes a request line, so it refuses it first
        String q = String.join(" ", java.util.Collections.nCopies(10_000, "w"));

        // when
        AdminApiServer.Response r = admin.get("/v1/events?q=" + enc(q));

        // then
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().path("type").asString()).isEqualTo("urn:eventing:problem:malformed-request");
    }

    @Test
    void shouldFindTheFieldWhenWherePointerHasEscapes() {
        // given an event whose body has keys with / and ~ in them
        Event e = corpus.events().get(7);
        mongo.events()
                .updateOne(
                        com.mongodb.client.model.Filters.eq("_id", e.eventId()),
                        com.mongodb.client.model.Updates.set("body.a/b~c", "escaped-value"));

        // when
        JsonNode page = okJson("/v1/events?synthetic=any&where=" + enc("/a~1b~0c:escaped-value"));

        // then
        assertThat(page.path("events")).hasSize(1);
        assertThat(page.path("events").get(0).path("eventId").asString()).isEqualTo(e.eventId());
    }

    @Test
    void shouldMatchOnlyTheLiteralTextWhenWhereValueLooksLikeAnOperator() {
        // given a value MongoDB would read as an operator if it were parsed
        String query = "/v1/events?synthetic=any&where=" + enc("/status:{\"$ne\":null}");

        // when
        JsonNode page = okJson(query);

        // then
        assertThat(page.path("events")).isEmpty();
    }

    @Test
    void shouldRefuseWith400WhenEventIdPathIsEncoded() {
        // given a path segment that decodes to a slash

        // when
        AdminApiServer.Response r = admin.get("/v1/events/a%2Fb");

        // then
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("type").asString()).isEqualTo("urn:eventing:problem:malformed-request");
    }

    @Test
    void shouldAnswer401WhenStoreRoutesAreCalledWithoutAdminToken() {
        // given
        List<String> paths = List.of("/v1/events", "/v1/events/ev-1", "/v1/transactions/tx-1", "/v1/stats");

        // when
        List<Integer> statuses =
                paths.stream().map(p -> admin.getWithoutToken(p).status()).toList();

        // then
        assertThat(statuses).containsExactly(401, 401, 401, 401);
    }

    @Test
    void shouldMeasureTheSinksConsumerGroupLagAndTheStoreSizeWhenMetricsRefresh(KafkaBroker kafka) throws Exception {
        // given 10 records on eventing.store, of which the sink's group committed 2 of 5 on partition 0 and all of 1
        kafka.admin()
                .createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic("eventing.store", 2, (short) 1)))
                .all()
                .get();
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(
                kafka.clientConfig(Map.of()),
                new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.StringSerializer())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(
                                "eventing.store", i % 2, "k" + i, "{}"))
                        .get();
            }
        }
        kafka.admin()
                .alterConsumerGroupOffsets(
                        "connect-eventing-store-sink",
                        Map.of(
                                new org.apache.kafka.common.TopicPartition("eventing.store", 0),
                                new org.apache.kafka.clients.consumer.OffsetAndMetadata(2),
                                new org.apache.kafka.common.TopicPartition("eventing.store", 1),
                                new org.apache.kafka.clients.consumer.OffsetAndMetadata(5)))
                .all()
                .get();
        StoreMetrics metrics = admin.context().getBean(StoreMetrics.class);

        // when
        metrics.refresh();

        // then
        assertThat(metrics.lag()).isEqualTo(3.0);
        assertThat(metrics.documents()).isEqualTo((double) mongo.events().countDocuments());
        assertThat(admin.getWithoutToken("/actuator/prometheus").body())
                .contains("eventing_store_sink_lag_records 3.0");
    }

    private static boolean inCorpusRange(Event e) {
        return !e.receivedAt().isBefore(start) && e.receivedAt().isBefore(end);
    }

    private static Event event(String id, String type, Instant at, String transactionId) {
        return new Event(
                id,
                type,
                at,
                List.of(),
                false,
                "claims-intake",
                transactionId,
                "u-1",
                "PENDING",
                1,
                Set.of(),
                at.plus(Duration.ofDays(30)));
    }

    private static List<String> pageThrough(String query, int limit) {
        List<String> found = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = okJson("/v1/events?limit=" + limit + (query.isEmpty() ? "" : "&" + query)
                    + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.path("events").size()).isLessThanOrEqualTo(limit);
            page.path("events").forEach(e -> found.add(e.path("eventId").asString()));
            cursor = page.path("nextCursor").isNull()
                    ? null
                    : page.path("nextCursor").asString();
        } while (cursor != null);
        return found;
    }

    private static JsonNode okJson(String path) {
        AdminApiServer.Response r = admin.get(path);
        assertThat(r.status()).as(path + " -> " + r.body()).isEqualTo(200);
        return r.json();
    }

    private static List<String> ids(List<Event> events) {
        return events.stream().map(Event::eventId).toList();
    }

    private static long total(JsonNode stats) {
        long sum = 0;
        for (JsonNode b : stats.path("buckets")) {
            for (JsonNode n : b.path("counts")) {
                sum += n.asLong();
            }
        }
        return sum;
    }

    private static Map<String, Map<String, Long>> buckets(JsonNode stats) {
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        for (JsonNode b : stats.path("buckets")) {
            Map<String, Long> counts = new TreeMap<>();
            b.path("counts")
                    .properties()
                    .forEach(c -> counts.put(c.getKey(), c.getValue().asLong()));
            out.put(b.path("start").asString(), counts);
        }
        return out;
    }

    private static Map<String, Map<String, Long>> expectedBuckets(
            List<Event> events, Function<Event, List<String>> groups, ChronoUnit unit) {
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        for (Instant at = start.truncatedTo(unit); at.isBefore(end); at = at.plus(1, unit)) {
            out.put(at.toString(), new TreeMap<>());
        }
        for (Event e : events) {
            Map<String, Long> counts = out.get(e.receivedAt().truncatedTo(unit).toString());
            for (String g : groups.apply(e)) {
                counts.merge(g, 1L, Long::sum);
            }
        }
        return out;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String b64(String s) {
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
