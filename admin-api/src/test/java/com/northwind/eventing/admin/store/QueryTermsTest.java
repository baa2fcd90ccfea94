package com.northwind.eventing.admin.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class QueryTermsTest {
    @Test
    void shouldSplitOnEveryNonLetterNonDigitAndLowerCaseWhenTextIsMixed() {
        // given
        String q = "Denied+Reconsideration, tx-42 état:TX";

        // when
        var terms = QueryTerms.of(q, 16);

        // then
        assertThat(terms).containsExactly("denied", "reconsideration", "tx", "42", "état");
    }

    @Test
    void shouldKeepEachWordOnceInFirstSeenOrderWhenWordsRepeat() {
        // given
        String q = "b a B A b";

        // when
        var terms = QueryTerms.of(q, 16);

        // then
        assertThat(terms).containsExactly("b", "a");
    }

    @Test
    void shouldCutAWordTo64CodePointsWhenItIsLonger() {
        // given a word of 70 letters, the last six beyond the cut
        String q = "a".repeat(64) + "bcdefg";

        // when
        var terms = QueryTerms.of(q, 16);

        // then
        assertThat(terms).containsExactly("a".repeat(64));
    }

    @Test
    void shouldCutAgainWhenLowerCasingLengthensAWord() {
        // given 64 dotted capital I (U+0130), each two code points once lower-cased
        String q = "\u0130".repeat(64);

        // when
        var terms = QueryTerms.of(q, 16);

        // then
        assertThat(terms.get(0).codePointCount(0, terms.get(0).length())).isEqualTo(64);
    }

    @Test
    void shouldRefuseWhenTextHasMoreDistinctWordsThanAllowed() {
        // given
        String q = "one two three four";

        // when / then
        assertThatThrownBy(() -> QueryTerms.of(q, 3)).isInstanceOf(QueryTerms.TooManyTermsException.class);
    }
}
