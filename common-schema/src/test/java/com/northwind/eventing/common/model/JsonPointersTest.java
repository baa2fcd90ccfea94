package com.northwind.eventing.common.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;

class JsonPointersTest {

    @Test
    void shouldSplitIntoTokensWhenPointerHasSeveralSegments() {
        String pointer = "/member/ssn";

        List<String> tokens = JsonPointers.parse(pointer);

        assertThat(tokens).containsExactly("member", "ssn");
    }

    @Test
    void shouldUnescapeTildeWhenTildeIsFollowedByZero() {
        String pointer = "/a~0b";

        List<String> tokens = JsonPointers.parse(pointer);

        assertThat(tokens).containsExactly("a~b");
    }

    @Test
    void shouldUnescapeSlashWhenTildeIsFollowedByOne() {
        String pointer = "/a~1b/c";

        List<String> tokens = JsonPointers.parse(pointer);

        assertThat(tokens).containsExactly("a/b", "c");
    }

    @Test
    void shouldNotUnescapeTwiceWhenTildeZeroIsFollowedByOne() {
        String pointer = "/~01";

        List<String> tokens = JsonPointers.parse(pointer);

        assertThat(tokens).containsExactly("~1");
    }

    @Test
    void shouldKeepStarAsATokenWhenPointerNamesEveryArrayElement() {
        String pointer = "/claimLines/*/ssn";

        List<String> tokens = JsonPointers.parse(pointer);

        assertThat(tokens).containsExactly("claimLines", "*", "ssn");
    }

    @ParameterizedTest
    @NullAndEmptySource
    void shouldRejectPointerWhenNullOrEmpty(String pointer) {
        ValidationException thrown = catchThrowableOfType(ValidationException.class, () -> JsonPointers.parse(pointer));

        assertThat(thrown.violations())
                .containsExactly(new Violation("", "a JSON Pointer is required, such as /member/ssn"));
    }

    @Test
    void shouldRejectPointerWhenItDoesNotStartWithSlash() {
        String pointer = "member/ssn";

        ValidationException thrown = catchThrowableOfType(ValidationException.class, () -> JsonPointers.parse(pointer));

        assertThat(thrown.violations())
                .containsExactly(new Violation("", "'member/ssn' is not a JSON Pointer: it must start with /"));
    }

    @Test
    void shouldRejectPointerWhenTildeIsFollowedByAnotherDigit() {
        String pointer = "/a~2b";

        ValidationException thrown = catchThrowableOfType(ValidationException.class, () -> JsonPointers.parse(pointer));

        assertThat(thrown.violations())
                .containsExactly(new Violation("", "'/a~2b' is not a JSON Pointer: ~ must be followed by 0 or 1"));
    }

    @Test
    void shouldRejectPointerWhenItEndsWithTilde() {
        String pointer = "/member~";

        ValidationException thrown = catchThrowableOfType(ValidationException.class, () -> JsonPointers.parse(pointer));

        assertThat(thrown.violations())
                .containsExactly(new Violation("", "'/member~' is not a JSON Pointer: ~ must be followed by 0 or 1"));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "/             | '/' has an empty segment",
                "/member//ssn  | '/member//ssn' has an empty segment",
                "/member/      | '/member/' has an empty segment",
            })
    void shouldRejectPointerWhenASegmentIsEmpty(String pointer, String detail) {
        ValidationException thrown = catchThrowableOfType(ValidationException.class, () -> JsonPointers.parse(pointer));

        assertThat(thrown.violations()).containsExactly(new Violation("", detail));
    }

    @Test
    void shouldEscapeTildeBeforeSlashWhenJoiningTokens() {
        List<String> tokens = List.of("a/b", "c~d", "~1");

        String pointer = JsonPointers.join(tokens);

        assertThat(pointer).isEqualTo("/a~1b/c~0d/~01");
        assertThat(JsonPointers.parse(pointer)).containsExactly("a/b", "c~d", "~1");
    }

    @Test
    void shouldJoinToEmptyPointerWhenThereAreNoTokens() {
        List<String> tokens = List.of();

        String pointer = JsonPointers.join(tokens);

        assertThat(pointer).isEmpty();
    }
}
