package com.northwind.eventing.admin.aggregation;

import com.northwind.eventing.common.jsonschema.JsonSchemas;
import com.northwind.eventing.common.model.Aggregation;
import com.northwind.eventing.common.model.EventType;
import com.northwind.eventing.common.model.JsonPointers;
import com.northwind.eventing.common.model.ValidationException;
import com.northwind.eventing.common.model.Violation;
import com.northwind.eventing.common.model.Violations;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.everit.json.schema.Schema;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a rule that passed the model's own checks must also hold against the registry: its types registered, its keys
 * in its inputs' examples, its output's schema holding what it makes, no sensitive field laundered, no loop through
 * other rules. Every event type is taken at its latest version, as it is when the rule is recorded.
 */
final class RuleChecks {
    /** How many of the schema's errors a refusal lists: the first ones say enough to fix the rule. */
    static final int SCHEMA_ERRORS = 5;

    private RuleChecks() {}

    /**
     * Throws a {@link ValidationException} listing everything wrong.
     *
     * @param types every registered event type, by name
     * @param rules every recorded rule
     */
    static void check(Aggregation rule, Map<String, EventType> types, Collection<Aggregation> rules) {
        Violations v = new Violations();
        List<RuleRead> reads = RuleRead.of(rule);
        if (rule.type() == Aggregation.Kind.SLA
                && rule.threshold() != null
                && rule.threshold().percentile() != null
                && rule.end() == null) {
            v.add("/threshold/percentile", "a percentile threshold measures durations from start to end: it needs end");
        }
        List<EventType> inputs = new ArrayList<>();
        for (RuleRead read : reads) {
            EventType type = types.get(read.eventType());
            if (type == null) {
                v.add(read.typePointer(), "event type " + read.eventType() + " is not registered");
            }
            inputs.add(type);
        }
        EventType output = registered(v, "/output", rule.output(), types);
        EventType breach = rule.threshold() == null
                ? null
                : registered(v, "/threshold/output", rule.threshold().output(), types);
        boolean allRegistered =
                !inputs.contains(null) && output != null && (rule.threshold() == null || breach != null);
        if (allRegistered) {
            Map<String, JsonNode> examples = examples(v, rule, reads, inputs);
            if (examples != null) {
                ObjectNode made = OutputSamples.output(rule, reads, examples);
                matchesSchema(v, "/output", rule.output(), output, made);
                if (breach != null) {
                    matchesSchema(
                            v,
                            "/threshold/output",
                            rule.threshold().output(),
                            breach,
                            OutputSamples.breach(rule, made));
                }
            }
            Leaks.check(v, rule.output(), output, reads, inputs);
        }
        Cycles.Loop loop = Cycles.find(rule, rules);
        if (loop != null) {
            boolean isBreach = rule.threshold() != null
                    && loop.output().equals(rule.threshold().output())
                    && !loop.output().equals(rule.output());
            v.add(
                    isBreach ? "/threshold/output" : "/output",
                    "output " + loop.output() + " comes back as input " + loop.input() + " through rule"
                            + (loop.through().size() == 1 ? " " : "s ") + String.join(", ", loop.through())
                            + "; a rule may not read what it makes, directly or through other rules");
        }
        v.throwIfAny();
    }

    private static EventType registered(Violations v, String pointer, String name, Map<String, EventType> types) {
        EventType type = types.get(name);
        if (type == null) {
            v.add(pointer, "event type " + name + " is not registered");
        }
        return type;
    }

    /**
     * Each read type's example, checked: there when the rule needs it, the key a string or number in it, no kept field
     * through an array in it (a kept field keeps its place, and an object member's place is its pointer). Null when
     * something is wrong, which {@code v} then holds.
     */
    private static Map<String, JsonNode> examples(
            Violations v, Aggregation rule, List<RuleRead> reads, List<EventType> inputs) {
        Map<String, JsonNode> examples = new HashMap<>();
        boolean complete = true;
        for (int r = 0; r < reads.size(); r++) {
            RuleRead read = reads.get(r);
            JsonNode example = inputs.get(r).example();
            if (!read.needsExample()) {
                continue;
            }
            if (example == null || example.isNull() || example.isMissingNode()) {
                v.add(
                        read.typePointer(),
                        "event type " + read.eventType() + " has no example, and this rule needs one to check "
                                + (read.copiedTo() == null ? "its key" : "what output " + rule.output() + " holds")
                                + "; register one with PUT /v1/event-types/" + read.eventType());
                complete = false;
                continue;
            }
            if (read.keyIsBodyPointer()) {
                JsonNode key = example.at(read.key());
                if (key.isMissingNode()) {
                    v.add(
                            read.keyPointer(),
                            "key " + read.key() + " is not in the example of event type " + read.eventType()
                                    + "; name a member its events hold");
                    complete = false;
                } else if (!key.isString() && !key.isNumber()) {
                    v.add(
                            read.keyPointer(),
                            "key " + read.key() + " is " + article(key) + " in the example of event type "
                                    + read.eventType() + "; a key is a string or a number");
                    complete = false;
                }
            }
            for (int f = 0; f < read.fields().size(); f++) {
                String array = arrayOnTheWay(example, read.fields().get(f));
                if (array != null) {
                    v.add(
                            read.fieldPointer(f),
                            "field " + read.fields().get(f) + " goes through the array " + array
                                    + " in the example of event type " + read.eventType() + "; keep " + array
                                    + " whole instead");
                    complete = false;
                }
            }
            examples.put(read.eventType(), example);
        }
        return complete ? examples : null;
    }

    /** The pointer of the first array the field's path goes into in the body, or null when it goes into none. */
    private static String arrayOnTheWay(JsonNode body, String field) {
        List<String> tokens = JsonPointers.parse(field);
        JsonNode node = body;
        for (int k = 0; k < tokens.size() - 1 && node != null; k++) {
            node = node.isObject() ? node.get(tokens.get(k)) : null;
            if (node != null && node.isArray()) {
                return JsonPointers.join(tokens.subList(0, k + 1));
            }
        }
        return null;
    }

    private static String article(JsonNode node) {
        if (node.isObject()) {
            return "an object";
        }
        if (node.isArray()) {
            return "an array";
        }
        return node.isBoolean() ? "a boolean" : "null";
    }

    private static void matchesSchema(Violations v, String pointer, String name, EventType type, ObjectNode made) {
        Schema schema = JsonSchemas.compile(type.latest().schema());
        List<Violation> found = JsonSchemas.check(schema, made).list();
        for (Violation f : found.subList(0, Math.min(found.size(), SCHEMA_ERRORS))) {
            v.add(
                    pointer,
                    "what this rule makes does not match the schema of event type " + name + " (version "
                            + type.latest().version() + ") at " + (f.pointer().isEmpty() ? "its root" : f.pointer())
                            + ": " + f.detail());
        }
    }
}
