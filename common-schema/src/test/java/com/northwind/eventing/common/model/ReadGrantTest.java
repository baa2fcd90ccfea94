package com.northwind.eventing.common.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

class ReadGrantTest {

    @Test
    void shouldBeAClassificationGrantWhenGrantIsAnUpperCaseWord() {
        String grant = "PHI";

        ReadGrant parsed = ReadGrant.parse(grant);

        assertThat(parsed).isEqualTo(new ReadGrant("PHI", null));
        assertThat(parsed.toString()).isEqualTo("PHI");
    }

    @Test
    void shouldBeAPathGrantWhenGrantStartsWithSlash() {
        String grant = "/member/ssn";

        ReadGrant parsed = ReadGrant.parse(grant);

        assertThat(parsed).isEqualTo(new ReadGrant(null, "/member/ssn"));
        assertThat(parsed.toString()).isEqualTo("/member/ssn");
    }

    @Test
    void shouldRejectGrantWhenClassificationIsLowerCase() {
        String grant = "phi";

        ValidationException thrown = catchThrowableOfType(ValidationException.class, () -> ReadGrant.parse(grant));

        assertThat(thrown.violations())
                .containsExactly(new Violation(
                        "",
                        "read grant 'phi' must be a classification (PHI) or a JSON Pointer to a field (/member/ssn)"));
    }

    @Test
    void shouldRejectGrantWhenEmpty() {
        String grant = "";

        ValidationException thrown = catchThrowableOfType(ValidationException.class, () -> ReadGrant.parse(grant));

        assertThat(thrown.violations())
                .containsExactly(new Violation(
                        "", "read grant '' must be a classification (PHI) or a JSON Pointer to a field (/member/ssn)"));
    }

    @Test
    void shouldRejectGrantWhenPointerHasAnEmptySegment() {
        String grant = "/member//ssn";

        ValidationException thrown = catchThrowableOfType(ValidationException.class, () -> ReadGrant.parse(grant));

        assertThat(thrown.violations())
                .containsExactly(new Violation("", "read grant '/member//ssn' has an empty segment"));
    }

    @Test
    void shouldRejectGrantWhenPointerHasABadEscape() {
        String grant = "/member/a~2";

        ValidationException thrown = catchThrowableOfType(ValidationException.class, () -> ReadGrant.parse(grant));

        assertThat(thrown.violations())
                .containsExactly(new Violation(
                        "", "read grant '/member/a~2' is not a JSON Pointer: ~ must be followed by 0 or 1"));
    }

    @Test
    void shouldClearEveryFieldOfTheClassificationWhenGrantIsAClassification() {
        ReadGrant grant = ReadGrant.parse("PHI");

        boolean ssn = grant.clears(new SensitiveField("/member/ssn", "PHI"));
        boolean diagnosis = grant.clears(new SensitiveField("/claimLines/*/diagnosis", "PHI"));
        boolean card = grant.clears(new SensitiveField("/payment/card", "PCI"));

        assertThat(ssn).isTrue();
        assertThat(diagnosis).isTrue();
        assertThat(card).isFalse();
    }

    @Test
    void shouldClearOnlyTheSameFieldWhenGrantIsAPath() {
        ReadGrant grant = ReadGrant.parse("/member/ssn");

        boolean ssn = grant.clears(new SensitiveField("/member/ssn", "PHI"));
        boolean dateOfBirth = grant.clears(new SensitiveField("/member/dateOfBirth", "PHI"));

        assertThat(ssn).isTrue();
        assertThat(dateOfBirth).isFalse();
    }
}
