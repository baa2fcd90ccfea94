package com.northwind.eventing.admin.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.admin.AdminApiServer;
import com.northwind.eventing.common.testing.KafkaBroker;
import com.northwind.eventing.common.testing.KafkaClusterExtension;
import com.northwind.eventing.web.RouteTable;
import com.northwind.eventing.web.testing.HostileSpellings;
import com.northwind.eventing.web.testing.RawHttp;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * admin-api's edge against a hostile caller on the real server: every admin route and every registry write, in every
 * spelling a check on the raw path could read differently from Spring's routing, without a credential (and the
 * registry writes with the admin token on the platform's subjects). None is served, each gets a problem (or
 * Confluent's error on a registry write) within a second, and nothing is created.
 */
@ExtendWith(KafkaClusterExtension.class)
class AdminEdgeIT {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String APP = """
            {"id": "edge-app", "team": "t", "publish": ["*.*.*"], "read": ["PHI"]}""";
    private static final String EVENT_TYPE = """
            {"noun": "Edge", "verb": "Created", "object": "Thing", "owner": "t", "schema": {"type": "object"}}""";
    private static final String SUBSCRIPTION = """
            {"id": "edge-sub", "app": "edge-app", "eventTypes": ["Edge.*.*"]}""";
    private static final String SCHEMA = """
            {"schema": "{\\"type\\": \\"record\\", \\"name\\": \\"Edge\\", \\"fields\\": []}"}""";
    private static final String CONFIG = """
            {"compatibility": "NONE"}""";

    private static AdminApiServer api;
    private static RawHttp http;

