package com.northwind.eventing.common.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

class BoundedParserTest {
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();
    private static final ObjectReader TREES = JSON.readerFor(JsonNode.class);
    private static final JsonLimits LIMITS = new JsonLimits(1000, 4);

    @ParameterizedTest
    @ValueSource(strings = {"1e1000", "1E+1000", "-1e-1000", "1.5e-999", "0.5", "12345678901234567890", "1e0"})
    void shouldReadNumbersWhenExponentAndScaleAreWithinTheBound(String number) {
        JsonNode tree = read("{\"body\": {\"n\": " + number + "}}", 1);

        assertThat(tree.at("/body/n").decimalValue()).isEqualByComparingTo(new BigDecimal(number));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e1001", "1e200000", "-1E-1001", "1.5e-1000", "1e99999999999999999999", "1e-200000"})
    void shouldRefuseNumbersNamingTheMemberWhenExponentOrScaleIsBeyondTheBound(String number) {
        JsonLimitException e = catchThrowableOfType(
                JsonLimitException.class, () -> read("{\"body\": {\"list\": [1, " + number + "]}}", 1));

        assertThat(e.pointer()).isEqualTo("/body/list/1");
        assertThat(e.problem()).isEqualTo("a number's exponent and its scale may be at most 1000 either way");
    }

    @Test
    void shouldCountNestingFromTheBody() {
        String fourDeep = "{\"body\": [[[[1]]]], \"other\": 1}";
        String fiveDeep = "{\"body\": {\"a\": [[[{\"b\": 1}]]]}}";

        JsonNode tree = read(fourDeep, 1);
        JsonLimitException e = catchThrowableOfType(JsonLimitException.class, () -> read(fiveDeep, 1));

        assertThat(tree.at("/body/0/0/0/0").intValue()).isEqualTo(1);
        assertThat(e.pointer()).isEqualTo("/body/a/0/0/0");
        assertThat(e.problem()).isEqualTo("objects and arrays nest deeper than 4 levels");
    }

    @Test
    void shouldCountNestingFromTheDocumentWhenItIsTheBody() {
        JsonLimitException e = catchThrowableOfType(JsonLimitException.class, () -> read("[[[[[]]]]]", 0));

        assertThat(e.pointer()).isEqualTo("/0/0/0/0");
    }

    /** A number's BigDecimal scale, and its exponent as written, decide; nothing else. */
    @Property(tries = 2000)
    void shouldRefuseANumberExactlyWhenItsExponentOrScaleIsBeyondTheBound(@ForAll("numbers") String number) {
        String exponent = number.contains("e") ? number.substring(number.indexOf('e') + 1) : "0";
        boolean within = new BigInteger(exponent).abs().compareTo(BigInteger.valueOf(1000)) <= 0
                && Math.abs(new BigDecimal(number).scale()) <= 1000;

        boolean read;
        try {
            read("[" + number + "]", 0);
            read = true;
        } catch (JsonLimitException e) {
            read = false;
        }

        assertThat(read).as(number).isEqualTo(within);
    }

    @Provide
    Arbitrary<String> numbers() {
        Arbitrary<String> digits =
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(6);
        Arbitrary<String> fraction =
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(1200).injectNull(0.3);
        Arbitrary<Integer> exponent = Arbitraries.oneOf(
                Arbitraries.integers().between(-1100, 1100),
                Arbitraries.integers().between(-2300, 2300));
        return Combinators.combine(digits, fraction, exponent, Arbitraries.of(true, false))
                .as((i, f, e, withExponent) -> {
                    String whole = i.replaceFirst("^0+(?=.)", "");
                    String n = f == null ? whole + ".5" : whole + "." + f.substring(0, Math.min(f.length(), 980));
                    return withExponent ? n + "e" + e : n;
                });
    }

    private static JsonNode read(String json, int bodyLevel) {
        JsonParser p = new BoundedParser(TREES.createParser(json), LIMITS, bodyLevel);
        return TREES.readValue(p);
    }
}
