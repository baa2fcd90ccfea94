package com.northwind.eventing.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.standalone.ConsoleBrowser.Console;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real browser against the jar: sign in with the admin token, find a type by one of its schema's field
 * names, read its schema, sensitive fields and subscribers, reload (the session comes back without a stored token), and
 * sign out.
 */
@ExtendWith(ConsoleBrowser.class)
class ConsoleBrowserIT {
    @Test
    void shouldFindReadAndSignOutWhenTheAdminSignsInToTheConsole(Console console) throws Exception {
        // given
        StandaloneProcess platform = console.platform;
        WebDriver browser = console.browser;
        WebDriverWait wait = console.wait;
        String token = console.adminToken;
        register(platform, token);

        // when: a browser opens the admin port's root
        browser.get(platform.admin() + "/");

        // then: the console's sign-in page
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        assertThat(browser.getCurrentUrl()).isEqualTo(platform.admin() + "/console/");
        assertThat(browser.findElement(By.id("sign-out")).isDisplayed()).isFalse();
        console.assertAccessible("sign-in");
        console.screenshot("sign-in");

        // when: the admin signs in and searches by a field name of the schema
        browser.findElement(By.id("token")).sendKeys(token);
        browser.findElement(By.id("sign-in")).click();
        WebElement search = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("catalog-q")));
        search.sendKeys("plancode");
        browser.findElement(By.cssSelector("form[role=search] button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.id("catalog-results"), "field:/member/coverages/*/planCode"));

        // then: the type is listed with why it matched
        assertThat(browser.findElement(By.id("caller")).getText()).isEqualTo("Signed in as admin");
        assertThat(browser.findElement(By.id("catalog-results")).getText())
                .contains("Browser.Submitted.Claim")
                .doesNotContain("Browser.Priced.Claim");
        console.assertAccessible("catalog");
        console.screenshot("catalog");

        // when: the admin opens it
        browser.findElement(By.linkText("Browser.Submitted.Claim")).click();
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "Browser.Submitted.Claim"));

        // then: its schema, sensitive fields, subscribers and the diff of its two versions
        assertThat(browser.findElement(By.id("schema-b")).getText()).contains("\"planCode\"");
        assertThat(console.section("sensitive-h")).contains("/member/ssn").contains("PHI");
        assertThat(console.section("subscribers-h")).contains("browser-claims").contains("browser-reader");
        assertThat(console.section("publishers-h")).contains("browser-producer");
        assertThat(browser.findElement(By.cssSelector("table.diff")).getText())
                .contains("/member/coverages/*/planCode + added")
                .contains("/status − removed");
        console.assertAccessible("event-type");
        console.screenshot("event-type");
        console.scrollTo("section[aria-labelledby=schema-h] h3 + p");
        console.screenshot("event-type-diff");
        console.scrollTo("section[aria-labelledby=publishers-h]");
        assertThat((String) console.script("return document.querySelector('.lineage-figure').textContent"))
                .contains("Producers: app browser-producer")
                .contains("Aggregation rules: rule browser-unpriced → Browser.Overdue.Claim")
                .contains("Subscriptions: browser-claims (browser-reader)");
        console.screenshot("event-type-lineage");

        // when: the page is reloaded
        browser.navigate().refresh();

        // then: the session comes back, and no token is kept where scripts could read it
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "Browser.Submitted.Claim"));
        String stored = (String) console.script("return JSON.stringify(localStorage) + JSON.stringify(sessionStorage)"
                + " + document.cookie + location.href");
        assertThat(stored).doesNotContain(token).doesNotContain("eventing_session");

        // when: a page gets an unlabelled field, pale text and a second h1 (the accessibility check itself, shown able
        // to fail)
        console.script("const input = document.createElement('input'); input.id = 'unlabelled';"
                + " const pale = document.createElement('p'); pale.textContent = 'pale text'; pale.style.color = '#bbb';"
                + " const extra = document.createElement('h1'); extra.textContent = 'second';"
                + " document.getElementById('main').append(input, pale, extra);");

        // then: each is named
        assertThat(console.accessibilityProblems())
                .contains("<input#unlabelled> has no label", "the main region has 2 h1 headings, not one")
                .anyMatch(problem -> problem.startsWith("<p> \"pale text\" has contrast 1."));

        // when: the admin signs out
        console.signOut();

        // then: the sign-in page, and the type page is not shown any more after a reload
        assertThat(browser.findElement(By.id("sign-out")).isDisplayed()).isFalse();
        browser.navigate().refresh();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        assertThat(browser.findElements(By.id("schema-b"))).isEmpty();
    }

    private static void register(StandaloneProcess platform, String token) throws Exception {
        String v1 = """
                {"noun": "Browser", "verb": "Submitted", "object": "Claim",
                 "description": "A member asks for a claim to be reconsidered", "owner": "claims-team",
                 "schema": {"type": "object", "required": ["claimId"],
                            "properties": {"claimId": {"type": "string"}, "status": {"type": "string"},
                                           "member": {"type": "object",
                                                      "properties": {"ssn": {"type": "string"}}}}},
                 "sensitiveFields": [{"path": "/member/ssn", "classification": "PHI"}],
                 "retentionDays": 30, "example": {"claimId": "C-1", "member": {"ssn": "123-45-6789"}}}""";
        String v2 = """
                {"noun": "Browser", "verb": "Submitted", "object": "Claim",
                 "description": "A member asks for a claim to be reconsidered", "owner": "claims-team",
                 "schema": {"type": "object", "required": ["claimId"],
                            "properties": {"claimId": {"type": "string"},
                                           "member": {"type": "object",
                                                      "properties": {"ssn": {"type": "string"},
                                                                     "coverages": {"type": "array", "items":
                                                                        {"type": "object", "properties":
                                                                          {"planCode": {"type": "string"}}}}}}}},
                 "sensitiveFields": [{"path": "/member/ssn", "classification": "PHI"}],
                 "retentionDays": 30, "example": {"claimId": "C-1", "member": {"ssn": "123-45-6789"}}}""";
        expect(201, platform.post(platform.admin() + "/v1/event-types", token, v1));
        expect(200, platform.put(platform.admin() + "/v1/event-types/Browser.Submitted.Claim", token, v2));
        expect(201, platform.post(platform.admin() + "/v1/event-types", token, """
                {"noun": "Browser", "verb": "Priced", "object": "Claim", "owner": "pricing-team",
                 "description": "The price of a claim is known", "schema": {"type": "object"},
                 "example": {"claimId": "C-1"}}"""));
        expect(201, platform.post(platform.admin() + "/v1/event-types", token, """
                {"noun": "Browser", "verb": "Overdue", "object": "Claim", "owner": "claims-team",
                 "description": "A claim was not priced in time", "schema": {"type": "object"}}"""));
        expect(201, platform.post(platform.admin() + "/v1/aggregations", token, """
                {"id": "browser-unpriced", "kind": "absence",
                 "start": {"eventType": "Browser.Submitted.Claim", "key": "/claimId", "fields": ["/claimId"]},
                 "expected": {"eventType": "Browser.Priced.Claim", "key": "/claimId"},
                 "deadline": "PT48H", "output": "Browser.Overdue.Claim"}"""));
        expect(201, platform.post(platform.admin() + "/v1/apps", token, """
                {"id": "browser-producer", "team": "claims", "publish": ["Browser.*.*"], "read": []}"""));
        expect(201, platform.post(platform.admin() + "/v1/apps", token, """
                {"id": "browser-reader", "team": "bi", "read": []}"""));
        expect(201, platform.post(platform.admin() + "/v1/subscriptions", token, """
                {"id": "browser-claims", "app": "browser-reader", "eventTypes": ["Browser.Submitted.*"]}"""));
    }

    private static void expect(int status, HttpResponse<String> response) {
        Console.expect(status, response);
    }
}
