package com.northwind.eventing.common.redaction;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.common.filter.ContentFilter;
import com.northwind.eventing.common.model.JsonPointers;
import com.northwind.eventing.common.model.ReadGrant;
import com.northwind.eventing.common.model.SensitiveField;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Random bodies with sensitive fields at random depths and inside arrays (arrays of arrays too): the serialized
 * redacted copy never holds a value of a field the app is not cleared for, and still holds every cleared one, whether the
 * tree or the text was redacted.
 */
class RedactionPlanPropertiesTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> CLASSIFICATIONS = List.of("PHI", "PII", "PCI");

    /** One sensitive field: its path shape and whether the app is cleared for it. */
    record FieldSpec(List<Step> steps, String classification) {}

    /** One step of a path: a member name, or an array of the given width (a {@code *} token). */
    record Step(String name, int width) {
        boolean isArray() {
            return name == null;
        }
    }

    record Case(List<FieldSpec> fields, List<String> grants, long seed) {}

    @Property(tries = 300)
    void shouldNeverLeakAValueOfAnUnclearedField(@ForAll("cases") Case c) {
        Sample sample = sample(c);
        ObjectNode body = sample.body();
        List<SensitiveField> fields = sample.fields();
        List<List<String>> markersPerField = sample.markers();
        List<ReadGrant> grants = c.grants().stream().map(ReadGrant::parse).toList();
        String before = JSON.writeValueAsString(body);

        RedactionPlan plan = RedactionPlan.compile(fields, grants);
        RedactionPlan.Redacted result = plan.apply(body);
        String out = JSON.writeValueAsString(result.body());
        // The router redacts the body's text, not a tree: the same must hold for that copy.
        String outText = plan.apply(before).body();

        for (int f = 0; f < fields.size(); f++) {
            SensitiveField field = fields.get(f);
            boolean cleared = grants.stream().anyMatch(g -> g.clears(field));
            for (String marker : markersPerField.get(f)) {
                if (cleared) {
                    assertThat(out).contains(marker);
                    assertThat(outText).contains(marker);
                } else {
                    assertThat(out).doesNotContain(marker);
                    assertThat(outText).doesNotContain(marker);
                }
            }
        }
        assertThat(JSON.writeValueAsString(body)).isEqualTo(before);
        for (String path : result.paths()) {
            assertThat(result.body().at(path).stringValue()).isEqualTo(RedactionPlan.MASK);
        }
    }

    /**
     * What lets the router read a content filter's field on the body as it came: where {@link RedactionPlan#hiding}
     * names no field for the filter's pointer, the filter decides the same on the body and on the redacted copy, for
     * every kind of condition, the ones that would see a mask included.
     */
    @Property(tries = 500)
    void shouldDecideAsOnTheRedactedCopyWhenThePlanHidesNothingTheFilterReads(
            @ForAll("cases") Case c, @ForAll("conditions") String condition, @ForAll long pick) {
        Sample sample = sample(c);
        ObjectNode body = sample.body();
        RedactionPlan plan = RedactionPlan.compile(
                sample.fields(), c.grants().stream().map(ReadGrant::parse).toList());
        String pointer = pointerInto(body, new Random(pick));
        ContentFilter filter =
                ContentFilter.parse(JSON.readTree("{" + JSON.writeValueAsString(pointer) + ": [" + condition + "]}"));

        SensitiveField hiding = plan.hiding(pointer);

        if (hiding == null) {
            assertThat(filter.matches(plan.apply(body).body()))
                    .as("%s on %s", condition, pointer)
                    .isEqualTo(filter.matches(body));
        }
    }

    /** A pointer into the body: some way down its members and elements, now and then to one it does not have. */
    private static String pointerInto(JsonNode body, Random random) {
        List<String> tokens = new ArrayList<>();
        JsonNode at = body;
        do {
            List<String> next = new ArrayList<>();
            if (at != null && at.isObject()) {
                next.addAll(at.propertyNames());
            } else if (at != null && at.isArray()) {
                for (int i = 0; i < at.size(); i++) {
                    next.add(Integer.toString(i));
                }
            }
            next.add(random.nextBoolean() ? "absent" : "0");
            String token = next.get(random.nextInt(next.size()));
            tokens.add(token);
            if (at != null && at.isArray()) {
                at = token.equals("absent") ? null : at.get(Integer.parseInt(token));
            } else if (at != null) {
                at = at.get(token);
            }
        } while (random.nextInt(3) > 0);
        return JsonPointers.join(tokens);
    }

    @Provide
    Arbitrary<String> conditions() {
        return Arbitraries.of(
                "{\"prefix\": \"MARK\"}",
                "{\"prefix\": \"***\"}",
                "{\"suffix\": \"Z\"}",
                "\"***REDACTED***\"",
                "{\"anything-but\": \"***REDACTED***\"}",
                "{\"exists\": true}",
                "{\"exists\": false}",
                "{\"numeric\": [\">\", 0]}",
                "null");
    }

    /** A case's body, its sensitive fields (field f at {@code /f<f>/...}), and the leaf values of each field. */
    private record Sample(ObjectNode body, List<SensitiveField> fields, List<List<String>> markers) {}

    private static Sample sample(Case c) {
        Random random = new Random(c.seed());
        ObjectNode body = NODES.objectNode();
        body.put("noise", "public-" + random.nextInt(1000));
        List<SensitiveField> fields = new ArrayList<>();
        List<List<String>> markersPerField = new ArrayList<>();
        for (int f = 0; f < c.fields().size(); f++) {
            FieldSpec spec = c.fields().get(f);
            List<String> tokens = new ArrayList<>();
            tokens.add("f" + f);
            for (Step s : spec.steps()) {
                tokens.add(s.isArray() ? JsonPointers.ANY_ELEMENT : s.name());
            }
            fields.add(new SensitiveField(JsonPointers.join(tokens), spec.classification()));
            List<String> markers = new ArrayList<>();
            body.set("f" + f, build(spec.steps(), 0, "MARK" + f + "x", markers, random));
            markersPerField.add(markers);
        }
        return new Sample(body, fields, markersPerField);
    }

    /** Builds the subtree for the remaining steps, collecting the distinctive leaf values it holds. */
    private static JsonNode build(List<Step> steps, int i, String prefix, List<String> markers, Random random) {
        if (i == steps.size()) {
            String marker = prefix + Long.toHexString(random.nextLong()) + "Z";
            markers.add(marker);
            return NODES.stringNode(marker);
        }
        Step s = steps.get(i);
        if (s.isArray()) {
            ArrayNode array = NODES.arrayNode();
            for (int k = 0; k < s.width(); k++) {
                array.add(build(steps, i + 1, prefix + k + "e", markers, random));
            }
            return array;
        }
        ObjectNode object = NODES.objectNode();
        object.put("sibling", "keep-" + random.nextInt(1000));
        object.set(s.name(), build(steps, i + 1, prefix, markers, random));
        return object;
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<Step> step = Arbitraries.oneOf(
                Arbitraries.of("member", "ssn", "lines", "dob", "card").map(n -> new Step(n, 0)),
                Arbitraries.integers().between(0, 3).map(w -> new Step(null, w)));
        Arbitrary<FieldSpec> field = Combinators.combine(step.list().ofMaxSize(5), Arbitraries.of(CLASSIFICATIONS))
                .as(FieldSpec::new);
        Arbitrary<List<String>> grants = Arbitraries.of(CLASSIFICATIONS).set().map(List::copyOf);
        return Combinators.combine(field.list().ofMinSize(1).ofMaxSize(5), grants, Arbitraries.longs())
                .as(Case::new);
    }
}
