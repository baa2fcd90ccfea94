package com.northwind.eventing.common.redaction;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.common.model.EventType;
import com.northwind.eventing.common.model.EventTypeVersion;
import com.northwind.eventing.common.model.ReadGrant;
import com.northwind.eventing.common.model.SensitiveField;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class RedactionPlanTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static JsonNode json(String text) {
        return JSON.readTree(text);
    }

    private static List<ReadGrant> grants(String... grants) {
        return java.util.Arrays.stream(grants).map(ReadGrant::parse).toList();
    }

    @Test
    void shouldRedactFieldWhenAppHasNoGrant() {
        RedactionPlan plan = RedactionPlan.compile(List.of(new SensitiveField("/member/ssn", "PHI")), grants());

        RedactionPlan.Redacted result = plan.apply(json("{\"member\":{\"ssn\":\"123-45-6789\",\"id\":\"M1\"}}"));

        assertThat(result.body()).isEqualTo(json("{\"member\":{\"ssn\":\"***REDACTED***\",\"id\":\"M1\"}}"));
        assertThat(result.paths()).containsExactly("/member/ssn");
    }

    @Test
    void shouldKeepFieldWhenAppIsClearedForItsClassification() {
        RedactionPlan plan = RedactionPlan.compile(
                List.of(new SensitiveField("/member/ssn", "PHI"), new SensitiveField("/card", "PCI")), grants("PHI"));

        RedactionPlan.Redacted result = plan.apply(json("{\"member\":{\"ssn\":\"123\"},\"card\":\"4111\"}"));

        assertThat(result.body()).isEqualTo(json("{\"member\":{\"ssn\":\"123\"},\"card\":\"***REDACTED***\"}"));
        assertThat(result.paths()).containsExactly("/card");
        assertThat(plan.redactedFields()).containsExactly(new SensitiveField("/card", "PCI"));
    }

    @Test
    void shouldKeepFieldWhenAppIsClearedForItsExactPath() {
        RedactionPlan plan = RedactionPlan.compile(
                List.of(new SensitiveField("/member/ssn", "PHI"), new SensitiveField("/member/dob", "PHI")),
                grants("/member/ssn"));

        RedactionPlan.Redacted result = plan.apply(json("{\"member\":{\"ssn\":\"123\",\"dob\":\"1970-01-01\"}}"));

        assertThat(result.body()).isEqualTo(json("{\"member\":{\"ssn\":\"123\",\"dob\":\"***REDACTED***\"}}"));
        assertThat(result.paths()).containsExactly("/member/dob");
    }

    @Test
    void shouldRedactEveryElementWhenPathHasAStar() {
        RedactionPlan plan = RedactionPlan.compile(List.of(new SensitiveField("/lines/*/member/ssn", "PHI")), grants());

        RedactionPlan.Redacted result = plan.apply(
                json("{\"lines\":[{\"member\":{\"ssn\":\"1\"}},{\"member\":{}},{\"member\":{\"ssn\":\"3\"}}]}"));

        assertThat(result.body())
                .isEqualTo(json("{\"lines\":[{\"member\":{\"ssn\":\"***REDACTED***\"}},{\"member\":{}},"
                        + "{\"member\":{\"ssn\":\"***REDACTED***\"}}]}"));
        assertThat(result.paths()).containsExactly("/lines/0/member/ssn", "/lines/2/member/ssn");
    }

    @Test
    void shouldRedactArraysInArraysWhenPathHasTwoStars() {
        RedactionPlan plan = RedactionPlan.compile(List.of(new SensitiveField("/grid/*/*", "PII")), grants());

        RedactionPlan.Redacted result = plan.apply(json("{\"grid\":[[\"a\",\"b\"],[],[\"c\"]]}"));

        assertThat(result.body())
                .isEqualTo(json("{\"grid\":[[\"***REDACTED***\",\"***REDACTED***\"],[],[\"***REDACTED***\"]]}"));
        assertThat(result.paths()).containsExactly("/grid/0/0", "/grid/0/1", "/grid/2/0");
    }

    @Test
    void shouldRedactWholeSubtreeWhenFieldIsAnObject() {
        RedactionPlan plan = RedactionPlan.compile(List.of(new SensitiveField("/member", "PII")), grants());

        RedactionPlan.Redacted result = plan.apply(json("{\"member\":{\"ssn\":\"1\",\"names\":[\"x\"]},\"n\":1}"));

        assertThat(result.body()).isEqualTo(json("{\"member\":\"***REDACTED***\",\"n\":1}"));
        assertThat(result.paths()).containsExactly("/member");
    }

    @Test
    void shouldSkipPathWhenBodyDoesNotHaveIt() {
        RedactionPlan plan = RedactionPlan.compile(
                List.of(new SensitiveField("/member/ssn", "PHI"), new SensitiveField("/lines/*/ssn", "PHI")), grants());

        RedactionPlan.Redacted result = plan.apply(json("{\"member\":\"M1\",\"lines\":{\"x\":1},\"other\":2}"));

        assertThat(result.body()).isEqualTo(json("{\"member\":\"M1\",\"lines\":{\"x\":1},\"other\":2}"));
        assertThat(result.paths()).isEmpty();
    }

    @Test
    void shouldRedactByIndexWhenPathNamesAnArrayElement() {
        RedactionPlan plan = RedactionPlan.compile(List.of(new SensitiveField("/codes/1", "PII")), grants());

        RedactionPlan.Redacted result = plan.apply(json("{\"codes\":[\"a\",\"b\",\"c\"]}"));

        assertThat(result.body()).isEqualTo(json("{\"codes\":[\"a\",\"***REDACTED***\",\"c\"]}"));
        assertThat(result.paths()).containsExactly("/codes/1");
    }

    @Test
    void shouldEscapeConcretePathWhenMemberNameHasSlashOrTilde() {
        RedactionPlan plan = RedactionPlan.compile(List.of(new SensitiveField("/a~1b/c~0d", "PII")), grants());

        RedactionPlan.Redacted result = plan.apply(json("{\"a/b\":{\"c~d\":\"secret\"}}"));

        assertThat(result.body()).isEqualTo(json("{\"a/b\":{\"c~d\":\"***REDACTED***\"}}"));
        assertThat(result.paths()).containsExactly("/a~1b/c~0d");
    }

    @Test
    void shouldLeaveOriginalUnchangedWhenRedacting() {
        RedactionPlan plan = RedactionPlan.compile(List.of(new SensitiveField("/lines/*/ssn", "PHI")), grants());
        JsonNode original = json("{\"lines\":[{\"ssn\":\"1\"}]}");

        plan.apply(original);

        assertThat(original).isEqualTo(json("{\"lines\":[{\"ssn\":\"1\"}]}"));
    }

    @Test
    void shouldLeaveOriginalUnchangedWhenSeveralPathsCrossTheSameContainers() {
        RedactionPlan plan = RedactionPlan.compile(
                List.of(
                        new SensitiveField("/lines/*/ssn", "PHI"),
                        new SensitiveField("/lines/*/dob", "PHI"),
                        new SensitiveField("/lines/1", "PHI"),
                        new SensitiveField("/member/*", "PII")),
                grants());
        String text = "{\"lines\":[{\"ssn\":\"1\",\"dob\":\"d1\",\"id\":1},{\"ssn\":\"2\"}],"
                + "\"member\":{\"a\":\"x\",\"b\":{\"c\":\"y\"}},\"claim\":{\"id\":\"C1\"}}";
        JsonNode original = json(text);

        RedactionPlan.Redacted first = plan.apply(original);
        RedactionPlan.Redacted second = plan.apply(original);

        assertThat(original).isEqualTo(json(text));
        assertThat(first.body())
                .isEqualTo(json("{\"lines\":[{\"ssn\":\"***REDACTED***\",\"dob\":\"***REDACTED***\",\"id\":1},"
                        + "\"***REDACTED***\"],\"member\":{\"a\":\"***REDACTED***\",\"b\":\"***REDACTED***\"},"
                        + "\"claim\":{\"id\":\"C1\"}}"));
        assertThat(first.paths())
                .containsExactly("/lines/0/ssn", "/lines/1/ssn", "/lines/0/dob", "/lines/1", "/member/a", "/member/b");
        assertThat(second).isEqualTo(first);
    }

    @Test
    void shouldBeEmptyWhenAppIsClearedForEveryField() {
        RedactionPlan plan = RedactionPlan.compile(
                List.of(new SensitiveField("/ssn", "PHI"), new SensitiveField("/card", "PCI")), grants("PHI", "PCI"));

        RedactionPlan.Redacted result = plan.apply(json("{\"ssn\":\"1\",\"card\":\"2\"}"));

        assertThat(plan.isEmpty()).isTrue();
        assertThat(plan).isSameAs(RedactionPlan.NONE);
        assertThat(result.body()).isEqualTo(json("{\"ssn\":\"1\",\"card\":\"2\"}"));
        assertThat(result.paths()).isEmpty();
    }

    @Test
    void shouldListPathOnceWhenTwoFieldsCoverIt() {
        RedactionPlan plan = RedactionPlan.compile(
                List.of(new SensitiveField("/lines/*/ssn", "PHI"), new SensitiveField("/lines/0/ssn", "PII")),
                grants());

        RedactionPlan.Redacted result = plan.apply(json("{\"lines\":[{\"ssn\":\"1\"}]}"));

        assertThat(result.paths()).containsExactly("/lines/0/ssn");
    }

    @Test
    void shouldKeepTheRestOfTheTextAsItCameWhenRedactingText() {
        RedactionPlan plan = RedactionPlan.compile(List.of(new SensitiveField("/member", "PHI")), grants());
        String body = "{ \"amount\" : 125.10,\n \"huge\": 1E+400, \"member\": {\"ssn\": \"123-45-6789\"},"
                + " \"note\": \"caf\\u00e9\" }";

        RedactionPlan.RedactedText result = plan.apply(body);

        assertThat(result.body())
                .isEqualTo("{ \"amount\" : 125.10,\n \"huge\": 1E+400, \"member\": \"***REDACTED***\","
                        + " \"note\": \"caf\\u00e9\" }");
        assertThat(result.paths()).containsExactly("/member");
    }

    @Test
    void shouldListInnerPathFirstWhenItIsDeclaredBeforeTheValueHoldingIt() {
        RedactionPlan plan = RedactionPlan.compile(
                List.of(new SensitiveField("/member/ssn", "PHI"), new SensitiveField("/member", "PII")), grants());
        String body = "{\"member\":{\"ssn\":\"123\",\"id\":\"M1\"}}";

        RedactionPlan.RedactedText text = plan.apply(body);

        assertThat(text.body()).isEqualTo("{\"member\":\"***REDACTED***\"}");
        assertThat(text.paths())
                .containsExactly("/member/ssn", "/member")
                .isEqualTo(plan.apply(json(body)).paths());
    }

    @Test
    void shouldGiveTheTextItselfWhenTextHasNoneOfThePaths() {
        RedactionPlan plan = RedactionPlan.compile(List.of(new SensitiveField("/member/ssn", "PHI")), grants());
        String body = "{\"member\":[{\"ssn\":\"123\"}]}";

        assertThat(plan.apply(body).body()).isSameAs(body);
        assertThat(plan.apply(body).paths()).isEmpty();
    }

    @Test
    void shouldRedactEveryOccurrenceWhenTextRepeatsAMember() {
        // The intake refuses duplicate members; a body that has them anyway is redacted more, never less.
        RedactionPlan plan = RedactionPlan.compile(List.of(new SensitiveField("/member/ssn", "PHI")), grants());

        RedactionPlan.RedactedText result =
                plan.apply("{\"member\":{\"ssn\":\"111\"},\"member\":{\"ssn\":\"222\",\"ssn\":\"333\"}}");

        assertThat(result.body()).doesNotContain("111", "222", "333");
        assertThat(result.paths()).containsExactly("/member/ssn");
    }

    @Test
    void shouldRedactFieldsOfLaterVersionsWhenEventIsStampedWithAnEarlierOne() {
        EventType type = type(
                List.of(new SensitiveField("/member/ssn", "PHI"), new SensitiveField("/member/plan", "PII")),
                List.of(new SensitiveField("/member/ssn", "PHI"), new SensitiveField("/member/dob", "PHI")));

        RedactionPlan v1 = RedactionPlan.compile(type, 1, grants());
        RedactionPlan v2 = RedactionPlan.compile(type, 2, grants());
        RedactionPlan v1Cleared = RedactionPlan.compile(type, 1, grants("PHI"));

        String body = "{\"member\":{\"ssn\":\"123\",\"plan\":\"gold\",\"dob\":\"1970-01-01\"}}";
        assertThat(v1.apply(body).body())
                .isEqualTo("{\"member\":{\"ssn\":\"***REDACTED***\",\"plan\":\"***REDACTED***\","
                        + "\"dob\":\"***REDACTED***\"}}");
        assertThat(v1.apply(body).paths()).containsExactly("/member/ssn", "/member/plan", "/member/dob");
        assertThat(v2.apply(body).paths()).containsExactly("/member/ssn", "/member/dob");
        assertThat(v1Cleared.apply(body).paths()).containsExactly("/member/plan");
    }

    @Test
    void shouldRedactAPathOnceWhenItIsDeclaredUnderTwoClassificationsAndOneIsNotCleared() {
        RedactionPlan plan = RedactionPlan.compile(
                List.of(new SensitiveField("/member/dob", "PII"), new SensitiveField("/member/dob", "PHI")),
                grants("PII"));

        RedactionPlan.RedactedText result = plan.apply("{\"member\":{\"dob\":\"1970-01-01\"}}");

        assertThat(result.body()).isEqualTo("{\"member\":{\"dob\":\"***REDACTED***\"}}");
        assertThat(result.paths()).containsExactly("/member/dob");
        assertThat(plan.redactedFields()).containsExactly(new SensitiveField("/member/dob", "PHI"));
    }

    @Test
    void shouldNameTheFieldThatHidesAFilteredPathWhenThePathIsAtUnderOrTheArrayOfIt() {
        RedactionPlan plan = RedactionPlan.compile(
                List.of(
                        new SensitiveField("/member/ssn", "PHI"),
                        new SensitiveField("/lines/*/code", "PII"),
                        new SensitiveField("/codes/*", "PII"),
                        new SensitiveField("/grid/2", "PII"),
                        new SensitiveField("/card", "PCI")),
                grants("PCI"));

        assertThat(plan.hiding("/member/ssn")).isEqualTo(new SensitiveField("/member/ssn", "PHI"));
        assertThat(plan.hiding("/member/ssn/last4")).isEqualTo(new SensitiveField("/member/ssn", "PHI"));
        assertThat(plan.hiding("/lines/3/code")).isEqualTo(new SensitiveField("/lines/*/code", "PII"));
        assertThat(plan.hiding("/codes")).isEqualTo(new SensitiveField("/codes/*", "PII"));
        assertThat(plan.hiding("/codes/0")).isEqualTo(new SensitiveField("/codes/*", "PII"));
        assertThat(plan.hiding("/member")).isNull();
        assertThat(plan.hiding("/lines")).isNull();
        assertThat(plan.hiding("/lines/3/amount")).isNull();
        assertThat(plan.hiding("/grid")).isEqualTo(new SensitiveField("/grid/2", "PII"));
        assertThat(plan.hiding("/grid/1")).isNull();
        assertThat(plan.hiding("/card")).isNull();
        assertThat(RedactionPlan.NONE.hiding("/member/ssn")).isNull();
    }

    private static EventType type(List<SensitiveField> v1, List<SensitiveField> v2) {
        JsonNode schema = json("{\"type\":\"object\"}");
        return new EventType(
                "Claim",
                "Submitted",
                "Reconsideration",
                "a claim",
                "claims",
                30,
                null,
                List.of(
                        new EventTypeVersion(1, schema, v1, Instant.EPOCH),
                        new EventTypeVersion(2, schema, v2, Instant.EPOCH)),
                Instant.EPOCH,
                Instant.EPOCH);
    }
}
