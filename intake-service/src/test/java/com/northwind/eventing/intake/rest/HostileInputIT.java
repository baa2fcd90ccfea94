package com.northwind.eventing.intake.rest;

import static com.northwind.eventing.intake.support.Events.app;
import static com.northwind.eventing.intake.support.Events.claim;
import static com.northwind.eventing.intake.support.Events.claimType;
import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.common.testing.KafkaBroker;
import com.northwind.eventing.common.testing.KafkaClusterExtension;
import com.northwind.eventing.intake.support.Firehose;
import com.northwind.eventing.intake.support.IntakePlatform;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.kafka.common.TopicPartition;

/**
 * Malformed and hostile requests, generated: each gets a 4xx with a problem document, never a 5xx, and nothing
 * reaches the firehose.
 */
class HostileInputIT {
    private static KafkaBroker kafka;
    private static IntakePlatform platform;
    private static String token;
    private static Map<TopicPartition, Long> before;

    @BeforeContainer
    static void start() {
        kafka = KafkaClusterExtension.startBroker();
        platform = new IntakePlatform(kafka).start();
        platform.registerEventType(claimType("Hostile"));
        token = platform.registerApp(app("hostile", "Claim.*.*"));
        before = Firehose.endOffsets(kafka);
    }

    @AfterContainer
    static void stop() {
        try {
            assertThat(Firehose.endOffsets(kafka))
                    .as("the firehose after every hostile request")
                    .isEqualTo(before);
        } finally {
            platform.close();
            kafka.close();
        }
    }

    @Property(tries = 150)
    void shouldRefuseArbitraryTextWith4xx(@ForAll("junk") String body) {
        assertRefused(body.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 100)
    void shouldRefuseInvalidUtf8With4xx(@ForAll("invalidUtf8") byte[] body) {
        assertRefused(body);
    }

    /** Overlong forms, encoded surrogates, code points past U+10FFFF, cut sequences, bytes that never occur. */
    @Property(tries = 100)
    void shouldRefuseEveryFormOfInvalidUtf8As400NamingTheMember(@ForAll("malformedSequences") byte[] sequence) {
        byte[] prefix = claim("Hostile", "tx").split("C-tx")[0].getBytes(StandardCharsets.UTF_8);
        byte[] suffix = claim("Hostile", "tx").split("C-tx")[1].getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[prefix.length + sequence.length + suffix.length];
        System.arraycopy(prefix, 0, body, 0, prefix.length);
        System.arraycopy(sequence, 0, body, prefix.length, sequence.length);
        System.arraycopy(suffix, 0, body, prefix.length + sequence.length, suffix.length);

        long started = System.nanoTime();
        HttpResponse<String> r = post("/v1/events", body);

        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(1000);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(IntakePlatform.json(r.body()).path("type").asString())
                .isEqualTo("urn:eventing:problem:malformed-request");
        assertThat(IntakePlatform.json(r.body()).at("/errors/0/pointer").asString())
                .isEqualTo("/body/claimId");
        assertThat(IntakePlatform.json(r.body()).at("/errors/0/detail").asString())
                .startsWith("invalid UTF-8: ");
    }

    @Property(tries = 10)
    void shouldRefuseAnUnpairedSurrogateInUtf16TextAtItsByte(@ForAll("surrogates") char surrogate) {
        String event = claim("Hostile", "tx").replace("C-tx", "C-" + surrogate);
        byte[] utf16 = new byte[event.length() * 2];
        for (int i = 0; i < event.length(); i++) {
            utf16[2 * i] = (byte) (event.charAt(i) >> 8);
            utf16[2 * i + 1] = (byte) event.charAt(i);
        }

        HttpResponse<String> r = platform.send(HttpRequest.newBuilder(URI.create(platform.intakeUrl() + "/v1/events"))
                .header("Content-Type", "application/json; charset=UTF-16BE")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofByteArray(utf16)));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(IntakePlatform.json(r.body()).at("/errors/0/detail").asString())
                .isEqualTo("the body is not valid UTF-16BE at byte " + 2 * event.indexOf(surrogate));
    }

