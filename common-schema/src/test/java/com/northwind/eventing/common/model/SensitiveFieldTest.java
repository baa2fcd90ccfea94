package com.northwind.eventing.common.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

class SensitiveFieldTest {

    @Test
    void shouldKeepPathAndClassificationWhenBothAreValid() {
        String path = "/claimLines/*/ssn";

        SensitiveField field = new SensitiveField(path, "PHI");

        assertThat(field.path()).isEqualTo("/claimLines/*/ssn");
        assertThat(field.classification()).isEqualTo("PHI");
    }

    @Test
    void shouldAcceptClassificationWhenItHasDigitsAndUnderscores() {
        String classification = "PII_2";

        SensitiveField field = new SensitiveField("/member/email", classification);

        assertThat(field.classification()).isEqualTo("PII_2");
    }

    @Test
    void shouldReportBothViolationsWhenPathAndClassificationAreWrong() {
        String path = "member/ssn";
        String classification = "phi";

        ValidationException thrown =
                catchThrowableOfType(ValidationException.class, () -> new SensitiveField(path, classification));

        assertThat(thrown.violations())
                .containsExactly(
                        new Violation("/path", "'member/ssn' is not a JSON Pointer: it must start with /"),
                        new Violation(
                                "/classification",
                                "classification 'phi' must be upper-case letters, digits and underscores, starting"
                                        + " with a letter (PHI, PII, PCI)"));
    }

    @Test
    void shouldReportBothMissingWhenPathAndClassificationAreNull() {
        String path = null;
        String classification = null;

        ValidationException thrown =
                catchThrowableOfType(ValidationException.class, () -> new SensitiveField(path, classification));

        assertThat(thrown.violations())
                .containsExactly(
                        new Violation("/path", "a JSON Pointer is required, such as /member/ssn"),
                        new Violation("/classification", "a classification is required, such as PHI, PII or PCI"));
        assertThat(thrown).hasMessage("2 violations, first /path: a JSON Pointer is required, such as /member/ssn");
    }

    @Test
    void shouldRejectClassificationWhenLongerThan32Characters() {
        String classification = "P" + "H".repeat(32);

        ValidationException thrown =
                catchThrowableOfType(ValidationException.class, () -> new SensitiveField("/a", classification));

        assertThat(thrown.violations()).extracting(Violation::pointer).containsExactly("/classification");
    }
}
