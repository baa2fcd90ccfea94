package com.northwind.eventing.common.filter;

import com.northwind.eventing.common.model.JsonPointers;
import com.northwind.eventing.common.model.ValidationException;
import com.northwind.eventing.common.model.Violations;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A content filter on body fields, in the style of Amazon EventBridge patterns.
 *
 * <pre>{@code
 * {"/status": ["APPROVED", {"prefix": "DEN"}],
 *  "/amount": [{"numeric": [">", 100, "<=", 5000]}],
 *  "/member/id": [{"exists": true}],
 *  "/state": [{"anything-but": ["TX"]}]}
 * }</pre>
 *
 * <p>Keys are JSON Pointers into the body; the conditions of one field are OR-ed and the fields are AND-ed. A
 * condition is an exact value (string, number, boolean or null), or an object with exactly one of {@code prefix},
 * {@code suffix}, {@code anything-but} (a value or a list of values), {@code numeric} (one or two comparisons) or
 * {@code exists}. When the field holds an array, a condition holds if it holds for any element. Compile once with
 * {@link #parse}, then {@link #matches} per event.
 */
public final class ContentFilter {
    /** The filter that lets everything through. */
    public static final ContentFilter ALL = new ContentFilter(List.of());

    private static final int MAX_FIELDS = 32;
    private static final int MAX_CONDITIONS = 100;

    private final List<Field> fields;

    private ContentFilter(List<Field> fields) {
        this.fields = fields;
    }

    /**
     * Compiles a filter document.
     *
     * @param filter the filter, or null for {@link #ALL}
     * @throws ValidationException listing every problem, located by JSON Pointer within the filter
     */
    public static ContentFilter parse(JsonNode filter) {
        if (filter == null || filter.isNull() || filter.isMissingNode()) {
            return ALL;
        }
        Violations v = new Violations();
        if (!filter.isObject()) {
            throw new ValidationException(
                    "", "a filter is an object whose keys are JSON Pointers into the body and whose values are lists");
        }
        if (filter.size() > MAX_FIELDS) {
            throw new ValidationException("", "a filter has at most " + MAX_FIELDS + " fields");
        }
        List<Field> fields = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : filter.properties()) {
            String key = e.getKey();
            String at = "/" + JsonPointers.escape(key);
            List<String> tokens;
            try {
                tokens = JsonPointers.parse(key);
            } catch (ValidationException ex) {
                v.add(at, "filter field " + ex.violations().get(0).detail());
                continue;
            }
            if (tokens.contains(JsonPointers.ANY_ELEMENT)) {
                v.add(at, "filter fields name one field; '*' is not allowed here");
                continue;
            }
            JsonNode list = e.getValue();
            if (!list.isArray() || list.isEmpty()) {
                v.add(
                        at,
                        "the conditions of a field are a non-empty list, such as [\"APPROVED\", {\"prefix\": \"DEN\"}]");
                continue;
            }
            if (list.size() > MAX_CONDITIONS) {
                v.add(at, "a field has at most " + MAX_CONDITIONS + " conditions");
                continue;
            }
            List<Condition> conditions = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                try {
                    conditions.add(condition(list.get(i)));
                } catch (ValidationException ex) {
                    v.addAll(at + "/" + i, ex.violations());
                }
            }
            fields.add(new Field(key, conditions));
        }
        v.throwIfAny();
        return new ContentFilter(List.copyOf(fields));
    }

    /** Whether the filter lets every body through, so a body need not be parsed for it. */
    public boolean isEmpty() {
        return fields.isEmpty();
    }

    /** The JSON Pointers of the body fields the filter reads, as written in the filter. */
    public List<String> fields() {
        return fields.stream().map(Field::pointer).toList();
    }

    /** Whether the body satisfies every field of the filter. */
    public boolean matches(JsonNode body) {
        for (Field f : fields) {
            if (!f.matches(body.at(f.pointer()))) {
                return false;
            }
        }
        return true;
    }

    private static Condition condition(JsonNode c) {
        if (c.isValueNode()) {
            return exact(c);
        }
        if (!c.isObject() || c.size() != 1) {
            throw new ValidationException(
                    "",
                    "a condition is a value or an object with exactly one of prefix, suffix, anything-but, numeric, exists");
        }
        Map.Entry<String, JsonNode> op = c.properties().iterator().next();
        String name = op.getKey();
        JsonNode arg = op.getValue();
        String at = "/" + JsonPointers.escape(name);
        return switch (name) {
            case "prefix" -> {
                String p = nonEmptyString(arg, at, "prefix");
                yield value -> value.isString() && value.stringValue().startsWith(p);
            }
            case "suffix" -> {
                String s = nonEmptyString(arg, at, "suffix");
                yield value -> value.isString() && value.stringValue().endsWith(s);
            }
            case "exists" -> {
                if (!arg.isBoolean()) {
                    throw new ValidationException(at, "exists takes true or false");
                }
                boolean wanted = arg.booleanValue();
                yield new Condition() {
                    @Override
                    public boolean test(JsonNode value) {
                        return wanted;
                    }

                    @Override
                    public boolean testMissing() {
                        return !wanted;
                    }
                };
            }
            case "anything-but" -> anythingBut(arg, at);
            case "numeric" -> numeric(arg, at);
            default ->
                throw new ValidationException(
                        at, "unknown condition '" + name + "'; use prefix, suffix, anything-but, numeric or exists");
        };
    }

    private static String nonEmptyString(JsonNode arg, String at, String op) {
        if (!arg.isString() || arg.stringValue().isEmpty()) {
            throw new ValidationException(at, op + " takes a non-empty string");
        }
        return arg.stringValue();
    }

    private static Condition exact(JsonNode expected) {
        if (expected.isNumber()) {
            BigDecimal n = decimal(expected);
            if (n == null) {
                throw new ValidationException("", "numbers in filters must be finite");
            }
            return value -> {
                BigDecimal d = decimal(value);
                return d != null && d.compareTo(n) == 0;
            };
        }
        return expected::equals;
    }

    /** The value as a decimal, or null when it is not a number or not a finite one (1e400 parses as infinity). */
    private static BigDecimal decimal(JsonNode value) {
        if (!value.isNumber()) {
            return null;
        }
        if ((value.isDouble() || value.isFloat()) && !Double.isFinite(value.doubleValue())) {
            return null;
        }
        return value.decimalValue();
    }

    private static Condition anythingBut(JsonNode arg, String at) {
        List<Condition> excluded = new ArrayList<>();
        if (arg.isValueNode()) {
            excluded.add(exact(arg));
        } else if (arg.isArray() && !arg.isEmpty()) {
            for (int i = 0; i < arg.size(); i++) {
                if (!arg.get(i).isValueNode()) {
                    throw new ValidationException(at + "/" + i, "anything-but lists plain values");
                }
                excluded.add(exact(arg.get(i)));
            }
        } else {
            throw new ValidationException(at, "anything-but takes a value or a non-empty list of values");
        }
        return value -> excluded.stream().noneMatch(c -> c.test(value));
    }

    private static Condition numeric(JsonNode arg, String at) {
        if (!arg.isArray() || (arg.size() != 2 && arg.size() != 4)) {
            throw new ValidationException(
                    at, "numeric takes one or two comparisons, such as [\">\", 100] or [\">\", 100, \"<=\", 5000]");
        }
        List<Condition> all = new ArrayList<>();
        for (int i = 0; i < arg.size(); i += 2) {
            JsonNode op = arg.get(i);
            JsonNode bound = arg.get(i + 1);
            BigDecimal b = decimal(bound);
            if (b == null) {
                throw new ValidationException(at + "/" + (i + 1), "numeric bounds are finite numbers");
            }
            String o = op.isString() ? op.stringValue() : "";
            Condition c = switch (o) {
                case "=" -> value -> compare(value, b) == 0;
                case "<" -> value -> compare(value, b) < 0;
                case "<=" -> value -> compare(value, b) <= 0;
                case ">" -> value -> compare(value, b) > 0;
                case ">=" -> value -> compare(value, b) >= 0;
                default -> throw new ValidationException(at + "/" + i, "numeric operators are =, <, <=, > and >=");
            };
            all.add(c);
        }
        return value -> decimal(value) != null && all.stream().allMatch(c -> c.test(value));
    }

    // Only called once decimal(value) is known to be non-null.
    private static int compare(JsonNode value, BigDecimal bound) {
        return decimal(value).compareTo(bound);
    }

    private interface Condition {
        /** Whether a present value satisfies the condition. */
        boolean test(JsonNode value);

        /** Whether a missing field satisfies the condition: only {@code exists: false} says yes. */
        default boolean testMissing() {
            return false;
        }
    }

    private record Field(String pointer, List<Condition> conditions) {
        boolean matches(JsonNode value) {
            if (value.isMissingNode()) {
                return conditions.stream().anyMatch(Condition::testMissing);
            }
            for (Condition c : conditions) {
                if (value.isArray()) {
                    for (JsonNode element : value) {
                        if (c.test(element)) {
                            return true;
                        }
                    }
                } else if (c.test(value)) {
                    return true;
                }
            }
            return false;
        }
    }
}
