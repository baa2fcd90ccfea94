package com.northwind.eventing.admin.aggregation;

import com.northwind.eventing.common.model.Aggregation;
import com.northwind.eventing.common.model.AggregationInput;
import com.northwind.eventing.common.model.JsonPointers;
import java.util.ArrayList;
import java.util.List;

/**
 * One event type a rule reads, where the rule names it, and what of its events reaches the output: the body (or its
 * kept fields) under {@link #copiedTo}, the key's value as the output's {@code /key}, or neither.
 *
 * @param at the member of the rule that describes this read ({@code /inputs/1}, {@code /start}, {@code /end}); {@code
 *     ""} for an sla's own {@code eventType}
 * @param typePointer where the rule names the type
 * @param keyPointer where the rule names the key; null when this read has none (an sla without end)
 * @param key a body pointer or a metadata field's name; null when none
 * @param fields the kept fields, empty for the whole body
 * @param copiedTo where the output holds this read's body ({@code /events/<type>}, {@code /start}); null when the output
 *     holds none of it
 * @param keyInOutput whether the key's value is the output's {@code /key}
 */
record RuleRead(
        String at,
        String typePointer,
        String keyPointer,
        String eventType,
        String key,
        List<String> fields,
        String copiedTo,
        boolean keyInOutput) {

    /** The output's member that holds the correlation key's value. */
    static final String OUTPUT_KEY = "/key";

    boolean keyIsBodyPointer() {
        return key != null && key.startsWith("/");
    }

    /** Whether this read's example body is needed: to build the output from it, or to find its key in it. */
    boolean needsExample() {
        return copiedTo != null || keyIsBodyPointer();
    }

    String fieldPointer(int index) {
        return at + "/fields/" + index;
    }

    /** Every read of a rule that passed the model's own checks, in the order the rule names them. */
    static List<RuleRead> of(Aggregation rule) {
        List<RuleRead> reads = new ArrayList<>();
        switch (rule.type()) {
            case COMBINE -> {
                for (int i = 0; i < rule.inputs().size(); i++) {
                    AggregationInput in = rule.inputs().get(i);
                    String at = "/inputs/" + i;
                    reads.add(input(at, in, "/events/" + JsonPointers.escape(in.eventType()), true));
                }
            }
            case ABSENCE -> {
                reads.add(input("/start", rule.start(), "/start", true));
                reads.add(input("/expected", rule.expected(), null, true));
            }
            case SLA -> {
                reads.add(new RuleRead(
                        "",
                        "/eventType",
                        rule.key() == null ? null : "/key",
                        rule.eventType(),
                        rule.key(),
                        List.of(),
                        null,
                        false));
                if (rule.end() != null) {
                    reads.add(input("/end", rule.end(), null, false));
                }
            }
        }
        return reads;
    }

    private static RuleRead input(String at, AggregationInput in, String copiedTo, boolean keyInOutput) {
        return new RuleRead(
                at, at + "/eventType", at + "/key", in.eventType(), in.key(), in.fields(), copiedTo, keyInOutput);
    }
}
