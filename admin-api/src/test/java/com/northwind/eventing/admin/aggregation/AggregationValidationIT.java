package com.northwind.eventing.admin.aggregation;

import static com.northwind.eventing.admin.RegistryRecords.recordsOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.admin.AdminApiServer;
import com.northwind.eventing.admin.AdminApiServer.Response;
import com.northwind.eventing.common.model.RegistryTopics;
import com.northwind.eventing.common.testing.KafkaBroker;
import com.northwind.eventing.common.testing.KafkaClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What {@code /v1/aggregations} refuses on the real admin-api and broker, each a 422 pointing at the member to fix,
 * and nothing recorded: the model's own rules, types not registered, keys not in the examples, an output schema that
 * does not hold what the rule makes, a sensitive field laundered into an output that does not declare it, a loop.
 */
@ExtendWith(KafkaClusterExtension.class)
class AggregationValidationIT {
    private static final String SUBMITTED = "Claim.Submitted.Aggval";
    private static final String PHI_AT_SSN =
            "[{\"path\": \"/events/" + SUBMITTED + "/member/ssn\", \"classification\": \"PHI\"}]";

    private static KafkaBroker kafka;
    private static AdminApiServer api;

    @BeforeAll
    static void start(KafkaBroker broker) {
        kafka = broker;
        api = new AdminApiServer(broker).start();
        RuleBed bed = new RuleBed(api);
        bed.submitted(SUBMITTED);
        bed.plain("Claim.Priced.Aggval");
        bed.type("Claim.Noexample.Aggval", "{\"type\": \"object\"}", "[]", null);
        bed.output("Claim.Bare.Aggval", "[]");
        bed.output("Claim.Declared.Aggval", PHI_AT_SSN);
        bed.output("Claim.Ancestor.Aggval", "[{\"path\": \"/events/*/member\", \"classification\": \"PHI\"}]");
        bed.output(
                "Claim.Pii.Aggval",
                "[{\"path\": \"/events/" + SUBMITTED + "/member/ssn\", \"classification\": \"PII\"}]");
        bed.output(
                "Claim.Keyed.Aggval",
                "[{\"path\": \"/key\", \"classification\": \"PHI\"}, {\"path\": \"/events/" + SUBMITTED
                        + "/member/ssn\", \"classification\": \"PHI\"}]");
        bed.type(
                "Claim.Strict.Aggval",
                "{\"type\": \"object\", \"properties\": {\"count\": {\"type\": \"string\"}}}",
                "[]",
                null);
        for (String loop : new String[] {"A", "B", "C", "D", "E"}) {
            bed.plain("Loop." + loop + ".Aggval");
        }
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static String combine(String id, String firstInput, String output) {
        return """
                {"id": "%s", "kind": "combine", "window": "PT1H", "output": "%s",
                 "inputs": [%s, {"eventType": "Claim.Priced.Aggval", "key": "/claimId"}]}
                """.formatted(id, output, firstInput);
    }

    @Test
    void shouldAnswer422WithEveryModelViolationWhenTheRuleBreaksTheModel() {
        Response kind = api.post("/v1/aggregations", """
                {"id": "bad-kind", "kind": "merge", "output": "Claim.Bare.Aggval"}
                """);
        Response combine = api.post("/v1/aggregations", """
                {"id": "bad-combine", "kind": "combine", "window": "1h", "deadline": "PT1H", "output": "Claim.Bare.Aggval",
                 "inputs": [{"eventType": "Claim.Submitted.Aggval", "key": "/claimId"}]}
                """);
        Response loop = api.post(
                "/v1/aggregations",
                combine(
                        "own-output",
                        "{\"eventType\": \"" + SUBMITTED + "\", \"key\": \"/claimId\"}",
                        "Claim.Priced.Aggval"));
        Response nested = api.post(
                "/v1/aggregations",
                combine("bad-input", "{\"eventType\": \"claim\", \"key\": \"/claimId\"}", "Claim.Bare.Aggval"));

        assertThat(kind.status()).isEqualTo(422);
        assertThat(kind.json().path("type").asString()).isEqualTo("urn:eventing:problem:validation");
        assertThat(kind.errors()).containsExactly("/kind: kind must be one of combine, absence, sla, not 'merge'");
        assertThat(combine.errors())
                .containsExactly(
                        "/inputs: a combine aggregation needs 2 to 10 inputs",
                        "/window: '1h' is not an ISO-8601 duration such as PT1H or P2D",
                        "/deadline: deadline is not used by a combine aggregation");
        assertThat(loop.errors())
                .containsExactly("/output: output 'Claim.Priced.Aggval' is one of the types the aggregation reads");
        assertThat(nested.status()).isEqualTo(422);
        assertThat(nested.errors())
                .containsExactly(
                        "/inputs/0/eventType: event type 'claim' must have exactly three parts, as Noun.Verb.Object");
        assertThat(recordsOf(kafka, RegistryTopics.AGGREGATIONS, "bad-combine")).isEmpty();
    }

    @Test
    void shouldAnswer422NamingEachTypeThatIsNotRegisteredWhenInputsOrOutputsAreUnknown() {
        Response r = api.post("/v1/aggregations", """
                {"id": "unregistered", "kind": "sla", "eventType": "Claim.Missing.Aggval", "key": "/claimId",
                 "end": {"eventType": "Claim.Gone.Aggval", "key": "/claimId"}, "window": "PT1H",
                 "threshold": {"minCount": 5, "output": "Claim.Breach.Aggval"}, "output": "Claim.Nowhere.Aggval"}
                """);

        assertThat(r.status()).isEqualTo(422);
        assertThat(r.errors())
                .containsExactly(
                        "/eventType: event type Claim.Missing.Aggval is not registered",
                        "/end/eventType: event type Claim.Gone.Aggval is not registered",
                        "/output: event type Claim.Nowhere.Aggval is not registered",
                        "/threshold/output: event type Claim.Breach.Aggval is not registered");
        assertThat(api.get("/v1/aggregations/unregistered").status()).isEqualTo(404);
    }

    @Test
    void shouldAnswer422AskingForTheExampleWhenAnInputTypeHasNone() {
        Response r = api.post("/v1/aggregations", """
                {"id": "no-example", "kind": "combine", "window": "PT1H", "output": "Claim.Bare.Aggval",
                 "inputs": [{"eventType": "Claim.Priced.Aggval", "key": "/claimId"},
                            {"eventType": "Claim.Noexample.Aggval", "key": "transactionId"}]}
                """);

        assertThat(r.status()).isEqualTo(422);
        assertThat(r.errors())
                .containsExactly("/inputs/1/eventType: event type Claim.Noexample.Aggval has no example, and this"
                        + " rule needs one to check what output Claim.Bare.Aggval holds; register one with PUT"
                        + " /v1/event-types/Claim.Noexample.Aggval");
    }

    @Test
    void shouldAnswer422AtTheKeyOrFieldWhenTheExampleDoesNotHoldItAsTheRuleNeeds() {
        Response r = api.post("/v1/aggregations", """
                {"id": "bad-keys", "kind": "combine", "window": "PT1H", "output": "Claim.Bare.Aggval",
                 "inputs": [{"eventType": "Claim.Submitted.Aggval", "key": "/member", "fields": ["/lines/0/code"]},
                            {"eventType": "Claim.Priced.Aggval", "key": "/nothing"}]}
                """);

        assertThat(r.status()).isEqualTo(422);
        assertThat(r.errors())
                .containsExactly(
                        "/inputs/0/key: key /member is an object in the example of event type Claim.Submitted.Aggval;"
                                + " a key is a string or a number",
                        "/inputs/0/fields/0: field /lines/0/code goes through the array /lines in the example of"
                                + " event type Claim.Submitted.Aggval; keep /lines whole instead",
                        "/inputs/1/key: key /nothing is not in the example of event type Claim.Priced.Aggval; name a"
                                + " member its events hold");
    }

    @Test
    void shouldAnswer422WithTheSchemasErrorWhenTheOutputSchemaDoesNotHoldWhatTheRuleMakes() {
        Response r = api.post("/v1/aggregations", """
                {"id": "schema-mismatch", "kind": "sla", "eventType": "Claim.Submitted.Aggval", "window": "PT1H",
                 "output": "Claim.Strict.Aggval"}
                """);

        assertThat(r.status()).isEqualTo(422);
        assertThat(r.errors())
                .containsExactly("/output: what this rule makes does not match the schema of event type"
                        + " Claim.Strict.Aggval (version 1) at /count: expected type: String, found: Integer");
        assertThat(recordsOf(kafka, RegistryTopics.AGGREGATIONS, "schema-mismatch"))
                .isEmpty();
    }

    @Test
    void shouldAnswer422WhenAWholeBodyWithPhiIsCombinedIntoAnOutputThatDoesNotDeclareIt() {
        String whole = "{\"eventType\": \"" + SUBMITTED + "\", \"key\": \"/claimId\"}";

        Response bare = api.post("/v1/aggregations", combine("phi-bare", whole, "Claim.Bare.Aggval"));
        Response otherClass = api.post("/v1/aggregations", combine("phi-as-pii", whole, "Claim.Pii.Aggval"));
        Response declared = api.post("/v1/aggregations", combine("phi-declared", whole, "Claim.Declared.Aggval"));
        Response above = api.post("/v1/aggregations", combine("phi-above", whole, "Claim.Ancestor.Aggval"));

        assertThat(bare.status()).isEqualTo(422);
        assertThat(bare.errors())
                .containsExactly("/inputs/0: copies /member/ssn, a PHI field of event type Claim.Submitted.Aggval;"
                        + " output type Claim.Bare.Aggval must declare /events/Claim.Submitted.Aggval/member/ssn (or a"
                        + " path above it) as PHI");
        assertThat(otherClass.status()).isEqualTo(422);
        assertThat(otherClass.errors())
                .containsExactly("/inputs/0: copies /member/ssn, a PHI field of event type Claim.Submitted.Aggval;"
                        + " output type Claim.Pii.Aggval must declare /events/Claim.Submitted.Aggval/member/ssn (or a"
                        + " path above it) as PHI");
        assertThat(declared.status()).as(declared.body()).isEqualTo(201);
        assertThat(above.status()).as(above.body()).isEqualTo(201);
        assertThat(recordsOf(kafka, RegistryTopics.AGGREGATIONS, "phi-bare")).isEmpty();
    }

    @Test
    void shouldAnswer422AtTheKeptFieldWhenItHoldsPhiAndAcceptOnlyFieldsWithout() {
        Response member = api.post(
                "/v1/aggregations",
                combine(
                        "phi-member",
                        "{\"eventType\": \"" + SUBMITTED + "\", \"key\": \"/claimId\", \"fields\": [\"/claimId\","
                                + " \"/member\"]}",
                        "Claim.Bare.Aggval"));
        Response ssn = api.post(
                "/v1/aggregations",
                combine(
                        "phi-ssn",
                        "{\"eventType\": \"" + SUBMITTED + "\", \"key\": \"/claimId\", \"fields\": [\"/member/ssn\"]}",
                        "Claim.Bare.Aggval"));
        Response clean = api.post(
                "/v1/aggregations",
                combine(
                        "phi-free",
                        "{\"eventType\": \"" + SUBMITTED + "\", \"key\": \"/claimId\", \"fields\": [\"/claimId\","
                                + " \"/member/id\"]}",
                        "Claim.Bare.Aggval"));

        assertThat(member.errors())
                .containsExactly("/inputs/0/fields/1: copies /member/ssn, a PHI field of event type"
                        + " Claim.Submitted.Aggval; output type Claim.Bare.Aggval must declare"
                        + " /events/Claim.Submitted.Aggval/member/ssn (or a path above it) as PHI");
        assertThat(ssn.errors())
                .containsExactly("/inputs/0/fields/0: copies /member/ssn, a PHI field of event type"
                        + " Claim.Submitted.Aggval; output type Claim.Bare.Aggval must declare"
                        + " /events/Claim.Submitted.Aggval/member/ssn (or a path above it) as PHI");
        assertThat(clean.status()).as(clean.body()).isEqualTo(201);
    }

    @Test
    void shouldAnswer422WhenTheKeyIsPhiAndTheOutputDoesNotDeclareItsKeyAsPhi() {
        String byssn = "{\"eventType\": \"" + SUBMITTED + "\", \"key\": \"/member/ssn\"}";

        Response undeclared = api.post("/v1/aggregations", combine("key-phi", byssn, "Claim.Declared.Aggval"));
        Response declared = api.post("/v1/aggregations", combine("key-phi-declared", byssn, "Claim.Keyed.Aggval"));

        assertThat(undeclared.status()).isEqualTo(422);
        assertThat(undeclared.errors())
                .containsExactly("/inputs/0/key: key /member/ssn reads /member/ssn, a PHI field of event type"
                        + " Claim.Submitted.Aggval; output type Claim.Declared.Aggval must declare /key as PHI");
        assertThat(declared.status()).as(declared.body()).isEqualTo(201);
    }

    @Test
    void shouldAnswer422AtTheStartWhenAnAbsenceCopiesPhiIntoAnOutputThatDoesNotDeclareIt() {
        Response r = api.post("/v1/aggregations", """
                {"id": "absence-phi", "kind": "absence", "deadline": "PT48H", "output": "Claim.Bare.Aggval",
                 "start": {"eventType": "Claim.Submitted.Aggval", "key": "/claimId"},
                 "expected": {"eventType": "Claim.Priced.Aggval", "key": "/claimId"}}
                """);

        assertThat(r.status()).isEqualTo(422);
        assertThat(r.errors())
                .containsExactly("/start: copies /member/ssn, a PHI field of event type Claim.Submitted.Aggval; output"
                        + " type Claim.Bare.Aggval must declare /start/member/ssn (or a path above it) as PHI");
    }

    @Test
    void shouldAnswer422WhenTheOutputComesBackAsAnInputThroughAnotherRule() {
        Response first = api.post("/v1/aggregations", """
                {"id": "cycle-one", "kind": "combine", "window": "PT1H", "output": "Loop.C.Aggval",
                 "inputs": [{"eventType": "Loop.A.Aggval", "key": "/claimId"},
                            {"eventType": "Loop.B.Aggval", "key": "/claimId"}]}
                """);
        String second = """
                {"id": "cycle-two", "kind": "combine", "window": "PT1H", "output": "%s",
                 "inputs": [{"eventType": "Loop.C.Aggval", "key": "/claimId"},
                            {"eventType": "Loop.D.Aggval", "key": "/claimId"}]}
                """;

        Response looping = api.post("/v1/aggregations", second.formatted("Loop.A.Aggval"));
        Response chained = api.post("/v1/aggregations", second.formatted("Loop.E.Aggval"));

        assertThat(first.status()).as(first.body()).isEqualTo(201);
        assertThat(looping.status()).isEqualTo(422);
        assertThat(looping.errors())
                .containsExactly("/output: output Loop.A.Aggval comes back as input Loop.C.Aggval through rule"
                        + " cycle-one; a rule may not read what it makes, directly or through other rules");
        assertThat(chained.status()).as(chained.body()).isEqualTo(201);
    }

    @Test
    void shouldAnswer422WhenAPercentileThresholdHasNoEndToMeasure() {
        Response r = api.post("/v1/aggregations", """
                {"id": "percentile-alone", "kind": "sla", "eventType": "Claim.Submitted.Aggval", "window": "PT1H",
                 "threshold": {"percentile": 95, "within": "P1D", "output": "Claim.Bare.Aggval"},
                 "output": "Claim.Declared.Aggval"}
                """);

        assertThat(r.status()).isEqualTo(422);
        assertThat(r.errors())
                .containsExactly(
                        "/threshold/percentile: a percentile threshold measures durations from start to end: it needs"
                                + " end");
    }
}
