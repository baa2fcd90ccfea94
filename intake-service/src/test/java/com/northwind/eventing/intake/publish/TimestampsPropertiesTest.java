package com.northwind.eventing.intake.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class TimestampsPropertiesTest {
    /** The hand-read forms and the formatter agree on every string: the same instant, or both refuse it. */
    @Property(tries = 5000)
    void shouldReadEveryTimestampAsTheFormatterDoes(@ForAll("timestamps") String text) {
        Instant expected;
        try {
            expected = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant();
        } catch (DateTimeParseException e) {
            assertThatThrownBy(() -> Timestamps.parse(text)).as(text).isInstanceOf(DateTimeParseException.class);
            return;
        }
        assertThat(Timestamps.parse(text)).as(text).isEqualTo(expected);
    }

    @Example
    void shouldReadTheCommonFormsByHand() {
        assertThat(Timestamps.common("2026-11-22T10:15:30Z")).isEqualTo(Instant.parse("2026-11-22T10:15:30Z"));
        assertThat(Timestamps.common("2026-11-22T10:15:30.123Z")).isEqualTo(Instant.parse("2026-11-22T10:15:30.123Z"));
        assertThat(Timestamps.common("2026-11-22T10:15:30.123456789-05:30"))
                .isEqualTo(Instant.parse("2026-11-22T15:45:30.123456789Z"));
        assertThat(Timestamps.common("2026-11-22t10:15:30z")).isNull(); // the formatter's, lower case and all
        assertThat(Timestamps.parse("2026-11-22t10:15:30z")).isEqualTo(Instant.parse("2026-11-22T10:15:30Z"));
    }

    @Provide
    Arbitrary<String> timestamps() {
        // Near the edges of every field, with the separators and offsets the formatter takes and some it does not.
        Arbitrary<String> date = Combinators.combine(
                        Arbitraries.integers().between(0, 9999),
                        Arbitraries.integers().between(0, 13),
                        Arbitraries.integers().between(0, 32))
                .as((y, m, d) -> String.format("%04d-%02d-%02d", y, m, d));
        Arbitrary<String> time = Combinators.combine(
                        Arbitraries.integers().between(0, 25),
                        Arbitraries.integers().between(0, 61),
                        Arbitraries.integers().between(0, 61))
                .as((h, m, s) -> String.format("%02d:%02d:%02d", h, m, s));
        Arbitrary<String> fraction = Arbitraries.oneOf(
                Arbitraries.just(""),
                Arbitraries.strings().numeric().ofMinLength(0).ofMaxLength(11).map(f -> "." + f));
        Arbitrary<String> offset = Arbitraries.oneOf(
                Arbitraries.of("Z", "z", "", "+00:00", "-00:00", "+18:00", "-18:00", "+18:01", "+5:00", "+05", "+0530"),
                Combinators.combine(
                                Arbitraries.of('+', '-'),
                                Arbitraries.integers().between(0, 19),
                                Arbitraries.integers().between(0, 61))
                        .as((sign, h, m) -> String.format("%c%02d:%02d", sign, h, m)),
                Arbitraries.of("+01:00:30", "-01:30:00"));
        Arbitrary<String> separator = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.just("T")),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("t", " ", "")));
        Arbitrary<String> wellFormed = Combinators.combine(date, separator, time, fraction, offset)
                .as((d, sep, t, f, o) -> d + sep + t + f + o);
        // And some with the seconds left out, or a character swapped for another.
        Arbitrary<String> noSeconds =
                Combinators.combine(date, time, offset).as((d, t, o) -> d + "T" + t.substring(0, 5) + o);
        Arbitrary<String> swapped = Combinators.combine(
                        wellFormed, Arbitraries.integers().between(0, 30), Arbitraries.of('x', '1', ':', '-', '.', ' '))
                .as((s, at, c) -> at < s.length() ? s.substring(0, at) + c + s.substring(at + 1) : s);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, wellFormed),
                net.jqwik.api.Tuple.of(1, noSeconds),
                net.jqwik.api.Tuple.of(3, swapped));
    }
}
