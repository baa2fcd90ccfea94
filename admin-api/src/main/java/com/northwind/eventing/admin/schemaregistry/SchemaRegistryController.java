package com.northwind.eventing.admin.schemaregistry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.northwind.eventing.admin.audit.AuditLog;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Confluent Schema Registry's REST API (v1) at its usual root paths, for Avro schemas. Confluent's serializers,
 * clients and tools work against it unchanged.
 */
@RestController
@EmbeddedRegistry
@RequestMapping(produces = {SchemaRegistryController.V1, "application/vnd.schemaregistry+json", "application/json"})
class SchemaRegistryController {
    static final String V1 = "application/vnd.schemaregistry.v1+json";
    static final MediaType MEDIA_TYPE = MediaType.parseMediaType(V1);

    private final SchemaStore store;
    private final AuditLog audit;

    SchemaRegistryController(SchemaStore store, AuditLog audit) {
        this.store = store;
        this.audit = audit;
    }

    /** A subject as the audit log shows it: its versions and their schema ids; null when it has none. */
    private Map<String, Object> subjectState(String subject) {
        List<Map<String, Object>> versions = store.versions(subject, true).stream()
                .map(e -> {
                    Map<String, Object> v = new LinkedHashMap<>();
                    v.put("version", e.version());
                    v.put("id", e.id());
                    v.put("deleted", e.deleted());
                    return v;
                })
                .toList();
        return versions.isEmpty() ? null : Map.of("subject", subject, "versions", versions);
    }

    private static Map<String, Object> levelState(Optional<CompatibilityLevel> level) {
        return level.<Map<String, Object>>map(l -> Map.of("compatibilityLevel", l.name()))
                .orElse(null);
    }

