package com.northwind.eventing.common.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SearchTermsTest {
    @Test
    void shouldSplitOnEveryNonLetterOrDigitAndLowerCaseWhenTokenizing() {
        String text = "Claim.Submitted tx-42 état:TX  Ünïcode_ok 123-45-6789";

        assertThat(SearchTerms.of(text))
                .containsExactly("claim", "submitted", "tx", "42", "état", "ünïcode", "ok", "123", "45", "6789");
    }

    @Test
    void shouldKeepFirstSeenOrderWithoutRepeatsWhenWordsRepeat() {
        SearchTerms terms = new SearchTerms();

        terms.add("Beta alpha");
        terms.add("ALPHA gamma beta");
        terms.add(null);

        assertThat(terms.terms()).containsExactly("beta", "alpha", "gamma");
    }

    @Test
    void shouldCutWordsAt64CodePointsWhenLonger() {
        String word = "A".repeat(70) + " " + "\uD835\uDC00".repeat(65);

        assertThat(SearchTerms.of(word)).containsExactly("a".repeat(64), "\uD835\uDC00".repeat(64));
    }

    @Test
    void shouldKeepAtMost512TermsWhenTextHasMore() {
        String text = IntStream.range(0, 600).mapToObj(i -> "w" + i).collect(Collectors.joining(" "));

        SearchTerms terms = new SearchTerms();
        terms.add(text);
        terms.add("more");

        assertThat(terms.size()).isEqualTo(512);
        assertThat(terms.get(511)).isEqualTo("w511");
        assertThat(terms.isFull()).isTrue();
    }

    @Test
    void shouldGiveNothingWhenTextHasNoLetterOrDigit() {
        assertThat(SearchTerms.of("*** -- ::")).isEmpty();
    }
}
