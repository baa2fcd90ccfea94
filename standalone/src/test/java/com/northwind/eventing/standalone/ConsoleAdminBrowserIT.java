package com.northwind.eventing.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.standalone.ConsoleBrowser.Console;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The console's administration pages in a real browser against the jar, as the admin: an event type registered
 * through the form (a schema that is not JSON and a member the API refuses shown at their fields first), an app
 * registered with its token shown once and revoked after a confirmation, the approvals page, the type's creation in
 * the audit log, the API documents, and the dead letters.
 */
@ExtendWith(ConsoleBrowser.class)
class ConsoleAdminBrowserIT {
    private static final String TYPE = "Adminform.Registered.Claim";
    private static final String APP = "adminform-app";

    /** The browser is shared with the other console tests: each test ends signed out, even when it failed. */
    @AfterEach
    void signOut(Console console) {
        if (!console.browser.findElements(By.id("sign-out")).isEmpty()
                && console.browser.findElement(By.id("sign-out")).isDisplayed()) {
            console.signOut();
        }
    }

    @Test
    void shouldRegisterATypeThroughTheFormWhenItsErrorsAreFixedAtTheirFields(Console console) throws Exception {
        // given
        WebDriver browser = console.browser;
        WebDriverWait wait = console.wait;
        console.signIn(console.adminToken);
        console.open("#/admin/types/new");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("type-noun")));

        // when: a schema that is not JSON
        browser.findElement(By.id("type-noun")).sendKeys("adminform");
        browser.findElement(By.id("type-verb")).sendKeys("Registered");
        browser.findElement(By.id("type-object")).sendKeys("Claim");
        browser.findElement(By.id("type-owner")).sendKeys("claims-team");
        browser.findElement(By.id("type-schema")).sendKeys("{\"type\": \"object\",");
        submit(browser);

        // then: the error is at the schema, and nothing was sent
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("type-schema-error")));
        assertThat(browser.findElement(By.id("type-schema-error")).getText()).startsWith("/schema: is not JSON");
        assertThat(browser.findElement(By.id("type-schema")).getAttribute("aria-invalid"))
                .isEqualTo("true");

        // when: valid JSON, but a noun the API refuses and a sensitive field
        browser.findElement(By.id("type-schema")).clear();
        browser.findElement(By.id("type-schema"))
                .sendKeys("{\"type\": \"object\", \"properties\": {\"claimId\": {\"type\": \"string\"},"
                        + " \"member\": {\"type\": \"object\", \"properties\": {\"ssn\": {\"type\": \"string\"}}}}}");
        browser.findElement(By.xpath("//button[text()='Add a sensitive field']"))
                .click();
        browser.findElement(By.id("type-sensitive-0-path")).sendKeys("/member/ssn");
        browser.findElement(By.id("type-example")).sendKeys("{\"claimId\": \"C-1\"}");
        submit(browser);

        // then: the API's 422 is shown at the noun, the form keeps what was typed
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("type-noun-error")));
        assertThat(browser.findElement(By.id("type-noun-error")).getText()).startsWith("/noun:");
        assertThat(browser.findElement(By.id("type-schema-error")).isDisplayed())
                .isFalse();
        assertThat(browser.findElement(By.id("type-sensitive-0-path")).getAttribute("value"))
                .isEqualTo("/member/ssn");
        assertThat(browser.findElement(By.cssSelector(".error-summary")).getText())
                .contains("/noun:");
        console.assertAccessible("admin-type-form");
        console.screenshot("admin-type-form");

        // when: the noun is fixed
        browser.findElement(By.id("type-noun")).clear();
        browser.findElement(By.id("type-noun")).sendKeys("Adminform");
        submit(browser);

        // then: the type's catalog page, with its sensitive field
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), TYPE));
        assertThat(browser.getCurrentUrl()).endsWith("#/types/" + TYPE);
        assertThat(console.section("sensitive-h")).contains("/member/ssn").contains("PHI");

        // when: the audit log is searched for the type through its form
        console.open("#/admin/audit");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("audit-type")));
        new Select(browser.findElement(By.id("audit-type"))).selectByValue("event-type");
        browser.findElement(By.id("audit-id")).sendKeys(TYPE);
        submit(browser);

        // then (the store's copy of the entry follows within a second or so): its creation by the admin with its after
        wait.until(driver -> {
            if (driver.findElement(By.id("audit-results")).getText().contains("create event-type/" + TYPE)) {
                return true;
            }
            driver.navigate().refresh();
            return false;
        });
        assertThat(browser.getCurrentUrl()).endsWith("#/admin/audit?type=event-type&id=" + TYPE);
        WebElement entry = browser.findElement(By.cssSelector(".audit-entry"));
        assertThat(entry.getText()).contains("admin (console session)");
        assertThat(entry.findElement(By.cssSelector("[id$=-before]")).getText()).isEqualTo("none");
        assertThat(entry.findElement(By.cssSelector("[id$=-after]")).getText())
                .contains("\"eventType\": \"" + TYPE + "\"");
        assertThat(entry.findElement(By.cssSelector("table.diff")).getText())
                .contains("/eventType + added")
                .contains("/owner + added");
        console.assertAccessible("audit");
        console.screenshot("audit");
    }

    @Test
    void shouldShowTheTokenOnceAndRevokeItAfterConfirmingWhenTheAdminRegistersAnApp(Console console) throws Exception {
        // given
        WebDriver browser = console.browser;
        WebDriverWait wait = console.wait;
        console.signIn(console.adminToken);
        console.open("#/admin/apps/new");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("app-id")));

        // when
        browser.findElement(By.id("app-id")).sendKeys(APP);
        browser.findElement(By.id("app-team")).sendKeys("claims");
        browser.findElement(By.id("app-publish")).sendKeys("Adminform.*.*\nAdminapp.*.*");
        browser.findElement(By.id("app-read")).sendKeys("PHI");
        submit(browser);

        // then: the token once, in the marked box, and nowhere a script could find it later
        WebElement secret = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("secret-token")));
        String token = secret.getAttribute("value");
        String tokenId = browser.findElement(By.id("secret-token-id")).getAttribute("value");
        assertThat(token).startsWith("evt_");
        assertThat(tokenId).startsWith("tok_");
        assertThat(browser.findElement(By.cssSelector(".secret h2")).getText())
                .isEqualTo("Shown once The credentials of " + APP);
        String kept = (String)
                console.script(
                        "return JSON.stringify(localStorage) + JSON.stringify(sessionStorage) + location.href + history.length");
        assertThat(kept).doesNotContain(token);
        console.assertAccessible("admin-app-created");
        console.screenshot("admin-app-created");

        // when: its page is opened
        browser.findElement(By.linkText("Go to " + APP)).click();
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), APP));

        // then: its definition and token id, not the token
        assertThat(console.section("app-def-h"))
                .contains("Adminform.*.*")
                .contains("Adminapp.*.*")
                .contains("PHI");
        assertThat(console.section("app-tokens-h")).contains(tokenId).doesNotContain(token);

        // when: the admin asks to revoke it, then cancels
        browser.findElement(By.xpath("//button[text()='Revoke " + tokenId + "…']"))
                .click();
        browser.findElement(By.xpath("//button[text()='Cancel']")).click();

        // then: nothing is revoked: the token still signs in through the API
        assertThat(signsIn(console, token)).isEqualTo(200);

        // when: the admin asks again and confirms
        browser.findElement(By.xpath("//button[text()='Revoke " + tokenId + "…']"))
                .click();
        browser.findElement(By.xpath("//button[text()='Revoke " + tokenId + "']"))
                .click();

        // then
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("app-tokens"), "The app has no token."));
        wait.until(driver -> signsIn(console, token) == 401);
    }

    @Test
    void shouldShowTheRequestsTheApiListsWhenTheAdminOpensApprovals(Console console) throws Exception {
        // given what the API lists as pending (approvals of subscriptions are off in the shared standalone)
        WebDriver browser = console.browser;
        WebDriverWait wait = console.wait;
        JsonNode pending = JsonMapper.builder()
                .build()
                .readTree(ConsoleBrowser.Console.expect(
                                200,
                                console.platform.send(
                                        console.admin() + "/v1/requests?state=PENDING", console.adminToken))
                        .body())
                .get("items");
        console.signIn(console.adminToken);

        // when
        console.open("#/admin/requests");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("pending-h")));

        // then
        assertThat(browser.findElements(By.cssSelector("section[aria-labelledby=pending-h] .request")))
                .hasSize(pending.size());
        if (pending.isEmpty()) {
            assertThat(console.section("pending-h")).contains("No request is waiting for a decision.");
        }
        assertThat(console.section("decided-h")).contains("Show");
    }

    @Test
    void shouldFindAnOperationAndItsBodyWhenTheApiPageIsFiltered(Console console) throws Exception {
        // given
        WebDriver browser = console.browser;
        WebDriverWait wait = console.wait;
        console.signIn(console.adminToken);
        console.open("#/api");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("api-filter")));

        // when
        browser.findElement(By.id("api-filter")).sendKeys("post /v1/subscriptions");
        WebElement operation = browser.findElement(By.id("op-POST--v1-subscriptions"));
        operation.findElement(By.tagName("summary")).click();

        // then
        assertThat(operation.findElement(By.tagName("summary")).getText()).startsWith("POST /v1/subscriptions ");
        assertThat(operation.getText())
                .contains("application/json SubscriptionRequest yes")
                .contains("urn:eventing:problem:validation")
                .contains("201");
        assertThat(browser.findElements(By.id("op-GET--v1-apps"))).isEmpty();
        console.assertAccessible("api");
        console.screenshot("api");

        // when: the intake's document
        console.open("#/api?doc=intake");

        // then
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("api-operations"), "/v1/events/batch"));
    }

    @Test
    void shouldListDeadLettersOrSayThereAreNoneWhenTheAdminOpensThem(Console console) throws Exception {
        // given
        WebDriver browser = console.browser;
        WebDriverWait wait = console.wait;
        console.signIn(console.adminToken);

        // when
        console.open("#/admin/dead-letters");

        // then: the page the API's answer makes (the shared platform has no dead letters unless a test made one)
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("dead-letters"), "on this page"));
        assertThat(browser.findElement(By.id("error")).isDisplayed()).isFalse();
        console.assertAccessible("dead-letters");
        console.screenshot("dead-letters");
    }

    private static int signsIn(Console console, String token) {
        try {
            return console.platform.send(console.admin() + "/v1/catalog", token).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void submit(WebDriver browser) {
        browser.findElement(By.cssSelector("main form button[type=submit]")).click();
    }
}