    @BeforeAll
    static void start(KafkaBroker kafka) {
        api = new AdminApiServer(kafka).start();
        http = new RawHttp("127.0.0.1", URI.create(api.baseUrl()).getPort());
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void shouldServeNoSpellingOfAnyProtectedRouteAndCreateNothingWhenCallerHasNoCredential() {
        // given every admin route and registry write, each in every spelling
        List<String> served = new ArrayList<>();
        List<String> slow = new ArrayList<>();
        List<String> notProblems = new ArrayList<>();
        int sent = 0;

        // when
        for (RouteTable.Route<AdminAccess> route : AdminRoutes.table(true).routes()) {
            if (route.access() == AdminAccess.OPEN) {
                continue;
            }
            for (Map.Entry<String, String> spelling :
                    HostileSpellings.of(concrete(route, "edge-value")).entrySet()) {
                RawHttp.Answer a = send(route, spelling.getValue());
                sent++;
                String what = route.describe() + " as " + spelling.getKey() + " (" + spelling.getValue() + ") -> "
                        + a.status() + " " + a.contentType();
                if (a.status() < 400) {
                    served.add(what);
                }
                if (a.millis() > 1000) {
                    slow.add(what + " in " + a.millis() + " ms");
                }
                if (!isProblemOrRegistryError(a)) {
                    notProblems.add(what + " " + a.body());
                }
            }
        }

        // then
        assertThat(sent).isGreaterThan(500);
        assertThat(served).isEmpty();
        assertThat(slow).isEmpty();
        assertThat(notProblems).isEmpty();
        assertNothingCreated();
    }

    @ParameterizedTest
    @ValueSource(strings = {"eventing.firehose-value", "eventing.sub.edge-sub-value", "eventing.store-value"})
    void shouldServeNoSpellingOfAnyRegistryWriteWhenAdminTokenWritesPlatformSubject(String subject) {
        // given every registry write on a platform subject, each in every spelling, with the admin token
        List<String> served = new ArrayList<>();
        List<String> notRefusals = new ArrayList<>();

        // when
        for (RouteTable.Route<AdminAccess> route : AdminRoutes.table(true).routes()) {
            if (route.access() != AdminAccess.REGISTRY_WRITE
                    || !route.pattern().getPatternString().contains("{subject}")) {
                continue;
            }
            for (Map.Entry<String, String> spelling :
                    HostileSpellings.of(concrete(route, subject)).entrySet()) {
                RawHttp.Answer a =
                        send(route, spelling.getValue(), "Authorization: Bearer " + AdminApiServer.ADMIN_TOKEN);
                String what = route.describe() + " as " + spelling.getKey() + " (" + spelling.getValue() + ") -> "
                        + a.status() + " " + a.body();
                if (a.status() < 400) {
                    served.add(what);
                }
                if (spelling.getKey().equals("as written")
                        && (a.status() != 403 || !a.body().contains("\"error_code\":40301"))) {
                    notRefusals.add(what);
                }
            }
        }

        // then
        assertThat(served).isEmpty();
        assertThat(notRefusals).isEmpty();
        assertThat(api.get("/subjects").body()).doesNotContain(subject);
    }

    @Test
    void shouldAnswer401WithChallengeWhenAdminPathIsUnknownAndTokenMissing() {
        // given a path under /v1 that no route serves

        // when
        RawHttp.Answer a = http.send("GET", "/v1/no-such-thing", null);

        // then
        assertThat(a.status()).isEqualTo(401);
        assertThat(a.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"eventing-admin\"");
        assertThat(a.contentType()).startsWith("application/problem+json");
        assertThat(json(a).path("type").asString()).isEqualTo("urn:eventing:problem:unauthorized");
        assertThat(json(a).path("detail").asString())
                .isEqualTo(
                        "no credential: send Authorization: Bearer <admin or app token>, or sign in with POST /v1/session");
    }

    @Test
    void shouldAnswer404And405WhenPathIsOnNoRouteOrMethodIsNotListed() {
        // given the admin token

        // when
        RawHttp.Answer unknown = http.send("GET", "/v1/no-such-thing", null, bearer(AdminApiServer.ADMIN_TOKEN));
        RawHttp.Answer outside = http.send("GET", "/internal/anything", null);
        RawHttp.Answer error = http.send("GET", "/error", null);
        RawHttp.Answer wrongMethod = http.send("PATCH", "/v1/apps", "{}", bearer(AdminApiServer.ADMIN_TOKEN));

        // then
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(json(unknown).path("type").asString()).isEqualTo("urn:eventing:problem:not-found");
        assertThat(outside.status()).isEqualTo(404);
        assertThat(error.status()).isEqualTo(404);
        assertThat(error.contentType()).startsWith("application/problem+json");
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.header("Allow")).isEqualTo("POST, GET");
        assertThat(json(wrongMethod).path("type").asString()).isEqualTo("urn:eventing:problem:method-not-allowed");
    }

