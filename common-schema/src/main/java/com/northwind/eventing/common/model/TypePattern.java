package com.northwind.eventing.common.model;

/**
 * A pattern over event type names, with {@code *} standing for any value of one part: {@code Claim.*.*},
 * {@code *.Submitted.*}, {@code Claim.Submitted.Reconsideration}.
 */
public record TypePattern(String noun, String verb, String object) {
    public static final String ANY = "*";

    public TypePattern {
        checkPart("noun", noun);
        checkPart("verb", verb);
        checkPart("object", object);
    }

    // Grants are parsed on every publish; the set of distinct patterns is small, so parsed ones are kept.
    private static final java.util.Map<String, TypePattern> PARSED = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_PARSED = 10_000;

    public static TypePattern parse(String pattern) {
        TypePattern known = pattern == null ? null : PARSED.get(pattern);
        if (known != null) {
            return known;
        }
        TypePattern parsed = parseUncached(pattern);
        if (PARSED.size() < MAX_PARSED) {
            PARSED.put(pattern, parsed);
        }
        return parsed;
    }

    private static TypePattern parseUncached(String pattern) {
        if (pattern == null || pattern.isEmpty()) {
            throw new ValidationException("", "a type pattern is required, as Noun.Verb.Object with * for any part");
        }
        String[] parts = pattern.split("\\.", -1);
        if (parts.length != 3) {
            throw new ValidationException(
                    "",
                    "type pattern '" + pattern
                            + "' must have exactly three parts, as Noun.Verb.Object with * for any part");
        }
        try {
            return new TypePattern(parts[0], parts[1], parts[2]);
        } catch (ValidationException e) {
            throw new ValidationException(
                    "",
                    "type pattern '" + pattern + "': " + e.violations().get(0).detail());
        }
    }

    private static void checkPart(String role, String value) {
        if (!ANY.equals(value)) {
            EventTypeName.checkPart(role, value);
        }
    }

    public boolean matches(EventTypeName name) {
        return part(noun, name.noun()) && part(verb, name.verb()) && part(object, name.object());
    }

    private static boolean part(String pattern, String value) {
        return ANY.equals(pattern) || pattern.equals(value);
    }

    @Override
    public String toString() {
        return noun + "." + verb + "." + object;
    }
}