    /** The body of register, lookup and compatibility requests; members of newer clients are ignored. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record SchemaRequest(
            String schema, String schemaType, List<Map<String, Object>> references, Integer version, Integer id) {
        Schema avro() {
            if (schemaType != null && !schemaType.equalsIgnoreCase("AVRO")) {
                throw RegistryError.invalidSchema(
                        "schemaType " + schemaType + " is not supported by the embedded registry; only AVRO is");
            }
            if (references != null && !references.isEmpty()) {
                throw RegistryError.invalidSchema("schema references are not supported by the embedded registry");
            }
            return SchemaStore.parse(schema);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ConfigRequest(String compatibility) {}

    @GetMapping("/")
    Map<String, Object> root() {
        return Map.of();
    }

    @GetMapping("/schemas/types")
    List<String> types() {
        return List.of("AVRO");
    }

    @GetMapping("/subjects")
    List<String> subjects(@RequestParam(defaultValue = "false") boolean deleted) {
        return store.subjects(deleted);
    }

    @GetMapping("/subjects/{subject}/versions")
    List<Integer> versions(@PathVariable String subject, @RequestParam(defaultValue = "false") boolean deleted) {
        List<SchemaStore.Entry> versions = store.versions(subject, deleted);
        if (versions.isEmpty()) {
            throw RegistryError.subjectNotFound(subject);
        }
        return versions.stream().map(SchemaStore.Entry::version).toList();
    }

    @PostMapping("/subjects/{subject}/versions")
    Map<String, Object> register(
            @PathVariable String subject,
            @RequestBody SchemaRequest request,
            @RequestParam(defaultValue = "false") boolean normalize) {
        Schema schema = request.avro();
        Map<String, Object> before = subjectState(subject);
        int id = store.register(subject, schema);
        Map<String, Object> after = subjectState(subject);
        if (!after.equals(before)) { // registering a schema the subject holds already changes nothing
            audit.record("create", "registry-subject", subject, before, after);
        }
        return Map.of("id", id);
    }

    @PostMapping("/subjects/{subject}")
    Map<String, Object> lookup(
            @PathVariable String subject,
            @RequestBody SchemaRequest request,
            @RequestParam(defaultValue = "false") boolean deleted,
            @RequestParam(defaultValue = "false") boolean normalize) {
        Schema schema = request.avro();
        if (!store.hasSubject(subject, deleted)) {
            throw RegistryError.subjectNotFound(subject);
        }
        return store.lookup(subject, schema, deleted)
                .map(SchemaRegistryController::view)
                .orElseThrow(() -> RegistryError.schemaNotFound("Schema not found"));
    }

    @GetMapping("/subjects/{subject}/versions/{version}")
    Map<String, Object> version(
            @PathVariable String subject,
            @PathVariable String version,
            @RequestParam(defaultValue = "false") boolean deleted) {
        return view(find(subject, version, deleted));
    }

    @GetMapping("/subjects/{subject}/versions/{version}/schema")
    ResponseEntity<String> rawSchema(
            @PathVariable String subject,
            @PathVariable String version,
            @RequestParam(defaultValue = "false") boolean deleted) {
        return ResponseEntity.ok()
                .contentType(MEDIA_TYPE)
                .body(find(subject, version, deleted).schema());
    }

    @DeleteMapping("/subjects/{subject}/versions/{version}")
    int deleteVersion(
            @PathVariable String subject,
            @PathVariable String version,
            @RequestParam(defaultValue = "false") boolean permanent) {
        SchemaStore.Entry e = find(subject, version, permanent);
        Map<String, Object> before = subjectState(subject);
        store.delete(e, permanent);
        audit.record("delete", "registry-subject", subject, before, subjectState(subject));
        return e.version();
    }

    @DeleteMapping("/subjects/{subject}")
    List<Integer> deleteSubject(@PathVariable String subject, @RequestParam(defaultValue = "false") boolean permanent) {
        List<SchemaStore.Entry> versions = store.versions(subject, permanent);
        if (versions.isEmpty()) {
            throw RegistryError.subjectNotFound(subject);
        }
        Map<String, Object> before = subjectState(subject);
        for (SchemaStore.Entry e : versions) {
            store.delete(e, permanent);
        }
        audit.record("delete", "registry-subject", subject, before, subjectState(subject));
        return versions.stream().map(SchemaStore.Entry::version).toList();
    }

    @GetMapping("/schemas/ids/{id}")
    Map<String, Object> schemaById(@PathVariable int id, @RequestParam(required = false) String subject) {
        String schema =
                store.schemaById(id).orElseThrow(() -> RegistryError.schemaNotFound("Schema " + id + " not found"));
        return Map.of("schema", schema);
    }

    @GetMapping("/schemas/ids/{id}/schema")
    ResponseEntity<String> rawSchemaById(@PathVariable int id) {
        String schema =
                store.schemaById(id).orElseThrow(() -> RegistryError.schemaNotFound("Schema " + id + " not found"));
        return ResponseEntity.ok().contentType(MEDIA_TYPE).body(schema);
    }

    @GetMapping("/schemas/ids/{id}/versions")
    List<Map<String, Object>> schemaVersions(@PathVariable int id) {
        if (store.schemaById(id).isEmpty()) {
            throw RegistryError.schemaNotFound("Schema " + id + " not found");
        }
        return store.usesOf(id).stream()
                .map(e -> Map.<String, Object>of("subject", e.subject(), "version", e.version()))
                .toList();
    }

    @GetMapping("/schemas/ids/{id}/subjects")
    List<String> schemaSubjects(@PathVariable int id) {
        if (store.schemaById(id).isEmpty()) {
            throw RegistryError.schemaNotFound("Schema " + id + " not found");
        }
        return store.usesOf(id).stream()
                .map(SchemaStore.Entry::subject)
                .distinct()
                .toList();
    }

    @GetMapping("/config")
    Map<String, Object> globalConfig() {
        return Map.of("compatibilityLevel", store.level(null).name());
    }

    @PutMapping("/config")
    Map<String, Object> setGlobalConfig(@RequestBody ConfigRequest request) {
        CompatibilityLevel level = CompatibilityLevel.parse(request.compatibility());
        CompatibilityLevel before = store.level(null);
        store.setLevel(null, level);
        audit.record(
                "update", "registry-config", "global", levelState(Optional.of(before)), levelState(Optional.of(level)));
        return Map.of("compatibility", level.name());
    }

    @GetMapping("/config/{subject}")
    Map<String, Object> subjectConfig(
            @PathVariable String subject, @RequestParam(defaultValue = "false") boolean defaultToGlobal) {
        Optional<CompatibilityLevel> own = store.subjectLevel(subject);
        if (own.isEmpty() && !defaultToGlobal) {
            throw RegistryError.subjectLevelConfigNotFound(subject);
        }
        return Map.of("compatibilityLevel", own.orElse(store.level(null)).name());
    }

    @PutMapping("/config/{subject}")
    Map<String, Object> setSubjectConfig(@PathVariable String subject, @RequestBody ConfigRequest request) {
        CompatibilityLevel level = CompatibilityLevel.parse(request.compatibility());
        Optional<CompatibilityLevel> before = store.subjectLevel(subject);
        store.setLevel(subject, level);
        audit.record(
                before.isEmpty() ? "create" : "update",
                "registry-config",
                subject,
                levelState(before),
                levelState(Optional.of(level)));
        return Map.of("compatibility", level.name());
    }

    @DeleteMapping("/config/{subject}")
    Map<String, Object> deleteSubjectConfig(@PathVariable String subject) {
        CompatibilityLevel own = store.subjectLevel(subject).orElseThrow(() -> RegistryError.subjectNotFound(subject));
        store.clearLevel(subject);
        audit.record("delete", "registry-config", subject, levelState(Optional.of(own)), null);
        return Map.of("compatibilityLevel", own.name());
    }

    @PostMapping("/compatibility/subjects/{subject}/versions/{version}")
    Map<String, Object> compatibleWithVersion(
            @PathVariable String subject,
            @PathVariable String version,
            @RequestBody SchemaRequest request,
            @RequestParam(defaultValue = "false") boolean verbose) {
        Schema candidate = request.avro();
        List<SchemaStore.Entry> all = store.versions(subject, false);
        if (all.isEmpty() && isLatest(version)) {
            // Confluent answers compatible when there is nothing to be incompatible with.
            return compatibility(List.of(), verbose);
        }
        SchemaStore.Entry against = find(subject, version, false);
        CompatibilityLevel level = store.level(subject);
        List<Schema> earlier = List.of(SchemaStore.parse(against.schema()));
        List<String> problems = level == CompatibilityLevel.NONE
                ? List.of()
                : nonTransitive(level).check(candidate, earlier);
        return compatibility(problems, verbose);
    }

    @PostMapping("/compatibility/subjects/{subject}/versions")
    Map<String, Object> compatibleWithAll(
            @PathVariable String subject,
            @RequestBody SchemaRequest request,
            @RequestParam(defaultValue = "false") boolean verbose) {
        Schema candidate = request.avro();
        List<Schema> earlier = store.versions(subject, false).stream()
                .map(e -> SchemaStore.parse(e.schema()))
                .toList();
        return compatibility(store.level(subject).check(candidate, earlier), verbose);
    }

    /** A check against one named version uses the level's direction only. */
    private static CompatibilityLevel nonTransitive(CompatibilityLevel level) {
        return switch (level) {
            case BACKWARD_TRANSITIVE -> CompatibilityLevel.BACKWARD;
            case FORWARD_TRANSITIVE -> CompatibilityLevel.FORWARD;
            case FULL_TRANSITIVE -> CompatibilityLevel.FULL;
            default -> level;
        };
    }