    @Test
    void shouldRefuseWithProblemWhenPathHasParameterEvenWithAdminToken() {
        // given the admin token and a path parameter

        // when
        RawHttp.Answer a = http.send("GET", "/v1;x=1/apps", null, bearer(AdminApiServer.ADMIN_TOKEN));

        // then
        assertThat(a.status()).isEqualTo(400);
        assertThat(json(a).path("type").asString()).isEqualTo("urn:eventing:problem:malformed-request");
        assertThat(json(a).path("detail").asString())
                .isEqualTo("the request path has a ';' (path parameters are not accepted)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1%2Fapps", "/subjects/a%2Fb/versions", "/v1/%", "/v1/a%zz"})
    void shouldAnswerProblemWhenTomcatRefusesTheUriItself(String target) {
        // given a URI the container refuses before any filter runs

        // when
        RawHttp.Answer a = http.send("GET", target, null);

        // then
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.contentType()).startsWith("application/problem+json");
        assertThat(json(a).path("type").asString()).isEqualTo("urn:eventing:problem:malformed-request");
        assertThat(json(a).path("status").asInt()).isEqualTo(400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"evil.example", "evil.example:8081", "127.0.0.1.nip.io", "localhost.evil.example"})
    void shouldRefuseWith400NamingTheHostWhenHostIsNotAllowed(String host) {
        // given a Host a rebinding page would send

        // when
        RawHttp.Answer a = http.exchange("GET /actuator/health HTTP/1.1", List.of("Host: " + host), null);

        // then
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.contentType()).startsWith("application/problem+json");
        assertThat(json(a).path("detail").asString())
                .isEqualTo("the host '" + host.replaceAll(":8081$", "") + "' is not served here"
                        + " (eventing.http.allowed-hosts)");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"localhost", "localhost:1234", "LOCALHOST:8081", "127.0.0.1", "127.0.0.1:8081", "[::1]:8081"})
    void shouldServeWhenHostIsLoopbackName(String host) {
        // given a loopback Host, with any port

        // when
        RawHttp.Answer a = http.exchange("GET /actuator/health HTTP/1.1", List.of("Host: " + host), null);

        // then
        assertThat(a.status()).isEqualTo(200);
    }

    @Test
    void shouldRefuseWhenRequestHasNoHost() {
        // given an HTTP/1.0 request without Host

        // when
        RawHttp.Answer a = http.exchange("GET /actuator/health HTTP/1.0", List.of(), null);

        // then
        assertThat(a.status()).isEqualTo(400);
        assertThat(json(a).path("detail").asString()).isEqualTo("the request has no Host header");
    }

    @Test
    void shouldServeOnlyConfiguredHostsWhenAllowedHostsAreSet(KafkaBroker kafka) {
        // given
        try (AdminApiServer other =
                new AdminApiServer(kafka, "--eventing.http.allowed-hosts=admin-api,Admin.Internal").start()) {
            RawHttp otherHttp =
                    new RawHttp("127.0.0.1", URI.create(other.baseUrl()).getPort());

            // when
            RawHttp.Answer named =
                    otherHttp.exchange("GET /actuator/health HTTP/1.1", List.of("Host: admin-api:8081"), null);
            RawHttp.Answer mixedCase =
                    otherHttp.exchange("GET /actuator/health HTTP/1.1", List.of("Host: admin.internal"), null);
            RawHttp.Answer loopback =
                    otherHttp.exchange("GET /actuator/health HTTP/1.1", List.of("Host: localhost"), null);

            // then
            assertThat(named.status()).isEqualTo(200);
            assertThat(mixedCase.status()).isEqualTo(200);
            assertThat(loopback.status()).isEqualTo(400);
        }
    }

    @Test
    void shouldRequireCredentialForPlatformSubjectAndServiceTokenToWriteIt() {
        // given the firehose's subject

        // when
        RawHttp.Answer none = register("eventing.firehose-value");
        RawHttp.Answer admin = register("eventing.firehose-value", bearer(AdminApiServer.ADMIN_TOKEN));
        RawHttp.Answer adminBasic = register("eventing.firehose-value", basic("u", AdminApiServer.ADMIN_TOKEN));
        RawHttp.Answer wrong = register("eventing.firehose-value", bearer("not-the-token-0123456789abcdef0123"));
        RawHttp.Answer service = register("eventing.firehose-value", bearer(AdminApiServer.SERVICE_TOKEN));

        // then
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.contentType()).startsWith("application/vnd.schemaregistry.v1+json");
        assertThat(json(none).path("error_code").asInt()).isEqualTo(40101);
        assertThat(none.headers("WWW-Authenticate"))
                .containsExactly(
                        "Bearer realm=\"eventing-schema-registry\"", "Basic realm=\"eventing-schema-registry\"");
        assertThat(admin.status()).isEqualTo(403);
        assertThat(json(admin).path("error_code").asInt()).isEqualTo(40301);
        assertThat(json(admin).path("message").asString())
                .isEqualTo(
                        "subject 'eventing.firehose-value' belongs to the platform: only the platform's service token"
                                + " may write it");
        assertThat(adminBasic.status()).isEqualTo(403);
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(json(wrong).path("message").asString()).isEqualTo("the registry credential is not valid");
        assertThat(service.status()).isEqualTo(200);
        assertThat(json(service).path("id").asInt()).isPositive();
    }

    @Test
    void shouldLetAdminTokenWriteUserSubjectAsBearerOrBasicWhenSubjectIsNotThePlatforms() {
        // given a user subject

        // when
        RawHttp.Answer none = register("edge-user-value");
        RawHttp.Answer bearer = register("edge-user-value", bearer(AdminApiServer.ADMIN_TOKEN));
        RawHttp.Answer basic = register("edge-user-value", basic("anyone", AdminApiServer.ADMIN_TOKEN));
        RawHttp.Answer config = http.send("PUT", "/config", CONFIG, "Content-Type: application/json");

        // then
        assertThat(none.status()).isEqualTo(401);
        assertThat(bearer.status()).isEqualTo(200);
        assertThat(basic.status()).isEqualTo(200);
        assertThat(config.status()).isEqualTo(401);
        assertThat(api.get("/config").json().path("compatibilityLevel").asString())
                .isEqualTo("BACKWARD");
    }

    @Test
    void shouldTakeUserSubjectWritesWithoutCredentialOnlyWhenOpenWritesIsOn(KafkaBroker kafka) {
        // given a registry with open writes
        try (AdminApiServer open = new AdminApiServer(kafka, "--eventing.schema-registry.open-writes=true").start()) {
            RawHttp openHttp =
                    new RawHttp("127.0.0.1", URI.create(open.baseUrl()).getPort());

            // when
            RawHttp.Answer user = openHttp.send(
                    "POST", "/subjects/edge-open-value/versions", SCHEMA, "Content-Type: application/json");
            RawHttp.Answer platform = openHttp.send(
                    "POST", "/subjects/eventing.firehose-value/versions", SCHEMA, "Content-Type: application/json");
            RawHttp.Answer global = openHttp.send("PUT", "/config", CONFIG, "Content-Type: application/json");

            // then
            assertThat(user.status()).isEqualTo(200);
            assertThat(platform.status()).isEqualTo(401);
            assertThat(global.status()).isEqualTo(401);
        }
    }

    private static RawHttp.Answer register(String subject, String... headers) {
        List<String> h = new ArrayList<>(List.of(headers));
        h.add("Content-Type: application/vnd.schemaregistry.v1+json");
        return http.send("POST", "/subjects/" + subject + "/versions", SCHEMA, h.toArray(String[]::new));
    }

    @Test
    void shouldRefuseBodiesOverTheLimitAndCreateNothingWhetherDeclaredOrChunked(KafkaBroker kafka) {
        // given admin-api taking at most 64 KiB
        try (AdminApiServer small = new AdminApiServer(kafka, "--eventing.admin.max-request-bytes=65536").start()) {
            byte[] over = padded("Oversize", 100_000);
            byte[] within = padded("Within", 60_000);

            // when
            AdminApiServer.Response signIn = small.send(small.request("/v1/session", false)
                    .header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(over)));
            AdminApiServer.Response declared = small.send(declared(small, over, true));
            AdminApiServer.Response unauthenticated = small.send(declared(small, over, false));
            AdminApiServer.Response chunked = small.send(chunked(small, over));
            AdminApiServer.Response taken = small.send(chunked(small, within));

            // then: a declared length is refused before anything reads the body (the open sign-in included) ...
            assertThat(signIn.status()).isEqualTo(413);
            assertThat(signIn.contentType()).startsWith("application/problem+json");
            assertThat(signIn.json().path("type").asString()).isEqualTo("urn:eventing:problem:payload-too-large");
            assertThat(signIn.json().path("detail").asString())
                    .isEqualTo("the request body is 100000 bytes; at most 65536 are taken");
            assertThat(signIn.raw().headers().allValues("Set-Cookie")).isEmpty();
            assertThat(declared.status()).isEqualTo(413);
            // ... a caller without a credential hears of that first ...
            assertThat(unauthenticated.status()).isEqualTo(401);
            // ... a chunked body once it passes the limit, and one within it is taken whole
            assertThat(chunked.status()).isEqualTo(413);
            assertThat(chunked.json().path("detail").asString())
                    .isEqualTo("the request body is more than 65536 bytes; at most 65536 are taken");
            assertThat(taken.status()).isEqualTo(201);
            assertThat(small.get("/v1/event-types/Size.Within.Thing").status()).isEqualTo(200);
            assertThat(small.get("/v1/event-types/Size.Oversize.Thing").status())
                    .isEqualTo(404);
        }
    }

    private static byte[] padded(String verb, int size) {
        String type = "{\"noun\": \"Size\", \"verb\": \"" + verb
                + "\", \"object\": \"Thing\", \"owner\": \"t\", \"schema\": {\"type\": \"object\"}}";
        return (type + " ".repeat(size - type.length())).getBytes(StandardCharsets.UTF_8);
    }

    private static java.net.http.HttpRequest.Builder chunked(AdminApiServer server, byte[] body) {
        return server.request("/v1/event-types", true)
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(body)));
    }

    private static java.net.http.HttpRequest.Builder declared(AdminApiServer server, byte[] body, boolean token) {
        return server.request("/v1/event-types", token)
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body));
    }

    private static RawHttp.Answer send(RouteTable.Route<AdminAccess> route, String target, String... headers) {
        List<String> h = new ArrayList<>(List.of(headers));
        String body = null;
        if (route.method().name().equals("POST") || route.method().name().equals("PUT")) {
            h.add("Content-Type: "
                    + (route.access() == AdminAccess.REGISTRY_WRITE
                            ? "application/vnd.schemaregistry.v1+json"
                            : "application/json"));
            body = bodyFor(route);
        }
        return http.send(route.method().name(), target, body, h.toArray(String[]::new));
    }

    private static String bodyFor(RouteTable.Route<AdminAccess> route) {
        String pattern = route.pattern().getPatternString();
        if (pattern.startsWith("/v1/apps")) {
            return APP;
        }
        if (pattern.startsWith("/v1/event-types")) {
            return EVENT_TYPE;
        }
        if (pattern.startsWith("/v1/subscriptions")) {
            return SUBSCRIPTION;
        }
        return pattern.startsWith("/config") ? CONFIG : SCHEMA;
    }

    /** The route's pattern with its variables filled in: ids the test can look for afterwards. */
    private static String concrete(RouteTable.Route<AdminAccess> route, String subject) {
        return route.pattern()
                .getPatternString()
                .replace("{eventType}", "Edge.Created.Thing")
                .replace("{id}", "edge-app")
                .replace("{tokenId}", "tok_edge")
                .replace("{eventId}", "edge-event")
                .replace("{transactionId}", "edge-tx")
                .replace("{subject}", subject)
                .replace("{version}", "1");
    }

    private static boolean isProblemOrRegistryError(RawHttp.Answer a) {
        if (a.contentType().startsWith("application/problem+json")) {
            JsonNode p = json(a);
            return p.path("type").asString().startsWith("urn:eventing:problem:")
                    && p.path("status").asInt() == a.status();
        }
        return a.contentType().startsWith("application/vnd.schemaregistry.v1+json")
                && json(a).path("error_code").isInt();
    }

    private static void assertNothingCreated() {
        assertThat(api.get("/v1/apps").body()).doesNotContain("edge-app");
        assertThat(api.get("/v1/event-types").body()).doesNotContain("Edge.");
        assertThat(api.get("/v1/subscriptions").body()).doesNotContain("edge-sub");
        assertThat(api.get("/subjects?deleted=true").body()).doesNotContain("edge-value");
        assertThat(api.get("/config").json().path("compatibilityLevel").asString())
                .isEqualTo("BACKWARD");
    }

    private static String bearer(String token) {
        return "Authorization: Bearer " + token;
    }

    private static String basic(String user, String token) {
        return "Authorization: Basic "
                + Base64.getEncoder().encodeToString((user + ":" + token).getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode json(RawHttp.Answer a) {
        return JSON.readTree(a.body());
    }
}
