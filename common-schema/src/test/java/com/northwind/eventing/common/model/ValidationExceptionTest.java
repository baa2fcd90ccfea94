package com.northwind.eventing.common.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ValidationExceptionTest {

    @Test
    void shouldUseDetailAsMessageWhenTheOnlyViolationIsOnTheWholeDocument() {
        ValidationException e = new ValidationException("", "a filter is an object");

        assertThat(e).hasMessage("a filter is an object");
    }

    @Test
    void shouldPrefixPointerWhenTheOnlyViolationIsOnAMember() {
        ValidationException e = new ValidationException("/team", "team is required");

        assertThat(e).hasMessage("/team: team is required");
    }

    @Test
    void shouldCountViolationsWhenThereAreSeveral() {
        ValidationException e = new ValidationException(
                List.of(new Violation("/id", "app id is required"), new Violation("/team", "team is required")));

        assertThat(e).hasMessage("2 violations, first /id: app id is required");
    }

    @Test
    void shouldPrefixNestedPointersWhenCheckFails() {
        Violations violations = new Violations();

        violations.check("/publish/0", () -> TypePattern.parse("Claim.*.*"));
        violations.check("/read/1", () -> new SensitiveField("/a", "phi"));

        assertThat(violations.list())
                .containsExactly(new Violation(
                        "/read/1/classification",
                        "classification 'phi' must be upper-case letters, digits and underscores, starting with a"
                                + " letter (PHI, PII, PCI)"));
    }

    @Test
    void shouldNotThrowWhenNothingWasFound() {
        Violations violations = new Violations();

        violations.throwIfAny();

        assertThat(violations.isEmpty()).isTrue();
    }
}
