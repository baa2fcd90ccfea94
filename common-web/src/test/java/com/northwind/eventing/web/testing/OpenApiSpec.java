package com.northwind.eventing.web.testing;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * One of the platform's OpenAPI documents as the tests read it: its operations, its problem types, its references,
 * its validity against the OpenAPI Initiative's JSON Schema for 3.1, and the schema of each documented answer, to
 * hold real answers to. An operation or problem type marked {@code x-eventing-planned} is a contract not served yet.
 */
public final class OpenApiSpec {
    /** The vendored OAS 3.1 schema (see NOTICE.md beside it). */
    public static final String OAS_SCHEMA = "openapi/oas-3.1-schema-2025-11-23.json";

    private static final String OAS_ID = "https://spec.openapis.org/oas/3.1/schema/2025-11-23";
    private static final String PLANNED = "x-eventing-planned";
    private static final Set<String> METHODS =
            Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String resource;
    private final String iri;
    private final JsonNode root;
    private final SchemaRegistry registry;

    private OpenApiSpec(String resource, JsonNode root) {
        this.resource = resource;
        this.root = root;
        this.iri = "https://eventing.northwind.invalid/" + resource;
        String text = JSON.writeValueAsString(root);
        String oas = read(OAS_SCHEMA);
        // Only these two documents: nothing is fetched from the network.
        this.registry = SchemaRegistry.withDefaultDialect(
                SpecificationVersion.DRAFT_2020_12, b -> b.schemas(Map.of(OAS_ID, oas, iri, text)));
    }

    /** The document at a classpath resource, such as {@code openapi/admin-api.yaml}. */
    public static OpenApiSpec load(String resource) {
        return of(resource, YAMLMapper.builder().build().readTree(read(resource)));
    }

    /** A document given as a tree (tests of the checks themselves). */
    public static OpenApiSpec of(String name, JsonNode root) {
        return new OpenApiSpec(name, root);
    }

    public JsonNode root() {
        return root;
    }

    /** Every served operation as {@code METHOD /path/{template}}. */
    public Set<String> operations() {
        return operations(false);
    }

    /** Every operation marked as planned. */
    public Set<String> plannedOperations() {
        return operations(true);
    }

