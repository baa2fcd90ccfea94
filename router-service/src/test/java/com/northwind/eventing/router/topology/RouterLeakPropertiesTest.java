package com.northwind.eventing.router.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.common.model.App;
import com.northwind.eventing.common.model.EventType;
import com.northwind.eventing.common.model.EventTypeVersion;
import com.northwind.eventing.common.model.JsonPointers;
import com.northwind.eventing.common.model.ReadGrant;
import com.northwind.eventing.common.model.RegistryTopics;
import com.northwind.eventing.common.model.SensitiveField;
import com.northwind.eventing.common.model.Subscription;
import com.northwind.eventing.common.registry.InMemorySchemaRegistryClient;
import com.northwind.eventing.common.serde.EnvelopeSerde;
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
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
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
 * (arrays of arrays too), routed to random subscriptions of apps with random grants, some projecting, several sharing
 * one copy of an event. The bytes of every record on a subscription's topic, value and headers, hold no value of a
 * field its app is not cleared for, and hold every cleared value the subscription keeps; each record is its own
 * subscription's.
 */
class RouterLeakPropertiesTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> CLASSIFICATIONS = List.of("PHI", "PII", "PCI");
    private static final String TYPE = "Claim.Submitted.Reconsideration";
    private static final int EVENTS = 2;

    /** One sensitive field: its path shape and classification. */
    record FieldSpec(List<Step> steps, String classification) {}

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

    /** A subscription: the index of its app, and the top-level fields it keeps (every field when null). */
    record SubSpec(int app, List<Integer> include) {}

    record Case(List<FieldSpec> fields, List<AppSpec> apps, List<SubSpec> subs, long seed) {}

    @Property(tries = 400)
    void shouldNeverWriteAnUnclearedValueToASubscriptionsTopic(@ForAll("cases") Case c) throws IOException {
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
        try (TopologyTestDriver driver = new TopologyTestDriver(
                RouterTopology.build(schemas, RecordLimits.NONE),
                RouterTopology.properties("unused:9092", "router-leak-test", stateDir.toString()))) {
            TestInputTopic<String, byte[]> registry;
            registry = driver.createInputTopic(
                    RegistryTopics.EVENT_TYPES, new StringSerializer(), new ByteArraySerializer());
            registry.pipeInput(TYPE, json(eventType(fields)));
            registry = driver.createInputTopic(RegistryTopics.APPS, new StringSerializer(), new ByteArraySerializer());
            for (int a = 0; a < c.apps().size(); a++) {
                List<String> read =
                        grants.get(a).stream().map(ReadGrant::toString).toList();
                registry.pipeInput("app" + a, json(app("app" + a, read)));
            }
            registry = driver.createInputTopic(
                    RegistryTopics.SUBSCRIPTIONS, new StringSerializer(), new ByteArraySerializer());
            for (int s = 0; s < c.subs().size(); s++) {
                registry.pipeInput("s" + s, json(subscription(s, c.subs().get(s))));
            }

            // Each event gets its own marker values, so a copy of one event cannot pass for another's.
            Random random = new Random(c.seed());
            List<List<List<String>>> markers = new ArrayList<>(); // [event][field] -> leaf values
            TestInputTopic<byte[], byte[]> firehose = driver.createInputTopic(
                    RouterTopology.FIREHOSE, new ByteArraySerializer(), new ByteArraySerializer());
            for (int e = 0; e < EVENTS; e++) {
                ObjectNode body = NODES.objectNode();
                body.put("noise", "public-" + random.nextInt(1000));
                List<List<String>> perField = new ArrayList<>();
                for (int f = 0; f < fields.size(); f++) {
                    List<String> leaves = new ArrayList<>();
                    body.set("f" + f, build(c.fields().get(f).steps(), 0, "MARK" + e + "f" + f + "x", leaves, random));
                    perField.add(leaves);
                }
                markers.add(perField);
                firehose.pipeInput(
                        "tx-42".getBytes(StandardCharsets.UTF_8),
                        EnvelopeSerde.create(schemas, true)
                                .serializer()
                                .serialize(RouterTopology.FIREHOSE, envelope(e, body.toString())));
            }

            for (int s = 0; s < c.subs().size(); s++) {
                SubSpec sub = c.subs().get(s);
                List<TestRecord<byte[], byte[]>> copies = driver.createOutputTopic(
                                "eventing.sub.s" + s, new ByteArrayDeserializer(), new ByteArrayDeserializer())
                        .readRecordsToList();
                assertThat(copies).as("copies on s%d", s).hasSize(EVENTS);
                for (int e = 0; e < EVENTS; e++) {
                    TestRecord<byte[], byte[]> copy = copies.get(e);
                    assertThat(new String(
                                    copy.headers()
                                            .lastHeader("eventing-subscription")
                                            .value(),
                                    StandardCharsets.UTF_8))
                            .isEqualTo("s" + s);
                    // Latin-1 keeps one character per byte: the markers are ASCII, so a marker is in the text exactly
                    // when its bytes are in the record.
                    StringBuilder bytes = new StringBuilder(new String(copy.value(), StandardCharsets.ISO_8859_1));
                    copy.headers()
                            .forEach(
                                    h -> bytes.append('\n').append(new String(h.value(), StandardCharsets.ISO_8859_1)));
                    String written = bytes.toString();
                    for (int f = 0; f < fields.size(); f++) {
                        SensitiveField field = fields.get(f);
                        boolean cleared = grants.get(sub.app()).stream().anyMatch(g -> g.clears(field));
                        boolean kept = sub.include() == null || sub.include().contains(f);
                        for (int other = 0; other < EVENTS; other++) {
                            for (String marker : markers.get(other).get(f)) {
                                if (cleared && kept && other == e) {
                                    assertThat(written)
                                            .as("s%d, event %d, cleared %s", s, e, field)
                                            .contains(marker);
                                } else {
                                    assertThat(written)
                                            .as("s%d, event %d, %s", s, e, field)
                                            .doesNotContain(marker);
                                }
                            }
                        }
                    }
                }
            }
            assertThat(driver.createOutputTopic(
                                    RouterTopology.DEADLETTER, new ByteArrayDeserializer(), new ByteArrayDeserializer())
                            .readRecordsToList())
                    .isEmpty();
        } finally {
            deleteRecursively(stateDir);
        }
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
        Arbitrary<FieldSpec> field = Combinators.combine(step.list().ofMaxSize(4), Arbitraries.of(CLASSIFICATIONS))
                .as(FieldSpec::new);
        Arbitrary<AppSpec> app = Combinators.combine(
                        Arbitraries.of(CLASSIFICATIONS).set().map(List::copyOf),
                        Arbitraries.integers().between(0, 8))
                .as(AppSpec::new);
        Arbitrary<SubSpec> sub = Combinators.combine(
                        Arbitraries.integers().between(0, 2),
                        Arbitraries.oneOf(
                                Arbitraries.just(null),
                                Arbitraries.integers().between(0, 3).set().map(List::copyOf)))
                .as(SubSpec::new);
        return Combinators.combine(
                        field.list().ofMinSize(1).ofMaxSize(4),
                        app.list().ofSize(3),
                        sub.list().ofMinSize(1).ofMaxSize(6),
                        Arbitraries.longs())
                .as(Case::new);
    }

    private static EventType eventType(List<SensitiveField> fields) {
        EventTypeVersion v1 =
                new EventTypeVersion(1, RegistryTopics.JSON.readTree("{\"type\":\"object\"}"), fields, Instant.EPOCH);
        return new EventType(
                "Claim",
                "Submitted",
                "Reconsideration",
                "a claim",
                "claims",
                30,
                null,
                List.of(v1),
                Instant.EPOCH,
                Instant.EPOCH);
    }

    private static App app(String id, List<String> read) {
        return new App(id, "team", List.of(), read, List.of(), null, Instant.EPOCH, Instant.EPOCH);
    }

    private static Subscription subscription(int index, SubSpec spec) {
        List<String> include = spec.include() == null
                ? List.of()
                // "noise" too, so that a projection never keeps nothing at all
                : Stream.concat(Stream.of("noise"), spec.include().stream().map(f -> "f" + f))
                        .toList();
        return new Subscription(
                "s" + index,
                "app" + spec.app(),
                List.of(TYPE),
                null,
                null,
                null,
                include,
                "eventing.sub.s" + index,
                1,
                Instant.EPOCH);
    }

    private static Envelope envelope(int index, String body) {
        return Envelope.newBuilder()
                .setEventId("0190f1d2-7c4e-7a3b-8c9d-0e1f2a3b4c5" + index)
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
                .setBodySchemaVersion(1)
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
