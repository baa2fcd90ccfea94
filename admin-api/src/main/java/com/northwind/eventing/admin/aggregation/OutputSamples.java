package com.northwind.eventing.admin.aggregation;

import com.northwind.eventing.common.model.Aggregation;
import com.northwind.eventing.common.model.JsonPointers;
import com.northwind.eventing.common.model.RegistryTopics;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The bodies a rule would write, made from its inputs' registered examples, so that the output type's schema can be
 * held against them before the rule exists (the shapes are {@link Aggregation}'s).
 */
final class OutputSamples {
    /** The instant the samples' deadlines and windows start at: any instant does, the schema sees only its form. */
    static final Instant SAMPLE_TIME = Instant.parse("2026-01-01T00:00:00Z");

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private OutputSamples() {}

    /**
     * The body of the rule's output event.
     *
     * @param examples each read type's example body, for every read that {@linkplain RuleRead#needsExample() needs one}
     */
    static ObjectNode output(Aggregation rule, List<RuleRead> reads, Map<String, JsonNode> examples) {
        ObjectNode body = NODES.objectNode();
        switch (rule.type()) {
            case COMBINE -> {
                body.put("key", keyValue(reads.get(0), examples));
                ObjectNode events = body.putObject("events");
                for (RuleRead read : reads) {
                    events.set(read.eventType(), kept(examples.get(read.eventType()), read.fields()));
                }
            }
            case ABSENCE -> {
                RuleRead start = reads.get(0);
                body.put("key", keyValue(start, examples));
                body.put("deadline", SAMPLE_TIME.toString());
                body.set("start", kept(examples.get(start.eventType()), start.fields()));
            }
            case SLA -> {
                body.put("windowStart", SAMPLE_TIME.toString());
                body.put("windowEnd", SAMPLE_TIME.plus(rule.windowLength()).toString());
                if (rule.tagPrefix() == null) {
                    body.putNull("tag");
                } else {
                    body.put("tag", rule.tagPrefix());
                }
                body.put("count", 0);
                if (rule.end() != null) {
                    ObjectNode durations = body.putObject("durations");
                    durations.put("p50", 0);
                    durations.put("p95", 0);
                    durations.put("p99", 0);
                }
            }
        }
        return body;
    }

    /** The body of an sla rule's breach event: its window's body and the threshold that was crossed. */
    static ObjectNode breach(Aggregation rule, ObjectNode window) {
        ObjectNode body = window.deepCopy();
        ObjectNode threshold = RegistryTopics.JSON.valueToTree(rule.threshold());
        List<String> unset = threshold.properties().stream()
                .filter(member -> member.getValue().isNull())
                .map(Map.Entry::getKey)
                .toList();
        threshold.remove(unset);
        body.set("threshold", threshold);
        return body;
    }

    /** The key's value as the output writes it: the body's string or number as a string, a metadata field as such. */
    private static String keyValue(RuleRead read, Map<String, JsonNode> examples) {
        if (!read.keyIsBodyPointer()) {
            return read.key();
        }
        JsonNode value = examples.get(read.eventType()).at(read.key());
        return value.isString() ? value.stringValue() : value.asString();
    }

    /** The body, or only its kept fields at the same pointers; a field the body does not have is left out. */
    private static JsonNode kept(JsonNode body, List<String> fields) {
        if (fields.isEmpty()) {
            return body.deepCopy();
        }
        ObjectNode kept = NODES.objectNode();
        for (String field : fields) {
            JsonNode value = body.at(field);
            if (value.isMissingNode()) {
                continue;
            }
            List<String> tokens = JsonPointers.parse(field);
            ObjectNode parent = kept;
            for (String token : tokens.subList(0, tokens.size() - 1)) {
                JsonNode child = parent.get(token);
                parent = child instanceof ObjectNode o ? o : parent.putObject(token);
            }
            parent.set(tokens.get(tokens.size() - 1), value.deepCopy());
        }
        return kept;
    }
}
