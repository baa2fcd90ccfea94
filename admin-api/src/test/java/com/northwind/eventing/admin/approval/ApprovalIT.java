package com.northwind.eventing.admin.approval;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.admin.AdminApiServer;
import com.northwind.eventing.admin.AdminApiServer.Response;
import com.northwind.eventing.admin.Fixtures;
import com.northwind.eventing.admin.audit.AuditTopic;
import com.northwind.eventing.common.testing.KafkaBroker;
import com.northwind.eventing.common.testing.KafkaClusterExtension;
import com.northwind.eventing.web.testing.HostileSpellings;
import com.northwind.eventing.web.testing.RawHttp;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Changes that wait for an admin, on the real server with {@code eventing.approvals.subscriptions=true}: an app's
 * subscription create becomes a request, an admin approves, rejects, or the app withdraws; grant requests; who may see
 * and decide what; hostile input.
 */
@ExtendWith(KafkaClusterExtension.class)
class ApprovalIT {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final String TYPE = "Claim.Submitted.Approval";

    private static KafkaBroker broker;
    private static AdminApiServer api;
    private static RawHttp http;

    @BeforeAll
    static void start(KafkaBroker kafka) {
        broker = kafka;
        api = new AdminApiServer(
                        kafka, "--eventing.approvals.subscriptions=true", "--eventing.approvals.max-pending-per-app=3")
                .start();
        http = new RawHttp("127.0.0.1", URI.create(api.baseUrl()).getPort());
        assertThat(api.post("/v1/event-types", Fixtures.claimEventType("Approval"))
                        .status())
                .isIn(201, 409);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void shouldFileARequestAndCreateNothingWhenAnAppCreatesASubscription() {
        // given
        String token = app("apr-files", "\"PHI\"");

        // when
        Response r = as(token, "POST", "/v1/subscriptions", subscription("apr-files-sub", "apr-files"));

        // then
        assertThat(r.status()).isEqualTo(202);
        JsonNode body = r.json();
        assertThat(r.header("Location"))
                .isEqualTo("/v1/requests/" + body.path("id").asString());
        assertThat(body.path("id").asString()).matches("req_[0-9a-f-]{36}");
        assertThat(body.path("kind").asString()).isEqualTo("subscription");
        assertThat(body.path("app").asString()).isEqualTo("apr-files");
        assertThat(body.path("state").asString()).isEqualTo("PENDING");
        assertThat(body.path("requestedBy").asString()).isEqualTo("app:apr-files");
        assertThat(body.path("subscription").path("id").asString()).isEqualTo("apr-files-sub");
        assertThat(body.has("decidedAt")).isFalse();
        assertThat(api.get("/v1/subscriptions/apr-files-sub").status()).isEqualTo(404);
        assertThat(as(token, "GET", r.header("Location"), null)
                        .json()
                        .path("state")
                        .asString())
                .isEqualTo("PENDING");
    }

    @Test
    void shouldFileARequestWhenAnAppCreatesASubscriptionFromItsConsoleSession() {
        // given
        String token = app("apr-console", "");
        Response signIn = api.send(api.request("/v1/session", false)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"token\": \"" + token + "\"}")));
        String cookie = signIn.header("Set-Cookie");
        cookie = cookie.substring(0, cookie.indexOf(';'));

