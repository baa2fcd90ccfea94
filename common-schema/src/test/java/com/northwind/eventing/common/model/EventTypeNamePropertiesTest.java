package com.northwind.eventing.common.model;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class EventTypeNamePropertiesTest {
    @Property(tries = 2000)
    void shouldAgreeWithThePatternWhenCheckingAPartByHand(@ForAll("parts") String value) {
        assertThat(EventTypeName.isPart(value))
                .isEqualTo(EventTypeName.PART.matcher(value).matches());
    }

    @Provide
    Arbitrary<String> parts() {
        // Mostly near-valid names, with the characters around each range's ends and some of everything else.
        Arbitrary<Character> edges =
                Arbitraries.of('@', 'A', 'Z', '[', '`', 'a', 'z', '{', '/', '0', '9', ':', '-', '_');
        Arbitrary<Character> any = Arbitraries.chars();
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, edges), net.jqwik.api.Tuple.of(1, any))
                .list()
                .ofMaxSize(8)
                .map(cs -> {
                    StringBuilder b = new StringBuilder();
                    cs.forEach(b::append);
                    return b.toString();
                });
    }
}
