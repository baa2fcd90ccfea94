package com.northwind.eventing.common.model;

import java.util.ArrayList;
import java.util.List;

/** Collects violations while a request is checked, so the user hears of all of them at once. */
public final class Violations {
    private final List<Violation> found = new ArrayList<>();

    public Violations add(String pointer, String detail) {
        found.add(new Violation(pointer, detail));
        return this;
    }

    public Violations addAll(String prefix, List<Violation> nested) {
        for (Violation v : nested) {
            found.add(new Violation(prefix + v.pointer(), v.detail()));
        }
        return this;
    }

    /** Runs {@code check}, turning a {@link ValidationException} into violations under {@code prefix}. */
    public Violations check(String prefix, Runnable check) {
        try {
            check.run();
        } catch (ValidationException e) {
            addAll(prefix, e.violations());
        }
        return this;
    }

    /**
     * An unmodifiable copy of a list from a request that may hold null elements, so that validation can report them
     * by position rather than fail on the copy.
     */
    public static <T> List<T> copyOf(List<T> list) {
        return java.util.Collections.unmodifiableList(list == null ? new ArrayList<>() : new ArrayList<>(list));
    }

    public boolean isEmpty() {
        return found.isEmpty();
    }

    public List<Violation> list() {
        return List.copyOf(found);
    }

    /** Throws when anything was found. */
    public void throwIfAny() {
        if (!found.isEmpty()) {
            throw new ValidationException(found);
        }
    }
}
