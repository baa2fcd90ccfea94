package com.northwind.eventing.common.model;

import java.util.List;

/** A request or definition that breaks the model's rules; carries every violation found, not just the first. */
public class ValidationException extends RuntimeException {
    private final List<Violation> violations;

    public ValidationException(List<Violation> violations) {
        super(summary(requireSome(violations)));
        this.violations = List.copyOf(violations);
    }

    public ValidationException(String pointer, String detail) {
        this(List.of(new Violation(pointer, detail)));
    }

    public List<Violation> violations() {
        return violations;
    }

    private static List<Violation> requireSome(List<Violation> violations) {
        if (violations.isEmpty()) {
            throw new IllegalArgumentException("a ValidationException needs at least one violation");
        }
        return violations;
    }

    private static String summary(List<Violation> violations) {
        if (violations.size() == 1) {
            Violation v = violations.get(0);
            return v.pointer().isEmpty() ? v.detail() : v.pointer() + ": " + v.detail();
        }
        return violations.size() + " violations, first " + violations.get(0).pointer() + ": "
                + violations.get(0).detail();
    }
}
