package com.northwind.eventing.common.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonLocatorTest {
    private static final String DOCUMENT =
            "{\"noun\": \"Claim\", \"tags\": [\"a\", \"bé\"], \"body\": {\"member\": {\"ssn\": \"1\"}, \"x/y\": 2}}";

    @ParameterizedTest
    @CsvSource({
        "noun, /noun",
        "Claim, /noun",
        "bé, /tags/1",
        "ssn, /body/member/ssn",
        "1\", /body/member/ssn",
        "2}, /body/x~1y"
    })
    void shouldNameTheMemberWhoseNameOrValueHoldsTheOffset(String text, String pointer) {
        byte[] utf8 = DOCUMENT.getBytes(StandardCharsets.UTF_8);
        int offset = DOCUMENT.substring(0, DOCUMENT.indexOf(text)).getBytes(StandardCharsets.UTF_8).length;

        assertThat(JsonLocator.pointerAt(utf8, offset)).isEqualTo(pointer);
        assertThat(JsonLocator.pointerAt(DOCUMENT, DOCUMENT.indexOf(text))).isEqualTo(pointer);
    }

    @Test
    void shouldNameTheMemberWhenTheParserFailsInsideIt() {
        byte[] utf8 = "{\"a\": 1, \"b\": \"x\u0000y\"}".getBytes(StandardCharsets.ISO_8859_1);
        utf8[16] = (byte) 0x80;

        String pointer = JsonLocator.pointerAt(utf8, 16);

        assertThat(pointer).isEqualTo("/b");
    }

    @Test
    void shouldNameTheDocumentWhenNothingBeforeTheOffsetParses() {
        assertThat(JsonLocator.pointerAt("not json".getBytes(StandardCharsets.UTF_8), 2))
                .isEmpty();
    }
}
