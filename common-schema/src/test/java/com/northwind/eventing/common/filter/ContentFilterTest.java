package com.northwind.eventing.common.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.northwind.eventing.common.model.ValidationException;
import com.northwind.eventing.common.model.Violation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.NullNode;

class ContentFilterTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    // --- parsing ---

    @Test
    void shouldLetEverythingThroughWhenFilterIsNull() {
        ContentFilter filter = ContentFilter.parse(null);

        boolean matches = filter.matches(json("{\"status\": \"PENDING\"}"));

        assertThat(filter).isSameAs(ContentFilter.ALL);
        assertThat(matches).isTrue();
    }

    @Test
    void shouldListTheFieldsItReadsWhenAsked() {
        ContentFilter filter = ContentFilter.parse(json("{\"/member/ssn\": [{\"exists\": true}], \"/a~1b\": [\"x\"]}"));

        assertThat(filter.fields()).containsExactly("/member/ssn", "/a~1b");
        assertThat(ContentFilter.ALL.fields()).isEmpty();
    }

    @Test
    void shouldLetEverythingThroughWhenFilterIsJsonNull() {
        ContentFilter filter = ContentFilter.parse(NullNode.getInstance());

        assertThat(filter).isSameAs(ContentFilter.ALL);
    }

    @Test
    void shouldLetEverythingThroughWhenFilterIsAnEmptyObject() {
        ContentFilter filter = ContentFilter.parse(json("{}"));

        boolean matches = filter.matches(json("{}"));

        assertThat(matches).isTrue();
    }

    @Test
    void shouldRejectFilterWhenItIsNotAnObject() {
        JsonNode filter = json("[{\"/status\": [\"APPROVED\"]}]");

        ValidationException thrown = catchThrowableOfType(ValidationException.class, () -> ContentFilter.parse(filter));

        assertThat(thrown.violations())
                .containsExactly(new Violation(
                        "",
                        "a filter is an object whose keys are JSON Pointers into the body and whose values are"
                                + " lists"));
    }

    @Test
    void shouldRejectKeyWhenItIsNotAJsonPointer() {
        JsonNode filter = json("{\"status\": [\"APPROVED\"]}");

        ValidationException thrown = catchThrowableOfType(ValidationException.class, () -> ContentFilter.parse(filter));

        assertThat(thrown.violations())
                .containsExactly(
                        new Violation("/status", "filter field 'status' is not a JSON Pointer: it must start with /"));
    }

    @Test
    void shouldRejectKeyWhenItNamesEveryArrayElement() {
        JsonNode filter = json("{\"/claimLines/*/code\": [\"A1\"]}");

        ValidationException thrown = catchThrowableOfType(ValidationException.class, () -> ContentFilter.parse(filter));

        assertThat(thrown.violations())
                .containsExactly(new Violation(
                        "/~1claimLines~1*~1code", "filter fields name one field; '*' is not allowed here"));
    }

    @Test
    void shouldRejectConditionsWhenTheyAreNotAList() {
        JsonNode filter = json("{\"/status\": \"APPROVED\"}");

        ValidationException thrown = catchThrowableOfType(ValidationException.class, () -> ContentFilter.parse(filter));

        assertThat(thrown.violations())
                .containsExactly(new Violation(
                        "/~1status",
                        "the conditions of a field are a non-empty list, such as [\"APPROVED\", {\"prefix\":"
                                + " \"DEN\"}]"));
    }

    @Test
    void shouldRejectConditionsWhenTheListIsEmpty() {
        JsonNode filter = json("{\"/status\": []}");

        ValidationException thrown = catchThrowableOfType(ValidationException.class, () -> ContentFilter.parse(filter));

        assertThat(thrown.violations()).extracting(Violation::pointer).containsExactly("/~1status");
    }

    @Test
    void shouldRejectConditionWhenObjectHasTwoOperators() {
        JsonNode filter = json("{\"/status\": [\"APPROVED\", {\"prefix\": \"DEN\", \"suffix\": \"ED\"}]}");

        ValidationException thrown = catchThrowableOfType(ValidationException.class, () -> ContentFilter.parse(filter));

        assertThat(thrown.violations())
                .containsExactly(new Violation(
                        "/~1status/1",
                        "a condition is a value or an object with exactly one of prefix, suffix, anything-but,"
                                + " numeric, exists"));
    }

    @Test
    void shouldRejectConditionWhenItIsANestedList() {
        JsonNode filter = json("{\"/status\": [[\"APPROVED\"]]}");

        ValidationException thrown = catchThrowableOfType(ValidationException.class, () -> ContentFilter.parse(filter));

        assertThat(thrown.violations()).extracting(Violation::pointer).containsExactly("/~1status/0");
    }

    @Test
    void shouldRejectOperatorWhenItIsUnknown() {
        JsonNode filter = json("{\"/status\": [{\"regex\": \"^DEN\"}]}");

        ValidationException thrown = catchThrowableOfType(ValidationException.class, () -> ContentFilter.parse(filter));

        assertThat(thrown.violations())
                .containsExactly(new Violation(
                        "/~1status/0/regex",
                        "unknown condition 'regex'; use prefix, suffix, anything-but, numeric or exists"));
    }

    @Test
    void shouldRejectPrefixWhenItIsEmpty() {
        JsonNode filter = json("{\"/status\": [{\"prefix\": \"\"}]}");

        ValidationException thrown = catchThrowableOfType(ValidationException.class, () -> ContentFilter.parse(filter));

        assertThat(thrown.violations())
                .containsExactly(new Violation("/~1status/0/prefix", "prefix takes a non-empty string"));
    }

    @Test
    void shouldRejectSuffixWhenItIsNotAString() {
        JsonNode filter = json("{\"/file\": [{\"suffix\": 5}]}");

        ValidationException thrown = catchThrowableOfType(ValidationException.class, () -> ContentFilter.parse(filter));

        assertThat(thrown.violations())
                .containsExactly(new Violation("/~1file/0/suffix", "suffix takes a non-empty string"));
    }

    @Test
    void shouldRejectExistsWhenItIsNotABoolean() {
        JsonNode filter = json("{\"/member/id\": [{\"exists\": \"yes\"}]}");

        ValidationException thrown = catchThrowableOfType(ValidationException.class, () -> ContentFilter.parse(filter));

        assertThat(thrown.violations())
                .containsExactly(new Violation("/~1member~1id/0/exists", "exists takes true or false"));
    }

    @Test
    void shouldRejectAnythingButWhenTheListIsEmpty() {
        JsonNode filter = json("{\"/state\": [{\"anything-but\": []}]}");

        ValidationException thrown = catchThrowableOfType(ValidationException.class, () -> ContentFilter.parse(filter));

        assertThat(thrown.violations())
                .containsExactly(new Violation(
                        "/~1state/0/anything-but", "anything-but takes a value or a non-empty list of values"));
    }

    @Test
    void shouldRejectAnythingButWhenTheListHoldsAnObject() {
        JsonNode filter = json("{\"/state\": [{\"anything-but\": [\"TX\", {\"prefix\": \"O\"}]}]}");

        ValidationException thrown = catchThrowableOfType(ValidationException.class, () -> ContentFilter.parse(filter));

        assertThat(thrown.violations())
                .containsExactly(new Violation("/~1state/0/anything-but/1", "anything-but lists plain values"));
    }

    @Test
    void shouldRejectNumericWhenItHasAnOperatorWithoutBound() {
        JsonNode filter = json("{\"/amount\": [{\"numeric\": [\">\", 100, \"<=\"]}]}");

        ValidationException thrown = catchThrowableOfType(ValidationException.class, () -> ContentFilter.parse(filter));

        assertThat(thrown.violations())
                .containsExactly(new Violation(
                        "/~1amount/0/numeric",
                        "numeric takes one or two comparisons, such as [\">\", 100] or [\">\", 100, \"<=\", 5000]"));
    }

    @Test
    void shouldRejectNumericWhenABoundIsNotANumber() {
        JsonNode filter = json("{\"/amount\": [{\"numeric\": [\">\", 100, \"<=\", \"5000\"]}]}");

        ValidationException thrown = catchThrowableOfType(ValidationException.class, () -> ContentFilter.parse(filter));

        assertThat(thrown.violations())
                .containsExactly(new Violation("/~1amount/0/numeric/3", "numeric bounds are finite numbers"));
    }

    @Test
    void shouldRejectNumericWhenTheOperatorIsUnknown() {
        JsonNode filter = json("{\"/amount\": [{\"numeric\": [\"!=\", 100]}]}");

        ValidationException thrown = catchThrowableOfType(ValidationException.class, () -> ContentFilter.parse(filter));

        assertThat(thrown.violations())
                .containsExactly(new Violation("/~1amount/0/numeric/0", "numeric operators are =, <, <=, > and >="));
    }

    @Test
    void shouldReportEveryProblemWhenSeveralFieldsAreWrong() {
        JsonNode filter = json("""
                {"/status": ["APPROVED", {"prefix": ""}, {"exists": 1}],
                 "/ok": ["fine"],
                 "amount": [1],
                 "/state": [{"anything-but": [{}]}]}
                """);

        ValidationException thrown = catchThrowableOfType(ValidationException.class, () -> ContentFilter.parse(filter));

        assertThat(thrown.violations())
                .containsExactly(
                        new Violation("/~1status/1/prefix", "prefix takes a non-empty string"),
                        new Violation("/~1status/2/exists", "exists takes true or false"),
                        new Violation("/amount", "filter field 'amount' is not a JSON Pointer: it must start with /"),
                        new Violation("/~1state/0/anything-but/0", "anything-but lists plain values"));
    }

    @Test
    void shouldRejectFilterWhenItHasMoreThan32Fields() {
        StringBuilder fields = new StringBuilder("{");
        for (int i = 0; i < 33; i++) {
            fields.append(i == 0 ? "" : ",").append("\"/f").append(i).append("\": [1]");
        }
        JsonNode filter = json(fields.append("}").toString());

        ValidationException thrown = catchThrowableOfType(ValidationException.class, () -> ContentFilter.parse(filter));

        assertThat(thrown.violations()).containsExactly(new Violation("", "a filter has at most 32 fields"));
    }

    @Test
    void shouldRejectFieldWhenItHasMoreThan100Conditions() {
        StringBuilder conditions = new StringBuilder("{\"/code\": [");
        for (int i = 0; i < 101; i++) {
            conditions.append(i == 0 ? "" : ",").append(i);
        }
        JsonNode filter = json(conditions.append("]}").toString());

        ValidationException thrown = catchThrowableOfType(ValidationException.class, () -> ContentFilter.parse(filter));

        assertThat(thrown.violations()).containsExactly(new Violation("/~1code", "a field has at most 100 conditions"));
    }

    // --- matching ---

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"status\": \"APPROVED\"}   | true",
                "{\"status\": \"approved\"}   | false",
                "{\"status\": \"APPROVED-2\"} | false",
                "{\"status\": 1}              | false",
            })
    void shouldMatchExactStringWhenValueIsEqual(String body, boolean expected) {
        ContentFilter filter = ContentFilter.parse(json("{\"/status\": [\"APPROVED\"]}"));

        boolean matches = filter.matches(json(body));

        assertThat(matches).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"amount\": 100}     | true",
                "{\"amount\": 100.0}   | true",
                "{\"amount\": 1.0E2}   | true",
                "{\"amount\": 100.5}   | false",
                "{\"amount\": \"100\"} | false",
            })
    void shouldMatchExactNumberWhenValueIsNumericallyEqual(String body, boolean expected) {
        ContentFilter filter = ContentFilter.parse(json("{\"/amount\": [100]}"));

        boolean matches = filter.matches(json(body));

        assertThat(matches).isEqualTo(expected);
    }

    @Test
    void shouldMatchIntegerWhenFilterNumberHasAFraction() {
        ContentFilter filter = ContentFilter.parse(json("{\"/amount\": [100.00]}"));

        boolean matches = filter.matches(json("{\"amount\": 100}"));

        assertThat(matches).isTrue();
    }

    @Test
    void shouldMatchBooleanAndNullWhenValueIsTheSame() {
        ContentFilter filter = ContentFilter.parse(json("{\"/urgent\": [true], \"/closedAt\": [null]}"));

        boolean same = filter.matches(json("{\"urgent\": true, \"closedAt\": null}"));
        boolean notUrgent = filter.matches(json("{\"urgent\": false, \"closedAt\": null}"));
        boolean closed = filter.matches(json("{\"urgent\": true, \"closedAt\": \"2026-01-05\"}"));
        boolean missingClosedAt = filter.matches(json("{\"urgent\": true}"));

        assertThat(same).isTrue();
        assertThat(notUrgent).isFalse();
        assertThat(closed).isFalse();
        assertThat(missingClosedAt).isFalse();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"status\": \"DENIED\"}  | true",
                "{\"status\": \"DEN\"}     | true",
                "{\"status\": \"ADENINE\"} | false",
                "{\"status\": \"den\"}     | false",
                "{\"status\": 7}           | false",
            })
    void shouldMatchPrefixWhenStringStartsWithIt(String body, boolean expected) {
        ContentFilter filter = ContentFilter.parse(json("{\"/status\": [{\"prefix\": \"DEN\"}]}"));

        boolean matches = filter.matches(json(body));

        assertThat(matches).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"file\": \"claim.pdf\"}     | true",
                "{\"file\": \"claim.pdf.zip\"} | false",
                "{\"file\": \"claim.PDF\"}     | false",
            })
    void shouldMatchSuffixWhenStringEndsWithIt(String body, boolean expected) {
        ContentFilter filter = ContentFilter.parse(json("{\"/file\": [{\"suffix\": \".pdf\"}]}"));

        boolean matches = filter.matches(json(body));

        assertThat(matches).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"state\": \"CA\"} | true",
                "{\"state\": \"TX\"} | false",
                "{\"state\": 7}      | true",
                "{}                  | false",
            })
    void shouldMatchAnythingButWhenValueDiffersFromTheExcludedValue(String body, boolean expected) {
        ContentFilter filter = ContentFilter.parse(json("{\"/state\": [{\"anything-but\": \"TX\"}]}"));

        boolean matches = filter.matches(json(body));

        assertThat(matches).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"state\": \"CA\"} | true",
                "{\"state\": \"TX\"} | false",
                "{\"state\": \"OK\"} | false",
            })
    void shouldMatchAnythingButWhenValueIsNoneOfTheExcludedList(String body, boolean expected) {
        ContentFilter filter = ContentFilter.parse(json("{\"/state\": [{\"anything-but\": [\"TX\", \"OK\"]}]}"));

        boolean matches = filter.matches(json(body));

        assertThat(matches).isEqualTo(expected);
    }

    @Test
    void shouldNotMatchAnythingButWhenValueIsNumericallyEqualToTheExcludedNumber() {
        ContentFilter filter = ContentFilter.parse(json("{\"/amount\": [{\"anything-but\": 100}]}"));

        boolean equal = filter.matches(json("{\"amount\": 100.0}"));
        boolean other = filter.matches(json("{\"amount\": 101}"));

        assertThat(equal).isFalse();
        assertThat(other).isTrue();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"amount\": 100}      | false",
                "{\"amount\": 100.01}   | true",
                "{\"amount\": 101}      | true",
                "{\"amount\": 5000}     | true",
                "{\"amount\": 5000.0}   | true",
                "{\"amount\": 5000.01}  | false",
                "{\"amount\": -1}       | false",
                "{\"amount\": \"200\"}  | false",
                "{\"amount\": null}     | false",
                "{}                     | false",
            })
    void shouldMatchNumericRangeWhenValueIsAbove100AndAtMost5000(String body, boolean expected) {
        ContentFilter filter = ContentFilter.parse(json("{\"/amount\": [{\"numeric\": [\">\", 100, \"<=\", 5000]}]}"));

        boolean matches = filter.matches(json(body));

        assertThat(matches).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "=  | 100    | true",
                "=  | 100.0  | true",
                "=  | 99     | false",
                "<  | 99.99  | true",
                "<  | 100    | false",
                "<= | 100    | true",
                "<= | 100.01 | false",
                ">= | 100    | true",
                ">= | 99.99  | false",
                ">  | 100    | false",
            })
    void shouldCompareWithTheBoundWhenNumericHasOneComparison(String operator, String amount, boolean expected) {
        ContentFilter filter = ContentFilter.parse(json("{\"/amount\": [{\"numeric\": [\"" + operator + "\", 100]}]}"));

        boolean matches = filter.matches(json("{\"amount\": " + amount + "}"));

        assertThat(matches).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"member\": {\"id\": \"M1\"}} | true",
                "{\"member\": {\"id\": null}}   | true",
                "{\"member\": {}}               | false",
                "{}                             | false",
            })
    void shouldMatchExistsTrueWhenFieldIsPresent(String body, boolean expected) {
        ContentFilter filter = ContentFilter.parse(json("{\"/member/id\": [{\"exists\": true}]}"));

        boolean matches = filter.matches(json(body));

        assertThat(matches).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"member\": {\"id\": \"M1\"}} | false",
                "{\"member\": {}}               | true",
                "{\"member\": \"M1\"}           | true",
                "{}                             | true",
            })
    void shouldMatchExistsFalseWhenFieldIsMissing(String body, boolean expected) {
        ContentFilter filter = ContentFilter.parse(json("{\"/member/id\": [{\"exists\": false}]}"));

        boolean matches = filter.matches(json(body));

        assertThat(matches).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"status\": \"APPROVED\"} | true",
                "{\"status\": \"DENIED\"}   | true",
                "{\"status\": \"PENDING\"}  | false",
            })
    void shouldMatchWhenAnyConditionOfTheFieldHolds(String body, boolean expected) {
        ContentFilter filter = ContentFilter.parse(json("{\"/status\": [\"APPROVED\", {\"prefix\": \"DEN\"}]}"));

        boolean matches = filter.matches(json(body));

        assertThat(matches).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"status\": \"APPROVED\", \"amount\": 250} | true",
                "{\"status\": \"APPROVED\", \"amount\": 50}  | false",
                "{\"status\": \"PENDING\", \"amount\": 250}  | false",
                "{\"status\": \"APPROVED\"}                  | false",
            })
    void shouldMatchOnlyWhenEveryFieldHolds(String body, boolean expected) {
        ContentFilter filter =
                ContentFilter.parse(json("{\"/status\": [\"APPROVED\"], \"/amount\": [{\"numeric\": [\">\", 100]}]}"));

        boolean matches = filter.matches(json(body));

        assertThat(matches).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"codes\": [\"B2\", \"A1\"]} | true",
                "{\"codes\": [\"B2\", \"C3\"]} | false",
                "{\"codes\": []}               | false",
            })
    void shouldMatchArrayWhenAnyElementMatches(String body, boolean expected) {
        ContentFilter filter = ContentFilter.parse(json("{\"/codes\": [\"A1\"]}"));

        boolean matches = filter.matches(json(body));

        assertThat(matches).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"amounts\": [50, 6000, 250]} | true",
                "{\"amounts\": [50, 6000]}      | false",
            })
    void shouldMatchNumericRangeWhenAnyArrayElementIsInRange(String body, boolean expected) {
        ContentFilter filter = ContentFilter.parse(json("{\"/amounts\": [{\"numeric\": [\">\", 100, \"<=\", 5000]}]}"));

        boolean matches = filter.matches(json(body));

        assertThat(matches).isEqualTo(expected);
    }

    @Test
    void shouldMatchArrayElementWhenPointerHasAnIndex() {
        ContentFilter filter = ContentFilter.parse(json("{\"/claimLines/1/code\": [\"A1\"]}"));

        boolean second = filter.matches(json("{\"claimLines\": [{\"code\": \"B2\"}, {\"code\": \"A1\"}]}"));
        boolean first = filter.matches(json("{\"claimLines\": [{\"code\": \"A1\"}, {\"code\": \"B2\"}]}"));

        assertThat(second).isTrue();
        assertThat(first).isFalse();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{}                        | false",
                "{\"member\": null}        | false",
                "{\"member\": {}}          | false",
                "{\"member\": {\"id\": 1}} | false",
            })
    void shouldNotMatchValueConditionWhenFieldIsMissingOrDifferent(String body, boolean expected) {
        ContentFilter filter = ContentFilter.parse(json("{\"/member/id\": [\"M1\", {\"prefix\": \"M\"}]}"));

        boolean matches = filter.matches(json(body));

        assertThat(matches).isEqualTo(expected);
    }

    @Test
    void shouldFindFieldWhenKeyHasEscapedCharacters() {
        ContentFilter filter = ContentFilter.parse(json("{\"/a~1b/c~0d\": [\"x\"]}"));

        boolean matches = filter.matches(json("{\"a/b\": {\"c~d\": \"x\"}}"));

        assertThat(matches).isTrue();
    }

    private static JsonNode json(String text) {
        return JSON.readTree(text);
    }
}
