package com.northwind.eventing.admin.catalog;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The field paths a JSON Schema declares, as JSON Pointers with {@code *} for array elements (the notation of
 * sensitive fields), so that a search for {@code ssn} finds {@code /member/ssn} and a search for {@code /claimLines}
 * finds what is under it.
 */
final class SchemaFields {
    /** A schema nested deeper than this is not walked further: the registry bounds nesting, this bounds the walk. */
    private static final int MAX_DEPTH = 32;

    private SchemaFields() {}

    static List<String> of(JsonNode schema) {
        Set<String> paths = new LinkedHashSet<>();
        walk(schema, "", paths, 0);
        return new ArrayList<>(paths);
    }

    private static void walk(JsonNode schema, String at, Set<String> paths, int depth) {
        if (schema == null || !schema.isObject() || depth > MAX_DEPTH) {
            return;
        }
        JsonNode properties = schema.path("properties");
        if (properties.isObject()) {
            for (Map.Entry<String, JsonNode> p : properties.properties()) {
                String path = at + "/" + escape(p.getKey());
                paths.add(path);
                walk(p.getValue(), path, paths, depth + 1);
            }
        }
        JsonNode items = schema.path("items");
        if (items.isObject()) {
            walk(items, at + "/*", paths, depth + 1);
        } else if (items.isArray()) {
            for (JsonNode item : items) {
                walk(item, at + "/*", paths, depth + 1);
            }
        }
        for (String combinator : List.of("allOf", "anyOf", "oneOf")) {
            for (JsonNode branch : schema.path(combinator)) {
                walk(branch, at, paths, depth + 1);
            }
        }
        walk(schema.path("then"), at, paths, depth + 1);
        walk(schema.path("else"), at, paths, depth + 1);
    }

    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}
