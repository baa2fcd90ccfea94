package com.northwind.eventing.router.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.common.model.App;
import com.northwind.eventing.common.model.EventType;
import com.northwind.eventing.common.model.EventTypeVersion;
import com.northwind.eventing.common.model.JsonPointers;
import com.northwind.eventing.common.model.ReadGrant;
import com.northwind.eventing.common.model.RegistryTopics;
import com.northwind.eventing.common.model.SensitiveField;
import com.northwind.eventing.common.model.StorePolicy;
import com.northwind.eventing.common.model.Subscription;
import com.northwind.eventing.common.registry.InMemorySchemaRegistryClient;
import com.northwind.eventing.common.registry.SchemaRegistryClient;
import com.northwind.eventing.common.registry.SchemaRegistryException;
import com.northwind.eventing.common.serde.EnvelopeSerde;
import com.northwind.eventing.common.store.StoreDocument;
import com.northwind.eventing.schema.Envelope;
import com.northwind.eventing.schema.Metadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The whole topology, not the redaction alone: random bodies with sensitive fields at random depths and inside arrays
 * (arrays of arrays too), declared in one version of their type or the other or both, routed to random subscriptions
 * of apps with random grants, some projecting, several sharing one copy of an event, some filtering on a field, some
 * of an app that is not registered, too large for their topic or refused by the registry (so dead-lettered), now and
 * then beside an event whose body is not JSON. Then:
 *
 * <ul>
 *   <li>the bytes of every record on a subscription's topic, value and headers, hold no value of a field its app is
 *       not cleared for (a field declared in the event's version or a later one), and hold every other value the
 *       subscription keeps; each record is its own subscription's;
 *   <li>the bytes of every dead letter hold no value of any sensitive field, of any version; a dead letter always
 *       fits the dead-letter topic (a small limit in the cases with a broken event, none in the others), and holds
 *       either that event redacted or the record's size and digest;
 *   <li>every event that is not dead-lettered for its body is stored once, but under the store policy NONE; its store
 *       record holds no value of a field sensitive in its version or a later one under REDACT and REMOVE, and every
 *       other value of that event (every value under KEEP), and none of another event;
 *   <li>two events that differ only in their sensitive values reach the same subscriptions wherever the
 *       subscription's filter reads a field its app is not cleared for: no filter decides by a hidden value.
 * </ul>
 */
class RouterLeakPropertiesTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> CLASSIFICATIONS = List.of("PHI", "PII", "PCI");
    private static final String TYPE = "Claim.Submitted.Reconsideration";
    private static final int EVENTS = 2;
    /** The app index of subscriptions whose app is not registered. */
    private static final int UNREGISTERED = 3;

    /**
     * One sensitive field: its path shape, classification, and the versions that declare it (1, 2, or 3 for both).
     */
    record FieldSpec(List<Step> steps, String classification, int versions) {
        boolean declaredIn(int version) {
            return (versions & version) != 0;
        }

        /** Sensitive in an event stamped with {@code version}: declared in it or in a later one. */
        boolean sensitiveFrom(int version) {
            return version == 1 ? versions != 0 : declaredIn(2);
        }
    }

    /** One step of a path: a member name, or an array of the given width (a {@code *} token). */
    record Step(String name, int width) {
        boolean isArray() {
            return name == null;
        }
    }

    /**
     * An app's read grants: classifications, and whether it is also granted the exact path of the field with index
     * {@code pathGrant} (when there is one).
     */
    record AppSpec(List<String> classifications, int pathGrant) {}

    /**
     * A content filter on one field: the field's path down to {@code depth} steps (array steps as element
     * {@code element}), and one condition.
     */
    record FilterSpec(int field, int depth, int element, String condition) {}

    /**
     * A subscription: the index of its app ({@link #UNREGISTERED} for none), the top-level fields it keeps (every field
     * when null), its filter (none when null), and whether its copies cannot be written: 1 too large for its topic, 2
     * refused by the registry, 0 written.
     */
    record SubSpec(int app, List<Integer> include, FilterSpec filter, int failure) {}

    record Case(
            List<FieldSpec> fields,
            List<AppSpec> apps,
            List<SubSpec> subs,
            int version,
            boolean brokenEvent,
            StorePolicy storePolicy,
            long seed) {}

    @Property(tries = 400)
    void shouldNeverLetAnUnclearedValueOutNorDecideWhereAnEventGoesByIt(@ForAll("cases") Case c) throws IOException {
        List<SensitiveField> fields = new ArrayList<>();
        for (int f = 0; f < c.fields().size(); f++) {
            List<String> tokens = new ArrayList<>();
            tokens.add("f" + f);
            for (Step s : c.fields().get(f).steps()) {
                tokens.add(s.isArray() ? JsonPointers.ANY_ELEMENT : s.name());
            }
            fields.add(new SensitiveField(
                    JsonPointers.join(tokens), c.fields().get(f).classification()));
        }
        List<List<ReadGrant>> grants = new ArrayList<>();
        for (AppSpec a : c.apps()) {
            List<String> read = new ArrayList<>(a.classifications());
            if (a.pathGrant() < fields.size()) {
                read.add(fields.get(a.pathGrant()).path());
            }
            grants.add(read.stream().map(ReadGrant::parse).toList());
        }

        Path stateDir = Files.createTempDirectory("router-leak-");
        InMemorySchemaRegistryClient schemas = new InMemorySchemaRegistryClient();
        Map<String, Integer> limits = new HashMap<>();
        Map<String, SchemaRegistryException> refused = new HashMap<>();
        if (c.brokenEvent()) {
            // Small enough that some redacted events do not fit, so that both kinds of dead letter are checked.
            limits.put(RouterTopology.DEADLETTER, 600);
        }
        for (int s = 0; s < c.subs().size(); s++) {
            if (c.subs().get(s).failure() == 1) {
                limits.put("eventing.sub.s" + s, 100);
            } else if (c.subs().get(s).failure() == 2) {
                refused.put(
                        "eventing.sub.s" + s + "-value",
                        new SchemaRegistryException(409, 409, "Schema being registered is incompatible"));
            }
        }
        SchemaRegistryClient routerRegistry = new RefusingRegistry(schemas, refused);
        try (TopologyTestDriver driver = new TopologyTestDriver(
                RouterTopology.build(routerRegistry, topic -> limits.getOrDefault(topic, Integer.MAX_VALUE)),
                RouterTopology.properties("unused:9092", "router-leak-test", stateDir.toString()))) {
            TestInputTopic<String, byte[]> registry;
            registry = driver.createInputTopic(
                    RegistryTopics.EVENT_TYPES, new StringSerializer(), new ByteArraySerializer());
            registry.pipeInput(TYPE, json(eventType(c.fields(), fields, c.storePolicy())));
            registry = driver.createInputTopic(RegistryTopics.APPS, new StringSerializer(), new ByteArraySerializer());
            for (int a = 0; a < c.apps().size(); a++) {
                List<String> read =
                        grants.get(a).stream().map(ReadGrant::toString).toList();
                registry.pipeInput("app" + a, json(app("app" + a, read)));
            }
            registry = driver.createInputTopic(
                    RegistryTopics.SUBSCRIPTIONS, new StringSerializer(), new ByteArraySerializer());
            for (int s = 0; s < c.subs().size(); s++) {
                registry.pipeInput("s" + s, json(subscription(s, c.subs().get(s), c.fields())));
            }

            // Each event gets its own marker values, so a copy of one event cannot pass for another's; apart from
            // them the events are the same, so that only a sensitive value could tell them apart.
            Random random = new Random(c.seed());
            String noise = "public-" + random.nextInt(1000);
            List<List<List<String>>> markers = new ArrayList<>(); // [event][field] -> leaf values
            List<byte[]> published = new ArrayList<>();
            TestInputTopic<byte[], byte[]> firehose = driver.createInputTopic(
                    RouterTopology.FIREHOSE, new ByteArraySerializer(), new ByteArraySerializer());
            int events = EVENTS + (c.brokenEvent() ? 1 : 0);
            for (int e = 0; e < events; e++) {
                ObjectNode body = NODES.objectNode();
                body.put("noise", noise);
                List<List<String>> perField = new ArrayList<>();
                for (int f = 0; f < fields.size(); f++) {
                    List<String> leaves = new ArrayList<>();
                    body.set("f" + f, build(c.fields().get(f).steps(), 0, "MARK" + e + "f" + f + "x", leaves, random));
                    perField.add(leaves);
                }
                markers.add(perField);
                String text = body.toString();
                // The extra event's body lacks its closing brace: not JSON.
                byte[] value = EnvelopeSerde.create(schemas, true)
                        .serializer()
                        .serialize(
                                RouterTopology.FIREHOSE,
                                envelope(e, e < EVENTS ? text : text.substring(0, text.length() - 1), c.version()));
                published.add(value);
                firehose.pipeInput("tx-42".getBytes(StandardCharsets.UTF_8), value);
            }

            List<TestRecord<byte[], byte[]>> deadLetters = driver.createOutputTopic(
                            RouterTopology.DEADLETTER, new ByteArrayDeserializer(), new ByteArrayDeserializer())
                    .readRecordsToList();
            for (TestRecord<byte[], byte[]> dead : deadLetters) {
                int e = Integer.parseInt(header(dead, "eventing-deadletter-offset"));
                byte[] original = published.get(e);
                String written = written(dead);
                for (List<String> field : markers.get(e)) {
                    for (String marker : field) {
                        assertThat(written).as("dead letter of event %d", e).doesNotContain(marker);
                    }
                }
                if (dead.value() == null) {
                    assertThat(header(dead, "eventing-deadletter-size")).isEqualTo(Integer.toString(original.length));
                    assertThat(header(dead, "eventing-deadletter-sha256")).hasSize(64);
                } else {
                    assertThat(RecordLimits.upperBound(dead.key(), dead.value(), dead.headers()))
                            .isLessThanOrEqualTo(limits.getOrDefault(RouterTopology.DEADLETTER, Integer.MAX_VALUE));
                    Envelope redacted = EnvelopeSerde.create(schemas, false)
                            .deserializer()
                            .deserialize(RouterTopology.DEADLETTER, dead.value());
                    assertThat(redacted.getEventId()).isEqualTo(eventId(e));
                    assertThat(redacted.getBody()).contains(noise);
                    assertThat(header(dead, "eventing-deadletter-sha256")).isNull();
                }
            }
            if (c.brokenEvent()) {
                assertThat(deadLetters)
                        .filteredOn(d -> header(d, "eventing-deadletter-offset").equals(Integer.toString(EVENTS)))
                        .singleElement()
                        .satisfies(d -> assertThat(d.value()).isNull());
            }

            for (int s = 0; s < c.subs().size(); s++) {
                SubSpec sub = c.subs().get(s);
                List<TestRecord<byte[], byte[]>> copies = driver.createOutputTopic(
                                "eventing.sub.s" + s, new ByteArrayDeserializer(), new ByteArrayDeserializer())
                        .readRecordsToList();
                boolean written = sub.app() != UNREGISTERED && sub.failure() == 0;
                List<Integer> reached = new ArrayList<>();
                if (written) {
                    for (TestRecord<byte[], byte[]> copy : copies) {
                        reached.add(eventIndex(header(copy, "eventing-event-id")));
                    }
                } else {
                    assertThat(copies).as("copies on s%d", s).isEmpty();
                    for (TestRecord<byte[], byte[]> dead : deadLetters) {
                        if (("s" + s).equals(header(dead, "eventing-subscription"))) {
                            reached.add(Integer.parseInt(header(dead, "eventing-deadletter-offset")));
                        }
                    }
                }
                FilterSpec filter = sub.filter() != null && sub.filter().field() < fields.size() ? sub.filter() : null;
                if (filter == null) {
                    assertThat(reached).as("events reaching s%d", s).containsExactly(0, 1);
                } else if (hides(c, grants, sub, filter.field())) {
                    assertThat(reached)
                            .as("events reaching s%d, whose filter reads a value its app may not see", s)
                            .isIn(List.of(), List.of(0, 1));
                }
                for (TestRecord<byte[], byte[]> copy : copies) {
                    assertThat(header(copy, "eventing-subscription")).isEqualTo("s" + s);
                    int e = eventIndex(header(copy, "eventing-event-id"));
                    String bytes = written(copy);
                    for (int f = 0; f < fields.size(); f++) {
                        boolean hidden = hides(c, grants, sub, f);
                        boolean kept = sub.include() == null || sub.include().contains(f);
                        for (int other = 0; other < EVENTS; other++) {
                            for (String marker : markers.get(other).get(f)) {
                                if (!hidden && kept && other == e) {
                                    assertThat(bytes)
                                            .as("s%d, event %d, visible %s", s, e, fields.get(f))
                                            .contains(marker);
                                } else {
                                    assertThat(bytes)
                                            .as("s%d, event %d, %s", s, e, fields.get(f))
                                            .doesNotContain(marker);
                                }
                            }
                        }
                    }
                }
            }

            List<TestRecord<byte[], byte[]>> stored = driver.createOutputTopic(
                            StoreDocument.TOPIC, new ByteArrayDeserializer(), new ByteArrayDeserializer())
                    .readRecordsToList();
            // The event that is not JSON is dead-lettered, so it is not stored; the others are, once, but under NONE.
            assertThat(stored)
                    .extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                    .as("store records")
                    .isEqualTo(c.storePolicy() == StorePolicy.NONE ? List.of() : List.of(eventId(0), eventId(1)));
            for (TestRecord<byte[], byte[]> record : stored) {
                int e = eventIndex(new String(record.key(), StandardCharsets.UTF_8));
                // Lower-cased: the document's search terms hold each body string lower-cased.
                String bytes = written(record).toLowerCase(Locale.ROOT);
                for (int f = 0; f < fields.size(); f++) {
                    boolean hidden = c.storePolicy() != StorePolicy.KEEP
                            && c.fields().get(f).sensitiveFrom(c.version());
                    for (int other = 0; other < events; other++) {
                        for (String marker : markers.get(other).get(f)) {
                            if (!hidden && other == e) {
                                assertThat(bytes)
                                        .as("store record of event %d, %s %s", e, c.storePolicy(), fields.get(f))
                                        .contains(marker.toLowerCase(Locale.ROOT));
                            } else {
                                assertThat(bytes)
                                        .as("store record of event %d, %s %s", e, c.storePolicy(), fields.get(f))
                                        .doesNotContain(marker.toLowerCase(Locale.ROOT));
                            }
                        }
                    }
                }
            }
        } finally {
            deleteRecursively(stateDir);
        }
    }

    /**
     * Whether the subscription's app may not see field {@code f} of the case's events: the field is sensitive in their
     * version (declared in it or a later one) and no grant clears it; for an app that is not registered, any field
     * sensitive in any version.
     */
    private static boolean hides(Case c, List<List<ReadGrant>> grants, SubSpec sub, int f) {
        FieldSpec spec = c.fields().get(f);
        if (sub.app() == UNREGISTERED) {
            return true;
        }
        if (!spec.sensitiveFrom(c.version())) {
            return false;
        }
        SensitiveField field = new SensitiveField(path(f, spec), spec.classification());
        return grants.get(sub.app()).stream().noneMatch(g -> g.clears(field));
    }

    private static String path(int f, FieldSpec spec) {
        List<String> tokens = new ArrayList<>();
        tokens.add("f" + f);
        for (Step s : spec.steps()) {
            tokens.add(s.isArray() ? JsonPointers.ANY_ELEMENT : s.name());
        }
        return JsonPointers.join(tokens);
    }

    /** A record's value and headers as one text; Latin-1 keeps one character per byte, and the markers are ASCII. */
    private static String written(TestRecord<byte[], byte[]> record) {
        StringBuilder bytes = new StringBuilder(
                record.value() == null ? "" : new String(record.value(), StandardCharsets.ISO_8859_1));
        record.headers()
                .forEach(h -> bytes.append('\n')
                        .append(h.key())
                        .append('=')
                        .append(new String(h.value(), StandardCharsets.ISO_8859_1)));
        return bytes.toString();
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
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
        Arbitrary<FieldSpec> field = Combinators.combine(
                        step.list().ofMaxSize(4),
                        Arbitraries.of(CLASSIFICATIONS),
                        Arbitraries.integers().between(1, 3))
                .as(FieldSpec::new);
        Arbitrary<AppSpec> app = Combinators.combine(
                        Arbitraries.of(CLASSIFICATIONS).set().map(List::copyOf),
                        Arbitraries.integers().between(0, 8))
                .as(AppSpec::new);
        Arbitrary<FilterSpec> filter = Combinators.combine(
                        Arbitraries.integers().between(0, 3),
                        Arbitraries.integers().between(0, 4),
                        Arbitraries.integers().between(0, 1),
                        Arbitraries.of(
                                "{\"prefix\": \"MARK0\"}",
                                "{\"prefix\": \"MARK1\"}",
                                "{\"suffix\": \"Z\"}",
                                "{\"exists\": true}",
                                "{\"exists\": false}",
                                "\"***REDACTED***\"",
                                "{\"anything-but\": \"***REDACTED***\"}"))
                .as(FilterSpec::new);
        Arbitrary<SubSpec> sub = Combinators.combine(
                        Arbitraries.integers().between(0, 3),
                        Arbitraries.oneOf(
                                Arbitraries.just(null),
                                Arbitraries.integers().between(0, 3).set().map(List::copyOf)),
                        Arbitraries.oneOf(Arbitraries.just(null), filter),
                        Arbitraries.frequency(Tuple.of(6, 0), Tuple.of(1, 1), Tuple.of(1, 2)))
                .as(SubSpec::new);
        return Combinators.combine(
                        field.list().ofMinSize(1).ofMaxSize(4),
                        app.list().ofSize(3),
                        sub.list().ofMinSize(1).ofMaxSize(6),
                        Arbitraries.integers().between(1, 2),
                        Arbitraries.frequency(Tuple.of(4, false), Tuple.of(1, true)),
                        Arbitraries.of(StorePolicy.class),
                        Arbitraries.longs())
                .as(Case::new);
    }

    /** The type with two versions, each declaring the fields its specs put in it. */
    private static EventType eventType(List<FieldSpec> specs, List<SensitiveField> fields, StorePolicy storePolicy) {
        List<EventTypeVersion> versions = new ArrayList<>();
        for (int v = 1; v <= 2; v++) {
            List<SensitiveField> declared = new ArrayList<>();
            for (int f = 0; f < fields.size(); f++) {
                if (specs.get(f).declaredIn(v)) {
                    declared.add(fields.get(f));
                }
            }
            // The latest version's store policy is the type's.
            versions.add(new EventTypeVersion(
                    v,
                    RegistryTopics.JSON.readTree("{\"type\":\"object\"}"),
                    declared,
                    v == 2 ? storePolicy : StorePolicy.KEEP,
                    Instant.EPOCH));
        }
        return new EventType(
                "Claim",
                "Submitted",
                "Reconsideration",
                "a claim",
                "claims",
                30,
                null,
                versions,
                Instant.EPOCH,
                Instant.EPOCH);
    }

    private static App app(String id, List<String> read) {
        return new App(id, "team", List.of(), read, List.of(), null, Instant.EPOCH, Instant.EPOCH);
    }

    private static Subscription subscription(int index, SubSpec spec, List<FieldSpec> fields) {
        List<String> include = spec.include() == null
                ? List.of()
                // "noise" too, so that a projection never keeps nothing at all
                : Stream.concat(Stream.of("noise"), spec.include().stream().map(f -> "f" + f))
                        .toList();
        JsonNode filter = null;
        FilterSpec fs = spec.filter();
        if (fs != null && fs.field() < fields.size()) {
            // The field's path, down to some depth, each array step naming one element: what a filter names.
            List<String> tokens = new ArrayList<>();
            tokens.add("f" + fs.field());
            List<Step> steps = fields.get(fs.field()).steps();
            for (Step step : steps.subList(0, Math.min(fs.depth(), steps.size()))) {
                tokens.add(step.isArray() ? Integer.toString(fs.element()) : step.name());
            }
            filter =
                    RegistryTopics.JSON.readTree("{" + RegistryTopics.JSON.writeValueAsString(JsonPointers.join(tokens))
                            + ": [" + fs.condition() + "]}");
        }
        return new Subscription(
                "s" + index,
                spec.app() == UNREGISTERED ? "unregistered" : "app" + spec.app(),
                List.of(TYPE),
                null,
                null,
                filter,
                include,
                "eventing.sub.s" + index,
                1,
                Instant.EPOCH);
    }

    private static String eventId(int index) {
        return "0190f1d2-7c4e-7a3b-8c9d-0e1f2a3b4c5" + index;
    }

    private static int eventIndex(String eventId) {
        return eventId.charAt(eventId.length() - 1) - '0';
    }

    private static Envelope envelope(int index, String body, int version) {
        return Envelope.newBuilder()
                .setEventId(eventId(index))
                .setNoun("Claim")
                .setVerb("Submitted")
                .setObject("Reconsideration")
                .setEventType(TYPE)
                .setMetadata(Metadata.newBuilder()
                        .setTransactionId("tx-42")
                        .setOccurredAt(Instant.parse("2026-01-05T10:00:00.123Z"))
                        .setReceivedAt(Instant.parse("2026-01-05T10:00:01Z"))
                        .setProducerApp("claims-intake")
                        .build())
                .setTags(List.of())
                .setSynthetic(false)
                .setBody(body)
                .setBodySchemaVersion(version)
                .build();
    }

    private static byte[] json(Object value) {
        return RegistryTopics.JSON.writeValueAsBytes(value);
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
