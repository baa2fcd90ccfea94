package com.northwind.eventing.intake.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.northwind.eventing.common.json.JsonLimits;
import com.northwind.eventing.common.model.Violation;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The parse-time rules every transport reads requests by: what they refuse, where they say it is, what they keep. */
class RequestReaderTest {
    private static final RequestReader READER = new RequestReader(new JsonLimits(1000, 64));

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "\"amount\": 1e200000 | /body/amount",
                "\"amount\": 1e-1001 | /body/amount",
                "\"lines\": [1, 2, 3.5e99999999999] | /body/lines/2",
                "\"deep\": {\"x\": -1.25E+100000} | /body/deep/x"
            })
    void shouldRefuseHostileNumbersAnywhereInTheBodyNamingTheMember(String member, String pointer) {
        PublishException e = refused(event("{\"claimId\": \"c\", " + member + "}"));

        assertThat(e.kind()).isEqualTo(PublishException.Kind.MALFORMED);
        assertThat(e.violations())
                .containsExactly(
                        new Violation(pointer, "a number's exponent and its scale may be at most 1000 either way"));
    }

    @Test
    void shouldRefuseAHostileNumberInABatchNamingTheEventAndMember() {
        byte[] batch = ("{\"events\": [" + event("{\"a\": 1}") + ", " + event("{\"a\": 1e200000}") + "]}")
                .getBytes(StandardCharsets.UTF_8);

        PublishException e = catchThrowableOfType(
                PublishException.class, () -> READER.tree(batch, StandardCharsets.UTF_8, RequestReader.BATCH));

        assertThat(e.violations()).extracting(Violation::pointer).containsExactly("/events/1/body/a");
    }

    @Test
    void shouldReadTheLargestNumbersTheBoundAllowsExactly() {
        PublishRequest r = READER.event(utf8(event("{\"a\": 1e1000, \"b\": 1.5e-999, \"c\": 125.10}")));

        assertThat(r.body().json()).isEqualTo("{\"a\": 1e1000, \"b\": 1.5e-999, \"c\": 125.10}");
        assertThat(r.body().tree().get("c").decimalValue()).isEqualByComparingTo("125.10");
    }

    @Test
    void shouldCountNestingInTheBodyAlike() {
        String sixtyFour = "[".repeat(64) + "]".repeat(64);
        String sixtyFive = "[".repeat(65) + "]".repeat(65);

        PublishRequest single = READER.event(utf8(event(sixtyFour)));
        PublishException tooDeep = refused(event(sixtyFive));
        PublishException tooDeepOverGrpc = catchThrowableOfType(PublishException.class, () -> READER.body(sixtyFive));

        assertThat(single.body().tree().isArray()).isTrue();
        assertThat(READER.body(sixtyFour).tree().isArray()).isTrue();
        assertThat(tooDeep.violations())
                .containsExactly(
                        new Violation("/body" + "/0".repeat(64), "objects and arrays nest deeper than 64 levels"));
        assertThat(tooDeepOverGrpc.violations()).isEqualTo(tooDeep.violations());
    }

    @Test
    void shouldCountNestingFromTheBodiesOfABatch() {
        String batch = "{\"events\": [" + event("[".repeat(64) + "]".repeat(64)) + ", "
                + event("[".repeat(65) + "]".repeat(65)) + "]}";

        PublishException e = catchThrowableOfType(
                PublishException.class, () -> READER.tree(utf8(batch), StandardCharsets.UTF_8, RequestReader.BATCH));

        assertThat(e.violations())
                .containsExactly(new Violation(
                        "/events/1/body" + "/0".repeat(64), "objects and arrays nest deeper than 64 levels"));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "C0 AF | invalid UTF-8: an overlong encoding",
                "ED A0 80 | invalid UTF-8: an encoded surrogate",
                "F4 90 80 80 | invalid UTF-8: a code point above U+10FFFF",
                "E2 82 | invalid UTF-8: a sequence cut short",
                "FF | invalid UTF-8: byte 0xFF never occurs in UTF-8",
                "80 | invalid UTF-8: a continuation byte"
            })
    void shouldRefuseInvalidUtf8NamingTheMember(String bytes, String problem) {
        byte[] document = withBytes(
                event("{\"claimId\": \"C-%s\"}"), HexFormat.ofDelimiter(" ").parseHex(bytes));

        PublishException e = catchThrowableOfType(PublishException.class, () -> READER.event(document));

        assertThat(e.kind()).isEqualTo(PublishException.Kind.MALFORMED);
        assertThat(e.violations()).singleElement().satisfies(v -> {
            assertThat(v.pointer()).isEqualTo("/body/claimId");
            assertThat(v.detail()).startsWith(problem).contains(" at byte ");
        });
    }

    @Test
    void shouldRefuseInvalidUtf8OutsideTheBodyNamingTheMember() {
        byte[] document = withBytes(
                event("{\"a\": 1}").replace("\"tags\": [\"t\"]", "\"tags\": [\"t\", \"x%sy\"]"),
                new byte[] {(byte) 0xC0, (byte) 0xAF});

        PublishException e = catchThrowableOfType(PublishException.class, () -> READER.event(document));

        assertThat(e.violations()).extracting(Violation::pointer).containsExactly("/tags/1");
    }

    /** A body's text with a U+FFFD may hold one as sent, or one the decoder put for bytes that were not UTF-8. */
    @Test
    void shouldTellAReplacementCharacterAsSentFromBytesThatWereNotUtf8() {
        byte[] asSent = utf8(event("{\"a\": \"\uFFFD\"}"));
        byte[] broken = withBytes(event("{\"a\": \"\uFFFD\", \"b\": \"%s\"}"), new byte[] {(byte) 0xC0, (byte) 0xAF});

        PublishRequest accepted = READER.event(asSent);
        PublishException refused = catchThrowableOfType(PublishException.class, () -> READER.event(broken));

        assertThat(accepted.body().json()).isEqualTo("{\"a\": \"\uFFFD\"}");
        assertThat(refused.violations()).extracting(Violation::pointer).containsExactly("/body/b");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"claimId\": \"\\ud800\"} | /body/claimId",
                "{\"x\": [\"ok\", \"\\udc00\"]} | /body/x/1",
                "{\"a\": \"\\ud800\\u0041\"} | /body/a"
            })
    void shouldRefuseLoneSurrogateEscapesInNamesAndValuesNamingTheMember(String body, String pointer) {
        PublishException rest = refused(event(body));
        PublishException grpc = catchThrowableOfType(PublishException.class, () -> READER.body(body));

        assertThat(rest.violations()).extracting(Violation::pointer).containsExactly(pointer);
        assertThat(rest.violations().get(0).detail()).startsWith("a lone surrogate: ");
        assertThat(grpc.violations()).extracting(Violation::pointer).containsExactly(pointer);
    }

    /** Jackson itself stops at a broken pair in a name, before the name is known: the object holding it is named. */
    @Test
    void shouldRefuseALoneSurrogateEscapeInAMemberNameNamingItsObject() {
        PublishException e = refused(event("{\"a\\ud83d\": 1}"));

        assertThat(e.violations()).singleElement().satisfies(v -> {
            assertThat(v.pointer()).isEqualTo("/body");
            assertThat(v.detail()).startsWith("a lone surrogate: \\uD83D is a high surrogate escape");
        });
    }

    @Test
    void shouldRefuseALoneSurrogateEscapeInATag() {
        String event = event("{\"a\": 1}").replace("\"tags\": [\"t\"]", "\"tags\": [\"t\", \"x\\udbff\"]");

        PublishException e = refused(event);

        assertThat(e.violations()).extracting(Violation::pointer).containsExactly("/tags/1");
    }

    @Test
    void shouldRefuseBytesThatDoNotDecodeInTheDeclaredCharsetAtTheirOffset() {
        byte[] utf16 = event("{\"a\": 1}").getBytes(StandardCharsets.UTF_16BE);
        byte[] broken = java.util.Arrays.copyOf(utf16, utf16.length + 1);

        PublishException e = catchThrowableOfType(
                PublishException.class,
                () -> READER.read(
                        READER.readerFor(PublishRequest.class, RequestReader.EVENT),
                        broken,
                        StandardCharsets.UTF_16BE));

        assertThat(e.violations())
                .containsExactly(new Violation("", "the body is not valid UTF-16BE at byte " + utf16.length));
    }

    @Test
    void shouldRefuseALoneSurrogateEscapeInTextOfAnotherCharset() {
        Charset latin1 = StandardCharsets.ISO_8859_1;
        byte[] document = event("{\"a\": \"\\ud800\"}").getBytes(latin1);

        PublishException e = catchThrowableOfType(
                PublishException.class,
                () -> READER.read(READER.readerFor(PublishRequest.class, RequestReader.EVENT), document, latin1));

        assertThat(e.violations()).extracting(Violation::pointer).containsExactly("/body/a");
    }

    /** Every character there is, however written (as itself or escaped), comes through as sent. */
    @Property(tries = 500)
    void shouldKeepEveryWellFormedBodyAsSent(@ForAll("wellFormedStrings") String value) {
        String body = "{\"v\": \"" + value + "\"}";

        PublishRequest rest = READER.event(utf8(event(body)));
        Body grpc = READER.body(body);

        assertThat(rest.body().json()).isEqualTo(body);
        assertThat(grpc.json()).isEqualTo(body);
        assertThat(rest.body().tree()).isEqualTo(grpc.tree());
    }

    /** Whatever malformed sequence is put into a value, the event is refused naming that value. */
    @Property(tries = 500)
    void shouldRefuseEveryInvalidUtf8Sequence(@ForAll("invalidSequences") byte[] sequence) {
        byte[] document = withBytes(event("{\"ok\": \"é\", \"claimId\": \"C-%s\"}"), sequence);

        PublishException e = catchThrowableOfType(PublishException.class, () -> READER.event(document));

        assertThat(e).isNotNull();
        assertThat(e.kind()).isEqualTo(PublishException.Kind.MALFORMED);
        assertThat(e.violations()).extracting(Violation::pointer).containsExactly("/body/claimId");
    }

    @Provide
    Arbitrary<String> wellFormedStrings() {
        Arbitrary<String> character = Arbitraries.integers()
                .between(0x20, 0x10FFFF)
                .filter(c -> c != '"' && c != '\\' && (c < 0xD800 || c > 0xDFFF))
                .map(Character::toString);
        Arbitrary<String> escaped = Arbitraries.integers()
                .between(0, 0x10FFFF)
                .filter(c -> c < 0xD800 || c > 0xDFFF)
                .map(c -> c < 0x10000
                        ? String.format("\\u%04x", c)
                        : String.format(
                                "\\u%04X\\u%04X", (int) Character.highSurrogate(c), (int) Character.lowSurrogate(c)));
        return Arbitraries.oneOf(character, escaped, Arbitraries.of("\\n", "\\\"", "\\\\", "\\/"))
                .list()
                .ofMaxSize(20)
                .map(parts -> String.join("", parts));
    }

    @Provide
    Arbitrary<byte[]> invalidSequences() {
        Arbitrary<Integer> continuation = Arbitraries.integers().between(0x80, 0xBF);
        Arbitrary<byte[]> overlong2 =
                Combinators.combine(Arbitraries.of(0xC0, 0xC1), continuation).as((a, b) -> bytes(a, b));
        Arbitrary<byte[]> overlong3 = Combinators.combine(Arbitraries.integers().between(0x80, 0x9F), continuation)
                .as((b, c) -> bytes(0xE0, b, c));
        Arbitrary<byte[]> surrogate = Combinators.combine(Arbitraries.integers().between(0xA0, 0xBF), continuation)
                .as((b, c) -> bytes(0xED, b, c));
        Arbitrary<byte[]> tooHigh = Combinators.combine(
                        Arbitraries.integers().between(0xF4, 0xF7),
                        Arbitraries.integers().between(0x90, 0xBF),
                        continuation,
                        continuation)
                .as((a, b, c, d) -> bytes(a, b, c, d));
        Arbitrary<byte[]> cutShort = Combinators.combine(Arbitraries.integers().between(0xE1, 0xEC), continuation)
                .as((a, b) -> bytes(a, b));
        Arbitrary<byte[]> never = Arbitraries.integers().between(0xF8, 0xFF).map(RequestReaderTest::bytes);
        Arbitrary<byte[]> lone = continuation.map(RequestReaderTest::bytes);
        return Arbitraries.oneOf(overlong2, overlong3, surrogate, tooHigh, cutShort, never, lone);
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    private static PublishException refused(String event) {
        return catchThrowableOfType(PublishException.class, () -> READER.event(utf8(event)));
    }

    private static String event(String body) {
        return "{\"noun\": \"Claim\", \"verb\": \"Submitted\", \"object\": \"X\","
                + " \"metadata\": {\"transactionId\": \"t\"}, \"tags\": [\"t\"], \"body\": " + body + "}";
    }

    /** The event's UTF-8 with {@code inside} where its text has {@code %s}. */
    private static byte[] withBytes(String event, byte[] inside) {
        String[] around = event.split("%s", 2);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(utf8(around[0]));
        out.writeBytes(inside);
        out.writeBytes(utf8(around[1]));
        return out.toByteArray();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
