package com.northwind.eventing.admin.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.admin.AdminApiServer;
import com.northwind.eventing.admin.Fixtures;
import com.northwind.eventing.common.testing.KafkaBroker;
import com.northwind.eventing.common.testing.KafkaClusterExtension;
import com.northwind.eventing.web.RouteTable;
import com.northwind.eventing.web.testing.HostileSpellings;
import com.northwind.eventing.web.testing.RawHttp;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Who may call what on the admin API, on the real server: every {@code /v1} route for the admin, the app that owns
 * the resource, another app and no credential; an app on admin-only routes in every spelling; an app on another app's
 * subscriptions and replays.
 */
@ExtendWith(KafkaClusterExtension.class)
class AccessMatrixIT {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String OWN = "matrix-own";
    private static final String OTHER = "matrix-other";
    private static final String OWN_SUB = "matrix-own-sub";
    private static final String OTHER_SUB = "matrix-other-sub";
    private static final String NO_REPLAY = "rpl_00000000-0000-0000-0000-000000000000";
    private static final String NO_REQUEST = "req_00000000-0000-0000-0000-000000000000";
    /** Stands in a row's path for the id of the pending request of {@value #OWN}, filed at start. */
    private static final String OWN_REQUEST = "{own-request}";

    private static AdminApiServer api;
    private static RawHttp http;
    private static String ownToken;
    private static String ownRequest;
    private static String otherToken;

