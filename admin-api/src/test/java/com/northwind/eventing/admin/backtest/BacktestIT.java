package com.northwind.eventing.admin.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.northwind.eventing.admin.AdminApiServer;
import com.northwind.eventing.admin.Fixtures;
import com.northwind.eventing.common.testing.KafkaBroker;
import com.northwind.eventing.common.testing.KafkaClusterExtension;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * The backtest on admin-api: a hand-made corpus of stored events in a MongoDB wire-protocol server in memory (stored
 * under KEEP, so that the SSN is there to redact), event types and apps registered through the API on the test
 * broker. Every expected count is worked out by hand from the corpus below.
 */
@ExtendWith(KafkaClusterExtension.class)
class BacktestIT {
    private static final String SUBMITTED = "Claim.Submitted.Backtest";
    private static final String DENIED = "Claim.Denied.Backtest";
    private static final String ENROLLED = "Member.Enrolled.Backtest";

    private static MongoServer mongo;
    private static MongoClient client;
    private static AdminApiServer admin;
    private static Instant start;

    @BeforeAll
    static void start(KafkaBroker kafka) {
        mongo = new MongoServer(new MemoryBackend());
        mongo.bind("127.0.0.1", 0);
        String uri = "mongodb://127.0.0.1:" + mongo.getLocalAddress().getPort();
        client = MongoClients.create(uri);
        admin = new AdminApiServer(kafka, "--eventing.store.uri=" + uri, "--eventing.store.backtest.max-examined=10")
                .start();
        created(admin.post("/v1/event-types", Fixtures.claimEventType("Backtest")));
        created(admin.post(
                "/v1/event-types", Fixtures.claimEventType("Backtest").replace("\"Submitted\"", "\"Denied\"")));
        created(admin.post(
                "/v1/event-types",
                Fixtures.claimEventType("Backtest")
                        .replace("\"Claim\"", "\"Member\"")
                        .replace("\"Submitted\"", "\"Enrolled\"")));
        created(admin.post("/v1/apps", Fixtures.app("bt-plain", "", "")));
        created(admin.post("/v1/apps", Fixtures.app("bt-cleared", "", "\"PHI\"")));
        start = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(6));
        // The corpus: each row's fate for the draft below (Claim.*.*, real events only, tag state:TX, status DENIED).
        store(1, SUBMITTED, false, List.of("state:TX"), "DENIED"); // matched
        store(2, SUBMITTED, false, List.of("state:TX"), "APPROVED"); // content
        store(3, SUBMITTED, true, List.of("state:TX"), "DENIED"); // synthetic
        store(4, SUBMITTED, false, List.of("state:CA"), "DENIED"); // tags
        store(5, DENIED, false, List.of("state:TX"), "DENIED"); // matched
        store(6, DENIED, false, List.of("state:TX"), "DENIED"); // matched
        store(7, DENIED, false, List.of("state:CA"), "APPROVED"); // tags (before content)
        store(8, DENIED, true, List.of("state:CA"), "APPROVED"); // synthetic (before tags)
        store(9, ENROLLED, false, List.of("state:TX"), "DENIED"); // not examined: its type is not Claim.*.*
        store(10, DENIED, false, List.of("state:TX", "state:CA"), "DENIED"); // matched
        store(11, SUBMITTED, false, List.of("state:TX"), null); // content: no status
        // A later hour with 12 events the draft matches: more than max-examined (10).
        for (int i = 0; i < 12; i++) {
            store(100 + i, SUBMITTED, false, List.of("state:TX"), "DENIED");
        }
    }

    @AfterAll
    static void stop() {
        admin.close();
        client.close();
        mongo.shutdownNow();
    }

    @Test
    void shouldCountByTypeAndReasonWhenTheDraftFiltersTheRange() {
        // given the corpus

        // when
        AdminApiServer.Response r = admin.post("/v1/subscriptions/backtest", backtest(draft("bt-plain", ""), 0));

        // then
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode body = r.json();
        assertThat(body.get("examined").asLong()).isEqualTo(10);
        assertThat(body.get("matched").asLong()).isEqualTo(4);
        assertThat(body.get("byType").toString()).isEqualTo("{\"" + DENIED + "\":3,\"" + SUBMITTED + "\":1}");
        assertThat(body.get("byReason").toString()).isEqualTo("{\"synthetic\":2,\"tags\":2,\"content\":2}");
        assertThat(body.get("samples")).isEmpty();
        assertThat(body.get("truncated").asBoolean()).isFalse();
    }

    @Test
    void shouldRedactAndProjectTheSamplesWhenTheAppIsNotCleared() {
        // given the corpus and a draft of an app cleared for nothing, keeping claimId and member

        // when
        AdminApiServer.Response r = admin.post("/v1/subscriptions/backtest", backtest(draft("bt-plain", ""), 10));

        // then
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode samples = r.json().get("samples");
        assertThat(ids(samples)).containsExactly("bt-010", "bt-006", "bt-005", "bt-001");
        assertThat(samples.get(0).get("body").toString())
                .isEqualTo("{\"claimId\":\"C-10\",\"member\":{\"id\":\"M-10\",\"ssn\":\"***REDACTED***\"}}");
        assertThat(samples.get(0).get("redactedPaths").toString()).isEqualTo("[\"/member/ssn\"]");
        assertThat(samples.get(0).get("eventType").asString()).isEqualTo(DENIED);
        assertThat(samples.get(0).get("metadata").get("receivedAt").asString())
                .isEqualTo(start.plus(Duration.ofMinutes(10)).toString());
        assertThat(samples.get(0).has("searchTerms")).isFalse();
        assertThat(samples.get(0).has("storePolicy")).isFalse();
        assertThat(r.body()).doesNotContain("123-45-6789");
    }

    @Test
    void shouldKeepTheSsnInTheSamplesWhenTheAppIsCleared() {
        // given the corpus and the same draft for an app cleared for PHI

        // when
        AdminApiServer.Response r = admin.post("/v1/subscriptions/backtest", backtest(draft("bt-cleared", ""), 1));

        // then
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode samples = r.json().get("samples");
        assertThat(ids(samples)).containsExactly("bt-010");
        assertThat(samples.get(0).get("body").toString())
                .isEqualTo("{\"claimId\":\"C-10\",\"member\":{\"id\":\"M-10\",\"ssn\":\"123-45-6789\"}}");
        assertThat(samples.get(0).get("redactedPaths").toString()).isEqualTo("[]");
        assertThat(r.json().get("matched").asLong()).isEqualTo(4);
    }

    @Test
    void shouldFilterOnTheSsnAsTheClearedAppSeesItWhenItsFilterReadsIt() {
        // given a draft of the cleared app filtering on the SSN, which only bt-010 and bt-005 have as 123-45-6789
        String draft = draft("bt-cleared", ", \"filter\": {\"/member/ssn\": [\"123-45-6789\"]}")
                .replace(", \"filter\": {\"/status\": [\"DENIED\"]}", "");

        // when
        AdminApiServer.Response r = admin.post("/v1/subscriptions/backtest", backtest(draft, 10));

        // then
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(ids(r.json().get("samples"))).containsExactly("bt-010", "bt-005");
        assertThat(r.json().get("byReason").toString()).isEqualTo("{\"synthetic\":2,\"tags\":2,\"content\":4}");
    }

    @Test
    void shouldAnswerWhatItCountedAndSayTruncatedWhenTheRangeHoldsMoreThanMaxExamined() {
        // given 12 matching events in the later hour, and max-examined 10
        String body =
                """
                {"subscription": %s, "from": "%s", "to": "%s", "samples": 2}
                """.formatted(draft("bt-plain", ""), start.plus(Duration.ofHours(1)), start.plus(Duration.ofHours(2)));

        // when
        AdminApiServer.Response r = admin.post("/v1/subscriptions/backtest", body);

        // then
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("examined").asLong()).isEqualTo(10);
        assertThat(r.json().get("matched").asLong()).isEqualTo(10);
        assertThat(r.json().get("truncated").asBoolean()).isTrue();
        assertThat(ids(r.json().get("samples"))).containsExactly("bt-111", "bt-110");
    }

    @Test
    void shouldCreateNothingWhenADraftIsBacktested(KafkaBroker kafka) throws Exception {
        // given a draft with an id and topic of its own

        // when
        AdminApiServer.Response r = admin.post(
                "/v1/subscriptions/backtest",
                backtest(draft("bt-plain", ", \"id\": \"bt-draft\", \"topic\": \"eventing.sub.bt-draft-topic\""), 1));

        // then
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(admin.get("/v1/subscriptions/bt-draft").status()).isEqualTo(404);
        assertThat(kafka.admin().listTopics().names().get(30, TimeUnit.SECONDS))
                .doesNotContain("eventing.sub.bt-draft-topic", "eventing.sub.bt-draft");
    }

    @Test
    void shouldTakeTheIdOfAnExistingSubscriptionWhenItIsADraft() {
        // given a subscription that exists
        created(admin.post(
                "/v1/subscriptions",
                "{\"id\": \"bt-existing\", \"app\": \"bt-plain\", \"eventTypes\": [\"Member.*.*\"]}"));

        // when
        AdminApiServer.Response r =
                admin.post("/v1/subscriptions/backtest", backtest(draft("bt-plain", ", \"id\": \"bt-existing\""), 0));

        // then
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("matched").asLong()).isEqualTo(4);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"id\": \"bt-bad-1\", \"app\": \"bt-nobody\", \"eventTypes\": [\"Claim.*.*\"]}",
                "{\"id\": \"bt-bad-2\", \"app\": \"bt-plain\", \"eventTypes\": [\"claim.submitted\"]}",
                "{\"id\": \"bt-bad-3\", \"app\": \"bt-plain\", \"eventTypes\": []}",
                "{\"id\": \"bt-bad-4\", \"app\": \"bt-plain\", \"eventTypes\": [\"Claim.*.*\"],"
                        + " \"filter\": {\"/member/ssn\": [\"123-45-6789\"]}}",
                "{\"id\": \"bt-bad-5\", \"app\": \"bt-plain\", \"eventTypes\": [\"Claim.*.*\"],"
                        + " \"filter\": {\"/status\": [{\"numeric\": [\"~\", 1]}]}}",
                "{\"id\": \"bt-bad-6\", \"app\": \"bt-plain\", \"eventTypes\": [\"Claim.*.*\"],"
                        + " \"include\": [\"claimId\", \"claimId\"]}",
                "{\"id\": \"bt-bad-7\", \"app\": \"bt-plain\", \"eventTypes\": [\"Claim.*.*\"],"
                        + " \"tags\": {\"anyOf\": [\"\"]}}",
                "{\"id\": \"Bad Id\", \"app\": \"bt-plain\", \"eventTypes\": [\"Claim.*.*\"]}",
            })
    void shouldRefuseADraftWithTheSame422sAsCreatingItWhenItBreaksARule(String subscription) {
        // given the same body as a subscription and as a draft

        // when
        AdminApiServer.Response created = admin.post("/v1/subscriptions", subscription);
        AdminApiServer.Response drafted = admin.post("/v1/subscriptions/backtest", backtest(subscription, 1));

        // then
        assertThat(created.status()).as(created.body()).isEqualTo(422);
        assertThat(drafted.status()).as(drafted.body()).isEqualTo(422);
        assertThat(drafted.json().get("type").asString()).isEqualTo("urn:eventing:problem:validation");
        List<String> expected =
                created.errors().stream().map(e -> "/subscription" + e).toList();
        assertThat(drafted.errors()).isNotEmpty().containsExactlyElementsOf(expected);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"subscription\": %s, \"samples\": 2}|/from",
                "{\"subscription\": %s, \"from\": \"2020-01-01T00:00:00Z\", \"to\": \"2021-01-01T00:00:00Z\"}|/from",
                "{\"subscription\": %s, \"from\": \"2026-01-02T00:00:00Z\", \"to\": \"2026-01-01T00:00:00Z\"}|/from",
                "{\"subscription\": %s, \"from\": \"2026-01-01T00:00:00Z\", \"samples\": 51}|/samples",
                "{\"subscription\": %s, \"from\": \"2026-01-01T00:00:00Z\", \"samples\": -1}|/samples",
                "{\"from\": \"2026-01-01T00:00:00Z\"}|/subscription",
            })
    void shouldRefuseNamingTheMemberWhenTheRangeOrSamplesAreWrong(String caseText) {
        // given
        String[] parts = caseText.split("\\|");
        String body = parts[0].contains("%s") ? parts[0].formatted(draft("bt-plain", "")) : parts[0];

        // when
        AdminApiServer.Response r = admin.post("/v1/subscriptions/backtest", body);

        // then
        assertThat(r.status()).as(r.body()).isEqualTo(422);
        assertThat(r.errors()).singleElement().asString().startsWith(parts[1] + ": ");
    }

    private static String draft(String app, String more) {
        return "{\"app\": \"" + app + "\", \"eventTypes\": [\"Claim.*.*\"], \"tags\": {\"anyOf\": [\"state:TX\"]},"
                + " \"synthetic\": \"EXCLUDE\", \"filter\": {\"/status\": [\"DENIED\"]},"
                + " \"include\": [\"claimId\", \"member\"]" + more + "}";
    }

    /** The first hour of the corpus. */
    private static String backtest(String draft, int samples) {
        return """
                {"subscription": %s, "from": "%s", "to": "%s", "samples": %d}
                """.formatted(draft, start, start.plus(Duration.ofHours(1)), samples);
    }

    private static List<String> ids(JsonNode samples) {
        List<String> ids = new ArrayList<>();
        samples.forEach(s -> ids.add(s.get("eventId").asString()));
        return ids;
    }

    private static void created(AdminApiServer.Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }

    /**
     * One stored event as the sink writes it, under KEEP (the SSN as sent): row n is received n minutes into the
     * corpus's first hour (n from 100: into the second); rows whose n is a multiple of 5 have SSN 123-45-6789, the
     * others 987-65-4321.
     */
    private static void store(int n, String type, boolean synthetic, List<String> tags, String status) {
        String id = "bt-%03d".formatted(n);
        Instant at = n >= 100
                ? start.plus(Duration.ofHours(1)).plus(Duration.ofMinutes(n - 100))
                : start.plus(Duration.ofMinutes(n));
        String[] nvo = type.split("\\.");
        Document body = new Document("claimId", "C-" + n)
                .append(
                        "member",
                        new Document("id", "M-" + n).append("ssn", n % 5 == 0 ? "123-45-6789" : "987-65-4321"));
        if (status != null) {
            body.append("status", status);
        }
        events().insertOne(new Document("_id", id)
                .append("eventId", id)
                .append("eventType", type)
                .append("noun", nvo[0])
                .append("verb", nvo[1])
                .append("object", nvo[2])
                .append("subObject", null)
                .append(
                        "metadata",
                        new Document("transactionId", "tx-" + n)
                                .append("receivedAt", Date.from(at))
                                .append("producerApp", "claims-intake"))
                .append("tags", tags)
                .append("synthetic", synthetic)
                .append("body", body)
                .append("bodySchemaVersion", 1)
                .append("storePolicy", "KEEP")
                .append("redactedPaths", List.of())
                .append("searchTerms", List.of("claim"))
                .append("expiresAt", Date.from(at.plus(Duration.ofDays(30)))));
    }

    private static MongoCollection<Document> events() {
        return client.getDatabase("eventing").getCollection("events");
    }
}
