package com.northwind.eventing.common.model;

/**
 * An app's publish rate limit: a token bucket refilled at {@code eventsPerSecond} holding at most {@code burst}
 * events. Absent on an app, the intake's configured default applies.
 */
public record RateLimit(int eventsPerSecond, int burst) {
    public static final int MAX_RATE = 1_000_000;

    public RateLimit {
        Violations v = new Violations();
        if (eventsPerSecond < 1 || eventsPerSecond > MAX_RATE) {
            v.add("/eventsPerSecond", "eventsPerSecond must be between 1 and " + MAX_RATE);
        }
        if (burst < 1 || burst > MAX_RATE) {
            v.add("/burst", "burst must be between 1 and " + MAX_RATE);
        }
        v.throwIfAny();
    }
}
