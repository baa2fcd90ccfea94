package com.northwind.eventing.common.model;

import java.util.Collection;
import java.util.List;

/**
 * Selects events by their tags: every {@code allOf} tag present, at least one {@code anyOf} tag present (when any are
 * given), and no {@code noneOf} tag present.
 */
public record TagFilter(List<String> allOf, List<String> anyOf, List<String> noneOf) {
    public static final int MAX_TAG_LENGTH = 128;
    public static final TagFilter NONE = new TagFilter(List.of(), List.of(), List.of());

    public TagFilter {
        allOf = Violations.copyOf(allOf);
        anyOf = Violations.copyOf(anyOf);
        noneOf = Violations.copyOf(noneOf);
        Violations v = new Violations();
        checkTags(v, "/allOf", allOf);
        checkTags(v, "/anyOf", anyOf);
        checkTags(v, "/noneOf", noneOf);
        v.throwIfAny();
    }

    private static void checkTags(Violations v, String pointer, List<String> tags) {
        for (int i = 0; i < tags.size(); i++) {
            String t = tags.get(i);
            if (t == null || t.isEmpty()) {
                v.add(pointer + "/" + i, "a tag must not be empty");
            } else if (t.length() > MAX_TAG_LENGTH) {
                v.add(pointer + "/" + i, "a tag is at most " + MAX_TAG_LENGTH + " characters");
            }
        }
    }

    public boolean matches(Collection<String> tags) {
        // Loops, not streams: the router asks this of every subscription for every event.
        for (String t : allOf) {
            if (!tags.contains(t)) {
                return false;
            }
        }
        for (String t : noneOf) {
            if (tags.contains(t)) {
                return false;
            }
        }
        if (anyOf.isEmpty()) {
            return true;
        }
        for (String t : anyOf) {
            if (tags.contains(t)) {
                return true;
            }
        }
        return false;
    }
}
