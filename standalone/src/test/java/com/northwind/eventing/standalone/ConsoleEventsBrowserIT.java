package com.northwind.eventing.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.standalone.ConsoleBrowser.Console;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The console's events pages in a real browser against the jar: events published through the intake are found by
 * type, one is opened with its stored document, its deliveries and its trace id, a bad parameter is shown at its
 * field, and the stats page draws and tabulates the type's count.
 */
@ExtendWith(ConsoleBrowser.class)
class ConsoleEventsBrowserIT {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TYPE = "Evt.Submitted.Claim";
    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    private static final Duration STORED_WITHIN = Duration.ofSeconds(60);

    @Test
    void shouldSearchOpenAndCountEventsWhenTheAdminUsesTheEventsPages(Console console) throws Exception {
        // given: a type, a producer and a subscriber, and four events in the store (one traced, two tagged, one
        // synthetic)
        StandaloneProcess platform = console.platform;
        WebDriver browser = console.browser;
        WebDriverWait wait = console.wait;
        String producerToken = register(platform, console.adminToken);
        String traced = publish(platform, producerToken, "[]", false, TRACEPARENT);
        String tagged = publish(platform, producerToken, "[\"state:TX\"]", false, null);
        String twoTags = publish(platform, producerToken, "[\"state:TX\", \"evt:rush\"]", false, null);
        String synthetic = publish(platform, producerToken, "[]", true, null);
        awaitStored(platform, console.adminToken, 4);
        awaitDelivered(platform, console.adminToken, traced);

        // when: the admin searches by type
        console.signIn(console.adminToken);
        browser.findElement(By.linkText("Events")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("event-search-type")))
                .sendKeys(TYPE);
        browser.findElement(By.cssSelector("#event-search button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("event-results"), "3 events"));

        // then: the three real events, with their tags; the synthetic one is left out by default
        String results = browser.findElement(By.id("event-results")).getText();
        assertThat(results)
                .contains(traced, tagged, twoTags)
                .contains("state:TX, evt:rush")
                .contains("evt-producer")
                .doesNotContain(synthetic);
        assertThat(browser.getCurrentUrl()).endsWith("#/events?type=Evt.Submitted.Claim");
        console.assertAccessible("events");
        console.screenshot("events");

        // when: the traced event is opened
        browser.findElement(By.linkText(traced)).click();
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "Event " + traced));

