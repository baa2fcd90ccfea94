package com.northwind.eventing.intake.publish;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.common.json.JsonErrors;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * The hand-written {@link PublishRequestReader} against what it replaces: Jackson reading the same record shape by
 * the same {@link RequestJson} rules. Over generated requests, members of every JSON kind, unknown and repeated ones,
 * wrong roots, the two give the same request or fail with the same error as the user reads it.
 */
class PublishRequestReaderPropertiesTest {
    /** The shapes of PublishRequest and its Metadata, read by Jackson's own record support. */
    record Reference(
            String noun,
            String verb,
            String object,
            String subObject,
            String key,
            ReferenceMetadata metadata,
            List<String> tags,
            Boolean synthetic,
            JsonNode body) {}

    record ReferenceMetadata(
            String transactionId, String userId, String timestamp, String transactionType, String sourceSystem) {}

    private static final JsonMapper STRICT =
            RequestJson.configure(JsonMapper.builder()).build();
    private static final ObjectReader HAND = STRICT.readerFor(PublishRequest.class);
    private static final ObjectReader JACKSON = STRICT.readerFor(Reference.class);

    private static final List<String> REQUEST_MEMBERS =
            List.of("noun", "verb", "object", "subObject", "key", "metadata", "tags", "synthetic", "body");
    private static final List<String> METADATA_MEMBERS =
            List.of("transactionId", "userId", "timestamp", "transactionType", "sourceSystem");

    @Property(tries = 3000)
    void shouldReadEveryRequestAsJacksonDoes(@ForAll("documents") String document) {
        byte[] utf8 = document.getBytes(StandardCharsets.UTF_8);

        assertThat(hand(utf8)).as(document).isEqualTo(jackson(utf8));
    }

