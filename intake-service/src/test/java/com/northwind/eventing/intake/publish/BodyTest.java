package com.northwind.eventing.intake.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

class BodyTest {
    private static final ObjectReader BATCH = RequestJson.MAPPER.readerFor(Events.class);

    record Events(List<PublishRequest> events) {}

    private static List<Body> bodies(byte[] document) {
        Events e = Body.reading(BATCH, document).readValue(document);
        return e.events().stream().map(PublishRequest::body).toList();
    }

    private static List<Body> bodies(String document) {
        Events e = Body.reading(BATCH, document).readValue(document);
        return e.events().stream().map(PublishRequest::body).toList();
    }

    @Test
    void shouldKeepEachBodyOfABatchAsSentUtf8() {
        String doc = "{\"events\": [{\"body\": {\"name\": \"Zoë 🦷\", \"a\": [1, [2, {}]]}, \"noun\": \"Claim\"},"
                + "{\"noun\": \"Claim\", \"body\" :\n  [ {\"x\": \"\\u00e9\\\"}\"} ]  },"
                + " {\"body\": {}}]}";

        List<Body> bodies = bodies(doc.getBytes(StandardCharsets.UTF_8));

        assertThat(bodies)
                .extracting(Body::text)
                .containsExactly("{\"name\": \"Zoë 🦷\", \"a\": [1, [2, {}]]}", "[ {\"x\": \"\\u00e9\\\"}\"} ]", "{}");
    }

    @Test
    void shouldKeepTheBodyAsSentAfterAByteOrderMark() {
        // Jackson skips a UTF-8 byte order mark; the offsets must still count from the first byte.
        byte[] json = "{\"events\": [{\"body\": {\"a\": \"é\"}}]}".getBytes(StandardCharsets.UTF_8);
        byte[] doc = new byte[json.length + 3];
        doc[0] = (byte) 0xEF;
        doc[1] = (byte) 0xBB;
        doc[2] = (byte) 0xBF;
        System.arraycopy(json, 0, doc, 3, json.length);

        assertThat(bodies(doc)).extracting(Body::text).containsExactly("{\"a\": \"é\"}");
        // In a document already decoded to text a byte order mark is not skipped but refused: nothing to cut.
        assertThatThrownBy(() -> bodies("\uFEFF" + new String(json, StandardCharsets.UTF_8)))
                .isInstanceOf(JacksonException.class);
    }

    @Test
    void shouldKeepTheBodyAsSentWhenTheDocumentIsText() {
        // A document in another charset is decoded first and read as text; offsets then count characters.
        String doc = "{\"events\": [{\"body\": {\"name\": \"Zoë 🦷\"}}, {\"body\": [ ]}]}";

        assertThat(bodies(doc)).extracting(Body::text).containsExactly("{\"name\": \"Zoë 🦷\"}", "[ ]");
    }

    @Test
    void shouldFallBackToTheTreeWhenTheBytesAreNotUtf8() {
        // Jackson detects UTF-16 by itself; its offsets are then characters of the decoded text, not bytes.
        String doc = "{\"events\": [{\"body\": {\"name\": \"Zoë\"}}]}";

        Body body = bodies(doc.getBytes(StandardCharsets.UTF_16BE)).get(0);

        assertThat(body.text()).isNull();
        assertThat(body.json()).isEqualTo("{\"name\":\"Zoë\"}");
    }

    @Test
    void shouldKeepOnlyTheTreeWithoutTheSourceOrForAScalar() {
        byte[] doc = "{\"events\": [{\"body\": {\"a\": 1}}, {\"body\": 5}, {\"body\": null}, {}]}"
                .getBytes(StandardCharsets.UTF_8);

        Events withoutSource = BATCH.readValue(doc);
        List<Body> withSource = bodies(doc);

        assertThat(withoutSource.events().get(0).body().text()).isNull();
        assertThat(withoutSource.events().get(0).body().json()).isEqualTo("{\"a\":1}");
        assertThat(withSource.get(1).text()).isNull();
        assertThat(withSource.get(1).json()).isEqualTo("5");
        // JSON null and an absent body are both no body, which the validator refuses as required.
        assertThat(withSource.get(2)).isNull();
        assertThat(withSource.get(3)).isNull();
    }

    /**
     * The text cut out goes into the envelope unread again, so it must be standard JSON: the reading admits none of
     * Jackson's leniencies (comments, single quotes, NaN, unquoted names, trailing commas), which would otherwise ride
     * along in the text unchecked.
     */
    @Test
    void shouldRefuseABodyThatIsNotStandardJson() {
        for (String body : List.of(
                "{/* note */ \"a\": 1}",
                "{\"a\": 1 // note\n}",
                "{'a': 1}",
                "{a: 1}",
                "{\"a\": NaN}",
                "{\"a\": [1,]}",
                "{\"a\": 1,}")) {
            byte[] doc = ("{\"events\": [{\"body\": " + body + "}]}").getBytes(StandardCharsets.UTF_8);

            assertThatThrownBy(() -> bodies(doc)).as(body).isInstanceOf(JacksonException.class);
        }
    }

    /**
     * Whatever the bodies and however the producer spaced them, each body's text is exactly the JSON of that body:
     * it reads back to the same tree, so no byte of a neighbouring member or event leaked into it, none is missing.
     */
    @Property(tries = 500)
    void shouldCutEveryBodyExactlyOutOfTheDocument(
            @ForAll("bodies") List<JsonNode> trees, @ForAll boolean pretty, @ForAll boolean text) {
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        var events = doc.putArray("events");
        for (JsonNode tree : trees) {
            ObjectNode event = events.addObject();
            event.put("noun", "Claim");
            event.set("body", tree);
            event.putObject("metadata").put("transactionId", "tx");
        }
        String json = pretty
                ? RequestJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(doc)
                : RequestJson.MAPPER.writeValueAsString(doc);

        List<Body> bodies = text ? bodies(json) : bodies(json.getBytes(StandardCharsets.UTF_8));

        assertThat(bodies).hasSameSizeAs(trees);
        for (int i = 0; i < trees.size(); i++) {
            assertThat(bodies.get(i).text()).isNotNull();
            assertThat(RequestJson.MAPPER.readTree(bodies.get(i).text())).isEqualTo(trees.get(i));
        }
    }

    @Provide
    Arbitrary<List<JsonNode>> bodies() {
        Arbitrary<String> strings = Arbitraries.strings()
                .withCharRange(' ', '~')
                .withChars('é', '"', '\\', '}', ']', '\n', '\u0000', '世')
                .ofMaxLength(20);
        Arbitrary<JsonNode> scalars = Arbitraries.oneOf(
                strings.map(JsonNodeFactory.instance::stringNode),
                Arbitraries.integers().map(JsonNodeFactory.instance::numberNode),
                Arbitraries.of(true, false).map(JsonNodeFactory.instance::booleanNode),
                Arbitraries.just(JsonNodeFactory.instance.nullNode()));
        Arbitrary<JsonNode> arrays = scalars.list().ofMaxSize(4).map(list -> {
            var a = JsonNodeFactory.instance.arrayNode();
            list.forEach(a::add);
            return (JsonNode) a;
        });
        Arbitrary<JsonNode> objects = Arbitraries.maps(strings, Arbitraries.oneOf(scalars, arrays))
                .ofMaxSize(5)
                .map(members -> {
                    ObjectNode o = JsonNodeFactory.instance.objectNode();
                    members.forEach(o::set);
                    return (JsonNode) o;
                });
        return Arbitraries.oneOf(objects, arrays).list().ofMinSize(1).ofMaxSize(4);
    }
}
