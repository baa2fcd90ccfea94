package com.northwind.eventing.common.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TagFilterTest {

    @Test
    void shouldMatchAnyTagsWhenFilterIsNone() {
        TagFilter filter = TagFilter.NONE;

        boolean none = filter.matches(Set.of());
        boolean some = filter.matches(Set.of("state:TX"));

        assertThat(none).isTrue();
        assertThat(some).isTrue();
    }

    @Test
    void shouldDefaultToEmptyListsWhenListsAreNull() {
        TagFilter filter = new TagFilter(null, null, null);

        assertThat(filter).isEqualTo(TagFilter.NONE);
    }

    @Test
    void shouldMatchWhenEveryAllOfTagIsPresent() {
        TagFilter filter = new TagFilter(List.of("state:TX", "line:dental"), null, null);

        boolean all = filter.matches(Set.of("state:TX", "line:dental", "priority:high"));
        boolean one = filter.matches(Set.of("state:TX"));

        assertThat(all).isTrue();
        assertThat(one).isFalse();
    }

    @Test
    void shouldMatchWhenAtLeastOneAnyOfTagIsPresent() {
        TagFilter filter = new TagFilter(null, List.of("state:TX", "state:OK"), null);

        boolean ok = filter.matches(Set.of("state:OK"));
        boolean ca = filter.matches(Set.of("state:CA"));
        boolean none = filter.matches(Set.of());

        assertThat(ok).isTrue();
        assertThat(ca).isFalse();
        assertThat(none).isFalse();
    }

    @Test
    void shouldNotMatchWhenANoneOfTagIsPresent() {
        TagFilter filter = new TagFilter(null, null, List.of("test-data"));

        boolean clean = filter.matches(Set.of("state:TX"));
        boolean tainted = filter.matches(Set.of("state:TX", "test-data"));

        assertThat(clean).isTrue();
        assertThat(tainted).isFalse();
    }

    @Test
    void shouldRequireAllThreeRulesWhenTheyAreCombined() {
        TagFilter filter = new TagFilter(List.of("line:dental"), List.of("state:TX", "state:OK"), List.of("test-data"));

        boolean matching = filter.matches(Set.of("line:dental", "state:OK"));
        boolean noAnyOf = filter.matches(Set.of("line:dental", "state:CA"));
        boolean withNoneOf = filter.matches(Set.of("line:dental", "state:OK", "test-data"));

        assertThat(matching).isTrue();
        assertThat(noAnyOf).isFalse();
        assertThat(withNoneOf).isFalse();
    }

    @Test
    void shouldAcceptTagWhenItIsExactly128Characters() {
        String tag = "t".repeat(128);

        TagFilter filter = new TagFilter(List.of(tag), null, null);

        assertThat(filter.allOf()).containsExactly(tag);
    }

    @Test
    void shouldReportEveryBadTagWhenSeveralListsHaveThem() {
        List<String> allOf = List.of("");
        List<String> anyOf = List.of("state:TX", "t".repeat(129));
        List<String> noneOf = List.of("ok", "");

        ValidationException thrown =
                catchThrowableOfType(ValidationException.class, () -> new TagFilter(allOf, anyOf, noneOf));

        assertThat(thrown.violations())
                .containsExactly(
                        new Violation("/allOf/0", "a tag must not be empty"),
                        new Violation("/anyOf/1", "a tag is at most 128 characters"),
                        new Violation("/noneOf/1", "a tag must not be empty"));
    }
}
