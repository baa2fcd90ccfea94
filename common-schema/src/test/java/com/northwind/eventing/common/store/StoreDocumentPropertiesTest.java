package com.northwind.eventing.common.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.common.model.EventType;
import com.northwind.eventing.common.model.EventTypeVersion;
import com.northwind.eventing.common.model.JsonPointers;
import com.northwind.eventing.common.model.SensitiveField;
import com.northwind.eventing.common.model.StorePolicy;
import com.northwind.eventing.schema.Envelope;
import com.northwind.eventing.schema.Metadata;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.bson.BsonDocument;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Random event types (sensitive fields at random depths and in arrays, each declared in a random version), random
 * store policies per version, events stamped with a random version (or one the type does not have), random bodies and
 * metadata whose words collide on purpose with the sensitive values' words.
 *
 * <p>The property: let M be the terms (by {@link SearchTerms}) of the string values at the paths the policy masks or
 * removes, that is the sensitive fields of the event's version and of every later one (of every version when the
 * event's version is unknown), and U the terms of what is stored in the clear (the type's names, the metadata's
 * strings, the tags, the body's string values at no such path, and the mask's word under {@code REDACT}). Then under
 * {@code REDACT} and {@code REMOVE} no term of M that is not in U is in {@code searchTerms}, and no masked value (each
 * holds a unique marker) is anywhere in the document's text. Under {@code KEEP} the body is stored as sent; under
 * {@code NONE} nothing is. Every document parses with MongoDB's reader.
 */
class StoreDocumentPropertiesTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final JsonNode SCHEMA = JSON.readTree("{\"type\": \"object\"}");
    private static final Instant CREATED = Instant.parse("2026-01-05T10:00:00Z");
    // Words that values of either kind may hold: so a sensitive value's word is sometimes also a clear one.
    private static final List<String> WORDS = List.of("alpha", "Beta", "tx", "claim", "42", "TX", "denied");

    /** One step of a path: a member name, or an array of the given width (a {@code *} token). */
    record Step(String name, int width) {
        boolean isArray() {
            return name == null;
        }
    }

    /** One sensitive field: its path shape and the version that declares it. */
    record FieldSpec(List<Step> steps, int version) {}

    record Case(
            List<FieldSpec> fields,
            List<StorePolicy> policies,
            int eventVersion,
            List<String> metadataWords,
            List<String> tags,
            long seed) {}

    @Property(tries = 400)
    void shouldNeverStoreOrIndexAValueOfAMaskedFieldWhenPolicyDeidentifies(@ForAll("cases") Case c) {
        int versions = c.policies().size();
        Sample sample = sample(c);
        EventType type = type(c, versions);
        Envelope event = event(c, sample.body());
        StorePolicy policy = c.policies().get(versions - 1);

        Optional<byte[]> built = StoreDocument.build(event, type, "eventing.firehose", 1, 7);

        if (policy == StorePolicy.NONE) {
            assertThat(built).isEmpty();
            return;
        }
        assertThat(built).isPresent();
        String text = new String(built.get(), StandardCharsets.UTF_8);
        JsonNode doc = JSON.readTree(text);
        BsonDocument.parse(text);
        Set<String> terms = new HashSet<>();
        doc.path("searchTerms").valueStream().forEach(t -> terms.add(t.asString()));
        assertThat(doc.path("storePolicy").asString()).isEqualTo(policy.name());
        if (policy == StorePolicy.KEEP) {
            assertThat(doc.path("body")).isEqualTo(sample.body());
            assertThat(doc.path("redactedPaths").isEmpty()).isTrue();
            assertThat(terms).containsAll(tokens(sample.allValues()));
            return;
        }
        Set<String> clear = tokens(sample.clearValues());
        clear.addAll(SearchTerms.of("Claim Submitted Reconsideration " + String.join(" ", c.metadataWords())));
        c.tags().forEach(t -> clear.addAll(SearchTerms.of(t)));
        if (policy == StorePolicy.REDACT) {
            clear.addAll(SearchTerms.of("***REDACTED***"));
        }
        Set<String> secret = tokens(sample.maskedValues());
        secret.removeAll(clear);
        for (String term : secret) {
            assertThat(terms).doesNotContain(term);
        }
        String lower = text.toLowerCase(Locale.ROOT);
        for (String value : sample.maskedValues()) {
            assertThat(lower).doesNotContain(value.toLowerCase(Locale.ROOT));
        }
        for (String value : sample.clearValues()) {
            assertThat(text).contains(value);
        }
    }

    private static Set<String> tokens(List<String> values) {
        SearchTerms t = new SearchTerms();
        values.forEach(t::add);
        return new HashSet<>(t.terms());
    }

    /** A body, and its string values: every one, those at masked paths, and the others. */
    private record Sample(
            ObjectNode body, List<String> allValues, List<String> maskedValues, List<String> clearValues) {}

    private static Sample sample(Case c) {
        Random random = new Random(c.seed());
        List<String> all = new ArrayList<>();
        List<String> masked = new ArrayList<>();
        List<String> clear = new ArrayList<>();
        ObjectNode body = NODES.objectNode();
        String noise = "keep-" + random.nextInt(1000) + " " + word(random);
        body.put("noise", noise);
        body.put("count", random.nextInt());
        clear.add(noise);
        int versions = c.policies().size();
        for (int f = 0; f < c.fields().size(); f++) {
            FieldSpec spec = c.fields().get(f);
            // The router's union: a field of the event's version or a later one; every field when the version is
            // one the type does not have.
            boolean masks = c.eventVersion() > versions || spec.version() >= c.eventVersion();
            body.set("f" + f, build(spec.steps(), 0, "MARK" + f + "x", masks ? masked : clear, clear, random));
        }
        all.addAll(clear);
        all.addAll(masked);
        return new Sample(body, all, masked, clear);
    }

    /** The subtree for the remaining steps; its leaf goes to {@code leaves}, its siblings' values to {@code clear}. */
    private static JsonNode build(
            List<Step> steps, int i, String prefix, List<String> leaves, List<String> clear, Random random) {
        if (i == steps.size()) {
            String value = prefix + Long.toHexString(random.nextLong()) + "Z " + word(random);
            leaves.add(value);
            return NODES.stringNode(value);
        }
        Step s = steps.get(i);
        if (s.isArray()) {
            ArrayNode array = NODES.arrayNode();
            for (int k = 0; k < s.width(); k++) {
                array.add(build(steps, i + 1, prefix + k + "e", leaves, clear, random));
            }
            return array;
        }
        ObjectNode object = NODES.objectNode();
        String sibling = "keep-" + random.nextInt(1000) + " " + word(random);
        object.put("sibling", sibling);
        clear.add(sibling);
        object.set(s.name(), build(steps, i + 1, prefix, leaves, clear, random));
        return object;
    }

    private static String word(Random random) {
        return WORDS.get(random.nextInt(WORDS.size()));
    }

    private static EventType type(Case c, int versions) {
        List<EventTypeVersion> list = new ArrayList<>();
        for (int v = 1; v <= versions; v++) {
            List<SensitiveField> fields = new ArrayList<>();
            for (int f = 0; f < c.fields().size(); f++) {
                FieldSpec spec = c.fields().get(f);
                if (spec.version() == v) {
                    List<String> tokens = new ArrayList<>();
                    tokens.add("f" + f);
                    spec.steps().forEach(s -> tokens.add(s.isArray() ? JsonPointers.ANY_ELEMENT : s.name()));
                    fields.add(new SensitiveField(JsonPointers.join(tokens), "PHI"));
                }
            }
            list.add(new EventTypeVersion(v, SCHEMA, fields, c.policies().get(v - 1), CREATED));
        }
        return new EventType(
                "Claim", "Submitted", "Reconsideration", null, "claims-team", 30, null, list, CREATED, CREATED);
    }

    private static Envelope event(Case c, ObjectNode body) {
        Envelope e = StoreDocumentTest.event(JSON.writeValueAsString(body), c.eventVersion());
        Metadata m = e.getMetadata();
        List<String> words = c.metadataWords();
        m.setTransactionId(words.get(0));
        m.setUserId(words.get(1));
        m.setTransactionType(words.get(2));
        m.setSourceSystem(words.get(3));
        m.setProducerApp(words.get(4));
        e.setTags(c.tags());
        return e;
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<Step> step = Arbitraries.oneOf(
                Arbitraries.of("member", "ssn", "lines", "dob").map(n -> new Step(n, 0)),
                Arbitraries.integers().between(0, 3).map(w -> new Step(null, w)));
        Arbitrary<FieldSpec> field = Combinators.combine(
                        step.list().ofMaxSize(4), Arbitraries.integers().between(1, 3))
                .as(FieldSpec::new);
        Arbitrary<List<StorePolicy>> policies =
                Arbitraries.of(StorePolicy.class).list().ofMinSize(1).ofMaxSize(3);
        Arbitrary<String> word = Arbitraries.oneOf(
                Arbitraries.of(WORDS),
                Arbitraries.strings().alpha().numeric().withChars("-:. ").ofMaxLength(12));
        return Combinators.combine(
                        field.list().ofMaxSize(4),
                        policies,
                        Arbitraries.integers().between(1, 4),
                        word.list().ofSize(5),
                        word.list().ofMaxSize(3),
                        Arbitraries.longs())
                .as((fields, p, version, metadata, tags, seed) -> {
                    // A field declared in a version the type does not have is declared in its latest.
                    List<FieldSpec> declared = fields.stream()
                            .map(f -> new FieldSpec(f.steps(), Math.min(f.version(), p.size())))
                            .toList();
                    return new Case(declared, p, Math.min(version, p.size() + 1), metadata, tags, seed);
                });
    }

    @Property(tries = 2000)
    void shouldWriteEachStoredDateAsJavaTimeFormatsItWhenAnyInstantFromTheEpochToYear9999IsGiven(
            @ForAll("storedInstants") long millis) {
        // given
        java.time.format.DateTimeFormatter javaTime = java.time.format.DateTimeFormatter.ofPattern(
                        "uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
                .withZone(java.time.ZoneOffset.UTC);

        // when
        String written = StoreDocument.isoMillis(millis);

        // then
        assertThat(written).isEqualTo(javaTime.format(Instant.ofEpochMilli(millis)));
    }

    @Provide
    Arbitrary<Long> storedInstants() {
        long max = Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();
        return Arbitraries.oneOf(
                Arbitraries.longs().between(0, max),
                Arbitraries.longs().between(1_700_000_000_000L, 1_900_000_000_000L),
                Arbitraries.of(0L, 999L, 1000L, 951_782_400_000L, 4_107_542_399_999L, max));
    }
}
