package com.northwind.eventing.common.model;

import java.util.regex.Pattern;

/**
 * A Noun-Verb-Object event type name such as {@code Claim.Submitted.Reconsideration}.
 *
 * <p>Each part starts with an upper-case letter and goes on with letters, digits and hyphens.
 */
public record EventTypeName(String noun, String verb, String object) {
    /** One part of a name: what a noun, a verb or an object may be. */
    public static final Pattern PART = Pattern.compile("[A-Z][A-Za-z0-9-]*");

    private static final int MAX_PART_LENGTH = 64;

    public EventTypeName {
        Violations v = new Violations();
        v.check("", () -> checkPart("noun", noun));
        v.check("", () -> checkPart("verb", verb));
        v.check("", () -> checkPart("object", object));
        v.throwIfAny();
    }

    /** Parses {@code Noun.Verb.Object}. */
    public static EventTypeName parse(String name) {
        if (name == null || name.isEmpty()) {
            throw new ValidationException("", "an event type name is required, as Noun.Verb.Object");
        }
        String[] parts = name.split("\\.", -1);
        if (parts.length != 3) {
            throw new ValidationException(
                    "", "event type '" + name + "' must have exactly three parts, as Noun.Verb.Object");
        }
        return new EventTypeName(parts[0], parts[1], parts[2]);
    }

    static void checkPart(String role, String value) {
        if (value == null || value.isEmpty()) {
            throw new ValidationException("/" + role, role + " is required");
        }
        if (value.length() > MAX_PART_LENGTH) {
            throw new ValidationException("/" + role, role + " is longer than " + MAX_PART_LENGTH + " characters");
        }
        if (!isPart(value)) {
            throw new ValidationException(
                    "/" + role,
                    role + " '" + value
                            + "' must start with an upper-case letter and contain only letters, digits and hyphens");
        }
    }

    /**
     * Whether the value is a valid part, as {@link #PART} says; checked by hand, since every event on the intake and
     * the router names its type.
     */
    public static boolean isPart(String value) {
        if (value.isEmpty() || value.charAt(0) < 'A' || value.charAt(0) > 'Z') {
            return false;
        }
        for (int i = 1; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
                return false;
            }
        }
        return true;
    }

    public boolean is(String noun, String verb, String object) {
        return this.noun.equals(noun) && this.verb.equals(verb) && this.object.equals(object);
    }

    @Override
    public String toString() {
        return noun + "." + verb + "." + object;
    }
}
