package com.northwind.eventing.common.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.avro.Schema;

/**
 * A schema registry held in memory, for tests that need no server. It behaves as Confluent's registry does where
 * serializers can tell: ids are global and handed out 1, 2, ... in order of first registration; a schema registered
 * under a second subject keeps the id it already has; registering the same schema twice under one subject is a no-op;
 * a missing schema is {@code SchemaRegistryException(404, 40403, ...)}. Schemas are compared by their JSON text, as
 * the registry compares what clients send it, and {@link #byId} parses that text again, as a client over HTTP would.
 *
 * <p>Thread-safe, so that Kafka Streams threads may share one instance with the test.
 */
public final class InMemorySchemaRegistryClient implements SchemaRegistryClient {
    /** Confluent's error code for a schema that is not there. */
    public static final int SCHEMA_NOT_FOUND = 40403;

    private final Map<String, Integer> idsBySchema = new HashMap<>();
    private final Map<Integer, String> schemasById = new HashMap<>();
    private final Map<String, List<Integer>> versionsBySubject = new TreeMap<>();

    @Override
    public synchronized int register(String subject, Schema schema) {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(schema, "schema");
        String text = schema.toString();
        Integer id = idsBySchema.get(text);
        if (id == null) {
            id = schemasById.size() + 1;
            idsBySchema.put(text, id);
            schemasById.put(id, text);
        }
        List<Integer> versions = versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
        if (!versions.contains(id)) {
            versions.add(id);
        }
        return id;
    }

    @Override
    public synchronized int lookup(String subject, Schema schema) {
        Objects.requireNonNull(schema, "schema");
        Integer id = idsBySchema.get(schema.toString());
        List<Integer> versions = versionsBySubject.getOrDefault(subject, List.of());
        if (id == null || !versions.contains(id)) {
            throw new SchemaRegistryException(404, SCHEMA_NOT_FOUND, "schema not found under subject " + subject);
        }
        return id;
    }

    @Override
    public synchronized Schema byId(int id) {
        String text = schemasById.get(id);
        if (text == null) {
            throw new SchemaRegistryException(404, SCHEMA_NOT_FOUND, "schema " + id + " not found");
        }
        return new Schema.Parser().parse(text);
    }

    /** The subjects that hold at least one schema, in alphabetical order. */
    public synchronized List<String> subjects() {
        return List.copyOf(versionsBySubject.keySet());
    }

    /** The ids registered under {@code subject}, its oldest version first; empty when the subject is unknown. */
    public synchronized List<Integer> versions(String subject) {
        return List.copyOf(versionsBySubject.getOrDefault(subject, List.of()));
    }
}
