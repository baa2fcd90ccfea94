package com.northwind.eventing.common.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

class StrictTextTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void shouldFindNothingToLookAtWhenTheTextIsAsciiWithoutEscapes() {
        byte[] event = "{\"noun\": \"Claim\", \"body\": {\"claimId\": \"C-1\", \"amount\": 125.5}}"
                .getBytes(StandardCharsets.UTF_8);

        long found = StrictText.scan(event);

        assertThat(found).isEqualTo(StrictText.PLAIN);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"a\": \"é😀\"}",
                "{\"a\": \"\\ud83d\\ude00\"}",
                "{\"a\": \"\\u00e9 \\n \\\" \\\\\"}",
                "{\"a\": \"\\\\ud800\"}",
                "{\"\\ud83d\\ude00\": 1}",
                "{\"a\": \"\u007f\"}"
            })
    void shouldFindTextValidWhenItHasCharactersBeyondAsciiOrPairedEscapes(String json) {
        long found = StrictText.scan(json.getBytes(StandardCharsets.UTF_8));

        assertThat(found).isEqualTo(StrictText.VALID);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "C0 AF | invalid UTF-8: an overlong encoding at byte 8",
                "E0 80 AF | invalid UTF-8: an overlong encoding at byte 8",
                "F0 80 80 AF | invalid UTF-8: an overlong encoding at byte 8",
                "ED A0 80 | invalid UTF-8: an encoded surrogate (a surrogate is no character; UTF-8 never encodes"
                        + " one) at byte 8",
                "F4 90 80 80 | invalid UTF-8: a code point above U+10FFFF at byte 8",
                "F5 80 80 80 | invalid UTF-8: byte 0xF5 never occurs in UTF-8 at byte 8",
                "FF | invalid UTF-8: byte 0xFF never occurs in UTF-8 at byte 8",
                "80 | invalid UTF-8: a continuation byte with no sequence to continue at byte 8",
                "E2 82 | invalid UTF-8: a sequence cut short at byte 8",
                "F0 9F 98 | invalid UTF-8: a sequence cut short at byte 8"
            })
    void shouldRefuseEveryFormOfInvalidUtf8AtItsFirstByte(String bytes, String problem) {
        byte[] document = document(HexFormat.ofDelimiter(" ").parseHex(bytes));

        long found = StrictText.scan(document);

        assertThat(found).isEqualTo(8);
        assertThat(StrictText.describe(document, (int) found)).isEqualTo(problem);
    }

    @Test
    void shouldRefuseASequenceCutShortByTheEndOfTheText() {
        byte[] text = {'"', 'a', (byte) 0xE2, (byte) 0x82};

        long found = StrictText.scan(text);

        assertThat(found).isEqualTo(2);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "\\ud800 | a lone surrogate: \\uD800 is a high surrogate escape not followed by a low one;"
                        + " I-JSON (RFC 7493) allows only characters at byte 8",
                "\\udc00 | a lone surrogate: \\uDC00 is a low surrogate escape with no high one before it;"
                        + " I-JSON (RFC 7493) allows only characters at byte 8",
                "\\uD800\\u0041 | a lone surrogate: \\uD800 is a high surrogate escape not followed by a low one;"
                        + " I-JSON (RFC 7493) allows only characters at byte 8",
                "\\ud800x | a lone surrogate: \\uD800 is a high surrogate escape not followed by a low one;"
                        + " I-JSON (RFC 7493) allows only characters at byte 8",
                "\\ud800\\ud800 | a lone surrogate: \\uD800 is a high surrogate escape not followed by a low one;"
                        + " I-JSON (RFC 7493) allows only characters at byte 8"
            })
    void shouldRefuseEveryLoneSurrogateEscape(String escapes, String problem) {
        byte[] document = ("{\"a\": \"x" + escapes + "y\"}").getBytes(StandardCharsets.UTF_8);

        long found = StrictText.scan(document);

        assertThat(found).isEqualTo(8);
        assertThat(StrictText.describe(document, (int) found)).isEqualTo(problem);
    }

    @Test
    void shouldRefuseALoneSurrogateEscapeInTextGivenAsAString() {
        String body = "{\"ok\": \"\\ud83d\\ude00\", \"bad\": \"\\udfff\"}";

        long found = StrictText.scan(body);

        assertThat(found).isEqualTo(31);
        assertThat(StrictText.scan("{\"a\": \"\\ud83d\\ude00\"}")).isEqualTo(StrictText.VALID);
        assertThat(StrictText.scan("{\"a\": 1}")).isEqualTo(StrictText.PLAIN);
    }

    /** Java's UTF-8 decoder, set to report instead of replace, is strict as Unicode's table 3-7 is. */
    @Property(tries = 3000)
    void shouldJudgeBytesAsJavasStrictDecoderDoes(@ForAll("bytesWithoutBackslash") byte[] bytes) {
        long found = StrictText.scan(bytes);

        assertThat(found < 0).isEqualTo(decodes(bytes));
        if (found >= 0) {
            assertThat(found).isEqualTo(firstMalformed(bytes));
        }
    }

    @Property(tries = 1000)
    void shouldAcceptEveryWellFormedTextUnchanged(@ForAll("anyText") String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);

        long found = StrictText.scan(utf8);

        assertThat(found).isLessThan(0);
    }

    /** Jackson decodes escapes to UTF-16 code units: a lone one is exactly what the scan refuses. */
    @Property(tries = 3000)
    void shouldRefuseEscapesExactlyWhenTheyLeaveALoneSurrogate(@ForAll("escapedStrings") String json) {
        String decoded = JSON.readTree(json).get(0).stringValue();

        long found = StrictText.scan(json.getBytes(StandardCharsets.UTF_8));

        assertThat(found >= 0).as(json).isEqualTo(hasLoneSurrogate(decoded));
        assertThat(StrictText.scan(json) >= 0).as(json).isEqualTo(hasLoneSurrogate(decoded));
    }

    @Provide
    Arbitrary<byte[]> bytesWithoutBackslash() {
        Arbitrary<Byte> any = Arbitraries.bytes().filter(b -> b != '\\');
        Arbitrary<Byte> lead = Arbitraries.of(
                (byte) 0xC0,
                (byte) 0xC1,
                (byte) 0xC2,
                (byte) 0xDF,
                (byte) 0xE0,
                (byte) 0xED,
                (byte) 0xEF,
                (byte) 0xF0,
                (byte) 0xF4,
                (byte) 0xF5,
                (byte) 0xFF);
        Arbitrary<Byte> continuation = Arbitraries.bytes().between((byte) 0x80, (byte) 0xBF);
        Arbitrary<Byte> ascii =
                Arbitraries.bytes().between((byte) 0x20, (byte) 0x7F).filter(b -> b != '\\');
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(5, ascii), net.jqwik.api.Tuple.of(3, continuation),
                        net.jqwik.api.Tuple.of(2, lead), net.jqwik.api.Tuple.of(1, any))
                .array(byte[].class)
                .ofMaxSize(40);
    }

    @Provide
    Arbitrary<String> anyText() {
        return Arbitraries.strings()
                .all()
                .ofMaxLength(60)
                .filter(s -> !hasLoneSurrogate(s))
                .map(s -> s.replace("\\", ""));
    }

    @Provide
    Arbitrary<String> escapedStrings() {
        Arbitrary<String> unit = Arbitraries.oneOf(
                Arbitraries.integers().between(0xD800, 0xDFFF).map(u -> String.format("\\u%04x", u)),
                Arbitraries.integers().between(0x20, 0xFFFF).map(u -> String.format("\\u%04X", u)),
                Arbitraries.of("a", "\\\\", "\\\"", "\\n", "é", "😀", "\\\\u", "u"));
        return unit.list().ofMaxSize(12).map(parts -> "[\"" + String.join("", parts) + "\"]");
    }

    private static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return true;
                }
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    private static boolean decodes(byte[] bytes) {
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** Where Java's decoder meets the first malformed input. */
    private static long firstMalformed(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .decode(in, java.nio.CharBuffer.allocate(bytes.length + 1), true);
        return in.position();
    }

    private static byte[] document(byte[] inside) {
        byte[] prefix = "{\"a\": \"x".getBytes(StandardCharsets.UTF_8);
        byte[] suffix = "y\"}".getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[prefix.length + inside.length + suffix.length];
        System.arraycopy(prefix, 0, all, 0, prefix.length);
        System.arraycopy(inside, 0, all, prefix.length, inside.length);
        System.arraycopy(suffix, 0, all, prefix.length + inside.length, suffix.length);
        return all;
    }
}