    private static Map<String, Object> compatibility(List<String> problems, boolean verbose) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("is_compatible", problems.isEmpty());
        if (verbose) {
            body.put("messages", problems);
        }
        return body;
    }

    private SchemaStore.Entry find(String subject, String version, boolean includeDeleted) {
        int v = parseVersion(version);
        List<SchemaStore.Entry> versions = store.versions(subject, includeDeleted);
        if (versions.isEmpty()) {
            throw RegistryError.subjectNotFound(subject);
        }
        if (v == -1) {
            return versions.get(versions.size() - 1);
        }
        return versions.stream()
                .filter(e -> e.version() == v)
                .findFirst()
                .orElseThrow(() -> RegistryError.versionNotFound(subject, v));
    }

    private static boolean isLatest(String version) {
        return "latest".equals(version) || "-1".equals(version);
    }

    /** "latest" and -1 mean the latest version, as in Confluent's registry. */
    private static int parseVersion(String version) {
        if (isLatest(version)) {
            return -1;
        }
        try {
            int v = Integer.parseInt(version);
            if (v >= 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw RegistryError.invalidVersion(version);
    }

    private static Map<String, Object> view(SchemaStore.Entry e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("subject", e.subject());
        body.put("version", e.version());
        body.put("id", e.id());
        body.put("schema", e.schema());
        return body;
    }
}
