package com.northwind.eventing.admin.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.admin.AdminApiServer;
import com.northwind.eventing.admin.Fixtures;
import com.northwind.eventing.common.testing.KafkaBroker;
import com.northwind.eventing.common.testing.KafkaClusterExtension;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The console's sign-in on the real server: the session cookie and its attributes, the CSRF token and Origin on
 * state-changing requests, sign-out, idle expiry, a revoked token ending its session, and hostile cookies and bodies.
 */
@ExtendWith(KafkaClusterExtension.class)
class ConsoleSessionIT {
    private static final String COOKIE_SHAPE = "eventing_session=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Strict";
    private static final String CLEARED = "eventing_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict";

    private static AdminApiServer api;

    @BeforeAll
    static void start(KafkaBroker kafka) {
        api = new AdminApiServer(kafka, "--eventing.console.session.idle-timeout=3s").start();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    /** A signed-in browser: its cookie and the CSRF token the sign-in answered. */
    record Browser(String cookie, String csrf) {}

    @Test
    void shouldSignInUseAndSignOutWhenAdminTokenIsGiven() {
        // given
        AdminApiServer.Response signIn = signIn(AdminApiServer.ADMIN_TOKEN);
        Browser browser = browser(signIn);

        // when
        AdminApiServer.Response read = send(browser, "GET", "/v1/apps", null, true);
        AdminApiServer.Response again = send(browser, "GET", "/v1/session", null, false);
        AdminApiServer.Response write =
                send(browser, "POST", "/v1/apps", Fixtures.app("session-admin-app", "", ""), true);
        AdminApiServer.Response signOut = send(browser, "DELETE", "/v1/session", null, true);
        AdminApiServer.Response after = send(browser, "GET", "/v1/apps", null, false);

        // then
        assertThat(signIn.status()).isEqualTo(201);
        assertThat(signIn.header("Set-Cookie")).matches(COOKIE_SHAPE);
        assertThat(signIn.header("Cache-Control")).isEqualTo("no-store");
        assertThat(signIn.json().path("caller").toString()).isEqualTo("{\"kind\":\"admin\"}");
        assertThat(browser.csrf()).matches("[A-Za-z0-9_-]{43}");
        assertThat(signIn.json().path("expiresAt").asString()).isNotBlank();
        assertThat(read.status()).isEqualTo(200);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.header("Cache-Control")).isEqualTo("no-store");
        assertThat(again.json().path("csrfToken").asString()).isEqualTo(browser.csrf());
        assertThat(again.json().path("caller").toString()).isEqualTo("{\"kind\":\"admin\"}");
        assertThat(signIn.json().has("traceUrl")).isTrue();
        assertThat(signIn.json().path("traceUrl").isNull()).isTrue();
        assertThat(again.json().path("traceUrl").isNull()).isTrue();
        assertThat(write.status()).isEqualTo(201);
        assertThat(signOut.status()).isEqualTo(204);
        assertThat(signOut.header("Set-Cookie")).isEqualTo(CLEARED);
        assertThat(after.status()).isEqualTo(401);
        assertThat(after.json().path("type").asString()).isEqualTo("urn:eventing:problem:unauthorized");
        assertThat(after.header("Set-Cookie")).isEqualTo(CLEARED);
    }

