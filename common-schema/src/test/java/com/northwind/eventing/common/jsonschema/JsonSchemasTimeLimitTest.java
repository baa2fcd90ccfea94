package com.northwind.eventing.common.jsonschema;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.common.model.Violation;
import com.northwind.eventing.common.model.Violations;
import java.time.Duration;
import java.util.List;
import org.everit.json.schema.Schema;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The worst a producer can make the validator do on its own document, once numbers are bounded by the reader: each is
 * answered within the time limit (and the scheduling noise of a shared machine), refused at the document's root.
 */
class JsonSchemasTimeLimitTest {
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();
    private static final Duration LIMIT = Duration.ofSeconds(1);
    private static final long ANSWERED_WITHIN_MILLIS = 1500;
    private static final Violation TOO_LONG = new Violation(
            "", "validation took longer than 1 s; the document is too costly to check against its schema");

    /** Polynomial backtracking: each of twelve {@code .*} tries every split of a run of 200 {@code a}. */
    @Test
    void shouldStopACatastrophicPatternAtTheLimit() {
        Schema schema = schema("{\"properties\": {\"name\": {\"pattern\": \"^(.*a){12}$\"}}}");
        JsonNode document = JSON.readTree("{\"name\": \"" + "a".repeat(200) + "!\"}");

        Answer answer = check(schema, document);

        assertThat(answer.millis()).isLessThan(ANSWERED_WITHIN_MILLIS);
        assertThat(answer.violations()).containsExactly(TOO_LONG);
    }

    /** A back-reference turns off java.util.regex's memo of failed attempts, which disarms plain {@code (a+)+}. */
    @Test
    void shouldStopANestedQuantifierWithABackReferenceAtTheLimit() {
        Schema schema = schema("{\"properties\": {\"name\": {\"pattern\": \"^(a+)+\\\\1$\"}}}");
        JsonNode document = JSON.readTree("{\"name\": \"" + "a".repeat(60) + "!\"}");

        Answer answer = check(schema, document);

        assertThat(answer.millis()).isLessThan(ANSWERED_WITHIN_MILLIS);
        assertThat(answer.violations()).containsExactly(TOO_LONG);
    }

    /**
     * Java 9 and later remember failed attempts of a group under a quantifier, which makes {@code ^(a+)+$} polynomial
     * rather than exponential: still beyond the limit on a long enough run.
     */
    @Test
    void shouldStopTheTextbookCatastrophicPatternOnALongRunAtTheLimit() {
        Schema schema = schema("{\"properties\": {\"name\": {\"pattern\": \"^(a+)+$\"}}}");
        JsonNode document = JSON.readTree("{\"name\": \"" + "a".repeat(50_000) + "!\"}");

        Answer answer = check(schema, document);

        assertThat(answer.millis()).isLessThan(ANSWERED_WITHIN_MILLIS);
        assertThat(answer.violations()).containsExactly(TOO_LONG);
    }

    @Test
    void shouldStopACatastrophicPatternOnMemberNamesAtTheLimit() {
        Schema schema = schema("{\"patternProperties\": {\"^(.*a){12}$\": {\"type\": \"string\"}}}");
        JsonNode document = JSON.readTree("{\"" + "a".repeat(200) + "!\": 1}");

        Answer answer = check(schema, document);

        assertThat(answer.millis()).isLessThan(ANSWERED_WITHIN_MILLIS);
        assertThat(answer.violations()).containsExactly(TOO_LONG);
    }

    /** everit compares every pair of items: a megabyte of distinct strings is some 10^10 comparisons. */
    @Test
    void shouldStopUniqueItemsOverAMegabyteArrayAtTheLimit() {
        Schema schema = schema("{\"properties\": {\"ids\": {\"type\": \"array\", \"uniqueItems\": true}}}");
        StringBuilder ids = new StringBuilder("{\"ids\": [");
        for (int i = 0; ids.length() < 1024 * 1024; i++) {
            ids.append(i == 0 ? "" : ",")
                    .append('"')
                    .append(Integer.toString(i, 36))
                    .append('"');
        }
        JsonNode document = JSON.readTree(ids.append("]}").toString());

        Answer answer = check(schema, document);

        assertThat(answer.millis()).isLessThan(ANSWERED_WITHIN_MILLIS);
        assertThat(answer.violations()).containsExactly(TOO_LONG);
    }

