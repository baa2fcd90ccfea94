package com.northwind.eventing.common.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class BoundedNumbersTest {
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(new BoundedNumbers(1000))
            .build();

    @ParameterizedTest
    @ValueSource(strings = {"1e1000", "1E+1000", "-1e-1000", "1.5e-999", "0.5", "125.10", "9.99e999", "1e0"})
    void shouldReadNumbersAsTheyAreWhenScaleAndExponentAreWithinTheBound(String number) {
        JsonNode tree = JSON.readTree("{\"n\": " + number + "}");

        assertThat(tree.get("n").decimalValue()).isEqualTo(new BigDecimal(number));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e1001", "1e200000", "-1E-1001", "1.5e-1000", "1234e999", "1e-200000"})
    void shouldRefuseNumbersWhenScaleOrExponentIsBeyondTheBound(String number) {
        BoundedNumbers.Exceeded e =
                catchThrowableOfType(BoundedNumbers.Exceeded.class, () -> JSON.readTree("[1, " + number + "]"));

        assertThat(e).hasMessage("a number's exponent and its scale may be at most 1000 either way");
    }

    /** A decimal's scale, and its exponent in scientific notation, decide; nothing else does. */
    @Property(tries = 2000)
    void shouldRefuseExactlyTheNumbersBeyondTheBound(@ForAll("numbers") String number) {
        BigDecimal value = new BigDecimal(number);
        long exponent = (long) value.precision() - value.scale() - 1;
        boolean within = Math.abs((long) value.scale()) <= 1000 && Math.abs(exponent) <= 1000;

        boolean read;
        try {
            JSON.readTree("[" + number + "]");
            read = true;
        } catch (BoundedNumbers.Exceeded e) {
            read = false;
        }

        assertThat(read).as(number).isEqualTo(within);
    }

    @Provide
    Arbitrary<String> numbers() {
        Arbitrary<String> digits =
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(6);
        Arbitrary<String> fraction =
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(980).injectNull(0.3);
        Arbitrary<Integer> exponent = Arbitraries.oneOf(
                Arbitraries.integers().between(-1100, 1100),
                Arbitraries.integers().between(-2300, 2300));
        return Combinators.combine(digits, fraction, exponent, Arbitraries.of(true, false))
                .as((i, f, e, withExponent) -> {
                    String whole = i.replaceFirst("^0+(?=.)", "");
                    String n = f == null ? whole + ".5" : whole + "." + f;
                    return withExponent ? n + "e" + e : n;
                });
    }
}
