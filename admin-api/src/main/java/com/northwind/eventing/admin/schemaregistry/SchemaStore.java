package com.northwind.eventing.admin.schemaregistry;

import com.northwind.eventing.admin.config.AdminProperties;
import com.northwind.eventing.admin.kafka.RegistryTopicFactory;
import com.northwind.eventing.common.kafka.CompactedTopic;
import com.northwind.eventing.common.kafka.JsonCodec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The embedded schema registry's state, kept the way Confluent's registry keeps it: a compacted single-partition
 * topic ({@code _schemas}) with JSON keys {@code {"keytype":"SCHEMA","subject":..,"version":..,"magic":1}} and
 * {@code {"keytype":"CONFIG","subject":..,"magic":0}}. Ids are global: the same schema text under any subject keeps
 * its id, and a new schema gets the highest id seen plus one, so ids survive restarts.
 *
 * <p>One writer at a time (this process); indexes are rebuilt from the topic at start and follow it after.
 */
@Component
@EmbeddedRegistry
class SchemaStore implements DisposableBean {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One registered version of a subject. */
    record Entry(String subject, int version, int id, String schema, boolean deleted) {}

    private final CompactedTopic<JsonNode> topic;
    private final Object writeLock = new Object();

    // Indexes, guarded by this.
    private final Map<String, NavigableMap<Integer, Entry>> subjects = new HashMap<>();
    private final Map<Integer, String> schemasById = new HashMap<>();
    private final Map<String, Integer> idsBySchema = new HashMap<>();
    private final Map<String, CompatibilityLevel> configs = new HashMap<>();
    private int maxId;

    SchemaStore(AdminProperties properties, RegistryTopicFactory topics) {
        this.topic =
                topics.open(properties.schemaRegistry().topic(), new JsonCodec<>(JSON, JsonNode.class), this::apply);
    }

    private synchronized void apply(String key, Optional<JsonNode> value) {
        JsonNode k = JSON.readTree(key);
        String keytype = k.path("keytype").asString("");
        String subject = k.path("subject").isNull() ? null : k.path("subject").asString(null);
        switch (keytype) {
            case "SCHEMA" -> {
                int version = k.path("version").asInt();
                if (value.isEmpty()) {
                    NavigableMap<Integer, Entry> versions = subjects.get(subject);
                    if (versions != null) {
                        versions.remove(version);
                        if (versions.isEmpty()) {
                            subjects.remove(subject);
                        }
                    }
                    return;
                }
                JsonNode v = value.get();
                Entry e = new Entry(
                        subject,
                        version,
                        v.path("id").asInt(),
                        v.path("schema").asString(),
                        v.path("deleted").asBoolean(false));
                subjects.computeIfAbsent(subject, s -> new TreeMap<>()).put(version, e);
                schemasById.putIfAbsent(e.id(), e.schema());
                idsBySchema.putIfAbsent(e.schema(), e.id());
                maxId = Math.max(maxId, e.id());
            }
            case "CONFIG" -> {
                String scope = subject == null ? "" : subject;
                if (value.isEmpty()) {
                    configs.remove(scope);
                } else {
                    configs.put(
                            scope,
                            CompatibilityLevel.parse(
                                    value.get().path("compatibilityLevel").asString()));
                }
            }
            default -> {
                // NOOP, DELETE_SUBJECT and keys of newer registries carry nothing this store needs.
            }
        }
    }

    /** Parses an Avro schema and returns its canonical text (Avro's own JSON form, whitespace-free). */
    static Schema parse(String schema) {
        if (schema == null || schema.isBlank()) {
            throw RegistryError.invalidSchema("the schema is empty");
        }
        try {
            return new Schema.Parser().parse(schema);
        } catch (SchemaParseException | NullPointerException | IllegalArgumentException e) {
            throw RegistryError.invalidSchema(e.getMessage());
        }
    }