    @Test
    void shouldReadAWholeRequest() {
        String doc = "{\"noun\": \"Claim\", \"verb\": \"Submitted\", \"object\": \"Dental\", \"subObject\": \"X\","
                + " \"key\": \"k\", \"metadata\": {\"transactionId\": \"tx\", \"userId\": \"u\","
                + " \"timestamp\": \"2026-11-22T10:15:30Z\", \"transactionType\": \"T\", \"sourceSystem\": \"s\"},"
                + " \"tags\": [\"a\", null], \"synthetic\": true, \"body\": {\"a\": [1]}}";

        PublishRequest r = HAND.readValue(doc.getBytes(StandardCharsets.UTF_8));

        assertThat(r.metadata()).isEqualTo(new PublishRequest.Metadata("tx", "u", "2026-11-22T10:15:30Z", "T", "s"));
        assertThat(r.tags()).containsExactly("a", null);
        assertThat(r.synthetic()).isTrue();
        assertThat(r.body().tree().toString()).isEqualTo("{\"a\":[1]}");
        assertThat(hand(doc.getBytes(StandardCharsets.UTF_8))).isEqualTo(jackson(doc.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void shouldNameTheMemberAndItsPlaceWhenWrong() {
        assertThat(String.valueOf(hand("{\"metadata\": {\"transactionId\": 5}}".getBytes(StandardCharsets.UTF_8))))
                .isEqualTo("wrong type at /metadata/transactionId: expected a string");
        assertThat(String.valueOf(hand("{\"tags\": [\"a\", {}]}".getBytes(StandardCharsets.UTF_8))))
                .isEqualTo("wrong type at /tags/1: expected a string");
        assertThat(String.valueOf(hand("{\"producerApp\": \"x\"}".getBytes(StandardCharsets.UTF_8))))
                .startsWith("unknown member 'producerApp'");
    }

    /** The request read, or the error as JsonErrors words it for the user. */
    private static Object hand(byte[] utf8) {
        try {
            return HAND.readValue(utf8);
        } catch (JacksonException e) {
            return JsonErrors.describe(e);
        }
    }

    /** What Jackson read, as the request the hand reader would give for it: absent and JSON null are both no body. */
    private static Object jackson(byte[] utf8) {
        try {
            Reference r = JACKSON.readValue(utf8);
            if (r == null) {
                return null;
            }
            ReferenceMetadata m = r.metadata();
            JsonNode body = r.body();
            return new PublishRequest(
                    r.noun(),
                    r.verb(),
                    r.object(),
                    r.subObject(),
                    r.key(),
                    m == null
                            ? null
                            : new PublishRequest.Metadata(
                                    m.transactionId(),
                                    m.userId(),
                                    m.timestamp(),
                                    m.transactionType(),
                                    m.sourceSystem()),
                    r.tags(),
                    r.synthetic(),
                    body == null || body.isNull() || body.isMissingNode() ? null : Body.of(body));
        } catch (JacksonException e) {
            // The reference's types are named differently; the words the user reads do not name them.
            return JsonErrors.describe(e)
                    .replace("ReferenceMetadata", "Metadata")
                    .replace("Reference", "PublishRequest");
        }
    }

    @Provide
    Arbitrary<String> documents() {
        Arbitrary<String> request =
                members(REQUEST_MEMBERS, requestValue()).map(PublishRequestReaderPropertiesTest::object);
        return Arbitraries.frequencyOf(
                Tuple.of(12, request),
                Tuple.of(1, anyValue(1)),
                Tuple.of(1, Arbitraries.just("")),
                Tuple.of(1, request.map(r -> r + " {}")));
    }

    /** Members of an object: mostly the known names, now and then an unknown one or a repeat. */
    private static Arbitrary<List<Tuple.Tuple2<String, String>>> members(
            List<String> known, Arbitrary<Tuple.Tuple2<String, String>> knownMember) {
        Arbitrary<Tuple.Tuple2<String, String>> unknown = Combinators.combine(
                        Arbitraries.of("producerApp", "Noun", "extra", "body2", ""), anyValue(1))
                .as(Tuple::of);
        return Arbitraries.frequencyOf(Tuple.of(20, knownMember), Tuple.of(1, unknown))
                .list()
                .ofMaxSize(known.size() + 1);
    }

    private static Arbitrary<Tuple.Tuple2<String, String>> requestValue() {
        Arbitrary<Tuple.Tuple2<String, String>> strings = Combinators.combine(
                        Arbitraries.of("noun", "verb", "object", "subObject", "key"), stringish())
                .as(Tuple::of);
        Arbitrary<Tuple.Tuple2<String, String>> metadata = Arbitraries.frequencyOf(
                        Tuple.of(
                                6,
                                members(METADATA_MEMBERS, metadataValue())
                                        .map(PublishRequestReaderPropertiesTest::object)),
                        Tuple.of(1, anyValue(1)))
                .map(v -> Tuple.of("metadata", v));
        Arbitrary<Tuple.Tuple2<String, String>> tags = Arbitraries.frequencyOf(
                        // Elements are strings or other scalars: Jackson's reader of a list of strings reports an
                        // array or object in it oddly (as if the request were of the wrong type, or not at all when
                        // an unknown member is there too); the hand reader names the element, tested on its own.
                        Tuple.of(6, tag().list().ofMaxSize(3).map(l -> "[" + String.join(", ", l) + "]")),
                        Tuple.of(1, anyValue(1)))
                .map(v -> Tuple.of("tags", v));
        Arbitrary<Tuple.Tuple2<String, String>> synthetic = Arbitraries.frequencyOf(
                        Tuple.of(4, Arbitraries.of("true", "false", "null")), Tuple.of(1, anyValue(1)))
                .map(v -> Tuple.of("synthetic", v));
        Arbitrary<Tuple.Tuple2<String, String>> body = anyValue(3).map(v -> Tuple.of("body", v));
        return Arbitraries.oneOf(strings, metadata, tags, synthetic, body);
    }

    private static Arbitrary<Tuple.Tuple2<String, String>> metadataValue() {
        return Combinators.combine(Arbitraries.of(METADATA_MEMBERS), stringish())
                .as(Tuple::of);
    }

    /** Mostly strings, as the members want; sometimes null or a value of another kind. */
    private static Arbitrary<String> stringish() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, string()), Tuple.of(1, Arbitraries.just("null")), Tuple.of(1, anyValue(1)));
    }

    private static Arbitrary<String> tag() {
        return Arbitraries.frequencyOf(Tuple.of(6, string()), Tuple.of(1, anyValue(0)));
    }

    private static Arbitrary<String> string() {
        return Arbitraries.strings()
                .withCharRange('a', 'z')
                .withChars('é', ' ', '-')
                .ofMaxLength(8)
                .map(s -> "\"" + s + "\"");
    }

    /** Any JSON value, nested up to {@code depth}. */
    private static Arbitrary<String> anyValue(int depth) {
        Arbitrary<String> scalar = Arbitraries.oneOf(
                string(), Arbitraries.of("0", "-1", "1.5", "1e400", "true", "false", "null", "12345678901234567890"));
        if (depth == 0) {
            return scalar;
        }
        Arbitrary<String> inner = anyValue(depth - 1);
        Arbitrary<String> array = inner.list().ofMaxSize(3).map(l -> "[" + String.join(",", l) + "]");
        Arbitrary<String> obj = Combinators.combine(Arbitraries.of("a", "b", "c"), inner)
                .as(Tuple::of)
                .list()
                .ofMaxSize(3)
                .map(PublishRequestReaderPropertiesTest::object);
        return Arbitraries.oneOf(scalar, array, obj);
    }

    private static String object(List<Tuple.Tuple2<String, String>> members) {
        List<String> parts = new ArrayList<>();
        for (Tuple.Tuple2<String, String> m : members) {
            parts.add("\"" + m.get1() + "\": " + m.get2());
        }
        return parts.stream().collect(Collectors.joining(", ", "{", "}"));
    }
}
