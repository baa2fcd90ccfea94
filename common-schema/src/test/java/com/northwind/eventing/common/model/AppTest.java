package com.northwind.eventing.common.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AppTest {
    private static final Instant CREATED = Instant.parse("2026-01-05T10:00:00Z");

    @Test
    void shouldDefaultToEmptyListsWhenListsAreNull() {
        App app = new App("claims-intake", "claims", null, null, null, null, CREATED, CREATED);

        assertThat(app.publish()).isEmpty();
        assertThat(app.read()).isEmpty();
        assertThat(app.tokens()).isEmpty();
    }

    @Test
    void shouldParseGrantsWhenTheyAreValid() {
        App app = new App(
                "claims-intake",
                "claims",
                List.of("Claim.*.*", "Member.Enrolled.New"),
                List.of("PHI", "/member/ssn"),
                null,
                null,
                CREATED,
                CREATED);

        assertThat(app.publishPatterns())
                .containsExactly(new TypePattern("Claim", "*", "*"), new TypePattern("Member", "Enrolled", "New"));
        assertThat(app.readGrants()).containsExactly(new ReadGrant("PHI", null), new ReadGrant(null, "/member/ssn"));
    }

    @Test
    void shouldReportEveryViolationWhenSeveralMembersAreWrong() {
        List<String> publish = List.of("Claim.*.*", "claim.*.*");
        List<String> read = List.of("PHI", "phi");

        ValidationException thrown = catchThrowableOfType(
                ValidationException.class,
                () -> new App("Claims_Intake", " ", publish, read, null, null, CREATED, CREATED));

        assertThat(thrown.violations())
                .containsExactly(
                        new Violation(
                                "/id",
                                "app id 'Claims_Intake' must be lower-case letters, digits and hyphens, start with a"
                                        + " letter, at most 63 characters"),
                        new Violation("/team", "team is required"),
                        new Violation(
                                "/publish/1",
                                "type pattern 'claim.*.*': noun 'claim' must start with an upper-case letter and"
                                        + " contain only letters, digits and hyphens"),
                        new Violation(
                                "/read/1",
                                "read grant 'phi' must be a classification (PHI) or a JSON Pointer to a field"
                                        + " (/member/ssn)"));
    }

    @Test
    void shouldRequireIdAndTeamWhenTheyAreNull() {
        ValidationException thrown = catchThrowableOfType(
                ValidationException.class, () -> new App(null, null, null, null, null, null, CREATED, CREATED));

        assertThat(thrown.violations())
                .containsExactly(
                        new Violation("/id", "app id is required"), new Violation("/team", "team is required"));
    }

    @Test
    void shouldAcceptIdWhenItIs63Characters() {
        String id = "a" + "b".repeat(62);

        App app = new App(id, "claims", null, null, null, null, CREATED, CREATED);

        assertThat(app.id()).hasSize(63);
    }

    @Test
    void shouldRejectIdWhenItIs64Characters() {
        String id = "a" + "b".repeat(63);

        ValidationException thrown = catchThrowableOfType(
                ValidationException.class, () -> new App(id, "claims", null, null, null, null, CREATED, CREATED));

        assertThat(thrown.violations()).extracting(Violation::pointer).containsExactly("/id");
    }

    @Test
    void shouldRejectIdWhenItStartsWithADigit() {
        String id = "1claims";

        ValidationException thrown = catchThrowableOfType(
                ValidationException.class, () -> new App(id, "claims", null, null, null, null, CREATED, CREATED));

        assertThat(thrown.violations())
                .containsExactly(new Violation(
                        "/id",
                        "app id '1claims' must be lower-case letters, digits and hyphens, start with a letter, at"
                                + " most 63 characters"));
    }

    @Test
    void shouldMayPublishWhenAPatternCoversTheType() {
        App app = new App(
                "claims-intake", "claims", List.of("Claim.*.*", "*.*.Audit"), null, null, null, CREATED, CREATED);

        boolean claim = app.mayPublish(EventTypeName.parse("Claim.Submitted.Reconsideration"));
        boolean audit = app.mayPublish(EventTypeName.parse("Member.Viewed.Audit"));
        boolean member = app.mayPublish(EventTypeName.parse("Member.Enrolled.New"));

        assertThat(claim).isTrue();
        assertThat(audit).isTrue();
        assertThat(member).isFalse();
    }

    @Test
    void shouldPublishNothingWhenItHasNoPatterns() {
        App app = new App("claims-reader", "claims", null, null, null, null, CREATED, CREATED);

        boolean allowed = app.mayPublish(EventTypeName.parse("Claim.Submitted.Reconsideration"));

        assertThat(allowed).isFalse();
    }

    @Test
    void shouldKeepItsOwnCopyWhenTheCallersListChangesLater() {
        List<String> publish = new ArrayList<>(List.of("Claim.*.*"));
        App app = new App("claims-intake", "claims", publish, null, null, null, CREATED, CREATED);

        publish.add("Member.*.*");

        assertThat(app.publish()).containsExactly("Claim.*.*");
    }

    @Test
    void shouldReplaceTokensAndUpdateTimeWhenGivenNewTokens() {
        App app =
                new App("claims-intake", "claims", List.of("Claim.*.*"), List.of("PHI"), null, null, CREATED, CREATED);
        AppToken token =
                new AppToken("t1", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", CREATED);
        Instant later = Instant.parse("2026-02-01T08:30:00Z");

        App updated = app.withTokens(List.of(token), later);

        assertThat(updated)
                .isEqualTo(new App(
                        "claims-intake",
                        "claims",
                        List.of("Claim.*.*"),
                        List.of("PHI"),
                        List.of(token),
                        null,
                        Instant.parse("2026-01-05T10:00:00Z"),
                        Instant.parse("2026-02-01T08:30:00Z")));
    }
}