    @BeforeAll
    static void start(KafkaBroker kafka) {
        api = new AdminApiServer(kafka).start();
        http = new RawHttp("127.0.0.1", URI.create(api.baseUrl()).getPort());
        assertThat(api.post("/v1/event-types", Fixtures.claimEventType("Matrix"))
                        .status())
                .isEqualTo(201);
        ownToken = api.post("/v1/apps", Fixtures.app(OWN, "", ""))
                .json()
                .path("token")
                .asString();
        otherToken = api.post("/v1/apps", Fixtures.app(OTHER, "", ""))
                .json()
                .path("token")
                .asString();
        assertThat(api.post("/v1/subscriptions", subscription(OWN_SUB, OWN)).status())
                .isEqualTo(201);
        assertThat(api.post("/v1/subscriptions", subscription(OTHER_SUB, OTHER)).status())
                .isEqualTo(201);
        ownRequest = as(ownToken, "POST", "/v1/requests", "{\"kind\": \"grant\", \"read\": [\"PHI\"]}")
                .json()
                .path("id")
                .asString();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    /**
     * One route and what each caller gets: the admin, the app owning the resource ({@value #OWN}), another app
     * ({@value #OTHER}), nobody. Bodies are wrong on purpose where a right one would change something the next row
     * relies on: a 422 shows the caller got past the access check to the handler's own.
     */
    record Row(String route, String path, String body, int admin, int own, int other, int none) {}

    private static final List<Row> MATRIX = List.of(
            new Row("POST /v1/event-types", "/v1/event-types", "{}", 422, 403, 403, 401),
            new Row("GET /v1/event-types", "/v1/event-types", null, 200, 200, 200, 401),
            new Row(
                    "GET /v1/event-types/{eventType}",
                    "/v1/event-types/Claim.Submitted.Matrix",
                    null,
                    200,
                    200,
                    200,
                    401),
            new Row(
                    "PUT /v1/event-types/{eventType}",
                    "/v1/event-types/Claim.Submitted.Matrix",
                    "{}",
                    422,
                    403,
                    403,
                    401),
            new Row("POST /v1/apps", "/v1/apps", "{}", 422, 403, 403, 401),
            new Row("GET /v1/apps", "/v1/apps", null, 200, 403, 403, 401),
            new Row("GET /v1/apps/{id}", "/v1/apps/" + OWN, null, 200, 200, 403, 401),
            new Row("PUT /v1/apps/{id}", "/v1/apps/" + OWN, "{}", 422, 403, 403, 401),
            new Row("DELETE /v1/apps/{id}", "/v1/apps/matrix-absent", null, 404, 403, 403, 401),
            new Row(
                    "POST /v1/apps/{id}/kafka-credentials",
                    "/v1/apps/" + OWN + "/kafka-credentials",
                    null,
                    409,
                    409,
                    403,
                    401),
            new Row("POST /v1/apps/{id}/tokens", "/v1/apps/" + OWN + "/tokens", null, 201, 201, 403, 401),
            new Row(
                    "DELETE /v1/apps/{id}/tokens/{tokenId}",
                    "/v1/apps/" + OWN + "/tokens/tok_000000000000",
                    null,
                    404,
                    404,
                    403,
                    401),
            new Row(
                    "POST /v1/subscriptions",
                    "/v1/subscriptions",
                    "{\"id\": \"matrix-new\", \"app\": \"" + OWN + "\"}",
                    422,
                    422,
                    403,
                    401),
            new Row("GET /v1/subscriptions", "/v1/subscriptions", null, 200, 200, 200, 401),
            new Row("GET /v1/subscriptions/{id}", "/v1/subscriptions/" + OWN_SUB, null, 200, 200, 404, 401),
            new Row("PATCH /v1/subscriptions/{id}", "/v1/subscriptions/" + OWN_SUB, "{}", 422, 422, 404, 401),
            new Row("DELETE /v1/subscriptions/{id}", "/v1/subscriptions/matrix-absent", null, 404, 404, 404, 401),
            new Row(
                    "GET /v1/subscriptions/{id}/deliveries",
                    "/v1/subscriptions/" + OWN_SUB + "/deliveries",
                    null,
                    503,
                    503,
                    404,
                    401),
            new Row(
                    "GET /v1/subscriptions/{id}/lag",
                    "/v1/subscriptions/" + OWN_SUB + "/lag",
                    null,
                    200,
                    200,
                    404,
                    401),
            new Row(
                    "POST /v1/subscriptions/backtest",
                    "/v1/subscriptions/backtest",
                    "{\"subscription\": {\"app\": \"" + OWN + "\", \"eventTypes\": [\"Claim.*.*\"]}}",
                    422,
                    422,
                    403,
                    401),
            new Row("POST /v1/aggregations", "/v1/aggregations", "{}", 422, 403, 403, 401),
            new Row("GET /v1/aggregations", "/v1/aggregations", null, 200, 200, 200, 401),
            new Row("GET /v1/aggregations/{id}", "/v1/aggregations/matrix-absent", null, 404, 404, 404, 401),
            new Row("PUT /v1/aggregations/{id}", "/v1/aggregations/matrix-absent", "{}", 422, 403, 403, 401),
            new Row("DELETE /v1/aggregations/{id}", "/v1/aggregations/matrix-absent", null, 404, 403, 403, 401),
            new Row("GET /v1/events", "/v1/events", null, 503, 403, 403, 401),
            new Row("GET /v1/events/{eventId}", "/v1/events/matrix-event", null, 503, 403, 403, 401),
            new Row(
                    "GET /v1/events/{eventId}/deliveries",
                    "/v1/events/matrix-event/deliveries",
                    null,
                    503,
                    403,
                    403,
                    401),
            new Row("GET /v1/deliveries", "/v1/deliveries", null, 503, 403, 403, 401),
            new Row("GET /v1/transactions/{transactionId}", "/v1/transactions/matrix-tx", null, 503, 403, 403, 401),
            new Row("GET /v1/stats", "/v1/stats", null, 503, 403, 403, 401),
            new Row("GET /v1/audit", "/v1/audit", null, 503, 403, 403, 401),
            new Row("GET /v1/audit/{id}", "/v1/audit/matrix-entry", null, 503, 403, 403, 401),
            new Row("POST /v1/replays", "/v1/replays", "{\"subscription\": \"" + OWN_SUB + "\"}", 422, 422, 422, 401),
            new Row("GET /v1/replays", "/v1/replays", null, 200, 200, 200, 401),
            new Row("GET /v1/replays/{id}", "/v1/replays/" + NO_REPLAY, null, 404, 404, 404, 401),
            new Row("DELETE /v1/replays/{id}", "/v1/replays/" + NO_REPLAY, null, 404, 404, 404, 401),
            new Row(
                    "POST /v1/requests",
                    "/v1/requests",
                    "{\"kind\": \"grant\", \"app\": \"" + OWN + "\"}",
                    422,
                    422,
                    403,
                    401),
            new Row("GET /v1/requests", "/v1/requests", null, 200, 200, 200, 401),
            new Row("GET /v1/requests/{id}", "/v1/requests/" + OWN_REQUEST, null, 200, 200, 404, 401),
            new Row("DELETE /v1/requests/{id}", "/v1/requests/" + NO_REQUEST, null, 404, 404, 404, 401),
            new Row(
                    "POST /v1/requests/{id}/approve",
                    "/v1/requests/" + NO_REQUEST + "/approve",
                    "{}",
                    404,
                    403,
                    403,
                    401),
            new Row(
                    "POST /v1/requests/{id}/reject",
                    "/v1/requests/" + NO_REQUEST + "/reject",
                    "{}",
                    422,
                    403,
                    403,
                    401),
            new Row("GET /v1/session", "/v1/session", null, 401, 401, 401, 401),
            new Row("DELETE /v1/session", "/v1/session", null, 401, 401, 401, 401),
            new Row("GET /v1/catalog", "/v1/catalog", null, 200, 200, 200, 401),
            new Row("GET /v1/catalog/{eventType}", "/v1/catalog/Claim.Submitted.Matrix", null, 200, 200, 200, 401));

    @Test
    void shouldAnswerEachCallerAsTheAccessMatrixSaysWhenCallingEveryAdminRoute() {
        // given
        List<String> expected = new ArrayList<>();
        List<String> actual = new ArrayList<>();

        // when
        for (Row row : MATRIX) {
            String method = row.route().substring(0, row.route().indexOf(' '));
            expected.add(row.route() + " " + row.admin() + " " + row.own() + " " + row.other() + " " + row.none());
            String path = row.path().replace(OWN_REQUEST, ownRequest);
            actual.add(row.route() + " " + call(method, path, row.body(), AdminApiServer.ADMIN_TOKEN) + " "
                    + call(method, path, row.body(), ownToken) + " "
                    + call(method, path, row.body(), otherToken) + " "
                    + call(method, path, row.body(), null));
        }

        // then
        assertThat(actual).containsExactlyElementsOf(expected);
    }

    @Test
    void shouldHoldARowForEveryAdminRouteExceptTheSignIn() {
        // given
        Set<String> routes = AdminRoutes.table(true).routes().stream()
                .map(RouteTable.Route::describe)
                .filter(r -> r.contains(" /v1/") && !r.equals("POST /v1/session"))
                .collect(Collectors.toCollection(TreeSet::new));

        // when
        Set<String> rows = MATRIX.stream().map(Row::route).collect(Collectors.toCollection(TreeSet::new));

        // then
        assertThat(rows).isEqualTo(routes);
    }

    @Test
    void shouldRefuseEverySpellingOfAdminOnlyRoutesAndChangeNothingWhenCallerIsAnApp() {
        // given
        List<String> notForbidden = new ArrayList<>();
        int sent = 0;
        String before = api.get("/v1/apps").body()
                + api.get("/v1/event-types").body()
                + api.get("/v1/aggregations").body();

        // when
        for (RouteTable.Route<AdminAccess> route : AdminRoutes.table(true).routes()) {
            if (route.access() != AdminAccess.ADMIN_TOKEN) {
                continue;
            }
            String path = route.pattern()
                    .getPatternString()
                    .replace("{eventType}", "Claim.Submitted.Matrix")
                    .replace("{id}", OWN)
                    .replace("{eventId}", "matrix-event")
                    .replace("{transactionId}", "matrix-tx");
            for (Map.Entry<String, String> spelling : HostileSpellings.of(path).entrySet()) {
                List<String> headers = new ArrayList<>(List.of("Authorization: Bearer " + ownToken));
                String body = null;
                if (route.method().name().equals("POST")
                        || route.method().name().equals("PUT")) {
                    headers.add("Content-Type: application/json");
                    body = Fixtures.app(OWN, "\"*.*.*\"", "\"PHI\"");
                }
                RawHttp.Answer a =
                        http.send(route.method().name(), spelling.getValue(), body, headers.toArray(String[]::new));
                sent++;
                boolean forbidden = a.status() == 403
                        && JSON.readTree(a.body()).path("type").asString().equals("urn:eventing:problem:forbidden");
                if (a.status() < 400 || (spelling.getKey().equals("as written") && !forbidden)) {
                    notForbidden.add(route.describe() + " as " + spelling.getKey() + " -> " + a.status());
                }
            }
        }
        String after = api.get("/v1/apps").body()
                + api.get("/v1/event-types").body()
                + api.get("/v1/aggregations").body();

        // then
        assertThat(sent).isGreaterThan(100);
        assertThat(notForbidden).isEmpty();
        assertThat(after).isEqualTo(before);
    }

    @Test
    void shouldNameRouteAndCallerWhenAppIsForbidden() {
        // given
        String path = "/v1/apps";

        // when
        AdminApiServer.Response a = as(ownToken, "GET", path, null);

        // then
        assertThat(a.status()).isEqualTo(403);
        assertThat(a.json().path("type").asString()).isEqualTo("urn:eventing:problem:forbidden");
        assertThat(a.json().path("detail").asString())
                .isEqualTo("GET /v1/apps is for the admin only; app matrix-own may not call it");
    }

    @Test
    void shouldAnswerAnotherAppsSubscriptionAsAbsentInEverySpellingTheEdgeAccepts() {
        // given
        List<String> leaks = new ArrayList<>();
        String absent = as(otherToken, "GET", "/v1/subscriptions/matrix-absent", null)
                .json()
                .path("detail")
                .asString()
                .replace("matrix-absent", OWN_SUB);

        // when
        for (String method : List.of("GET", "PATCH", "DELETE")) {
            for (String suffix : List.of("", "/deliveries", "/lag")) {
                if (!suffix.isEmpty() && !method.equals("GET")) {
                    continue;
                }
                for (Map.Entry<String, String> spelling : HostileSpellings.of("/v1/subscriptions/" + OWN_SUB + suffix)
                        .entrySet()) {
                    RawHttp.Answer a = http.send(
                            method,
                            spelling.getValue(),
                            method.equals("PATCH") ? "{\"retentionMs\": 3600000}" : null,
                            "Authorization: Bearer " + otherToken,
                            "Content-Type: application/json");
                    if (a.status() < 400 || a.body().contains("eventing.sub.")) {
                        leaks.add(method + " " + spelling.getKey() + " -> " + a.status() + " " + a.body());
                    }
                }
            }
        }
        AdminApiServer.Response get = as(otherToken, "GET", "/v1/subscriptions/" + OWN_SUB, null);

        // then
        assertThat(leaks).isEmpty();
        assertThat(get.status()).isEqualTo(404);
        assertThat(get.json().path("detail").asString()).isEqualTo(absent);
        assertThat(api.get("/v1/subscriptions/" + OWN_SUB)
                        .json()
                        .path("retentionMs")
                        .asLong())
                .isEqualTo(604_800_000L);
    }

    @Test
    void shouldListOnlyOwnSubscriptionsWhenCallerIsAnApp() {
        // given
        String path = "/v1/subscriptions";

        // when
        JsonNode own = as(ownToken, "GET", path, null).json();
        JsonNode all = api.get(path).json();

        // then
        assertThat(ids(own)).containsExactly(OWN_SUB);
        assertThat(ids(all)).contains(OWN_SUB, OTHER_SUB);
    }

    @Test
    void shouldRefuseSubscriptionForAnotherAppAndCreateNothing() {
        // given
        String body = subscription("matrix-stolen", OTHER);

        // when
        AdminApiServer.Response a = as(ownToken, "POST", "/v1/subscriptions", body);

        // then
        assertThat(a.status()).isEqualTo(403);
        assertThat(a.json().path("detail").asString())
                .isEqualTo("app:matrix-own may not create subscriptions for app matrix-other: an app acts for itself"
                        + " only");
        assertThat(api.get("/v1/subscriptions/matrix-stolen").status()).isEqualTo(404);
    }

    @Test
    void shouldLetAppCreateAndDeleteItsOwnSubscription() {
        // given
        String body = subscription("matrix-own-made", OWN);

        // when
        AdminApiServer.Response created = as(ownToken, "POST", "/v1/subscriptions", body);
        AdminApiServer.Response deletedByOther = as(otherToken, "DELETE", "/v1/subscriptions/matrix-own-made", null);
        AdminApiServer.Response deleted = as(ownToken, "DELETE", "/v1/subscriptions/matrix-own-made", null);

        // then
        assertThat(created.status()).isEqualTo(201);
        assertThat(deletedByOther.status()).isEqualTo(404);
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(api.get("/v1/subscriptions/matrix-own-made").status()).isEqualTo(404);
    }

    @Test
    void shouldShowReplaysOnlyToTheAppOwningTheirSubscription() {
        // given
        String replay = api.post(
                        "/v1/replays",
                        "{\"subscription\": \"" + OTHER_SUB + "\", \"from\": \"2026-01-01T00:00:00Z\","
                                + " \"to\": \"2026-01-01T00:00:01Z\"}")
                .json()
                .path("id")
                .asString();
        String absent = as(ownToken, "GET", "/v1/replays/" + NO_REPLAY, null)
                .json()
                .path("detail")
                .asString()
                .replace(NO_REPLAY, replay);

        // when
        AdminApiServer.Response ownList = as(ownToken, "GET", "/v1/replays", null);
        AdminApiServer.Response otherList = as(otherToken, "GET", "/v1/replays", null);
        AdminApiServer.Response ownGet = as(ownToken, "GET", "/v1/replays/" + replay, null);
        AdminApiServer.Response ownCancel = as(ownToken, "DELETE", "/v1/replays/" + replay, null);
        AdminApiServer.Response ownCreate = as(
                ownToken,
                "POST",
                "/v1/replays",
                "{\"subscription\": \"" + OTHER_SUB + "\", \"from\": \"2026-01-01T00:00:00Z\"}");
        AdminApiServer.Response absentCreate = as(
                ownToken,
                "POST",
                "/v1/replays",
                "{\"subscription\": \"matrix-absent\", \"from\": \"2026-01-01T00:00:00Z\"}");

        // then
        assertThat(ownList.body()).doesNotContain(replay);
        assertThat(otherList.body()).contains(replay);
        assertThat(ownGet.status()).isEqualTo(404);
        assertThat(ownGet.json().path("detail").asString()).isEqualTo(absent);
        assertThat(ownCancel.status()).isEqualTo(404);
        assertThat(ownCreate.status()).isEqualTo(422);
        assertThat(ownCreate.errors()).containsExactly("/subscription: subscription " + OTHER_SUB + " does not exist");
        assertThat(absentCreate.errors()).containsExactly("/subscription: subscription matrix-absent does not exist");
    }

    @Test
    void shouldRefuseAppTokenAsBasicOnAdminApiAndOnRegistryWrites() {
        // given
        String basic = "Basic "
                + Base64.getEncoder().encodeToString(("matrix-own:" + ownToken).getBytes(StandardCharsets.UTF_8));

        // when
        AdminApiServer.Response adminApi = api.send(api.request("/v1/apps/" + OWN, false)
                .header("Authorization", basic)
                .GET());
        AdminApiServer.Response registry = api.send(api.request("/subjects/matrix-value/versions", false)
                .header("Authorization", "Bearer " + ownToken)
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"schema\": \"{\\\"type\\\": \\\"string\\\"}\"}")));

