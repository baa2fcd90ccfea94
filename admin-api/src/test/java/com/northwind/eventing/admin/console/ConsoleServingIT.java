package com.northwind.eventing.admin.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.admin.AdminApiServer;
import com.northwind.eventing.admin.AdminApiServer.Response;
import com.northwind.eventing.common.testing.KafkaBroker;
import com.northwind.eventing.common.testing.KafkaClusterExtension;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The console's files on the real admin-api: content types, caching, the security headers, and the root. */
@ExtendWith(KafkaClusterExtension.class)
class ConsoleServingIT {
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private static AdminApiServer api;

    @BeforeAll
    static void start(KafkaBroker broker) {
        api = new AdminApiServer(broker).start();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @ParameterizedTest
    @CsvSource({
        "/console/, text/html;charset=UTF-8",
        "/console/index.html, text/html;charset=UTF-8",
        "/console/app.js, text/javascript;charset=UTF-8",
        "/console/catalog.js, text/javascript;charset=UTF-8",
        "/console/console.css, text/css;charset=UTF-8"
    })
    void shouldServeEachFileWithItsTypeAndTheSecurityHeadersWhenAskedWithoutAToken(String path, String type) {
        // when
        Response r = api.getWithoutToken(path);

        // then
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).isEqualTo(type);
        assertThat(r.header("Content-Security-Policy")).isEqualTo(CSP);
        assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(r.header("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(r.header("Cache-Control")).isEqualTo("no-cache");
        assertThat(r.header("ETag")).startsWith("\"");
    }

    @Test
    void shouldAnswer304WhenTheBrowserHasTheSameFile() {
        // given
        String etag = api.getWithoutToken("/console/app.js").header("ETag");

        // when
        Response again = api.send(api.request("/console/app.js", false).header("If-None-Match", etag));

        // then
        assertThat(again.status()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
    }

    @Test
    void shouldHoldNoInlineScriptOrStyleNorAnythingFromElsewhereWhenThePageIsRead() {
        // when
        String page = api.getWithoutToken("/console/").body();

        // then: every script and stylesheet is a file of the console itself, which the CSP allows
        assertThat(page)
                .doesNotContainPattern("<script(?![^>]*\\ssrc=)")
                .doesNotContain("<style")
                .doesNotContain(" style=");
        Matcher m = Pattern.compile("(?:src|href)=\"([^\"#]+)\"").matcher(page);
        while (m.find()) {
            assertThat(m.group(1)).doesNotContain("//").doesNotContain(":");
        }
    }

    @Test
    void shouldSendABrowserToTheConsoleWhenItAsksForTheRootAsHtml() {
        // when
        Response r = api.send(api.request("/", false)
                .header("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"));

        // then
        assertThat(r.status()).isEqualTo(302);
        assertThat(r.header("Location")).isEqualTo("/console/");
        assertThat(r.header("Content-Security-Policy")).isEqualTo(CSP);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "application/vnd.schemaregistry.v1+json", "*/*", "application/json"})
    void shouldKeepAnsweringTheRegistryRootWhenTheClientIsNotABrowser(String accept) {
        // given
        var request = api.request("/", false);
        if (!accept.isEmpty()) {
            request.header("Accept", accept);
        }

        // when
        Response r = api.send(request);

        // then
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{}");
        assertThat(r.header("Content-Security-Policy")).isNull();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/console/missing.js",
                "/console/../admin-api.yml",
                "/console/%2e%2e/admin-api.yml",
                "/console/..%2Fadmin-api.yml",
                "/console/application.properties",
                "/console/com/northwind/eventing/admin/AdminApiApplication.class",
                "/console/INDEX.HTML",
                "/console/index.html%00.js",
                "/console/.hidden.js"
            })
    void shouldServeNothingElseWhenTheFileNameIsNotAConsoleFile(String path) {
        // when
        Response r = api.getWithoutToken(path);

        // then
        assertThat(r.status()).isIn(400, 404);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.body()).doesNotContain("admin-token").doesNotContain("package com");
    }

    @Test
    void shouldAnswer405WhenAConsoleFileIsPosted() {
        // when
        Response r = api.send(
                api.request("/console/app.js", false).POST(java.net.http.HttpRequest.BodyPublishers.ofString("x")));

        // then
        assertThat(r.status()).isEqualTo(405);
        assertThat(r.header("Allow")).isEqualTo("GET");
    }
}
