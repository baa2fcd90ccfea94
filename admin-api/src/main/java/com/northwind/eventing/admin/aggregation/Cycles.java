package com.northwind.eventing.admin.aggregation;

import com.northwind.eventing.common.model.Aggregation;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds a rule whose output comes back to one of its own inputs through other rules' outputs: such rules would feed
 * each other events without end.
 */
final class Cycles {
    private Cycles() {}

    /**
     * The way one of the rule's outputs reaches one of its inputs through the other rules, or null when none does.
     *
     * @param others the rules recorded; one with the rule's own id is the version the rule replaces, and is left out
     */
    static Loop find(Aggregation rule, Collection<Aggregation> others) {
        List<String> inputs = rule.inputTypes();
        List<Aggregation> rest =
                others.stream().filter(o -> !o.id().equals(rule.id())).toList();
        for (String output : rule.outputTypes()) {
            Deque<Step> queue = new ArrayDeque<>();
            Set<String> seen = new HashSet<>();
            queue.add(new Step(output, List.of()));
            seen.add(output);
            while (!queue.isEmpty()) {
                Step step = queue.poll();
                for (Aggregation other : rest) {
                    if (!other.inputTypes().contains(step.type())) {
                        continue;
                    }
                    List<String> through = new ArrayList<>(step.through());
                    through.add(other.id());
                    for (String next : other.outputTypes()) {
                        if (inputs.contains(next)) {
                            return new Loop(output, next, List.copyOf(through));
                        }
                        if (seen.add(next)) {
                            queue.add(new Step(next, through));
                        }
                    }
                }
            }
        }
        return null;
    }

    /**
     * An output that comes back as an input.
     *
     * @param through the ids of the rules on the way, in order
     */
    record Loop(String output, String input, List<String> through) {}

    private record Step(String type, List<String> through) {}
}
