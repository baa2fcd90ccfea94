package com.northwind.eventing.router.aggregation;

import com.northwind.eventing.common.model.Aggregation;
import com.northwind.eventing.common.model.AggregationInput;
import com.northwind.eventing.common.model.RegistryTopics;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * An aggregation rule as the aggregator runs it: the rule, the fingerprint of its definition, and for each type it
 * reads the role the type plays. State kept for a rule carries the fingerprint it was made under, so that a changed
 * definition starts over instead of finishing what the old one began.
 */
record Rule(Aggregation aggregation, String fingerprint, List<Role> roles) {
    /** What the events of one type are to a rule: which input (combine), start or expected (absence), start or end. */
    record Role(int index, String eventType, String key, List<String> fields) {
        Role(int index, AggregationInput input) {
            this(index, input.eventType(), input.key(), input.fields());
        }

        /** Whether the key is the name of a metadata field rather than a pointer into the body. */
        boolean keyIsMetadata() {
            return key != null && !key.startsWith("/");
        }
    }

    /** Absence: the starting event. Sla: the counted (or starting) event. */
    static final int START = 0;
    /** Absence: the expected event. */
    static final int EXPECTED = 1;
    /** Sla: the end of a start. */
    static final int END = 1;

    static Rule of(Aggregation a) {
        List<Role> roles = new ArrayList<>();
        switch (a.type()) {
            case COMBINE -> {
                for (int i = 0; i < a.inputs().size(); i++) {
                    roles.add(new Role(i, a.inputs().get(i)));
                }
            }
            case ABSENCE -> {
                roles.add(new Role(START, a.start()));
                roles.add(new Role(EXPECTED, a.expected()));
            }
            case SLA -> {
                // Without an end the counted events need no key: they all go to the rule's one key.
                roles.add(new Role(START, a.eventType(), a.end() == null ? null : a.key(), List.of()));
                if (a.end() != null) {
                    roles.add(new Role(END, a.end()));
                }
            }
        }
        return new Rule(a, fingerprint(a), List.copyOf(roles));
    }

    String id() {
        return aggregation.id();
    }

    Aggregation.Kind kind() {
        return aggregation.type();
    }

    /** The role of an event type, or null when the rule does not read it. */
    Role role(String eventType) {
        for (Role r : roles) {
            if (r.eventType().equals(eventType)) {
                return r;
            }
        }
        return null;
    }

    /**
     * The definition's digest: the rule without its description and creation time, which change nothing it does. 16
     * hex digits are plenty to tell one rule's versions apart.
     */
    static String fingerprint(Aggregation a) {
        Aggregation definition = new Aggregation(
                a.id(),
                a.kind(),
                null,
                a.inputs(),
                a.window(),
                a.ordered(),
                a.start(),
                a.expected(),
                a.deadline(),
                a.eventType(),
                a.key(),
                a.tagPrefix(),
                a.hop(),
                a.end(),
                a.timeout(),
                a.threshold(),
                a.output(),
                null);
        byte[] json = RegistryTopics.JSON.writeValueAsBytes(definition);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json);
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