    /** Registers {@code schema} under {@code subject}, or finds it there, and returns its id. */
    int register(String subject, Schema schema) {
        String text = schema.toString();
        synchronized (writeLock) {
            int id;
            int version;
            synchronized (this) {
                NavigableMap<Integer, Entry> versions = subjects.getOrDefault(subject, new TreeMap<>());
                for (Entry e : versions.values()) {
                    if (!e.deleted() && e.schema().equals(text)) {
                        return e.id();
                    }
                }
                List<Schema> earlier = versions.values().stream()
                        .filter(e -> !e.deleted())
                        .map(e -> new Schema.Parser().parse(e.schema()))
                        .toList();
                List<String> problems = level(subject).check(schema, earlier);
                if (!problems.isEmpty()) {
                    throw RegistryError.incompatible("Schema being registered is incompatible with an earlier schema"
                            + " for subject \"" + subject + "\", details: " + problems);
                }
                id = idsBySchema.getOrDefault(text, maxId + 1);
                version = versions.isEmpty() ? 1 : versions.lastKey() + 1;
            }
            ObjectNode value = JSON.createObjectNode();
            value.put("subject", subject);
            value.put("version", version);
            value.put("id", id);
            value.put("schema", text);
            value.put("deleted", false);
            topic.write(schemaKey(subject, version), value);
            return id;
        }
    }

    synchronized Optional<Entry> lookup(String subject, Schema schema, boolean includeDeleted) {
        String text = schema.toString();
        return versions(subject, includeDeleted).stream()
                .filter(e -> e.schema().equals(text))
                .findFirst();
    }

    synchronized boolean hasSubject(String subject, boolean includeDeleted) {
        return !versions(subject, includeDeleted).isEmpty();
    }

    synchronized List<Entry> versions(String subject, boolean includeDeleted) {
        NavigableMap<Integer, Entry> versions = subjects.get(subject);
        if (versions == null) {
            return List.of();
        }
        return versions.values().stream()
                .filter(e -> includeDeleted || !e.deleted())
                .toList();
    }

    synchronized List<String> subjects(boolean includeDeleted) {
        return new ArrayList<>(new TreeSet<>(subjects.keySet())
                .stream().filter(s -> hasSubject(s, includeDeleted)).toList());
    }

    synchronized Optional<String> schemaById(int id) {
        return Optional.ofNullable(schemasById.get(id));
    }

    synchronized List<Entry> usesOf(int id) {
        return subjects.values().stream()
                .flatMap(v -> v.values().stream())
                .filter(e -> e.id() == id && !e.deleted())
                .toList();
    }

    synchronized CompatibilityLevel level(String subject) {
        CompatibilityLevel own = subject == null ? null : configs.get(subject);
        if (own != null) {
            return own;
        }
        return configs.getOrDefault("", CompatibilityLevel.DEFAULT);
    }

    synchronized Optional<CompatibilityLevel> subjectLevel(String subject) {
        return Optional.ofNullable(configs.get(subject));
    }

    void setLevel(String subject, CompatibilityLevel level) {
        synchronized (writeLock) {
            ObjectNode value = JSON.createObjectNode();
            value.put("compatibilityLevel", level.name());
            topic.write(configKey(subject), level == null ? null : value);
        }
    }

    void clearLevel(String subject) {
        synchronized (writeLock) {
            topic.write(configKey(subject), null);
        }
    }

    /** Soft-deletes (marks) or, when already marked and {@code permanent}, removes a version. */
    void delete(Entry e, boolean permanent) {
        synchronized (writeLock) {
            if (permanent) {
                if (!e.deleted()) {
                    throw RegistryError.notSoftDeleted(e.subject(), e.version());
                }
                topic.write(schemaKey(e.subject(), e.version()), null);
                return;
            }
            ObjectNode value = JSON.createObjectNode();
            value.put("subject", e.subject());
            value.put("version", e.version());
            value.put("id", e.id());
            value.put("schema", e.schema());
            value.put("deleted", true);
            topic.write(schemaKey(e.subject(), e.version()), value);
        }
    }

    private static String schemaKey(String subject, int version) {
        ObjectNode k = JSON.createObjectNode();
        k.put("keytype", "SCHEMA");
        k.put("subject", subject);
        k.put("version", version);
        k.put("magic", 1);
        return JSON.writeValueAsString(k);
    }

    private static String configKey(String subject) {
        ObjectNode k = JSON.createObjectNode();
        k.put("keytype", "CONFIG");
        if (subject == null) {
            k.putNull("subject");
        } else {
            k.put("subject", subject);
        }
        k.put("magic", 0);
        return JSON.writeValueAsString(k);
    }

    @Override
    public void destroy() {
        topic.close();
    }
}