    @Test
    void shouldRefuseStateChangeAndChangeNothingWhenCsrfTokenIsMissingOrAnotherSessions() {
        // given
        Browser mine = browser(signIn(AdminApiServer.ADMIN_TOKEN));
        Browser other = browser(signIn(AdminApiServer.ADMIN_TOKEN));
        String app = Fixtures.app("session-csrf-app", "", "");

        // when
        AdminApiServer.Response missing = send(mine, "POST", "/v1/apps", app, false);
        AdminApiServer.Response foreign = send(new Browser(mine.cookie(), other.csrf()), "POST", "/v1/apps", app, true);
        AdminApiServer.Response signOutWithout = send(mine, "DELETE", "/v1/session", null, false);

        // then
        assertThat(missing.status()).isEqualTo(403);
        assertThat(missing.json().path("type").asString()).isEqualTo("urn:eventing:problem:csrf");
        assertThat(missing.json().path("detail").asString()).contains("X-CSRF-Token");
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(foreign.json().path("type").asString()).isEqualTo("urn:eventing:problem:csrf");
        assertThat(signOutWithout.status()).isEqualTo(403);
        assertThat(api.get("/v1/apps/session-csrf-app").status()).isEqualTo(404);
        assertThat(send(mine, "GET", "/v1/session", null, false).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://evil.example", "null", "https://127.0.0.1", "http://localhost:1"})
    void shouldRefuseStateChangeWhenOriginIsNotThisService(String origin) {
        // given
        Browser browser = browser(signIn(AdminApiServer.ADMIN_TOKEN));
        String app = Fixtures.app("session-origin-app", "", "");

        // when
        AdminApiServer.Response refused =
                api.send(request(browser, "POST", "/v1/apps", app, true).header("Origin", origin));
        AdminApiServer.Response sameOrigin =
                api.send(request(browser, "POST", "/v1/apps", app, true).header("Origin", api.baseUrl()));

        // then
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().path("type").asString()).isEqualTo("urn:eventing:problem:csrf");
        assertThat(sameOrigin.status()).isEqualTo(201);
        api.delete("/v1/apps/session-origin-app");
    }

    @Test
    void shouldRefuseSignInWhenOriginIsAnotherSite() {
        // given
        HttpRequest.Builder request = api.request("/v1/session", false)
                .header("Content-Type", "application/json")
                .header("Origin", "http://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString(signInBody(AdminApiServer.ADMIN_TOKEN)));

        // when
        AdminApiServer.Response a = api.send(request);

        // then
        assertThat(a.status()).isEqualTo(403);
        assertThat(a.json().path("type").asString()).isEqualTo("urn:eventing:problem:csrf");
        assertThat(a.header("Set-Cookie")).isNull();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                "garbage",
                "eyJhbGciOiJub25lIn0.eyJhZG1pbiI6dHJ1ZX0.",
                "%00%0d%0a",
                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
            })
    void shouldAnswer401AndClearCookieWhenCookieIsForgedOrGarbage(String cookie) {
        // given
        Browser forged = new Browser(cookie, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");

        // when
        AdminApiServer.Response read = send(forged, "GET", "/v1/apps", null, false);
        AdminApiServer.Response session = send(forged, "GET", "/v1/session", null, false);
        AdminApiServer.Response write =
                send(forged, "POST", "/v1/apps", Fixtures.app("session-forged-app", "", ""), true);

        // then
        assertThat(read.status()).isEqualTo(401);
        assertThat(read.header("Set-Cookie")).isEqualTo(CLEARED);
        assertThat(session.status()).isEqualTo(401);
        assertThat(session.header("Cache-Control")).isEqualTo("no-store");
        assertThat(write.status()).isEqualTo(401);
        assertThat(api.get("/v1/apps/session-forged-app").status()).isEqualTo(404);
    }

    @Test
    void shouldEndSessionWhenIdleLongerThanTimeout() throws InterruptedException {
        // given
        Browser browser = browser(signIn(AdminApiServer.ADMIN_TOKEN));
        assertThat(send(browser, "GET", "/v1/apps", null, false).status()).isEqualTo(200);

        // when
        Thread.sleep(3_500);
        AdminApiServer.Response after = send(browser, "GET", "/v1/apps", null, false);

        // then
        assertThat(after.status()).isEqualTo(401);
        assertThat(after.header("Set-Cookie")).isEqualTo(CLEARED);
    }

    @Test
    void shouldEndAppSessionWhenItsTokenIsRevokedOrItsAppDeleted() {
        // given
        AdminApiServer.Response created = api.post("/v1/apps", Fixtures.app("session-app", "", ""));
        String token = created.json().path("token").asString();
        String tokenId = created.json().path("tokenId").asString();
        String second =
                api.post("/v1/apps/session-app/tokens", "").json().path("token").asString();
        AdminApiServer.Response signIn = signIn(token);
        Browser byFirst = browser(signIn);
        Browser bySecond = browser(signIn(second));
        AdminApiServer.Response before = send(byFirst, "GET", "/v1/apps/session-app", null, false);

        // when
        api.delete("/v1/apps/session-app/tokens/" + tokenId);
        AdminApiServer.Response afterRevoke = send(byFirst, "GET", "/v1/apps/session-app", null, false);
        AdminApiServer.Response otherToken = send(bySecond, "GET", "/v1/apps/session-app", null, false);
        api.delete("/v1/apps/session-app");
        AdminApiServer.Response afterDelete = send(bySecond, "GET", "/v1/event-types", null, false);

        // then
        assertThat(signIn.json().path("caller").toString()).isEqualTo("{\"kind\":\"app\",\"app\":\"session-app\"}");
        assertThat(before.status()).isEqualTo(200);
        assertThat(afterRevoke.status()).isEqualTo(401);
        assertThat(afterRevoke.header("Set-Cookie")).isEqualTo(CLEARED);
        assertThat(otherToken.status()).isEqualTo(200);
        assertThat(afterDelete.status()).isEqualTo(401);
    }

    @Test
    void shouldAnswer401WithoutCookieWhenSignInTokenIsWrong() {
        // given
        String wrong = AdminApiServer.ADMIN_TOKEN + "x";

        // when
        AdminApiServer.Response a = signIn(wrong);

        // then
        assertThat(a.status()).isEqualTo(401);
        assertThat(a.json().path("type").asString()).isEqualTo("urn:eventing:problem:unauthorized");
        assertThat(a.header("Set-Cookie")).isNull();
        assertThat(a.header("Cache-Control")).isEqualTo("no-store");
        assertThat(a.body()).doesNotContain(wrong);
    }

    @Test
    void shouldRefuseSignInNamingTheMemberWhenBodyIsOdd() {
        // given
        List<String> bodies = List.of(
                "{\"token\": 5}",
                "{}",
                "{\"token\": null}",
                "{\"token\": \"\"}",
                "{\"token\": \"" + "a".repeat(513) + "\"}",
                "{\"token\": [\"" + AdminApiServer.ADMIN_TOKEN + "\"]}");
        List<String> answers = new ArrayList<>();

        // when
        for (String body : bodies) {
            AdminApiServer.Response a = api.send(api.request("/v1/session", false)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)));
            answers.add(a.status() + " " + a.errors() + " " + a.header("Set-Cookie"));
        }
        AdminApiServer.Response extra = api.send(api.request("/v1/session", false)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"token\": \"" + AdminApiServer.ADMIN_TOKEN + "\", \"admin\": true}")));
        AdminApiServer.Response notJson = api.send(api.request("/v1/session", false)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + AdminApiServer.ADMIN_TOKEN)));
        AdminApiServer.Response form = api.send(api.request("/v1/session", false)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + AdminApiServer.ADMIN_TOKEN)));

        // then
        assertThat(answers)
                .containsExactly(
                        "422 [/token: token must be a string] null",
                        "422 [/token: token is required: the admin token or an app token] null",
                        "422 [/token: token is required: the admin token or an app token] null",
                        "422 [/token: token must be 1 to 512 characters] null",
                        "422 [/token: token must be 1 to 512 characters] null",
                        "422 [/token: token must be a string] null");
        assertThat(extra.status()).isEqualTo(400);
        assertThat(extra.json().path("detail").asString()).contains("admin");
        assertThat(extra.header("Set-Cookie")).isNull();
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.body()).doesNotContain(AdminApiServer.ADMIN_TOKEN);
        assertThat(form.status()).isEqualTo(415);
        assertThat(form.header("Set-Cookie")).isNull();
    }

    @Test
    void shouldLetAuthorizationHeaderWinOverCookie() {
        // given
        Browser admin = browser(signIn(AdminApiServer.ADMIN_TOKEN));

        // when
        AdminApiServer.Response wrongHeader = api.send(
                request(admin, "GET", "/v1/apps", null, false).header("Authorization", "Bearer not-a-token-at-all"));
        AdminApiServer.Response basic = api.send(request(admin, "GET", "/v1/apps", null, false)
                .header(
                        "Authorization",
                        "Basic "
                                + java.util.Base64.getEncoder()
                                        .encodeToString(("admin:" + AdminApiServer.ADMIN_TOKEN).getBytes())));

        // then
        assertThat(wrongHeader.status()).isEqualTo(401);
        assertThat(basic.status()).isEqualTo(401);
    }

    @Test
    void shouldNotTakeSessionCookieOnRegistryWrites() {
        // given
        Browser admin = browser(signIn(AdminApiServer.ADMIN_TOKEN));
        String schema = "{\"schema\": \"{\\\"type\\\": \\\"string\\\"}\"}";

        // when
        AdminApiServer.Response write = api.send(request(admin, "POST", "/subjects/session-value/versions", null, true)
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(schema)));
        AdminApiServer.Response config = api.send(request(admin, "PUT", "/config", null, true)
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"compatibility\": \"NONE\"}")));

        // then
        assertThat(write.status()).isEqualTo(401);
        assertThat(config.status()).isEqualTo(401);
        assertThat(api.get("/subjects").body()).doesNotContain("session-value");
    }

    @Test
    void shouldThrottleSignInsWhenAddressFailedTooOften(KafkaBroker kafka) {
        // given
        try (AdminApiServer throttled =
                new AdminApiServer(kafka, "--eventing.console.session.sign-in-failures-per-minute=3").start()) {
            List<Integer> failures = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                failures.add(signIn(throttled, "wrong-token-" + i).status());
            }

            // when
            AdminApiServer.Response right = signIn(throttled, AdminApiServer.ADMIN_TOKEN);

            // then
            assertThat(failures).containsExactly(401, 401, 401);
            assertThat(right.status()).isEqualTo(429);
            assertThat(right.json().path("type").asString()).isEqualTo("urn:eventing:problem:rate-limited");
            assertThat(Integer.parseInt(right.header("Retry-After"))).isBetween(1, 61);
            assertThat(right.header("Set-Cookie")).isNull();
        }
    }

    private static AdminApiServer.Response signIn(String token) {
        return signIn(api, token);
    }

    private static AdminApiServer.Response signIn(AdminApiServer server, String token) {
        return server.send(server.request("/v1/session", false)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(signInBody(token))));
    }

    private static String signInBody(String token) {
        return "{\"token\": \"" + token + "\"}";
    }

    static Browser browser(AdminApiServer.Response signIn) {
        assertThat(signIn.status()).isEqualTo(201);
        String cookie = signIn.header("Set-Cookie");
        return new Browser(
                cookie.substring("eventing_session=".length(), cookie.indexOf(';')),
                signIn.json().path("csrfToken").asString());
    }

    private static AdminApiServer.Response send(
            Browser browser, String method, String path, String json, boolean withCsrf) {
        return api.send(request(browser, method, path, json, withCsrf));
    }

    static HttpRequest.Builder request(Browser browser, String method, String path, String json, boolean withCsrf) {
        HttpRequest.Builder b = api.request(path, false).header("Cookie", "eventing_session=" + browser.cookie());
        if (withCsrf) {
            b.header("X-CSRF-Token", browser.csrf());
        }
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        return b.method(
                method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    }
}