    private Set<String> operations(boolean planned) {
        Set<String> ops = new TreeSet<>();
        for (Map.Entry<String, JsonNode> path : root.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
                if (METHODS.contains(op.getKey()) && op.getValue().path(PLANNED).asBoolean(false) == planned) {
                    ops.add(op.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey());
                }
            }
        }
        return ops;
    }

    /** The slugs of the document's {@code x-problem-types} list that are served. */
    public Set<String> problemSlugs() {
        return slugs(false);
    }

    /** The slugs listed as planned. */
    public Set<String> plannedProblemSlugs() {
        return slugs(true);
    }

    private Set<String> slugs(boolean planned) {
        Set<String> slugs = new TreeSet<>();
        for (JsonNode t : root.path("x-problem-types")) {
            if (t.path(PLANNED).asBoolean(false) == planned) {
                slugs.add(t.path("slug").asString());
            }
        }
        return slugs;
    }

    /**
     * Each listed problem type whose {@code type} is not {@code urn:eventing:problem:<slug>}, and each slug a response
     * names (its {@code x-problem-types}) that the document's list does not hold.
     */
    public List<String> problemTypeMistakes() {
        List<String> mistakes = new ArrayList<>();
        Set<String> listed = new TreeSet<>();
        for (JsonNode t : root.path("x-problem-types")) {
            String slug = t.path("slug").asString();
            listed.add(slug);
            if (!t.path("type").asString().equals("urn:eventing:problem:" + slug)) {
                mistakes.add("x-problem-types: " + slug + " has type " + t.path("type"));
            }
        }
        walk(root, "", (pointer, node) -> {
            JsonNode named = node.get("x-problem-types");
            if (named != null && !pointer.isEmpty()) {
                for (JsonNode slug : named) {
                    if (!listed.contains(slug.asString())) {
                        mistakes.add(pointer + " names " + slug.asString() + ", which x-problem-types does not list");
                    }
                }
            }
        });
        return mistakes;
    }

    /** Each {@code $ref} that does not resolve within the document, as {@code where -> ref}. */
    public List<String> unresolvedRefs() {
        List<String> unresolved = new ArrayList<>();
        walk(root, "", (pointer, node) -> {
            JsonNode ref = node.get("$ref");
            if (ref != null && ref.isString()) {
                String target = ref.asString();
                if (!target.startsWith("#")
                        || root.at(unescapeFragment(target.substring(1))).isMissingNode()) {
                    unresolved.add(pointer + " -> " + target);
                }
            }
        });
        return unresolved;
    }

    /** What the OAS 3.1 JSON Schema finds wrong with the document: nothing for a valid one. */
    public List<String> oasViolations() {
        Schema oas = registry.getSchema(SchemaLocation.of(OAS_ID));
        return messages(oas.validate(root));
    }

    /**
     * What is wrong with an answer, by the document: the operation and status must be documented, with the media type,
     * and the body must match the schema documented for them. Nothing for a conforming answer.
     */
    public List<String> answerViolations(
            String method, String pathTemplate, int status, String contentType, JsonNode body) {
        JsonNode op = root.path("paths").path(pathTemplate).path(method.toLowerCase(java.util.Locale.ROOT));
        if (op.isMissingNode()) {
            return List.of(resource + " documents no " + method + " " + pathTemplate);
        }
        String opPointer = "/paths/" + escape(pathTemplate) + "/" + method.toLowerCase(java.util.Locale.ROOT);
        String responsePointer = opPointer + "/responses/" + status;
        JsonNode response = root.at(responsePointer);
        if (response.isMissingNode()) {
            return List.of(method + " " + pathTemplate + " documents no " + status + " answer");
        }
        while (response.has("$ref")) {
            responsePointer = unescapeFragment(response.get("$ref").asString().substring(1));
            response = root.at(responsePointer);
        }
        String media = contentType == null ? "" : contentType.split(";")[0].trim();
        if (!response.path("content").has(media)) {
            return List.of(method + " " + pathTemplate + " " + status + " documents no " + media + " body");
        }
        String schemaPointer = responsePointer + "/content/" + escape(media) + "/schema";
        Schema schema = registry.getSchema(SchemaLocation.of(iri + "#" + fragment(schemaPointer)));
        return messages(schema.validate(body));
    }

    private static List<String> messages(List<Error> errors) {
        return errors.stream().map(Error::toString).toList();
    }

    private interface Visitor {
        void visit(String pointer, JsonNode node);
    }

    private static void walk(JsonNode node, String pointer, Visitor visitor) {
        if (node.isObject()) {
            visitor.visit(pointer, node);
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                walk(e.getValue(), pointer + "/" + escape(e.getKey()), visitor);
            }
        } else if (node.isArray()) {
            Iterator<JsonNode> it = node.iterator();
            for (int i = 0; it.hasNext(); i++) {
                walk(it.next(), pointer + "/" + i, visitor);
            }
        }
    }

    private static String escape(String segment) {
        return segment.replace("~", "~0").replace("/", "~1");
    }

    /** A JSON Pointer as a URI fragment: the characters a fragment may not hold, percent-encoded. */
    private static String fragment(String pointer) {
        StringBuilder b = new StringBuilder();
        for (byte c : pointer.getBytes(StandardCharsets.UTF_8)) {
            if ((c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || "/-._~+".indexOf(c) >= 0) {
                b.append((char) c);
            } else {
                b.append('%').append(String.format("%02X", c & 0xff));
            }
        }
        return b.toString();
    }

    private static String unescapeFragment(String fragment) {
        return java.net.URLDecoder.decode(fragment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String read(String resource) {
        try (InputStream in = OpenApiSpec.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return resource;
    }
}