        // then
        assertThat(adminApi.status()).isEqualTo(401);
        assertThat(registry.status()).isEqualTo(401);
        assertThat(api.get("/subjects").body()).doesNotContain("matrix-value");
    }

    @Test
    void shouldAnswer401WhenAppTokenIsRevoked() {
        // given
        AdminApiServer.Response issued = api.post("/v1/apps/" + OTHER + "/tokens", "");
        String token = issued.json().path("token").asString();
        assertThat(as(token, "GET", "/v1/apps/" + OTHER, null).status()).isEqualTo(200);

        // when
        api.delete(
                "/v1/apps/" + OTHER + "/tokens/" + issued.json().path("tokenId").asString());
        AdminApiServer.Response after = as(token, "GET", "/v1/apps/" + OTHER, null);

        // then
        assertThat(after.status()).isEqualTo(401);
        assertThat(after.json().path("type").asString()).isEqualTo("urn:eventing:problem:unauthorized");
    }

    private static List<String> ids(JsonNode list) {
        List<String> ids = new ArrayList<>();
        list.path("items").forEach(s -> ids.add(s.path("id").asString()));
        return ids;
    }

    private static int call(String method, String path, String body, String token) {
        return as(token, method, path, body).status();
    }

    private static AdminApiServer.Response as(String token, String method, String path, String body) {
        HttpRequest.Builder b = api.request(path, false);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return api.send(b.method(
                method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)));
    }

    private static String subscription(String id, String app) {
        return "{\"id\": \"" + id + "\", \"app\": \"" + app + "\", \"eventTypes\": [\"Claim.*.*\"]}";
    }
}