    @Property(tries = 100)
    void shouldRefuseTruncatedEventsWith4xx(@ForAll("cut") int cut) {
        String event = claim("Hostile", "tx").strip();

        assertRefused(event.substring(0, Math.min(cut, event.length() - 1)).getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 60)
    void shouldRefuseDeepNestingWith4xx(@ForAll("depth") int depth) {
        String nested = "[".repeat(depth) + "]".repeat(depth);
        String event = claim("Hostile", "tx").replace("\"status\": \"NEW\"", "\"status\": " + nested);

        assertRefused(event.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 80)
    void shouldRefuseWrongTypesWith4xx(@ForAll("wrongType") String event) {
        assertRefused(event.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 80)
    void shouldRefuseOddUnicodeInNamesAndTagsWith4xx(@ForAll("oddUnicodeEvent") String event) {
        assertRefused(event.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 30)
    void shouldRefuseDuplicateKeysWith4xx(@ForAll("duplicated") String event) {
        assertRefused(event.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 8)
    void shouldRefuseHugeStringsWith4xx(@ForAll("hugeLength") int length) {
        String event = claim("Hostile", "tx").replace("\"C-tx\"", "\"" + "9".repeat(length) + "\"");

        assertRefused(event.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 5)
    void shouldRefuseOversizedBatchesWith4xx(@ForAll("batchSize") int size) {
        String events = String.join(",", java.util.Collections.nCopies(size, claim("Hostile", "tx")));

        HttpResponse<String> r =
                post("/v1/events/batch", ("{\"events\": [" + events + "]}").getBytes(StandardCharsets.UTF_8));

        assertThat(r.statusCode()).isIn(413);
    }

    @Provide
    Arbitrary<String> junk() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(300),
                Arbitraries.strings()
                        .withChars("{}[]\":,0123456789truefalsenul \\")
                        .ofMaxLength(200),
                Arbitraries.of("", "null", "[]", "{}", "42", "\"x\"", "{\"events\": []}", "{\"noun\": null}"));
    }

    @Provide
    Arbitrary<byte[]> invalidUtf8() {
        // A JSON document with a lone continuation byte or a truncated multi-byte sequence inside a string.
        return Arbitraries.of((byte) 0x80, (byte) 0xBF, (byte) 0xC3, (byte) 0xE2, (byte) 0xF0, (byte) 0xFF, (byte) 0xFE)
                .map(bad -> {
                    byte[] prefix = "{\"noun\": \"Claim".getBytes(StandardCharsets.UTF_8);
                    byte[] suffix = ("\", \"verb\": \"Submitted\", \"object\": \"Hostile\", \"metadata\": "
                                    + "{\"transactionId\": \"t\"}, \"body\": {\"claimId\": \"x\", \"amount\": 1}}")
                            .getBytes(StandardCharsets.UTF_8);
                    byte[] all = new byte[prefix.length + 1 + suffix.length];
                    System.arraycopy(prefix, 0, all, 0, prefix.length);
                    all[prefix.length] = bad;
                    System.arraycopy(suffix, 0, all, prefix.length + 1, suffix.length);
                    return all;
                });
    }

    @Provide
    Arbitrary<byte[]> malformedSequences() {
        Arbitrary<Integer> continuation = Arbitraries.integers().between(0x80, 0xBF);
        return Arbitraries.oneOf(
                Combinators.combine(Arbitraries.of(0xC0, 0xC1), continuation).as((a, b) -> bytes(a, b)),
                Combinators.combine(Arbitraries.integers().between(0x80, 0x9F), continuation)
                        .as((b, c) -> bytes(0xE0, b, c)),
                Combinators.combine(Arbitraries.integers().between(0xA0, 0xBF), continuation)
                        .as((b, c) -> bytes(0xED, b, c)),
                Combinators.combine(Arbitraries.integers().between(0x90, 0xBF), continuation, continuation)
                        .as((b, c, d) -> bytes(0xF4, b, c, d)),
                Combinators.combine(Arbitraries.integers().between(0xE1, 0xEF), continuation)
                        .as((a, b) -> bytes(a, b)),
                Arbitraries.integers().between(0xF5, 0xFF).map(HostileInputIT::bytes),
                continuation.map(HostileInputIT::bytes));
    }

    @Provide
    Arbitrary<Character> surrogates() {
        return Arbitraries.chars().range('\uD800', '\uDFFF');
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    @Provide
    Arbitrary<Integer> cut() {
        return Arbitraries.integers().between(0, 400);
    }

    @Provide
    Arbitrary<Integer> depth() {
        return Arbitraries.integers().between(600, 20_000);
    }

    @Provide
    Arbitrary<String> wrongType() {
        // Each member with values that are wrong for it (type, or a rule of the schema or the envelope).
        String event = claim("Hostile", "tx");
        Map<String, List<String>> wrong = Map.of(
                "\"noun\": \"Claim\"", List.of("1", "true", "[1,2]", "{\"a\":1}", "null", "\"\""),
                "\"verb\": \"Submitted\"", List.of("1", "false", "[\"Submitted\"]", "{}", "null", "\"\""),
                "\"tags\": [\"state:TX\", \"channel:web\"]",
                        List.of("1", "true", "\"state:TX\"", "{}", "[1,2]", "[null]"),
                "\"transactionId\": \"tx\"", List.of("1", "true", "[\"tx\"]", "{}", "null", "\"\""),
                "\"claimId\": \"C-tx\"", List.of("1", "true", "[1,2]", "{\"a\":1}", "null", "-0.5e309"),
                "\"amount\": 125.5", List.of("\"125.5\"", "true", "[1]", "{}", "null", "-1", "-1e400"),
                "\"timestamp\": \"2026-11-22T10:15:30Z\"", List.of("1", "true", "\"2026-11-22\"", "\"now\""),
                "\"synthetic\": false", List.of("\"true\"", "1", "[]"));
        return Arbitraries.of(List.copyOf(wrong.keySet()))
                .flatMap(member -> Arbitraries.of(wrong.get(member)).map(value -> {
                    String name = member.substring(0, member.indexOf(':') + 1);
                    String source = member.startsWith("\"synthetic\"")
                            ? event.replace("\"tags\":", "\"synthetic\": false, \"tags\":")
                            : event;
                    return source.replace(member, name + " " + value);
                }));
    }

    @Provide
    Arbitrary<String> oddUnicodeEvent() {
        Arbitrary<String> odd = Arbitraries.of(
                "\\u0000",
                "\\u202e",
                "\\u200b",
                "\\ud83d\\ude00",
                "\\ud800",
                "\\udfff",
                "\\ufeff",
                "\\u0085",
                "\\\\",
                "\\n");
        Arbitrary<String> where = Arbitraries.of("\"Claim\"", "\"Submitted\"", "\"Hostile\"", "\"state:TX\"");
        return Combinators.combine(where, odd)
                .as((w, o) -> w.equals("\"state:TX\"")
                        ? claim("Hostile", "tx").replace(w, "\"\"").replace("\"channel:web\"", "\"" + o + "x\"")
                        : claim("Hostile", "tx").replaceFirst(w, w.substring(0, w.length() - 1) + o + "\""));
    }

    @Provide
    Arbitrary<String> duplicated() {
        return Arbitraries.of(
                        "\"noun\": \"Claim\"", "\"claimId\": \"C-tx\"", "\"transactionId\": \"tx\"", "\"body\": {")
                .map(f -> f.endsWith("{")
                        ? claim("Hostile", "tx").replace(f, "\"body\": {}, " + f)
                        : claim("Hostile", "tx").replace(f, f + ", " + f));
    }

    @Provide
    Arbitrary<Integer> hugeLength() {
        return Arbitraries.integers().between(65, 3 * 1024 * 1024);
    }

    @Provide
    Arbitrary<Integer> batchSize() {
        return Arbitraries.integers().between(501, 2000);
    }

    private static void assertRefused(byte[] body) {
        HttpResponse<String> r = post("/v1/events", body);

        assertThat(r.statusCode()).as(r.body()).isBetween(400, 499);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(IntakePlatform.json(r.body()).path("type").asString()).startsWith("urn:eventing:problem:");
    }

    private static HttpResponse<String> post(String path, byte[] body) {
        return platform.send(HttpRequest.newBuilder(URI.create(platform.intakeUrl() + path))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }
}
