package com.northwind.eventing.common.jsonschema;

import java.time.Duration;

/**
 * How long one document's validation may take. The validator cannot be interrupted, so the places its loops go
 * through ask: the org.json values it walks ({@link TimedJson}) and the regular expressions it matches
 * ({@link TimedRegexps}).
 *
 * <p>The clock starts at the first asking, not at construction: a document the validator walks quickly never asks,
 * and never pays for reading the clock. Whatever ran before the first asking is bounded by the askings' spacing.
 * Used by one thread at a time.
 */
final class Deadline {
    /** The deadline of the validation running on this thread, for the regular expressions, which get only a string. */
    private static final ThreadLocal<Deadline> CURRENT = new ThreadLocal<>();

    private final Duration budget;
    private long endNanos;
    private boolean started;

    Deadline(Duration budget) {
        this.budget = budget;
    }

    /** @throws TimeoutException once the budget is spent */
    void check() {
        long now = System.nanoTime();
        if (!started) {
            started = true;
            endNanos = now + budget.toNanos();
        } else if (now - endNanos > 0) {
            throw new TimeoutException(budget);
        }
    }

    Duration budget() {
        return budget;
    }

    /** Runs the validation with this as its deadline on this thread. */
    void during(Runnable validation) {
        Deadline outer = CURRENT.get();
        CURRENT.set(this);
        try {
            validation.run();
        } finally {
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
        }
    }

    /** The deadline of the validation running on this thread, or null outside one. */
    static Deadline current() {
        return CURRENT.get();
    }

    /** The budget is spent; thrown through the validator, which lets anything but its own failures pass. */
    static final class TimeoutException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TimeoutException(Duration budget) {
            super("validation took longer than " + budget.toMillis() + " ms", null, false, false);
        }
    }
}