    @Test
    void shouldStopUniqueItemsOverNumbersOfMixedKindsAtTheLimit() {
        Schema schema = schema("{\"type\": \"array\", \"uniqueItems\": true}");
        StringBuilder numbers = new StringBuilder("[");
        for (int i = 0; numbers.length() < 1024 * 1024; i++) {
            numbers.append(i == 0 ? "" : ",").append(i % 2 == 0 ? i + "" : i + ".5");
        }
        JsonNode document = JSON.readTree(numbers.append("]").toString());

        Answer answer = check(schema, document);

        assertThat(answer.millis()).isLessThan(ANSWERED_WITHIN_MILLIS);
        assertThat(answer.violations()).containsExactly(TOO_LONG);
    }

    /** The validator catches its own failures inside anyOf; the time limit is not one of them. */
    @Test
    void shouldStopAtTheLimitInsideACombinedSchema() {
        Schema schema = schema(
                "{\"anyOf\": [{\"type\": \"integer\"}, {\"properties\": {\"name\": {\"pattern\": \"^(.*a){12}$\"}}}]}");
        JsonNode document = JSON.readTree("{\"name\": \"" + "a".repeat(200) + "!\"}");

        Answer answer = check(schema, document);

        assertThat(answer.millis()).isLessThan(ANSWERED_WITHIN_MILLIS);
        assertThat(answer.violations()).containsExactly(TOO_LONG);
    }

    /** With numbers bounded to an exponent of 1,000 by the reader, multipleOf stays cheap. */
    @Test
    void shouldCheckMultipleOfOnTheLargestNumberTheReaderAllowsQuickly() {
        Schema schema = schema("{\"properties\": {\"n\": {\"multipleOf\": 0.01}}}");
        JsonNode document = JSON.readTree("{\"n\": 1.5e-1000}");

        long started = System.nanoTime();
        Violations v = JsonSchemas.check(schema, document, LIMIT);

        assertThat(millisSince(started)).isLessThan(200);
        assertThat(v.list()).containsExactly(new Violation("/n", "must be a multiple of 0.01"));
    }

    @Test
    void shouldFindEveryViolationOfALargeDocumentWithinTheLimit() {
        Schema schema = schema("{\"type\": \"array\", \"items\": {\"type\": \"string\", \"pattern\": \"^[a-z]+$\"}}");
        StringBuilder items = new StringBuilder("[");
        for (int i = 0; i < 10_000; i++) {
            items.append(i == 0 ? "" : ",").append(i == 9_999 ? "\"X\"" : "\"abc\"");
        }
        JsonNode document = JSON.readTree(items.append("]").toString());

        Violations v = JsonSchemas.check(schema, document, LIMIT);

        assertThat(v.list()).containsExactly(new Violation("/9999", "does not match the pattern ^[a-z]+$"));
    }

    @Test
    void shouldNotQuoteTheValueInAnyViolation() {
        Schema schema = schema("""
                {"properties": {"email": {"format": "email"}, "kind": {"enum": ["a", "b"]},
                                "code": {"const": "x"}, "n": {"maximum": 10, "exclusiveMinimum": 0}}}
                """);
        JsonNode document =
                JSON.readTree("{\"email\": \"123-45-6789\", \"kind\": \"123-45-6789\", \"code\": \"123-45-6789\","
                        + " \"n\": 123456789}");

        Violations v = JsonSchemas.check(schema, document, LIMIT);

        assertThat(v.list())
                .containsExactlyInAnyOrder(
                        new Violation("/email", "is not a valid email"),
                        new Violation("/kind", "is none of the values the schema allows"),
                        new Violation("/code", "is not the value the schema requires"),
                        new Violation("/n", "must be at most 10"));
    }

    private static Schema schema(String json) {
        return JsonSchemas.compile(JSON.readTree(json));
    }

    private static long millisSince(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }

    /** What a check found, and how long it took to say so. */
    private record Answer(List<Violation> violations, long millis) {}

    private static Answer check(Schema schema, JsonNode document) {
        long started = System.nanoTime();
        Violations v = JsonSchemas.check(schema, document, LIMIT);
        return new Answer(v.list(), millisSince(started));
    }
}
