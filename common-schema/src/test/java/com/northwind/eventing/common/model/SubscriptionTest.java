package com.northwind.eventing.common.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.NullNode;

class SubscriptionTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void shouldApplyDefaultsWhenOptionalMembersAreNull() {
        Subscription subscription = subscription("claims-tx", List.of("Claim.*.*"), null, "eventing.sub.claims-tx", 3);

        assertThat(subscription.tags()).isEqualTo(TagFilter.NONE);
        assertThat(subscription.synthetic()).isEqualTo(SyntheticPolicy.EXCLUDE);
        assertThat(subscription.filter()).isNull();
        assertThat(subscription.include()).isEmpty();
    }

    @Test
    void shouldDropFilterWhenItIsJsonNull() {
        Subscription subscription = new Subscription(
                "claims-tx",
                "claims-reader",
                List.of("Claim.*.*"),
                null,
                null,
                NullNode.getInstance(),
                null,
                "claims-tx",
                1,
                null);

        assertThat(subscription.filter()).isNull();
    }

    @Test
    void shouldReportEveryViolationWhenSeveralMembersAreWrong() {
        JsonNode filter = JSON.readTree("{\"/amount\": [{\"numeric\": [\">\", \"x\"]}]}");
        List<String> include = List.of("memberId", "memberId", "");

        ValidationException thrown = catchThrowableOfType(
                ValidationException.class,
                () -> new Subscription(
                        "Bad Id",
                        "",
                        List.of("Claim.*.*", "claim"),
                        null,
                        null,
                        filter,
                        include,
                        "bad topic!",
                        0,
                        null));

        assertThat(thrown.violations())
                .containsExactly(
                        new Violation(
                                "/id",
                                "subscription id 'Bad Id' must be lower-case letters, digits, '.', '_' and '-',"
                                        + " starting with a letter or digit, at most 100 characters"),
                        new Violation("/app", "app is required"),
                        new Violation(
                                "/eventTypes/1",
                                "type pattern 'claim' must have exactly three parts, as Noun.Verb.Object with * for"
                                        + " any part"),
                        new Violation("/filter/~1amount/0/numeric/1", "numeric bounds are finite numbers"),
                        new Violation("/include/1", "field 'memberId' is listed twice"),
                        new Violation("/include/2", "a field name is required"),
                        new Violation(
                                "/topic",
                                "topic 'bad topic!' is not a valid Kafka topic name (letters, digits, '.', '_', '-')"),
                        new Violation("/partitions", "partitions must be between 1 and 1000"));
    }

    @Test
    void shouldRequireAnEventTypeWhenListIsEmpty() {
        List<String> eventTypes = List.of();

        ValidationException thrown = catchThrowableOfType(
                ValidationException.class, () -> subscription("claims-tx", eventTypes, null, "claims-tx", 1));

        assertThat(thrown.violations())
                .containsExactly(new Violation(
                        "/eventTypes", "at least one event type pattern is required, such as Claim.Submitted.*"));
    }

    @Test
    void shouldRequireIdWhenItIsNull() {
        ValidationException thrown = catchThrowableOfType(
                ValidationException.class, () -> subscription(null, List.of("Claim.*.*"), null, "claims-tx", 1));

        assertThat(thrown.violations()).containsExactly(new Violation("/id", "subscription id is required"));
    }

    @Test
    void shouldRejectTopicWhenItIsUnderThePlatformsOwnPrefix() {
        String topic = "eventing.registry.apps";

        ValidationException thrown = catchThrowableOfType(
                ValidationException.class, () -> subscription("claims-tx", List.of("Claim.*.*"), null, topic, 1));

        assertThat(thrown.violations())
                .containsExactly(new Violation(
                        "/topic", "topics under 'eventing.' are the platform's own; use another name or the default"));
    }

    @Test
    void shouldRejectTopicWhenItStartsWithUnderscore() {
        String topic = "_schemas";

        ValidationException thrown = catchThrowableOfType(
                ValidationException.class, () -> subscription("claims-tx", List.of("Claim.*.*"), null, topic, 1));

        assertThat(thrown.violations())
                .containsExactly(
                        new Violation("/topic", "topics starting with '_' are internal to Kafka and its tools"));
    }

    @Test
    void shouldRejectTopicWhenItIsNull() {
        String topic = null;

        ValidationException thrown = catchThrowableOfType(
                ValidationException.class, () -> subscription("claims-tx", List.of("Claim.*.*"), null, topic, 1));

        assertThat(thrown.violations())
                .containsExactly(new Violation(
                        "/topic", "topic 'null' is not a valid Kafka topic name (letters, digits, '.', '_', '-')"));
    }

    @Test
    void shouldAcceptTopicWhenItIsTheDefaultForTheId() {
        String topic = Subscription.defaultTopic("claims-tx");

        Subscription subscription = subscription("claims-tx", List.of("Claim.*.*"), null, topic, 1);

        assertThat(subscription.topic()).isEqualTo("eventing.sub.claims-tx");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 1000})
    void shouldAcceptPartitionsWhenWithinBounds(int partitions) {
        Subscription subscription = subscription("claims-tx", List.of("Claim.*.*"), null, "claims-tx", partitions);

        assertThat(subscription.partitions()).isEqualTo(partitions);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1001, -1})
    void shouldRejectPartitionsWhenOutOfBounds(int partitions) {
        ValidationException thrown = catchThrowableOfType(
                ValidationException.class,
                () -> subscription("claims-tx", List.of("Claim.*.*"), null, "claims-tx", partitions));

        assertThat(thrown.violations())
                .containsExactly(new Violation("/partitions", "partitions must be between 1 and 1000"));
    }

    @Test
    void shouldReportFilterProblemsUnderFilterWhenFilterIsNotAnObject() {
        JsonNode filter = JSON.readTree("[\"APPROVED\"]");

        ValidationException thrown = catchThrowableOfType(
                ValidationException.class, () -> subscription("claims-tx", List.of("Claim.*.*"), filter, "t", 1));

        assertThat(thrown.violations())
                .containsExactly(new Violation(
                        "/filter",
                        "a filter is an object whose keys are JSON Pointers into the body and whose values are"
                                + " lists"));
    }

    @Test
    void shouldWantTypeWhenAnyPatternMatchesIt() {
        Subscription subscription =
                subscription("claims-tx", List.of("Claim.Submitted.*", "Claim.Denied.*"), null, "claims-tx", 1);

        boolean submitted = subscription.wantsType(EventTypeName.parse("Claim.Submitted.Initial"));
        boolean denied = subscription.wantsType(EventTypeName.parse("Claim.Denied.Initial"));
        boolean paid = subscription.wantsType(EventTypeName.parse("Claim.Paid.Initial"));

        assertThat(submitted).isTrue();
        assertThat(denied).isTrue();
        assertThat(paid).isFalse();
    }

    @Test
    void shouldKeepCopiesSevenDaysWhenRetentionIsAbsent() {
        String written = """
                {"id": "claims-tx", "app": "claims-reader", "eventTypes": ["Claim.*.*"], "topic": "claims-tx",
                 "partitions": 1, "createdAt": "2026-01-05T10:00:00Z"}
                """;

        Subscription read = RegistryTopics.JSON.readValue(written, Subscription.class);

        assertThat(read.retentionMs()).isEqualTo(604_800_000L);
    }

    @ParameterizedTest
    @ValueSource(longs = {3_600_000L, 31_536_000_000L})
    void shouldAcceptRetentionWhenWithinBounds(long retentionMs) {
        Subscription subscription = subscription("claims-tx", List.of("Claim.*.*"), null, "claims-tx", 1);

        Subscription changed = subscription.withRetentionMs(retentionMs);

        assertThat(changed.retentionMs()).isEqualTo(retentionMs);
        assertThat(RegistryTopics.JSON.readValue(RegistryTopics.JSON.writeValueAsString(changed), Subscription.class))
                .isEqualTo(changed);
    }

    @ParameterizedTest
    @ValueSource(longs = {3_599_999L, 31_536_000_001L, -1L, 0L})
    void shouldRejectRetentionWhenOutOfBounds(long retentionMs) {
        Subscription subscription = subscription("claims-tx", List.of("Claim.*.*"), null, "claims-tx", 1);

        ValidationException thrown =
                catchThrowableOfType(ValidationException.class, () -> subscription.withRetentionMs(retentionMs));

        assertThat(thrown.violations())
                .containsExactly(new Violation(
                        "/retentionMs", "retentionMs must be between 3600000 (1 hour) and 31536000000 (365 days)"));
    }

    private static Subscription subscription(
            String id, List<String> eventTypes, JsonNode filter, String topic, int partitions) {
        return new Subscription(id, "claims-reader", eventTypes, null, null, filter, null, topic, partitions, null);
    }
}
