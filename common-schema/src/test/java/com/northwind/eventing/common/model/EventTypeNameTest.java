package com.northwind.eventing.common.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;

class EventTypeNameTest {

    @Test
    void shouldSplitIntoNounVerbObjectWhenNameHasThreeParts() {
        String name = "Claim.Submitted.Reconsideration";

        EventTypeName parsed = EventTypeName.parse(name);

        assertThat(parsed).isEqualTo(new EventTypeName("Claim", "Submitted", "Reconsideration"));
        assertThat(parsed.toString()).isEqualTo("Claim.Submitted.Reconsideration");
    }

    @Test
    void shouldAcceptPartWhenLettersDigitsAndHyphensFollowAnUpperCaseLetter() {
        String name = "Claim-V2.ReSubmitted.Level-2-Appeal";

        EventTypeName parsed = EventTypeName.parse(name);

        assertThat(parsed).isEqualTo(new EventTypeName("Claim-V2", "ReSubmitted", "Level-2-Appeal"));
    }

    @Test
    void shouldAcceptPartWhenItIsExactly64Characters() {
        String object = "A" + "b".repeat(63);

        EventTypeName parsed = EventTypeName.parse("Claim.Submitted." + object);

        assertThat(parsed.object()).hasSize(64);
    }

    @Test
    void shouldRejectNameWhenItHasTwoParts() {
        String name = "Claim.Submitted";

        ValidationException thrown = catchThrowableOfType(ValidationException.class, () -> EventTypeName.parse(name));

        assertThat(thrown.violations())
                .containsExactly(new Violation(
                        "", "event type 'Claim.Submitted' must have exactly three parts, as Noun.Verb.Object"));
    }

    @Test
    void shouldRejectNameWhenItHasFourParts() {
        String name = "Claim.Submitted.Reconsideration.Extra";

        ValidationException thrown = catchThrowableOfType(ValidationException.class, () -> EventTypeName.parse(name));

        assertThat(thrown.violations())
                .containsExactly(new Violation(
                        "",
                        "event type 'Claim.Submitted.Reconsideration.Extra' must have exactly three parts, as"
                                + " Noun.Verb.Object"));
    }

    @ParameterizedTest
    @NullAndEmptySource
    void shouldRejectNameWhenNullOrEmpty(String name) {
        ValidationException thrown = catchThrowableOfType(ValidationException.class, () -> EventTypeName.parse(name));

        assertThat(thrown.violations())
                .containsExactly(new Violation("", "an event type name is required, as Noun.Verb.Object"));
    }

    @Test
    void shouldRejectNameWhenAPartStartsLowerCase() {
        String name = "claim.Submitted.Reconsideration";

        ValidationException thrown = catchThrowableOfType(ValidationException.class, () -> EventTypeName.parse(name));

        assertThat(thrown.violations())
                .containsExactly(new Violation(
                        "/noun",
                        "noun 'claim' must start with an upper-case letter and contain only letters, digits and"
                                + " hyphens"));
    }

    @Test
    void shouldRejectNameWhenAPartHasAnUnderscore() {
        String name = "Claim.Sub_mitted.Reconsideration";

        ValidationException thrown = catchThrowableOfType(ValidationException.class, () -> EventTypeName.parse(name));

        assertThat(thrown.violations())
                .containsExactly(new Violation(
                        "/verb",
                        "verb 'Sub_mitted' must start with an upper-case letter and contain only letters, digits"
                                + " and hyphens"));
    }

    @Test
    void shouldRejectNameWhenAPartIsEmpty() {
        String name = "Claim..Reconsideration";

        ValidationException thrown = catchThrowableOfType(ValidationException.class, () -> EventTypeName.parse(name));

        assertThat(thrown.violations()).containsExactly(new Violation("/verb", "verb is required"));
    }

    @Test
    void shouldRejectNameWhenAPartIsLongerThan64Characters() {
        String object = "A" + "b".repeat(64);

        ValidationException thrown =
                catchThrowableOfType(ValidationException.class, () -> new EventTypeName("Claim", "Submitted", object));

        assertThat(thrown.violations())
                .containsExactly(new Violation("/object", "object is longer than 64 characters"));
    }

    @Test
    void shouldCompareEveryPartWhenAskedIfItIsAName() {
        EventTypeName name = new EventTypeName("Claim", "Submitted", "Reconsideration");

        boolean same = name.is("Claim", "Submitted", "Reconsideration");
        boolean otherObject = name.is("Claim", "Submitted", "Initial");

        assertThat(same).isTrue();
        assertThat(otherObject).isFalse();
    }
}