        // when
        Response r = api.send(api.request("/v1/subscriptions", false)
                .header("Cookie", cookie)
                .header("X-CSRF-Token", signIn.json().path("csrfToken").asString())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(subscription("apr-console-sub", "apr-console"))));

        // then
        assertThat(signIn.status()).isEqualTo(201);
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        assertThat(r.json().path("requestedBy").asString()).isEqualTo("app:apr-console");
        assertThat(api.get("/v1/subscriptions/apr-console-sub").status()).isEqualTo(404);
    }

    @Test
    void shouldCreateDirectlyWhenTheAdminCreatesASubscription() {
        // given
        app("apr-admin", "");

        // when
        Response r = api.post("/v1/subscriptions", subscription("apr-admin-sub", "apr-admin"));

        // then
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.header("Location")).isEqualTo("/v1/subscriptions/apr-admin-sub");
        assertThat(api.get("/v1/requests?app=apr-admin").json().path("items").size())
                .isZero();
    }

    @Test
    void shouldCreateDirectlyWhenAnAppCreatesASubscriptionWithApprovalsOff() {
        // given
        String token = app("apr-off", "");

        // when
        Response r;
        try (AdminApiServer off = new AdminApiServer(broker).start()) {
            r = off.send(off.request("/v1/subscriptions", false)
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(subscription("apr-off-sub", "apr-off"))));
        }

        // then
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.json().path("id").asString()).isEqualTo("apr-off-sub");
        assertThat(api.get("/v1/subscriptions/apr-off-sub").status()).isEqualTo(200);
    }

    @Test
    void shouldCreateTheRequestedSubscriptionWhenTheAdminApproves() {
        // given
        String token = app("apr-yes", "\"PHI\"");
        String body = """
                {"id": "apr-yes-sub", "app": "apr-yes", "eventTypes": ["Claim.*.Approval"],
                 "filter": {"/member/ssn": [{"prefix": "1"}]}, "retentionMs": 3600000, "partitions": 1}
                """;
        String location = as(token, "POST", "/v1/subscriptions", body).header("Location");

        // when
        Response approved = api.post(location + "/approve", "{\"note\": \"change 4711\"}");

        // then
        assertThat(approved.status()).as(approved.body()).isEqualTo(200);
        assertThat(approved.json().path("state").asString()).isEqualTo("APPROVED");
        assertThat(approved.json().path("decidedBy").asString()).isEqualTo("admin");
        assertThat(approved.json().path("decisionNote").asString()).isEqualTo("change 4711");
        assertThat(approved.json().path("result").path("subscription").asString())
                .isEqualTo("apr-yes-sub");
        assertThat(approved.json().path("result").path("topic").asString()).isEqualTo("eventing.sub.apr-yes-sub");
        Response own = as(token, "GET", "/v1/subscriptions/apr-yes-sub", null);
        assertThat(own.status()).isEqualTo(200);
        assertThat(own.json().path("app").asString()).isEqualTo("apr-yes");
        assertThat(own.json().path("eventTypes").toString()).isEqualTo("[\"Claim.*.Approval\"]");
        assertThat(own.json().path("filter").toString()).isEqualTo("{\"/member/ssn\":[{\"prefix\":\"1\"}]}");
        assertThat(own.json().path("retentionMs").asLong()).isEqualTo(3_600_000L);
        assertThat(own.json().path("partitions").asInt()).isEqualTo(1);
        assertThat(as(token, "GET", location, null).json().path("state").asString())
                .isEqualTo("APPROVED");
    }

    @Test
    void shouldCreateNothingWhenTheAdminRejects() {
        // given
        String token = app("apr-no", "");
        String location = as(token, "POST", "/v1/subscriptions", subscription("apr-no-sub", "apr-no"))
                .header("Location");

        // when
        Response rejected = api.post(location + "/reject", "{\"note\": \"use the shared topic\"}");

        // then
        assertThat(rejected.status()).isEqualTo(200);
        assertThat(rejected.json().path("state").asString()).isEqualTo("REJECTED");
        assertThat(rejected.json().path("decisionNote").asString()).isEqualTo("use the shared topic");
        assertThat(rejected.json().has("result")).isFalse();
        assertThat(api.get("/v1/subscriptions/apr-no-sub").status()).isEqualTo(404);
    }

    @Test
    void shouldRefuseARejectionWithoutANote() {
        // given
        String token = app("apr-note", "");
        String location = as(token, "POST", "/v1/subscriptions", subscription("apr-note-sub", "apr-note"))
                .header("Location");

        // when
        Response rejected = api.post(location + "/reject", "{}");

        // then
        assertThat(rejected.status()).isEqualTo(422);
        assertThat(rejected.errors()).containsExactly("/note: note is required: say why the request is rejected");
        assertThat(api.get(location).json().path("state").asString()).isEqualTo("PENDING");
    }

    @Test
    void shouldWithdrawAndRefuseEveryLaterDecisionWhenTheAppWithdraws() {
        // given
        String token = app("apr-back", "");
        String location = as(token, "POST", "/v1/subscriptions", subscription("apr-back-sub", "apr-back"))
                .header("Location");

        // when
        Response withdrawn = as(token, "DELETE", location, null);
        Response again = as(token, "DELETE", location, null);
        Response approve = api.post(location + "/approve", "{}");
        Response reject = api.post(location + "/reject", "{\"note\": \"late\"}");

        // then
        assertThat(withdrawn.status()).isEqualTo(200);
        assertThat(withdrawn.json().path("state").asString()).isEqualTo("WITHDRAWN");
        assertThat(withdrawn.json().path("decidedBy").asString()).isEqualTo("app:apr-back");
        assertThat(List.of(again.status(), approve.status(), reject.status())).containsExactly(409, 409, 409);
        assertThat(approve.json().path("type").asString()).isEqualTo("urn:eventing:problem:conflict");
        assertThat(approve.json().path("detail").asString())
                .endsWith(" is WITHDRAWN already; only a PENDING request can be approved");
        assertThat(api.get("/v1/subscriptions/apr-back-sub").status()).isEqualTo(404);
    }

    @Test
    void shouldAnswer409WhenAnApprovedRequestIsApprovedAgain() {
        // given
        String token = app("apr-twice", "");
        String location = as(token, "POST", "/v1/subscriptions", subscription("apr-twice-sub", "apr-twice"))
                .header("Location");
        assertThat(api.post(location + "/approve", "").status()).isEqualTo(200);

        // when
        Response again = api.post(location + "/approve", "");
        Response withdraw = as(token, "DELETE", location, null);

        // then
        assertThat(again.status()).isEqualTo(409);
        assertThat(withdraw.status()).isEqualTo(409);
        assertThat(api.get(location).json().path("state").asString()).isEqualTo("APPROVED");
    }

    @Test
    void shouldApplyOnceWhenApprovalsOfASubscriptionRequestRace() throws Exception {
        // given
        String token = app("apr-race", "");
        String location = as(token, "POST", "/v1/subscriptions", subscription("apr-race-sub", "apr-race"))
                .header("Location");

        // when
        List<Integer> statuses = racing(location + "/approve", 4);

        // then
        assertThat(statuses).containsExactlyInAnyOrder(200, 409, 409, 409);
        assertThat(api.get("/v1/subscriptions/apr-race-sub").status()).isEqualTo(200);
    }

    @Test
    void shouldApplyOnceWhenApprovalsOfAGrantRequestRace() throws Exception {
        // given
        String token = app("apr-race-grant", "");
        String location = as(token, "POST", "/v1/requests", "{\"kind\": \"grant\", \"read\": [\"PHI\"]}")
                .header("Location");

        // when
        List<Integer> statuses = racing(location + "/approve", 8);

        // then
        assertThat(statuses).containsExactlyInAnyOrder(200, 409, 409, 409, 409, 409, 409, 409);
        assertThat(api.get(location).json().path("state").asString()).isEqualTo("APPROVED");
    }

    /** The statuses of {@code n} admin POSTs to the path, sent at once. */
    private static List<Integer> racing(String path, int n) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> posts = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                posts.add(threads.submit(() -> {
                    go.await();
                    return api.post(path, "{}").status();
                }));
            }
            go.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> p : posts) {
                statuses.add(p.get());
            }
            return statuses;
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void shouldRefuseAtRequestTimeWithTheCreatesOwn422AndFileNothing() {
        // given
        String token = app("apr-bad", "");
        String body =
                "{\"id\": \"apr-bad-sub\", \"app\": \"apr-bad\", \"filter\": {\"/member/ssn\": [{\"prefix\": \"1\"}]},"
                        + " \"eventTypes\": [\"Claim.*.Approval\"]}";
        Response direct = api.post("/v1/subscriptions", body);

        // when
        Response requested = as(token, "POST", "/v1/subscriptions", body);

        // then
        assertThat(direct.status()).isEqualTo(422);
        assertThat(requested.status()).isEqualTo(422);
        assertThat(requested.errors()).isEqualTo(direct.errors());
        assertThat(requested.errors())
                .containsExactly(
                        "/filter/~1member~1ssn: filter field /member/ssn reads /member/ssn, a PHI field of event"
                                + " type Claim.Submitted.Approval that app apr-bad is not cleared for; a filter may only read"
                                + " what its app may see");
        assertThat(as(token, "GET", "/v1/requests", null).json().path("items").size())
                .isZero();
    }

    @Test
    void shouldAnswer422NamingTheMemberAndStayPendingWhenTheRequestNoLongerHoldsAtApproval() {
        // given
        String token = app("apr-late", "\"PHI\"");
        String location = as(
                        token,
                        "POST",
                        "/v1/subscriptions",
                        "{\"id\": \"apr-late-sub\", \"app\": \"apr-late\", \"eventTypes\": [\"Claim.*.Approval\"],"
                                + " \"filter\": {\"/member/ssn\": [{\"prefix\": \"1\"}]}}")
                .header("Location");
        assertThat(api.put("/v1/apps/apr-late", Fixtures.app("apr-late", "", ""))
                        .status())
                .isEqualTo(200);

        // when
        Response approve = api.post(location + "/approve", "{}");

        // then
        assertThat(approve.status()).isEqualTo(422);
        assertThat(approve.errors())
                .containsExactly("/subscription/filter/~1member~1ssn: filter field /member/ssn reads /member/ssn, a PHI"
                        + " field of event type Claim.Submitted.Approval that app apr-late is not cleared for; a"
                        + " filter may only read what its app may see");
        assertThat(api.get(location).json().path("state").asString()).isEqualTo("PENDING");
        assertThat(api.get("/v1/subscriptions/apr-late-sub").status()).isEqualTo(404);
    }

    @Test
    void shouldRefuseAnAppThatApprovesOrRejectsWith403() {
        // given
        String token = app("apr-self", "");
        String location = as(token, "POST", "/v1/subscriptions", subscription("apr-self-sub", "apr-self"))
                .header("Location");

        // when
        Response approve = as(token, "POST", location + "/approve", "{}");
        Response reject = as(token, "POST", location + "/reject", "{\"note\": \"x\"}");

        // then
        assertThat(approve.status()).isEqualTo(403);
        assertThat(approve.json().path("type").asString()).isEqualTo("urn:eventing:problem:forbidden");
        assertThat(reject.status()).isEqualTo(403);
        assertThat(api.get(location).json().path("state").asString()).isEqualTo("PENDING");
        assertThat(api.get("/v1/subscriptions/apr-self-sub").status()).isEqualTo(404);
    }

    @Test
    void shouldAnswerAnotherAppsRequestAsAbsent() {
        // given
        String owner = app("apr-mine", "");
        String other = app("apr-theirs", "");
        String location = as(owner, "POST", "/v1/subscriptions", subscription("apr-mine-sub", "apr-mine"))
                .header("Location");
        String id = location.substring("/v1/requests/".length());
        String absentId = "req_00000000-0000-0000-0000-000000000000";
        String absent = as(other, "GET", "/v1/requests/" + absentId, null)
                .json()
                .path("detail")
                .asString()
                .replace(absentId, id);

        // when
        Response get = as(other, "GET", location, null);
        Response withdraw = as(other, "DELETE", location, null);
        Response list = as(other, "GET", "/v1/requests?app=apr-mine", null);

        // then
        assertThat(get.status()).isEqualTo(404);
        assertThat(get.json().path("detail").asString()).isEqualTo(absent);
        assertThat(withdraw.status()).isEqualTo(404);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().path("items").size()).isZero();
        assertThat(as(owner, "GET", location, null).json().path("state").asString())
                .isEqualTo("PENDING");
    }

    @Test
    void shouldGiveTheAppTheNewClearanceWhenAGrantRequestIsApproved() {
        // given
        String token = app("apr-grant", "");
        Response requested = as(
                token,
                "POST",
                "/v1/requests",
                "{\"kind\": \"grant\", \"read\": [\"PHI\"], \"publish\": [\"Claim.*.*\"], \"reason\": \"audits\"}");
        assertThat(requested.status()).as(requested.body()).isEqualTo(201);
        assertThat(api.get("/v1/apps/apr-grant").json().path("read").size()).isZero();

        // when
        Response approved = api.post(requested.header("Location") + "/approve", "{}");

        // then
        assertThat(approved.status()).isEqualTo(200);
        assertThat(approved.json().path("result").path("read").toString()).isEqualTo("[\"PHI\"]");
        JsonNode app = as(token, "GET", "/v1/apps/apr-grant", null).json();
        assertThat(app.path("read").toString()).isEqualTo("[\"PHI\"]");
        assertThat(app.path("publish").toString()).isEqualTo("[\"Claim.*.*\"]");
        assertThat(requested.json().path("reason").asString()).isEqualTo("audits");
        assertThat(requested.json().path("requestedBy").asString()).isEqualTo("app:apr-grant");
    }

    @Test
    void shouldAuditTheRequestItsApprovalAndTheGrantsItAppliedWhenAGrantRequestIsApproved() {
        // given
        String token = app("apr-audited", "");
        String id = as(token, "POST", "/v1/requests", "{\"kind\": \"grant\", \"read\": [\"PHI\"]}")
                .json()
                .path("id")
                .asString();

        // when
        Response approved = api.post("/v1/requests/" + id + "/approve", "{\"note\": \"ok\"}");

        // then the request by the app, then the change and the approval by the admin
        assertThat(approved.status()).isEqualTo(200);
        List<String> entries = AuditTopic.read(broker.clientConfig(Map.of()), "eventing.audit").stream()
                .map(v -> JSON.readTree(v))
                .filter(e -> e.path("resourceId").asString().equals(id)
                        || e.path("resourceId").asString().equals("apr-audited"))
                .map(e -> e.path("action").asString() + " "
                        + e.path("resourceType").asString() + " "
                        + e.path("actor").asString() + " " + e.path("after").path("read"))
                .toList();
        assertThat(entries)
                .containsSubsequence(
                        "create request app:apr-audited [\"PHI\"]",
                        "update app admin [\"PHI\"]",
                        "approve request admin [\"PHI\"]");
    }

    @Test
    void shouldLeaveTheAppAsItWasWhenAGrantRequestIsRejected() {
        // given
        String token = app("apr-nogrant", "");
        String location = as(token, "POST", "/v1/requests", "{\"kind\": \"grant\", \"read\": [\"PHI\"]}")
                .header("Location");

        // when
        Response rejected = api.post(location + "/reject", "{\"note\": \"not needed\"}");

        // then
        assertThat(rejected.status()).isEqualTo(200);
        assertThat(as(token, "GET", "/v1/apps/apr-nogrant", null)
                        .json()
                        .path("read")
                        .size())
                .isZero();
    }

    @Test
    void shouldRefuseEmptyNoOpAndMalformedGrantRequests() {
        // given
        String token = app("apr-noop", "\"PHI\"");

        // when
        Response empty = as(token, "POST", "/v1/requests", "{\"kind\": \"grant\"}");
        Response noop = as(token, "POST", "/v1/requests", "{\"kind\": \"grant\", \"read\": [\"PHI\"]}");
        Response badPattern = as(token, "POST", "/v1/requests", "{\"kind\": \"grant\", \"publish\": [\"Claim\"]}");
        Response noKind = as(token, "POST", "/v1/requests", "{\"read\": [\"/member/id\"]}");
        Response forOther = as(
                token,
                "POST",
                "/v1/requests",
                "{\"kind\": \"grant\", \"app\": \"apr-grant\"," + " \"read\": [\"PHI\"]}");

        // then
        assertThat(empty.status()).isEqualTo(422);
        assertThat(empty.json().path("detail").asString())
                .isEqualTo("a grant request asks for at least one publish pattern or read clearance");
        assertThat(noop.status()).isEqualTo(422);
        assertThat(noop.json().path("detail").asString())
                .isEqualTo("app apr-noop has every grant this request asks for already");
        assertThat(badPattern.status()).isEqualTo(422);
        assertThat(badPattern.errors()).singleElement().asString().startsWith("/publish/0: ");
        assertThat(noKind.errors())
                .containsExactly("/kind: kind is required: grant (a subscription is asked for with POST"
                        + " /v1/subscriptions)");
        assertThat(forOther.status()).isEqualTo(403);
        assertThat(as(token, "GET", "/v1/requests", null).json().path("items").size())
                .isZero();
    }

    @Test
    void shouldRefuseHostileBodiesWithoutFilingAnything() {
        // given
        String token = app("apr-hostile", "");
        String many = "\"PHI\",".repeat(10_000) + "\"PHI\"";
        String longReason = "x".repeat(1_000_000);

        // when
        Response huge = as(token, "POST", "/v1/requests", "{\"kind\": \"grant\", \"read\": [" + many + "]}");
        Response reason = as(
                token,
                "POST",
                "/v1/requests",
                "{\"kind\": \"grant\", \"read\": [\"PHI\"], \"reason\": \"" + longReason + "\"}");
        Response wrongType = as(token, "POST", "/v1/requests", "{\"kind\": \"grant\", \"read\": \"PHI\"}");
        Response kindNumber = as(token, "POST", "/v1/requests", "{\"kind\": 5, \"read\": [\"PHI\"]}");
        Response unknown = as(token, "POST", "/v1/requests", "{\"kind\": \"grant\", \"read\": [\"PHI\"], \"x\": 1}");
        Response notJson = as(token, "POST", "/v1/requests", "{\"kind\": ");

        // then
        assertThat(huge.errors()).containsExactly("/read: at most 100 entries, not 10001");
        assertThat(reason.errors()).containsExactly("/reason: reason must be at most 2000 characters");
        assertThat(reason.body()).doesNotContain("xxxx");
        assertThat(List.of(wrongType.status(), unknown.status(), notJson.status()))
                .containsExactly(400, 400, 400);
        assertThat(kindNumber.status()).isIn(400, 422);
        assertThat(as(token, "GET", "/v1/requests", null).json().path("items").size())
                .isZero();
    }

    @Test
    void shouldNeverServeARequestAtOddIdsOrPathSpellings() {
        // given
        String token = app("apr-odd", "");
        String location = as(token, "POST", "/v1/subscriptions", subscription("apr-odd-sub", "apr-odd"))
                .header("Location");
        List<String> wrong = new ArrayList<>();

        // when
        for (String odd : List.of(
                "req_..",
                "REQ_" + location.substring("/v1/requests/req_".length()),
                "x".repeat(5000),
                "%00",
                "req_%2e%2e%2fapr",
                location.substring("/v1/requests/".length()) + "%20")) {
            Response r = as(token, "GET", "/v1/requests/" + odd, null);
            if (r.status() != 404 && r.status() != 400) {
                wrong.add(odd + " -> " + r.status());
            }
        }
        for (Map.Entry<String, String> spelling :
                HostileSpellings.of(location + "/approve").entrySet()) {
            RawHttp.Answer a = http.send(
                    "POST",
                    spelling.getValue(),
                    "{}",
                    "Authorization: Bearer " + token,
                    "Content-Type: application/json");
            if (a.status() < 400 || a.status() >= 500) {
                wrong.add("approve " + spelling.getKey() + " -> " + a.status());
            }
        }

        // then
        assertThat(wrong).isEmpty();
        assertThat(api.get(location).json().path("state").asString()).isEqualTo("PENDING");
    }

    @Test
    void shouldRefuseBadListParameters() {
        // given
        String path = "/v1/requests";

        // when
        Response limitWord = api.get(path + "?limit=ten");
        Response limitZero = api.get(path + "?limit=0");
        Response badState = api.get(path + "?state=pending");
        Response badCursor = api.get(path + "?cursor=not-a-cursor");
        Response unknown = api.get(path + "?sort=asc");
        Response twice = api.get(path + "?state=PENDING&state=APPROVED");

        // then
        assertThat(List.of(
                        limitWord.status(),
                        limitZero.status(),
                        badState.status(),
                        badCursor.status(),
                        unknown.status(),
                        twice.status()))
                .containsExactly(400, 422, 422, 400, 400, 400);
        assertThat(badState.json().path("detail").asString())
                .isEqualTo("state: must be one of PENDING, APPROVED, REJECTED, WITHDRAWN");
        assertThat(badState.contentType()).startsWith("application/problem+json");
    }

    @Test
    void shouldPageNewestFirstWhenListingWithALimit() {
        // given
        String token = app("apr-page", "");
        List<String> filed = new ArrayList<>();
        for (String sub : List.of("apr-page-a", "apr-page-b", "apr-page-c")) {
            filed.add(as(token, "POST", "/v1/subscriptions", subscription(sub, "apr-page"))
                    .json()
                    .path("id")
                    .asString());
        }

        // when
        JsonNode first =
                as(token, "GET", "/v1/requests?limit=2&state=PENDING", null).json();
        JsonNode second = as(
                        token,
                        "GET",
                        "/v1/requests?limit=2&state=PENDING&cursor="
                                + first.path("next").asString(),
                        null)
                .json();

        // then
        List<String> seen = new ArrayList<>();
        first.path("items").forEach(r -> seen.add(r.path("id").asString()));
        second.path("items").forEach(r -> seen.add(r.path("id").asString()));
        assertThat(seen).containsExactly(filed.get(2), filed.get(1), filed.get(0));
        assertThat(second.has("next")).isFalse();
    }

    @Test
    void shouldAnswer409WhenAnAppHasTheMostPendingRequests() {
        // given
        String token = app("apr-full", "");
        for (String sub : List.of("apr-full-a", "apr-full-b", "apr-full-c")) {
            assertThat(as(token, "POST", "/v1/subscriptions", subscription(sub, "apr-full"))
                            .status())
                    .isEqualTo(202);
        }

        // when
        Response fourth = as(token, "POST", "/v1/subscriptions", subscription("apr-full-d", "apr-full"));
        Response duplicate = as(token, "POST", "/v1/subscriptions", subscription("apr-full-a", "apr-full"));

        // then
        assertThat(fourth.status()).isEqualTo(409);
        assertThat(fourth.json().path("detail").asString())
                .isEqualTo(
                        "app apr-full has 3 pending requests, the most allowed; withdraw one or wait for a decision");
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.json().path("detail").asString()).contains(" asks for subscription apr-full-a already");
    }

    /** Registers the app with these read clearances and answers its token. */
    private static String app(String id, String read) {
        Response r = api.post("/v1/apps", Fixtures.app(id, "", read));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().path("token").asString();
    }

    private static String subscription(String id, String app) {
        return "{\"id\": \"" + id + "\", \"app\": \"" + app + "\", \"eventTypes\": [\"" + TYPE + "\"]}";
    }

    private static Response as(String token, String method, String path, String body) {
        HttpRequest.Builder b = api.request(path, false).header("Authorization", "Bearer " + token);
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return api.send(b.method(
                method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)));
    }
}