        // then: its document as text, its delivery to the subscription and its trace id without a link
        String document = browser.findElement(By.id("event-document")).getText();
        assertThat(document)
                .contains("\"eventId\": \"" + traced + "\"")
                .contains("\"traceparent\": \"" + TRACEPARENT + "\"")
                .contains("\"ssn\": \"***REDACTED***\"")
                .doesNotContain("123-45-6789");
        assertThat(console.section("event-deliveries-h"))
                .contains("evt-claims evt-reader DELIVERED")
                .contains("eventing.sub.evt-claims / 0 /");
        assertThat(browser.findElement(By.id("trace-id")).getText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(browser.findElements(By.id("trace-link"))).isEmpty();
        assertThat(console.section("event-trace-h")).contains("No trace viewer is configured");
        assertThat(browser.findElement(By.linkText(TYPE)).getAttribute("href"))
                .endsWith("/console/#/types/Evt.Submitted.Claim");
        console.assertAccessible("event");
        console.screenshot("event");

        // when: a search names a time the API cannot read
        console.open("#/events?type=Evt.Submitted.Claim&from=yesterday");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("event-search-from-error")));

        // then: the problem is shown at the field, and the form keeps what was asked
        assertThat(browser.findElement(By.id("event-search-from-error")).getText())
                .contains("from");
        assertThat(browser.findElement(By.id("event-search-from")).getAttribute("aria-invalid"))
                .isEqualTo("true");
        assertThat(browser.findElement(By.id("event-search-from")).getAttribute("value"))
                .isEqualTo("yesterday");
        assertThat(browser.findElement(By.id("event-search-type")).getAttribute("value"))
                .isEqualTo(TYPE);
        assertThat(browser.findElement(By.id("error")).isDisplayed()).isFalse();

        // when: the admin opens the stats grouped by type
        browser.findElement(By.linkText("Stats")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("stats-chart")));

        // then: a chart labelled with the type, and a table with its three real events
        assertThat(browser.findElement(By.id("stats-chart")).getText()).contains(TYPE);
        assertThat(browser.findElement(By.cssSelector(".legend")).getText()).contains(TYPE);
        Object counted = console.script("""
                const table = document.getElementById('stats-table');
                const headings = [...table.querySelectorAll('thead th')].map((th) => th.textContent);
                const column = headings.indexOf('%s');
                return [...table.querySelectorAll('tbody tr')]
                    .map((tr) => Number(tr.children[column].textContent))
                    .reduce((a, b) => a + b, 0);""".formatted(TYPE));
        assertThat(counted).isEqualTo(3L);
        assertThat(browser.findElement(By.id("stats-results")).getText()).doesNotContain("null");
        console.scrollTo("#stats-results");
        console.assertAccessible("stats");
        console.screenshot("stats");
        console.signOut();
    }

    /** Registers the type, the apps and the subscription; answers the producer's token. */
    private static String register(StandaloneProcess platform, String token) throws Exception {
        expect(201, platform.post(platform.admin() + "/v1/event-types", token, """
                {"noun": "Evt", "verb": "Submitted", "object": "Claim", "owner": "claims-team",
                 "description": "A claim for the events pages",
                 "schema": {"type": "object", "required": ["claimId"],
                            "properties": {"claimId": {"type": "string"},
                                           "member": {"type": "object",
                                                      "properties": {"ssn": {"type": "string"}}}}},
                 "sensitiveFields": [{"path": "/member/ssn", "classification": "PHI"}],
                 "example": {"claimId": "C-1", "member": {"ssn": "123-45-6789"}}}"""));
        String producer = expect(201, platform.post(platform.admin() + "/v1/apps", token, """
                        {"id": "evt-producer", "team": "claims", "publish": ["Evt.*.*"], "read": []}"""))
                .body();
        expect(201, platform.post(platform.admin() + "/v1/apps", token, """
                {"id": "evt-reader", "team": "bi", "read": []}"""));
        expect(201, platform.post(platform.admin() + "/v1/subscriptions", token, """
                {"id": "evt-claims", "app": "evt-reader", "eventTypes": ["Evt.Submitted.*"], "partitions": 1,
                 "synthetic": "INCLUDE"}"""));
        return JSON.readTree(producer).get("token").asString();
    }

    private static String publish(
            StandaloneProcess platform, String token, String tags, boolean synthetic, String traceparent)
            throws Exception {
        HttpResponse<String> r =
                platform.post(platform.intake() + "/v1/events", token, """
                {"noun": "Evt", "verb": "Submitted", "object": "Claim", "tags": %s, "synthetic": %s,
                 "metadata": {"transactionId": "evt-tx-1"},
                 "body": {"claimId": "C-1", "member": {"ssn": "123-45-6789"}}}""".formatted(tags, synthetic), traceparent);
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("setup failed: " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body()).get("eventId").asString();
    }

    /** Waits until the store (filled through Connect) holds the type's events, synthetic ones included. */
    private static void awaitStored(StandaloneProcess platform, String token, int count) throws Exception {
        long deadline = System.nanoTime() + STORED_WITHIN.toNanos();
        List<String> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = platform.send(platform.admin() + "/v1/events?synthetic=any&type=" + TYPE, token);
            seen.clear();
            if (r.statusCode() == 200) {
                JSON.readTree(r.body())
                        .get("events")
                        .forEach(e -> seen.add(e.get("eventId").asString()));
                if (seen.size() >= count) {
                    return;
                }
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("setup failed: the store holds " + seen + " of " + count + " events");
    }

    private static void awaitDelivered(StandaloneProcess platform, String token, String eventId) throws Exception {
        long deadline = System.nanoTime() + STORED_WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = platform.send(platform.admin() + "/v1/events/" + eventId + "/deliveries", token);
            if (r.statusCode() == 200) {
                JsonNode deliveries = JSON.readTree(r.body()).get("deliveries");
                if (!deliveries.isEmpty()) {
                    return;
                }
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("setup failed: no delivery of " + eventId + " was recorded");
    }

    private static HttpResponse<String> expect(int status, HttpResponse<String> response) {
        return Console.expect(status, response);
    }
}
