package com.northwind.eventing.common.redaction;

import com.northwind.eventing.common.json.JsonText;
import com.northwind.eventing.common.model.EventType;
import com.northwind.eventing.common.model.EventTypeVersion;
import com.northwind.eventing.common.model.JsonPointers;
import com.northwind.eventing.common.model.ReadGrant;
import com.northwind.eventing.common.model.SensitiveField;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
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
 *
 * <p>A plan applies to a tree ({@link #apply(JsonNode)}) or, without building one, to the body's text
 * ({@link #apply(String)}); both redact the same values and report the same paths in the same order. The one
 * exception is a text that repeats a member name, which the intake refuses: a tree keeps only the last of the
 * repeated members, while the text walk redacts every one of them, and reports the paths of all.
 */
public final class RedactionPlan {
    /** What a redacted value becomes. */
    public static final String MASK = "***REDACTED***";

    /** The plan that redacts nothing. */
    public static final RedactionPlan NONE = new RedactionPlan(List.of(), List.of());

    private static final StringNode MASK_NODE = StringNode.valueOf(MASK);
    private static final String MASK_TEXT = "\"" + MASK + "\"";
    private static final int[] NO_PATHS = new int[0];

    private final List<SensitiveField> redacted;
    // One field per distinct path, the first declared with it, and that path's tokens.
    private final List<SensitiveField> declared;
    private final List<List<String>> paths;
    // The paths again, for the text walk: token k of path i, the token as an array index (-1 when it is not one),
    // and whether it is the * token.
    private final String[][] tokens;
    private final int[][] indices;
    private final boolean[][] any;
    private final int[] all;

    private RedactionPlan(List<SensitiveField> redacted, List<SensitiveField> declared) {
        this.redacted = redacted;
        this.declared = declared;
        this.paths = declared.stream().map(f -> JsonPointers.parse(f.path())).toList();
        int n = paths.size();
        this.tokens = new String[n][];
        this.indices = new int[n][];
        this.any = new boolean[n][];
        this.all = new int[n];
        for (int i = 0; i < n; i++) {
            List<String> path = paths.get(i);
            tokens[i] = path.toArray(String[]::new);
            indices[i] = new int[path.size()];
            any[i] = new boolean[path.size()];
            for (int k = 0; k < path.size(); k++) {
                indices[i][k] = arrayIndex(path.get(k));
                any[i][k] = JsonPointers.ANY_ELEMENT.equals(path.get(k));
            }
            all[i] = i;
        }
    }

    /**
     * Compiles the plan for an app reading events of a type stamped with a version: the sensitive fields of that
     * version and of every later one. A field made sensitive in a later version was sensitive all along, so an event
     * of an older version (a backlog, a replay) is redacted of it too; a field that a later version no longer lists
     * stays redacted from events of the versions that did.
     *
     * @param type the event type, with every version the registry knows
     * @param version the event's {@code bodySchemaVersion}; 1 gives the union over all versions
     * @param grants the app's read grants; a field that no grant clears is redacted
     */
    public static RedactionPlan compile(EventType type, int version, List<ReadGrant> grants) {
        Set<SensitiveField> fields = new LinkedHashSet<>();
        for (EventTypeVersion v : type.versions()) {
            if (v.version() >= version) {
                fields.addAll(v.sensitiveFields());
            }
        }
        return compile(List.copyOf(fields), grants);
    }

    /**
     * Compiles the plan for an app with the given read grants.
     *
     * @param fields the sensitive fields; a path declared more than once (under two classifications) is redacted
     *     when a grant fails to clear any of its declarations
     * @param grants the app's read grants; a field that no grant clears is redacted
     */
    public static RedactionPlan compile(List<SensitiveField> fields, List<ReadGrant> grants) {
        List<SensitiveField> redacted = new ArrayList<>();
        List<SensitiveField> declared = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (SensitiveField field : fields) {
            if (grants.stream().noneMatch(g -> g.clears(field))) {
                redacted.add(field);
                if (seen.add(field.path())) {
                    declared.add(field);
                }
            }
        }
        return redacted.isEmpty() ? NONE : new RedactionPlan(List.copyOf(redacted), List.copyOf(declared));
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
     * The redacted field that decides what a content filter on {@code pointer} would read, or null when the plan
     * leaves that reading as it is. That is a field at or above the pointer (its value, or the value holding it,
     * becomes the mask), or the elements of an array at the pointer (a filter tests every element of an array). A
     * field below the pointer otherwise is not: a filter's conditions test strings, numbers, booleans and null, and
     * tell any object or array only by its presence, which redaction keeps.
     *
     * @param pointer a JSON Pointer with no {@code *} token, such as a content filter's field
     */
    public SensitiveField hiding(String pointer) {
        return hiding(JsonPointers.parse(pointer));
    }

    /** {@link #hiding(String)} for a pointer's tokens. */
    public SensitiveField hiding(List<String> pointer) {
        for (int i = 0; i < tokens.length; i++) {
            String[] path = tokens[i];
            if (path.length <= pointer.size() + 1 && reaches(path, pointer)) {
                boolean atOrAbove = path.length <= pointer.size();
                String last = path[path.length - 1];
                if (atOrAbove || any[i][path.length - 1] || arrayIndex(last) >= 0) {
                    return declared.get(i);
                }
            }
        }
        return null;
    }

    /** Whether the path's tokens and the pointer's agree as far as both go, {@code *} standing for any token. */
    private static boolean reaches(String[] path, List<String> pointer) {
        int n = Math.min(path.length, pointer.size());
        for (int k = 0; k < n; k++) {
            if (!JsonPointers.ANY_ELEMENT.equals(path[k]) && !path[k].equals(pointer.get(k))) {
                return false;
            }
        }
        return true;
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

    /**
     * Redacts the body's text without building a tree: the text is read once as tokens, and the copy is the text with
     * each redacted value's characters replaced by {@code "***REDACTED***"}; everything else, numbers and whitespace
     * included, is kept as it was. When nothing is redacted the copy is the text itself. The values redacted and the
     * paths reported, and their order, are those of {@link #apply(JsonNode)} on the parsed text.
     *
     * @throws tools.jackson.core.JacksonException when the text is not exactly one JSON value; then there is no copy
     */
    public RedactedText apply(String body) {
        if (paths.isEmpty()) {
            JsonText.requireOneValue(body);
            return new RedactedText(body, List.of());
        }
        List<Match> matches = new ArrayList<>();
        try (JsonParser p = JsonText.parser(body)) {
            JsonText.requireStart(p);
            new TextWalk(p, matches).node(0, all, all.length, "");
            JsonText.requireEnd(p);
        }
        if (matches.isEmpty()) {
            return new RedactedText(body, List.of());
        }
        if (matches.size() == 1) {
            Match m = matches.get(0);
            String text = body.substring(0, m.start()) + MASK_TEXT + body.substring(m.end());
            return new RedactedText(text, List.of(m.pointer()));
        }
        // The text: outermost matches only (a match inside a redacted value is already gone), in text order.
        matches.sort(Comparator.comparingInt(Match::start));
        StringBuilder out = new StringBuilder(body.length());
        int at = 0;
        for (Match m : matches) {
            if (m.start() >= at) {
                out.append(body, at, m.start()).append(MASK_TEXT);
                at = m.end();
            }
        }
        out.append(body, at, body.length());
        // The paths: as the tree walk replaces them, path by path in declared order, each in document order.
        matches.sort(Comparator.comparingInt(Match::plan).thenComparingInt(Match::order));
        Set<String> done = new LinkedHashSet<>();
        for (Match m : matches) {
            done.add(m.pointer());
        }
        return new RedactedText(out.toString(), List.copyOf(done));
    }

    /** A value a path reaches in the text: the path's index, the value's place in document order and its chars. */
    private record Match(int plan, int order, String pointer, int start, int end) {}

    /**
     * One walk over a body's tokens. At each value it knows which paths reach it (their leading tokens match the
     * value's pointer, ascending by declared index). The first of those that ends there redacts the value; later
     * paths would meet the mask the tree walk had put there and stop, so below it only earlier paths go on. A value no
     * path goes into is skipped as tokens, never looked at.
     */
    private final class TextWalk {
        private final JsonParser p;
        private final List<Match> matches;
        private int order;

        TextWalk(JsonParser p, List<Match> matches) {
            this.p = p;
            this.matches = matches;
        }

        /** The value at the parser's current token, {@code depth} tokens down, reached by {@code reach[0..n)}. */
        void node(int depth, int[] reach, int n, String pointer) {
            int here = order++;
            int ends = -1;
            for (int k = 0; k < n; k++) {
                if (tokens[reach[k]].length == depth) {
                    ends = reach[k];
                    break;
                }
            }
            int start = ends >= 0 ? (int) p.currentTokenLocation().getCharOffset() : -1;
            int limit = ends >= 0 ? ends : Integer.MAX_VALUE;
            int[] deeper = NO_PATHS;
            int m = 0;
            for (int k = 0; k < n && reach[k] < limit; k++) {
                if (tokens[reach[k]].length > depth) {
                    if (deeper == NO_PATHS) {
                        deeper = new int[n];
                    }
                    deeper[m++] = reach[k];
                }
            }
            JsonToken token = p.currentToken();
            if (m == 0 || (token != JsonToken.START_OBJECT && token != JsonToken.START_ARRAY)) {
                p.skipChildren();
                if (ends >= 0 && token == JsonToken.VALUE_STRING) {
                    p.finishToken();
                }
            } else if (token == JsonToken.START_OBJECT) {
                int[] child = new int[m];
                while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    int c = 0;
                    for (int k = 0; k < m; k++) {
                        int i = deeper[k];
                        if (any[i][depth] || tokens[i][depth].equals(name)) {
                            child[c++] = i;
                        }
                    }
                    if (c == 0) {
                        p.skipChildren();
                    } else {
                        node(depth + 1, child.clone(), c, pointer + "/" + JsonPointers.escape(name));
                    }
                }
            } else {
                int[] child = new int[m];
                int element = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    int c = 0;
                    for (int k = 0; k < m; k++) {
                        int i = deeper[k];
                        if (any[i][depth] || indices[i][depth] == element) {
                            child[c++] = i;
                        }
                    }
                    if (c == 0) {
                        p.skipChildren();
                    } else {
                        node(depth + 1, child.clone(), c, pointer + "/" + element);
                    }
                    element++;
                }
            }
            if (ends >= 0) {
                matches.add(new Match(
                        ends, here, pointer, start, (int) p.currentLocation().getCharOffset()));
            }
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

    /**
     * A redacted copy of a body's text.
     *
     * @param body the copy's text, with every redacted value replaced by {@code "***REDACTED***"}
     * @param paths the concrete JSON Pointers of the replaced values, in the order {@link #apply(JsonNode)} gives
     */
    public record RedactedText(String body, List<String> paths) {}
}
