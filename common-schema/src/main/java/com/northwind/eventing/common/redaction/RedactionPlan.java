package com.northwind.eventing.common.redaction;

import com.northwind.eventing.common.model.JsonPointers;
import com.northwind.eventing.common.model.ReadGrant;
import com.northwind.eventing.common.model.SensitiveField;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * The sensitive fields of one event type version that one app is not cleared for, compiled once and applied to every
 * body of that version delivered to that app.
 *
 * <p>A {@code *} token in a field's path stands for every element of an array, at any depth and in arrays of arrays.
 * On an object it stands for every member: a body that does not have the declared shape is redacted more, never less.
 * Paths that a body does not have are skipped.
 */
public final class RedactionPlan {
    /** What a redacted value becomes. */
    public static final String MASK = "***REDACTED***";

    /** The plan that redacts nothing. */
    public static final RedactionPlan NONE = new RedactionPlan(List.of(), List.of());

    private static final StringNode MASK_NODE = StringNode.valueOf(MASK);

    private final List<SensitiveField> redacted;
    private final List<List<String>> paths;

    private RedactionPlan(List<SensitiveField> redacted, List<List<String>> paths) {
        this.redacted = redacted;
        this.paths = paths;
    }

    /**
     * Compiles the plan for an app with the given read grants.
     *
     * @param fields the sensitive fields of the event type version
     * @param grants the app's read grants; a field that no grant clears is redacted
     */
    public static RedactionPlan compile(List<SensitiveField> fields, List<ReadGrant> grants) {
        List<SensitiveField> redacted = new ArrayList<>();
        List<List<String>> paths = new ArrayList<>();
        for (SensitiveField field : fields) {
            if (grants.stream().noneMatch(g -> g.clears(field))) {
                redacted.add(field);
                paths.add(JsonPointers.parse(field.path()));
            }
        }
        return redacted.isEmpty() ? NONE : new RedactionPlan(List.copyOf(redacted), List.copyOf(paths));
    }

    /** The sensitive fields this plan redacts, in declaration order. */
    public List<SensitiveField> redactedFields() {
        return redacted;
    }

    /** Whether the plan leaves every body as it is. */
    public boolean isEmpty() {
        return redacted.isEmpty();
    }

    /**
     * Redacts a copy of the body; the body itself is never modified.
     *
     * @return the redacted copy and the concrete pointers of the values replaced, such as {@code /lines/0/member/ssn}
     */
    public Redacted apply(JsonNode body) {
        JsonNode copy = body.deepCopy();
        if (paths.isEmpty()) {
            return new Redacted(copy, List.of());
        }
        Set<String> done = new LinkedHashSet<>();
        for (List<String> path : paths) {
            redact(copy, path, 0, "", done);
        }
        return new Redacted(copy, List.copyOf(done));
    }

    private static void redact(JsonNode node, List<String> path, int index, String at, Set<String> done) {
        String token = path.get(index);
        boolean last = index == path.size() - 1;
        if (node instanceof ObjectNode object) {
            if (JsonPointers.ANY_ELEMENT.equals(token)) {
                List<String> names = new ArrayList<>();
                for (Map.Entry<String, JsonNode> e : object.properties()) {
                    names.add(e.getKey());
                }
                for (String name : names) {
                    member(object, name, path, index, last, at, done);
                }
            } else if (object.has(token)) {
                member(object, token, path, index, last, at, done);
            }
        } else if (node instanceof ArrayNode array) {
            if (JsonPointers.ANY_ELEMENT.equals(token)) {
                for (int i = 0; i < array.size(); i++) {
                    element(array, i, path, index, last, at, done);
                }
            } else {
                int i = arrayIndex(token);
                if (i >= 0 && i < array.size()) {
                    element(array, i, path, index, last, at, done);
                }
            }
        }
    }

    private static void member(
            ObjectNode object, String name, List<String> path, int index, boolean last, String at, Set<String> done) {
        String here = at + "/" + JsonPointers.escape(name);
        if (last) {
            object.set(name, MASK_NODE);
            done.add(here);
        } else {
            redact(object.get(name), path, index + 1, here, done);
        }
    }

    private static void element(
            ArrayNode array, int i, List<String> path, int index, boolean last, String at, Set<String> done) {
        String here = at + "/" + i;
        if (last) {
            array.set(i, MASK_NODE);
            done.add(here);
        } else {
            redact(array.get(i), path, index + 1, here, done);
        }
    }

    /** The token as an RFC 6901 array index, or -1 when it is not one (no sign, no leading zero). */
    private static int arrayIndex(String token) {
        if (token.isEmpty() || token.length() > 9 || (token.length() > 1 && token.charAt(0) == '0')) {
            return -1;
        }
        for (int i = 0; i < token.length(); i++) {
            if (token.charAt(i) < '0' || token.charAt(i) > '9') {
                return -1;
            }
        }
        return Integer.parseInt(token);
    }

    /**
     * A redacted copy of a body.
     *
     * @param body the copy, with every redacted value replaced by {@link #MASK}
     * @param paths the concrete JSON Pointers of the replaced values, in the order they were replaced
     */
    public record Redacted(JsonNode body, List<String> paths) {}
}
