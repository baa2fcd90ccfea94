package com.northwind.eventing.common.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;

class TypePatternTest {

    @Test
    void shouldKeepWildcardsWhenPatternHasThem() {
        String pattern = "Claim.*.*";

        TypePattern parsed = TypePattern.parse(pattern);

        assertThat(parsed).isEqualTo(new TypePattern("Claim", "*", "*"));
        assertThat(parsed.toString()).isEqualTo("Claim.*.*");
    }

    @ParameterizedTest
    @CsvSource({
        "Claim.*.*, Claim.Submitted.Reconsideration, true",
        "Claim.*.*, Claim.Denied.Initial, true",
        "Claim.*.*, Member.Enrolled.New, false",
        "*.Submitted.*, Claim.Submitted.Initial, true",
        "*.Submitted.*, Claim.Denied.Initial, false",
        "*.*.Initial, Claim.Denied.Initial, true",
        "*.*.*, Member.Enrolled.New, true",
        "Claim.Submitted.Reconsideration, Claim.Submitted.Reconsideration, true",
        "Claim.Submitted.Reconsideration, Claim.Submitted.Initial, false",
        "Claim.Submitted.Reconsideration, Claim.Submitted.RECONSIDERATION, false",
    })
    void shouldMatchNameWhenEveryFixedPartIsEqual(String pattern, String name, boolean expected) {
        TypePattern parsed = TypePattern.parse(pattern);

        boolean matches = parsed.matches(EventTypeName.parse(name));

        assertThat(matches).isEqualTo(expected);
    }

    @Test
    void shouldRejectPatternWhenItHasTwoParts() {
        String pattern = "Claim.*";

        ValidationException thrown = catchThrowableOfType(ValidationException.class, () -> TypePattern.parse(pattern));

        assertThat(thrown.violations())
                .containsExactly(new Violation(
                        "",
                        "type pattern 'Claim.*' must have exactly three parts, as Noun.Verb.Object with * for any"
                                + " part"));
    }

    @Test
    void shouldRejectPatternWhenItHasFourParts() {
        String pattern = "Claim.*.*.*";

        ValidationException thrown = catchThrowableOfType(ValidationException.class, () -> TypePattern.parse(pattern));

        assertThat(thrown.violations())
                .containsExactly(new Violation(
                        "",
                        "type pattern 'Claim.*.*.*' must have exactly three parts, as Noun.Verb.Object with * for any"
                                + " part"));
    }

    @Test
    void shouldRejectPatternWhenAPartStartsLowerCase() {
        String pattern = "claim.*.*";

        ValidationException thrown = catchThrowableOfType(ValidationException.class, () -> TypePattern.parse(pattern));

        assertThat(thrown.violations())
                .containsExactly(new Violation(
                        "",
                        "type pattern 'claim.*.*': noun 'claim' must start with an upper-case letter and contain only"
                                + " letters, digits and hyphens"));
    }

    @Test
    void shouldRejectPatternWhenAPartHasASpace() {
        String pattern = "Claim.Sub mitted.*";

        ValidationException thrown = catchThrowableOfType(ValidationException.class, () -> TypePattern.parse(pattern));

        assertThat(thrown.violations())
                .containsExactly(new Violation(
                        "",
                        "type pattern 'Claim.Sub mitted.*': verb 'Sub mitted' must start with an upper-case letter"
                                + " and contain only letters, digits and hyphens"));
    }

    @Test
    void shouldRejectPatternWhenAWildcardIsPartOfAWord() {
        String pattern = "Claim.*.Recon*";

        ValidationException thrown = catchThrowableOfType(ValidationException.class, () -> TypePattern.parse(pattern));

        assertThat(thrown.violations())
                .containsExactly(new Violation(
                        "",
                        "type pattern 'Claim.*.Recon*': object 'Recon*' must start with an upper-case letter and"
                                + " contain only letters, digits and hyphens"));
    }

    @Test
    void shouldRejectPatternWhenAPartIsEmpty() {
        String pattern = "Claim..*";

        ValidationException thrown = catchThrowableOfType(ValidationException.class, () -> TypePattern.parse(pattern));

        assertThat(thrown.violations()).containsExactly(new Violation("", "type pattern 'Claim..*': verb is required"));
    }

    @ParameterizedTest
    @NullAndEmptySource
    void shouldRejectPatternWhenNullOrEmpty(String pattern) {
        ValidationException thrown = catchThrowableOfType(ValidationException.class, () -> TypePattern.parse(pattern));

        assertThat(thrown.violations())
                .containsExactly(
                        new Violation("", "a type pattern is required, as Noun.Verb.Object with * for any part"));
    }
}
