package com.northwind.eventing.common.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.common.model.EventType;
import com.northwind.eventing.common.model.EventTypeVersion;
import com.northwind.eventing.common.model.SensitiveField;
import com.northwind.eventing.common.model.StorePolicy;
import com.northwind.eventing.schema.Envelope;
import com.northwind.eventing.schema.Metadata;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonType;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class StoreDocumentTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNode SCHEMA = JSON.readTree("{\"type\": \"object\"}");
    private static final Instant CREATED = Instant.parse("2026-01-05T10:00:00Z");
    private static final String BODY = """
            {"claimId": "C-1", "status": "DENIED", "member": {"ssn": "123-45-6789", "name": "Ann Lee"},
             "lines": [{"code": "A1", "dob": "1970-01-02"}, {"code": "B2", "dob": "1980-03-04"}],
             "amount": 12.5, "count": 3, "big": 123456789012345678901234567890, "huge": 1e999, "ok": true, "none": null}
            """;

    @Test
    void shouldWriteTheContractsDocumentWhenPolicyIsRedact() {
        EventType type = type(30, version(1, StorePolicy.REDACT, "/member/ssn"));

        String doc = text(StoreDocument.build(event(BODY, 1), type, "eventing.firehose", 3, 1234));

        JsonNode d = JSON.readTree(doc);
        assertThat(d.path("_id").asString()).isEqualTo("0193f7c2-0000-7000-8000-000000000001");
        assertThat(d.path("eventId").asString()).isEqualTo("0193f7c2-0000-7000-8000-000000000001");
        assertThat(d.path("eventType").asString()).isEqualTo("Claim.Submitted.Reconsideration");
        assertThat(d.path("noun").asString()).isEqualTo("Claim");
        assertThat(d.path("verb").asString()).isEqualTo("Submitted");
        assertThat(d.path("object").asString()).isEqualTo("Reconsideration");
        assertThat(d.path("subObject").isNull()).isTrue();
        assertThat(d.at("/metadata/transactionId").asString()).isEqualTo("tx-42");
        assertThat(d.at("/metadata/userId").asString()).isEqualTo("u-7");
        assertThat(d.at("/metadata/occurredAt/$date").asString()).isEqualTo("2026-12-05T10:15:30.123Z");
        assertThat(d.at("/metadata/receivedAt/$date").asString()).isEqualTo("2026-12-05T10:15:30.000Z");
        assertThat(d.at("/metadata/transactionType").isNull()).isTrue();
        assertThat(d.at("/metadata/sourceSystem").asString()).isEqualTo("claims-core");
        assertThat(d.at("/metadata/producerApp").asString()).isEqualTo("claims-intake");
        assertThat(d.path("tags").toString()).isEqualTo("[\"state:TX\"]");
        assertThat(d.path("synthetic").asBoolean()).isFalse();
        assertThat(d.at("/body/member/ssn").asString()).isEqualTo("***REDACTED***");
        assertThat(d.at("/body/member/name").asString()).isEqualTo("Ann Lee");
        assertThat(d.path("bodySchemaVersion").asInt()).isEqualTo(1);
        assertThat(d.path("storePolicy").asString()).isEqualTo("REDACT");
        assertThat(d.path("redactedPaths").toString()).isEqualTo("[\"/member/ssn\"]");
        assertThat(d.path("expiresAt").toString()).isEqualTo("{\"$date\":\"2027-01-04T10:15:30.000Z\"}");
        assertThat(d.path("firehose").toString())
                .isEqualTo("{\"topic\":\"eventing.firehose\",\"partition\":3,\"offset\":1234}");
        assertThat(fieldNames(d))
                .containsExactly(
                        "_id",
                        "eventId",
                        "eventType",
                        "noun",
                        "verb",
                        "object",
                        "subObject",
                        "metadata",
                        "tags",
                        "synthetic",
                        "body",
                        "bodySchemaVersion",
                        "storePolicy",
                        "redactedPaths",
                        "searchTerms",
                        "expiresAt",
                        "firehose");
        assertThat(doc).doesNotContain("123-45-6789").doesNotContain("45-6789");
    }

    @Test
    void shouldListTermsOfNamesMetadataTagsAndStoredStringsWhenBuilt() {
        EventType type = type(30, version(1, StorePolicy.REDACT, "/member/ssn", "/lines/*/dob"));

        JsonNode d = JSON.readTree(text(StoreDocument.build(event(BODY, 1), type, "eventing.firehose", 0, 0)));

        assertThat(d.path("searchTerms").valueStream().map(JsonNode::asString).toList())
                .containsExactly(
                        "claim",
                        "submitted",
                        "reconsideration",
                        "tx",
                        "42",
                        "u",
                        "7",
                        "claims",
                        "core",
                        "intake",
                        "state",
                        "c",
                        "1",
                        "denied",
                        "redacted",
                        "ann",
                        "lee",
                        "a1",
                        "b2");
        assertThat(d.path("redactedPaths").toString()).isEqualTo("[\"/member/ssn\",\"/lines/0/dob\",\"/lines/1/dob\"]");
    }

    @Test
    void shouldDropSensitiveFieldsAndListThemWhenPolicyIsRemove() {
        EventType type = type(30, version(1, StorePolicy.REMOVE, "/member/ssn", "/lines/*/dob", "/lines/1"));

        JsonNode d = JSON.readTree(text(StoreDocument.build(event(BODY, 1), type, "eventing.firehose", 0, 0)));

        assertThat(d.at("/body/member").toString()).isEqualTo("{\"name\":\"Ann Lee\"}");
        assertThat(d.at("/body/lines").toString()).isEqualTo("[{\"code\":\"A1\"}]");
        assertThat(d.path("storePolicy").asString()).isEqualTo("REMOVE");
        assertThat(d.path("redactedPaths").toString())
                .isEqualTo("[\"/member/ssn\",\"/lines/0/dob\",\"/lines/1/dob\",\"/lines/1\"]");
        assertThat(d.toString()).doesNotContain("123-45-6789", "1970-01-02", "1980-03-04", "B2", "b2");
        assertThat(d.path("body").toString()).doesNotContain("REDACTED");
        assertThat(d.path("searchTerms").toString()).doesNotContain("redacted");
    }

    @Test
    void shouldStoreTheBodyAsSentWhenPolicyIsKeep() {
        EventType type = type(30, version(1, StorePolicy.KEEP, "/member/ssn"));

        JsonNode d = JSON.readTree(text(StoreDocument.build(event(BODY, 1), type, "eventing.firehose", 0, 0)));

        assertThat(d.at("/body/member/ssn").asString()).isEqualTo("123-45-6789");
        assertThat(d.path("redactedPaths").isEmpty()).isTrue();
        assertThat(d.path("searchTerms").toString()).contains("\"123\",\"45\",\"6789\"");
    }

    @Test
    void shouldWriteNothingWhenPolicyIsNone() {
        EventType type = type(30, version(1, StorePolicy.NONE, "/member/ssn"));

        Optional<byte[]> doc = StoreDocument.build(event(BODY, 1), type, "eventing.firehose", 0, 0);

        assertThat(doc).isEmpty();
    }

    @Test
    void shouldKeepTheTraceparentAfterTheFirehoseWhenTheRecordCarriesOne() {
        EventType type = type(30, version(1, StorePolicy.REDACT, "/member/ssn"));
        StoreDocument.Plan plan = StoreDocument.plan(type, 1);

        JsonNode d = JSON.readTree(text(StoreDocument.build(
                event(BODY, 1),
                plan,
                "eventing.firehose",
                3,
                1234,
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")));
        JsonNode omitted = JSON.readTree(text(StoreDocument.buildWithoutBody(
                event(BODY, 1),
                plan,
                "eventing.firehose",
                3,
                1234,
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")));

        assertThat(d.path("traceparent").asString())
                .isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        assertThat(fieldNames(d)).endsWith("firehose", "traceparent");
        assertThat(omitted.path("traceparent").asString())
                .isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    }

    @Test
    void shouldLeaveTheTraceparentOutWhenItIsNotAWellFormedOne() {
        EventType type = type(30, version(1, StorePolicy.REDACT, "/member/ssn"));
        StoreDocument.Plan plan = StoreDocument.plan(type, 1);

        List<JsonNode> docs = java.util.stream.Stream.of(
                        null,
                        "",
                        "member 123-45-6789",
                        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
                        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
                        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
                        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra")
                .map(t -> JSON.readTree(text(StoreDocument.build(event(BODY, 1), plan, "eventing.firehose", 3, 1, t))))
                .toList();

        assertThat(docs)
                .hasSize(7)
                .allSatisfy(d -> assertThat(d.has("traceparent")).isFalse());
    }

    @Test
    void shouldFollowTheLatestVersionsPolicyAndTheLaterVersionsFieldsWhenTypeHasVersions() {
        EventType type = type(
                30,
                version(1, StorePolicy.KEEP),
                version(2, StorePolicy.KEEP, "/member/ssn"),
                version(3, StorePolicy.REDACT, "/status"));

        JsonNode d = JSON.readTree(text(StoreDocument.build(event(BODY, 1), type, "eventing.firehose", 0, 0)));

        assertThat(d.path("storePolicy").asString()).isEqualTo("REDACT");
        assertThat(d.path("redactedPaths").toString()).isEqualTo("[\"/member/ssn\",\"/status\"]");
    }

    @Test
    void shouldRedactEveryVersionsFieldsWhenTheEventsVersionIsUnknown() {
        EventType type = type(30, version(1, StorePolicy.REDACT, "/member/ssn"), version(2, StorePolicy.REDACT));

        JsonNode d = JSON.readTree(text(StoreDocument.build(event(BODY, 7), type, "eventing.firehose", 0, 0)));

        assertThat(d.at("/body/member/ssn").asString()).isEqualTo("***REDACTED***");
        assertThat(d.path("bodySchemaVersion").asInt()).isEqualTo(7);
    }

    @Test
    void shouldParseWithMongoDbsReaderAndGiveDatesWhenBuilt() {
        EventType type = type(30, version(1, StorePolicy.REDACT, "/member/ssn"));

        BsonDocument d =
                BsonDocument.parse(text(StoreDocument.build(event(BODY, 1), type, "eventing.firehose", 3, 1234)));

        assertThat(d.getDocument("metadata").get("occurredAt"))
                .isEqualTo(new BsonDateTime(
                        Instant.parse("2026-12-05T10:15:30.123Z").toEpochMilli()));
        assertThat(d.getDocument("metadata").get("receivedAt").getBsonType()).isEqualTo(BsonType.DATE_TIME);
        assertThat(d.get("expiresAt"))
                .isEqualTo(
                        new BsonDateTime(Instant.parse("2027-01-04T10:15:30Z").toEpochMilli()));
        assertThat(d.getString("_id").getValue()).isEqualTo("0193f7c2-0000-7000-8000-000000000001");
        assertThat(d.getDocument("body").get("amount").asDouble().getValue()).isEqualTo(12.5);
        assertThat(d.getDocument("body").get("count").asInt32().getValue()).isEqualTo(3);
        assertThat(d.getDocument("body").get("big").asDouble().getValue()).isEqualTo(1.2345678901234568E29);
        assertThat(d.getDocument("body").get("huge").asDouble().getValue()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(d.getDocument("body").get("ok").asBoolean().getValue()).isTrue();
        assertThat(d.getDocument("body").get("none").isNull()).isTrue();
        assertThat(d.getDocument("firehose").get("offset").asNumber().longValue())
                .isEqualTo(1234L);
    }

    @Test
    void shouldWriteDatesOutsideIsoYearsAsMillisWhenOccurredLongAgo() {
        EventType type = type(30, version(1, StorePolicy.KEEP));
        Envelope e = event(BODY, 1);
        e.getMetadata().setOccurredAt(Instant.parse("0001-01-01T00:00:00Z"));

        String doc = text(StoreDocument.build(e, type, "eventing.firehose", 0, 0));

        assertThat(JSON.readTree(doc).at("/metadata/occurredAt").toString())
                .isEqualTo("{\"$date\":{\"$numberLong\":\"-62135596800000\"}}");
        assertThat(BsonDocument.parse(doc).getDocument("metadata").get("occurredAt"))
                .isEqualTo(new BsonDateTime(-62135596800000L));
    }

    @Test
    void shouldStoreNoBodyAndNoBodyTermsWhenBodyIsNotAJsonObject() {
        EventType type = type(30, version(1, StorePolicy.KEEP));

        JsonNode truncated =
                JSON.readTree(text(StoreDocument.build(event("{\"a\": \"secret one\", ", 1), type, "t", 0, 0)));
        JsonNode array = JSON.readTree(text(StoreDocument.build(event("[\"secret two\"]", 1), type, "t", 0, 0)));
        JsonNode redactedGarbage = JSON.readTree(text(StoreDocument.build(
                event("{\"member\": {\"ssn\": \"secret three\"}} trailing", 1),
                type(30, version(1, StorePolicy.REDACT, "/member/ssn")),
                "t",
                0,
                0)));

        for (JsonNode d : List.of(truncated, array, redactedGarbage)) {
            assertThat(d.path("body").isNull()).isTrue();
            assertThat(d.path("redactedPaths").isEmpty()).isTrue();
            assertThat(d.path("searchTerms").toString()).doesNotContain("secret");
            assertThat(d.path("eventId").asString()).isEqualTo("0193f7c2-0000-7000-8000-000000000001");
        }
    }

    @Test
    void shouldStoreNoBodyNoBodyTermsAndSayWhyWhenBuiltWithoutBody() {
        EventType type = type(30, version(1, StorePolicy.REDACT, "/member/ssn"));

        JsonNode d = JSON.readTree(text(StoreDocument.buildWithoutBody(
                event(BODY, 1), StoreDocument.plan(type, 1), "eventing.firehose", 2, 77)));

        assertThat(d.path("body").isNull()).isTrue();
        assertThat(d.path("bodyOmitted").asString()).isEqualTo("too-large");
        assertThat(d.path("redactedPaths").isEmpty()).isTrue();
        assertThat(d.path("searchTerms").toString())
                .isEqualTo("[\"claim\",\"submitted\",\"reconsideration\",\"tx\",\"42\",\"u\",\"7\",\"claims\","
                        + "\"core\",\"intake\",\"state\"]");
        assertThat(d.path("firehose").toString())
                .isEqualTo("{\"topic\":\"eventing.firehose\",\"partition\":2,\"offset\":77}");
        assertThat(d.path("storePolicy").asString()).isEqualTo("REDACT");
    }

    @Test
    void shouldWriteNothingWithoutBodyWhenPolicyIsNone() {
        EventType type = type(30, version(1, StorePolicy.NONE));

        Optional<byte[]> doc = StoreDocument.buildWithoutBody(event(BODY, 1), StoreDocument.plan(type, 1), "t", 0, 0);

        assertThat(doc).isEmpty();
    }

    @Test
    void shouldHoldExpiryAtTheLastDateWhenRetentionPassesIt() {
        EventType type = type(3650, version(1, StorePolicy.KEEP));
        Envelope e = event(BODY, 1);
        e.getMetadata().setReceivedAt(Instant.ofEpochMilli(Long.MAX_VALUE - 1000));

        String doc = text(StoreDocument.build(e, type, "eventing.firehose", 0, 0));

        assertThat(JSON.readTree(doc).at("/expiresAt/$date/$numberLong").asString())
                .isEqualTo(Long.toString(Long.MAX_VALUE));
    }

    private static List<String> fieldNames(JsonNode node) {
        return List.copyOf(node.propertyNames());
    }

    static String text(Optional<byte[]> doc) {
        assertThat(doc).isPresent();
        return new String(doc.get(), StandardCharsets.UTF_8);
    }

    static EventTypeVersion version(int n, StorePolicy policy, String... sensitive) {
        List<SensitiveField> fields = java.util.Arrays.stream(sensitive)
                .map(p -> new SensitiveField(p, "PHI"))
                .toList();
        return new EventTypeVersion(n, SCHEMA, fields, policy, CREATED);
    }

    static EventType type(int retentionDays, EventTypeVersion... versions) {
        return new EventType(
                "Claim",
                "Submitted",
                "Reconsideration",
                null,
                "claims-team",
                retentionDays,
                null,
                List.of(versions),
                CREATED,
                CREATED);
    }

    static Envelope event(String body, int version) {
        return Envelope.newBuilder()
                .setEventId("0193f7c2-0000-7000-8000-000000000001")
                .setNoun("Claim")
                .setVerb("Submitted")
                .setObject("Reconsideration")
                .setEventType("Claim.Submitted.Reconsideration")
                .setMetadata(Metadata.newBuilder()
                        .setTransactionId("tx-42")
                        .setUserId("u-7")
                        .setOccurredAt(Instant.parse("2026-12-05T10:15:30.123Z"))
                        .setReceivedAt(Instant.parse("2026-12-05T10:15:30Z"))
                        .setSourceSystem("claims-core")
                        .setProducerApp("claims-intake")
                        .build())
                .setTags(List.of("state:TX"))
                .setSynthetic(false)
                .setBody(body)
                .setBodySchemaVersion(version)
                .build();
    }
}
