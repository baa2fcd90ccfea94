package com.northwind.eventing.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.standalone.ConsoleBrowser.Console;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The self-service pages in a real browser against the jar, signed in with app tokens: an app creates a subscription
 * through the form (a refused filter shown at the filter, the backtest preview counting stored events with the
 * sensitive field redacted as the app would get it), sees its page, its lag and a delivered copy; another app sees none of it,
 * gets the API's 404 on its page, and cannot delete it with its session.
 */
@ExtendWith(ConsoleBrowser.class)
class ConsoleSelfServiceBrowserIT {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final String SSN = "987-65-4321";
    /** The standalone's lag interval (30 s by default) and a margin: by then a round has measured the subscription. */
    private static final Duration LAG_ROUND = Duration.ofSeconds(40);

    @Test
    void shouldCreateAndKeepTheSubscriptionToItsAppWhenAnAppUsesTheSelfServicePages(Console console) throws Exception {
        // given: a type with a sensitive field kept as sent in the store (so only the app's grants redact it in a
        // sample), a producer, two consumer apps cleared for nothing, and three stored events: two NEW, one DENIED
        StandaloneProcess platform = console.platform;
        WebDriver browser = console.browser;
        WebDriverWait wait = console.wait;
        String admin = console.adminToken;
        String producerToken = register(platform, admin);
        String firstToken = issueToken(platform, admin, "self-first");
        String secondToken = issueToken(platform, admin, "self-second");
        for (String status : new String[] {"NEW", "DENIED", "NEW"}) {
            publish(platform, producerToken, status);
        }
        awaitStored(platform, admin, 3);

        try {
            // when: the first app opens the form, chooses the type, types a filter the API refuses, and creates
            console.signIn(firstToken);
            console.open("#/subscriptions/new");
            WebElement id = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sub-id")));
            id.sendKeys("self-claims");
            WebElement type = browser.findElement(By.cssSelector("input[data-event-type='Self.Submitted.Claim']"));
            type.click();
            WebElement filter = browser.findElement(By.id("sub-filter"));
            filter.sendKeys("{\"/status\": []}");
            browser.findElement(By.id("sub-create")).click();

            // then: the API's 422 at the filter, focus on it, and the form as typed
            wait.until(d -> "sub-filter".equals(activeElementId(d)));
            WebElement message = browser.findElement(By.id("sub-filter-error"));
            assertThat(message.isDisplayed()).isTrue();
            assertThat(message.getText()).contains("the conditions of a field are a non-empty list");
            assertThat(filter.getAttribute("aria-invalid")).isEqualTo("true");
            assertThat(filter.getAttribute("aria-describedby")).contains("sub-filter-error");
            assertThat(id.getDomProperty("value")).isEqualTo("self-claims");
            assertThat(type.isSelected()).isTrue();
            assertThat(filter.getDomProperty("value")).isEqualTo("{\"/status\": []}");
            assertThat(browser.findElement(By.id("sub-app")).getDomProperty("value"))
                    .isEqualTo("self-first");
            console.assertAccessible("subscription-form-error");
            console.screenshot("subscription-form-error");

            // when: the filter is fixed
            filter.sendKeys(Keys.chord(Keys.CONTROL, "a"), "{\"/status\": [\"NEW\"]}");

            // then: the preview counts the stored events and shows a copy as the app would get it, SSN redacted
            wait.until(ExpectedConditions.textToBePresentInElementLocated(
                    By.id("backtest-count"), "2 of 3 events of its types would have been received"));
            assertThat(browser.findElement(By.id("sub-filter-error")).isDisplayed())
                    .isFalse();
            assertThat(filter.getAttribute("aria-invalid")).isNull();
            assertThat(console.section("backtest-h"))
                    .contains("Self.Submitted.Claim 2")
                    .contains("content 1");
            String samples = browser.findElement(By.id("backtest-samples")).getText();
            assertThat(samples)
                    .contains("\"ssn\": \"***REDACTED***\"")
                    .contains("/member/ssn")
                    .contains("\"status\": \"NEW\"")
                    .doesNotContain(SSN)
                    .doesNotContain("DENIED");
            console.scrollTo("#backtest-count");
            console.assertAccessible("subscription-backtest");
            console.screenshot("subscription-backtest");

            // when: the app creates it
            browser.findElement(By.id("sub-create")).click();

            // then: the subscription's page, and its deliveries list a copy of an event published after
            wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "self-claims"));
            assertThat(browser.getCurrentUrl()).endsWith("#/subscriptions/self-claims");
            assertThat(console.section("definition-h"))
                    .contains("self-first")
                    .contains("Self.Submitted.Claim")
                    .contains("eventing.sub.self-claims")
                    .contains("\"NEW\"");
            String delivered = publishUntilDelivered(platform, producerToken, admin);
            new Select(browser.findElement(By.id("deliveries-outcome"))).selectByValue("DELIVERED");
            browser.findElement(By.id("deliveries-show")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("deliveries"), delivered));
            assertThat(browser.findElement(By.id("deliveries")).getText())
                    .contains("DELIVERED")
                    .contains("eventing.sub.self-claims")
                    .contains("/member/ssn");

            // then: its lag as admin-api last measured it; nothing consumes the topic, so no group once a round ran
            new WebDriverWait(browser, LAG_ROUND).until(d -> {
                d.findElement(By.id("lag-reload")).click();
                return d.findElement(By.id("lag")).getText().contains("No consumer has read it yet");
            });
            assertThat(console.section("lag-h")).contains("Measured at");
            console.assertAccessible("subscription");
            console.screenshot("subscription");

            console.open("#/subscriptions");
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("subscriptions-list"), "self-claims"));
            assertThat(browser.findElement(By.id("subscriptions-count")).getText())
                    .isEqualTo("1 subscription of app self-first");
            console.assertAccessible("subscriptions");
            console.screenshot("subscriptions");
            console.signOut();

            // when: the second app signs in
            console.signIn(secondToken);
            console.open("#/subscriptions");

            // then: none of the first app's subscriptions, not its page, and no delete with its session
            wait.until(ExpectedConditions.textToBe(By.id("subscriptions-count"), "0 subscriptions of app self-second"));
            assertThat(browser.findElement(By.id("main")).getText()).doesNotContain("self-claims");
            console.open("#/subscriptions/self-claims");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("error")));
            assertThat(browser.findElement(By.id("error")).getText())
                    .isEqualTo("Not found: subscription self-claims does not exist");
            assertThat(browser.findElement(By.id("main")).getText())
                    .doesNotContain("eventing.sub.self-claims")
                    .doesNotContain("Self.Submitted.Claim");
            Object status = ((JavascriptExecutor) browser).executeAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    fetch('/v1/session', {credentials: 'same-origin'})
                      .then((r) => r.json())
                      .then((s) => fetch('/v1/subscriptions/self-claims', {method: 'DELETE', credentials: 'same-origin',
                        headers: {'X-CSRF-Token': s.csrfToken}}))
                      .then((r) => done(r.status), (e) => done(String(e)));""");
            assertThat(status).isEqualTo(404L);
            assertThat(platform.send(platform.admin() + "/v1/subscriptions/self-claims", admin)
                            .statusCode())
                    .isEqualTo(200);
        } finally {
            if (!browser.findElements(By.id("sign-out")).isEmpty()
                    && browser.findElement(By.id("sign-out")).isDisplayed()) {
                console.signOut();
            }
        }
    }

    private static String activeElementId(WebDriver browser) {
        return (String) ((JavascriptExecutor) browser).executeScript("return document.activeElement.id");
    }

    /** Registers the type, the producer and the two consumer apps; answers the producer's token. */
    private static String register(StandaloneProcess platform, String admin) throws Exception {
        Console.expect(201, platform.post(platform.admin() + "/v1/event-types", admin, """
                {"noun": "Self", "verb": "Submitted", "object": "Claim", "owner": "claims-team",
                 "description": "A claim submitted through the self-service test",
                 "schema": {"type": "object", "required": ["claimId"],
                            "properties": {"claimId": {"type": "string"}, "status": {"type": "string"},
                                           "member": {"type": "object",
                                                      "properties": {"ssn": {"type": "string"}}}}},
                 "sensitiveFields": [{"path": "/member/ssn", "classification": "PHI"}],
                 "storePolicy": "KEEP", "retentionDays": 30}"""));
        HttpResponse<String> producer = Console.expect(201, platform.post(platform.admin() + "/v1/apps", admin, """
                {"id": "self-producer", "team": "claims", "publish": ["Self.*.*"], "read": []}"""));
        for (String app : new String[] {"self-first", "self-second"}) {
            Console.expect(201, platform.post(platform.admin() + "/v1/apps", admin, """
                    {"id": "%s", "team": "bi", "read": []}""".formatted(app)));
        }
        return JSON.readTree(producer.body()).get("token").asString();
    }

    private static String issueToken(StandaloneProcess platform, String admin, String app) throws Exception {
        HttpResponse<String> r =
                Console.expect(201, platform.post(platform.admin() + "/v1/apps/" + app + "/tokens", admin, "{}"));
        return JSON.readTree(r.body()).get("token").asString();
    }

    /** Publishes one event, again while the intake has not read the producer yet (401: nothing is written). */
    private static String publish(StandaloneProcess platform, String token, String status) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            HttpResponse<String> r = platform.post(platform.intake() + "/v1/events", token, """
                    {"noun": "Self", "verb": "Submitted", "object": "Claim", "key": "member-7",
                     "metadata": {"transactionId": "self-tx"},
                     "body": {"claimId": "C-7", "status": "%s", "member": {"ssn": "%s"}}}""".formatted(status, SSN));
            if (r.statusCode() == 202) {
                return JSON.readTree(r.body()).get("eventId").asString();
            }
            assertThat(System.nanoTime()).as("the intake takes " + r.body()).isLessThan(deadline);
            Thread.sleep(250);
        }
    }

    private static void awaitStored(StandaloneProcess platform, String admin, int count) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            HttpResponse<String> r =
                    platform.send(platform.admin() + "/v1/events?type=Self.Submitted.Claim&limit=10", admin);
            if (r.statusCode() == 200 && JSON.readTree(r.body()).get("events").size() == count) {
                return;
            }
            assertThat(System.nanoTime()).as("stored: " + r.body()).isLessThan(deadline);
            Thread.sleep(250);
        }
    }

    /**
     * Publishes NEW events until the ledger records one delivered to the subscription (the router reads the new
     * subscription within a moment); answers that event's id.
     */
    private static String publishUntilDelivered(StandaloneProcess platform, String token, String admin)
            throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            String eventId = publish(platform, token, "NEW");
            long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < until) {
                HttpResponse<String> r = platform.send(
                        platform.admin() + "/v1/subscriptions/self-claims/deliveries?outcome=DELIVERED", admin);
                if (r.statusCode() == 200) {
                    for (JsonNode d : JSON.readTree(r.body()).get("deliveries")) {
                        if (d.get("eventId").asString().equals(eventId)) {
                            return eventId;
                        }
                    }
                }
                Thread.sleep(250);
            }
            assertThat(System.nanoTime()).as("a copy delivered to self-claims").isLessThan(deadline);
        }
    }
}
