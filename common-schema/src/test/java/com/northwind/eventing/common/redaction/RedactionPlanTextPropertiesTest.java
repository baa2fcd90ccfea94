package com.northwind.eventing.common.redaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.northwind.eventing.common.model.JsonPointers;
import com.northwind.eventing.common.model.SensitiveField;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The text walk ({@link RedactionPlan#apply(String)}) against the tree walk ({@link RedactionPlan#apply(JsonNode)}) on
 * random bodies and random plans: paths that overlap, nest, cross arrays with {@code *} and indices, and name members
 * that need escaping. Both must redact the same values and report the same paths in the same order, and the text walk
 * must change nothing else of the text.
 */
class RedactionPlanTextPropertiesTest {
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();
    private static final JsonMapper PRETTY =
            JSON.rebuild().enable(SerializationFeature.INDENT_OUTPUT).build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> NAMES = List.of(
            "member",
            "ssn",
            "lines",
            "0",
            "1",
            "*",
            "a/b",
            "t~x",
            "q\"uote",
            "caf\u00e9",
            "\u2028nl",
            "smile\uD83D\uDE00");

    @Property(tries = 2000)
    void shouldRedactWhatTheTreeWalkRedacts(@ForAll long seed) {
        Random random = new Random(seed);
        JsonNode body = value(random, 0);
        boolean pretty = random.nextBoolean();
        String text = pretty ? PRETTY.writeValueAsString(body) : JSON.writeValueAsString(body);
        List<SensitiveField> fields = new ArrayList<>();
        int count = 1 + random.nextInt(5);
        for (int i = 0; i < count; i++) {
            fields.add(new SensitiveField(JsonPointers.join(path(body, random)), "PHI"));
        }
        RedactionPlan plan = RedactionPlan.compile(fields, List.of());

        RedactionPlan.Redacted tree = plan.apply(JSON.readTree(text));
        RedactionPlan.RedactedText redacted = plan.apply(text);

        assertThat(redacted.paths()).isEqualTo(tree.paths());
        // Written the way the text was, the tree walk's copy is the text walk's copy character for character: nothing
        // but the redacted values changed, whitespace, number text and escapes included.
        assertThat(redacted.body())
                .isEqualTo(pretty ? PRETTY.writeValueAsString(tree.body()) : JSON.writeValueAsString(tree.body()));
        if (tree.paths().isEmpty()) {
            assertThat(redacted.body()).isSameAs(text);
        }
    }

    @Property(tries = 20)
    void shouldRedactWhatTheTreeWalkRedactsWhenTheTextIsLargerThanTheParsersBuffer(@ForAll long seed) {
        // Hundreds of kilobytes: the parser reads the text in several buffers, and the offsets must still be the
        // text's.
        Random random = new Random(seed);
        ArrayNode members = NODES.arrayNode();
        for (int i = 0; i < 2000; i++) {
            ObjectNode m = members.addObject();
            m.put("note", "x".repeat(random.nextInt(200)) + "\uD83D\uDE00");
            m.set("ssn", value(random, 3));
        }
        ObjectNode body = NODES.objectNode();
        body.set("members", members);
        String text = JSON.writeValueAsString(body);
        RedactionPlan plan = RedactionPlan.compile(List.of(new SensitiveField("/members/*/ssn", "PHI")), List.of());

        RedactionPlan.RedactedText redacted = plan.apply(text);

        assertThat(text.length()).isGreaterThan(100_000);
        assertThat(redacted.paths())
                .hasSize(2000)
                .isEqualTo(plan.apply(JSON.readTree(text)).paths());
        assertThat(redacted.body())
                .isEqualTo(
                        JSON.writeValueAsString(plan.apply(JSON.readTree(text)).body()));
    }

    @Property(tries = 300)
    void shouldRefuseTextThatIsNotOneJsonValue(@ForAll long seed) {
        Random random = new Random(seed);
        String text = JSON.writeValueAsString(value(random, 0));
        RedactionPlan plan = RedactionPlan.compile(List.of(new SensitiveField("/member/ssn", "PHI")), List.of());

        for (String trailing : List.of(text + " " + text, text + " x", text + "}")) {
            assertThatThrownBy(() -> plan.apply(trailing)).isInstanceOf(JacksonException.class);
            assertThatThrownBy(() -> RedactionPlan.NONE.apply(trailing)).isInstanceOf(JacksonException.class);
        }
        String truncated = text.substring(0, random.nextInt(text.length()));
        if (!parses(truncated)) {
            assertThatThrownBy(() -> plan.apply(truncated)).isInstanceOf(JacksonException.class);
            assertThatThrownBy(() -> RedactionPlan.NONE.apply(truncated)).isInstanceOf(JacksonException.class);
        }
    }

    private static boolean parses(String text) {
        try {
            return !JSON.readTree(text).isMissingNode();
        } catch (JacksonException e) {
            return false;
        }
    }

    /** A random value: containers near the top, any kind of scalar below, member names that need care. */
    private static JsonNode value(Random random, int depth) {
        int kind = depth < 4 ? random.nextInt(8) : 3 + random.nextInt(5);
        switch (kind) {
            case 0, 1 -> {
                ObjectNode object = NODES.objectNode();
                int n = random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    object.set(NAMES.get(random.nextInt(NAMES.size())), value(random, depth + 1));
                }
                return object;
            }
            case 2 -> {
                ArrayNode array = NODES.arrayNode();
                int n = random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    array.add(value(random, depth + 1));
                }
                return array;
            }
            case 3 -> {
                return NODES.stringNode("s\\\"\u00e9\t\uD83D\uDE00" + Long.toHexString(random.nextLong()));
            }
            case 4 -> {
                return NODES.numberNode(new BigDecimal(random.nextInt(100000) + "." + random.nextInt(100) + "0"));
            }
            case 5 -> {
                return NODES.numberNode(random.nextLong());
            }
            case 6 -> {
                return NODES.booleanNode(random.nextBoolean());
            }
            default -> {
                return NODES.nullNode();
            }
        }
    }

    /** A path through the body, with some tokens made {@code *} or changed, and sometimes longer than the body. */
    private static List<String> path(JsonNode body, Random random) {
        List<String> tokens = new ArrayList<>();
        JsonNode at = body;
        int length = 1 + random.nextInt(5);
        while (tokens.size() < length) {
            String token;
            if (at != null && at.isObject() && !at.isEmpty() && random.nextInt(5) > 0) {
                List<String> names = new ArrayList<>(at.propertyNames());
                token = names.get(random.nextInt(names.size()));
            } else if (at != null && at.isArray() && !at.isEmpty() && random.nextInt(5) > 0) {
                token = Integer.toString(random.nextInt(at.size()));
            } else {
                token = NAMES.get(random.nextInt(NAMES.size()));
            }
            JsonNode next = null;
            if (at != null && at.isObject()) {
                next = at.get(token);
            } else if (at != null && at.isArray()) {
                int i = parseIndex(token);
                next = i >= 0 && i < at.size() ? at.get(i) : null;
            }
            if (random.nextInt(4) == 0) {
                token = JsonPointers.ANY_ELEMENT;
            }
            tokens.add(token);
            at = next;
        }
        return tokens;
    }

    private static int parseIndex(String token) {
        try {
            return Integer.parseInt(token);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
