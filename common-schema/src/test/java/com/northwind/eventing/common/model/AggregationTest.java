package com.northwind.eventing.common.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AggregationTest {
    private static final String SUBMITTED = "Claim.Submitted.Reconsideration";
    private static final String PRICED = "Claim.Priced.Reconsideration";
    private static final String COMPLETED = "Claim.Completed.Reconsideration";

    @Test
    void shouldReadTheIssuesCombineShapeWhenParsedFromJson() {
        String json = """
                {"id": "claim-completed", "kind": "combine",
                 "inputs": [{"eventType": "Claim.Submitted.Reconsideration", "key": "/claimId"},
                            {"eventType": "Claim.Priced.Reconsideration", "key": "/claimId"}],
                 "window": "PT1H", "output": "Claim.Completed.Reconsideration"}""";

        Aggregation a = RegistryTopics.JSON.readValue(json, Aggregation.class);

        assertThat(a.type()).isEqualTo(Aggregation.Kind.COMBINE);
        assertThat(a.windowLength()).isEqualTo(Duration.ofHours(1));
        assertThat(a.inOrder()).isFalse();
        assertThat(a.inputTypes()).containsExactly(SUBMITTED, PRICED);
        assertThat(a.outputTypes()).containsExactly(COMPLETED);
        assertThat(a.inputs().get(0).fields()).isEmpty();
    }

    @Test
    void shouldRoundTripWhenWrittenToTheRegistryTopic() {
        Aggregation sla = new Aggregation(
                "tx-sla",
                "sla",
                "Texas claims decided",
                null,
                "PT1M",
                null,
                null,
                null,
                null,
                SUBMITTED,
                "/claimId",
                "state:",
                "PT30S",
                new AggregationInput("Claim.Decided.Reconsideration", "/claimId"),
                "P5D",
                new SlaThreshold(95.0, "P5D", null, null, "Claim.Breached.Sla"),
                "Claim.Measured.Sla",
                null);

        Aggregation read =
                RegistryTopics.JSON.readValue(RegistryTopics.JSON.writeValueAsString(sla), Aggregation.class);

        assertThat(read).isEqualTo(sla);
        assertThat(read.hopLength()).isEqualTo(Duration.ofSeconds(30));
        assertThat(read.timeoutLength()).isEqualTo(Duration.ofDays(5));
        assertThat(read.outputTypes()).containsExactly("Claim.Measured.Sla", "Claim.Breached.Sla");
        assertThat(RegistryTopics.JSON.writeValueAsString(sla)).doesNotContain("windowLength", "inOrder");
    }

    @Test
    void shouldAcceptAnAbsenceWhenItHasStartExpectedAndDeadline() {
        Aggregation a = absence(
                new AggregationInput(SUBMITTED, "transactionId", List.of("/claimId", "/member/id")),
                new AggregationInput("Claim.Acknowledged.Reconsideration", "transactionId"),
                "PT48H");

        assertThat(a.deadlineLength()).isEqualTo(Duration.ofHours(48));
        assertThat(a.inputTypes()).containsExactly(SUBMITTED, "Claim.Acknowledged.Reconsideration");
        assertThat(a.start().keyIsMetadata()).isTrue();
    }

    @Test
    void shouldNameEveryBadMemberWhenACombineIsWrong() {
        ValidationException thrown = catchThrowableOfType(
                ValidationException.class,
                () -> new Aggregation(
                        "Bad Id",
                        "combine",
                        null,
                        List.of(new AggregationInput(SUBMITTED, "/claimId")),
                        "1 hour",
                        null,
                        null,
                        null,
                        "PT1H",
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        SUBMITTED,
                        null));

        assertThat(thrown.violations())
                .extracting(Violation::pointer)
                .containsExactlyInAnyOrder("/id", "/inputs", "/window", "/deadline", "/output");
    }

    @Test
    void shouldRefuseAnInputTypeListedTwiceWhenCombining() {
        ValidationException thrown = catchThrowableOfType(
                ValidationException.class,
                () -> combine(
                        List.of(new AggregationInput(SUBMITTED, "/claimId"), new AggregationInput(SUBMITTED, "/id")),
                        "PT1H"));

        assertThat(thrown.violations()).extracting(Violation::pointer).containsExactly("/inputs/1/eventType");
    }

    @ParameterizedTest
    @ValueSource(strings = {"PT0S", "PT0.5S", "P91D", "-PT1H", "P1M", "1h", ""})
    void shouldRefuseTheWindowWhenItIsOutOfBoundsOrNotIso(String window) {
        ValidationException thrown = catchThrowableOfType(
                ValidationException.class,
                () -> combine(
                        List.of(new AggregationInput(SUBMITTED, "/claimId"), new AggregationInput(PRICED, "/claimId")),
                        window));

        assertThat(thrown.violations()).extracting(Violation::pointer).containsExactly("/window");
    }

    @Test
    void shouldRefuseAnOutputItReadsWhenOutputIsAnInput() {
        ValidationException thrown = catchThrowableOfType(
                ValidationException.class,
                () -> new Aggregation(
                        "loop",
                        "absence",
                        null,
                        null,
                        null,
                        null,
                        new AggregationInput(SUBMITTED, "/claimId"),
                        new AggregationInput(PRICED, "/claimId"),
                        "PT5S",
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        PRICED,
                        null));

        assertThat(thrown.violations()).extracting(Violation::pointer).containsExactly("/output");
    }

    @Test
    void shouldRefuseMembersOfAnotherKindWhenTheyArePresent() {
        ValidationException thrown = catchThrowableOfType(
                ValidationException.class,
                () -> new Aggregation(
                        "mixed",
                        "absence",
                        null,
                        List.of(new AggregationInput(PRICED, "/claimId")),
                        "PT1H",
                        true,
                        new AggregationInput(SUBMITTED, "/claimId"),
                        new AggregationInput(PRICED, "/claimId"),
                        "PT5S",
                        SUBMITTED,
                        null,
                        "state:",
                        null,
                        null,
                        null,
                        null,
                        COMPLETED,
                        null));

        assertThat(thrown.violations())
                .extracting(Violation::pointer)
                .containsExactlyInAnyOrder("/inputs", "/ordered", "/window", "/eventType", "/tagPrefix");
    }

    @Test
    void shouldRefuseAnUnknownKindWhenKindIsMisspelt() {
        ValidationException thrown = catchThrowableOfType(
                ValidationException.class,
                () -> new Aggregation(
                        "x", "Combine", null, null, null, null, null, null, null, null, null, null, null, null, null,
                        null, COMPLETED, null));

        assertThat(thrown.violations()).singleElement().satisfies(v -> {
            assertThat(v.pointer()).isEqualTo("/kind");
            assertThat(v.detail()).contains("combine, absence, sla", "'Combine'");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"claimId", "/claims/*/id", "/a//b", "memberId", "/bad~2escape"})
    void shouldRefuseTheKeyWhenItIsNeitherAMemberPointerNorAMetadataField(String key) {
        ValidationException thrown =
                catchThrowableOfType(ValidationException.class, () -> new AggregationInput(SUBMITTED, key));

        assertThat(thrown.violations()).extracting(Violation::pointer).containsExactly("/key");
    }

    @Test
    void shouldRefuseAHopThatDoesNotDivideTheWindowWhenSlaIsHopping() {
        ValidationException thrown = catchThrowableOfType(ValidationException.class, () -> sla("PT1M", "PT25S"));

        assertThat(thrown.violations()).extracting(Violation::pointer).containsExactly("/hop");
    }

    @Test
    void shouldRefuseTooManyHopsWhenTheHopIsTiny() {
        ValidationException thrown = catchThrowableOfType(ValidationException.class, () -> sla("PT1H", "PT1S"));

        assertThat(thrown.violations()).extracting(Violation::pointer).containsExactly("/hop");
    }

    @Test
    void shouldRefuseKeyAndTimeoutWhenSlaHasNoEnd() {
        ValidationException thrown = catchThrowableOfType(
                ValidationException.class,
                () -> new Aggregation(
                        "counts",
                        "sla",
                        null,
                        null,
                        "PT1M",
                        null,
                        null,
                        null,
                        null,
                        SUBMITTED,
                        "/claimId",
                        "state:",
                        null,
                        null,
                        "P1D",
                        null,
                        "Claim.Counted.Sla",
                        null));

        assertThat(thrown.violations()).extracting(Violation::pointer).containsExactlyInAnyOrder("/key", "/timeout");
    }

    @Test
    void shouldRefuseAThresholdWhenItHasNoCondition() {
        ValidationException thrown = catchThrowableOfType(
                ValidationException.class, () -> new SlaThreshold(null, null, null, null, "Claim.Breached.Sla"));

        assertThat(thrown.violations()).extracting(Violation::pointer).containsExactly("");
    }

    @Test
    void shouldRefuseAPercentileWithoutWithinWhenTheThresholdIsHalf() {
        ValidationException thrown =
                catchThrowableOfType(ValidationException.class, () -> new SlaThreshold(100.0, null, 0L, null, null));

        assertThat(thrown.violations())
                .extracting(Violation::pointer)
                .containsExactlyInAnyOrder("/within", "/percentile", "/minCount", "/output");
    }

    private static Aggregation combine(List<AggregationInput> inputs, String window) {
        return new Aggregation(
                "claim-completed",
                "combine",
                null,
                inputs,
                window,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                COMPLETED,
                null);
    }

    private static Aggregation absence(AggregationInput start, AggregationInput expected, String deadline) {
        return new Aggregation(
                "ack-missing",
                "absence",
                null,
                null,
                null,
                null,
                start,
                expected,
                deadline,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                "Claim.Unacknowledged.Reconsideration",
                null);
    }

    private static Aggregation sla(String window, String hop) {
        return new Aggregation(
                "tx-sla",
                "sla",
                null,
                null,
                window,
                null,
                null,
                null,
                null,
                SUBMITTED,
                null,
                "state:",
                hop,
                null,
                null,
                null,
                "Claim.Counted.Sla",
                null);
    }
}
