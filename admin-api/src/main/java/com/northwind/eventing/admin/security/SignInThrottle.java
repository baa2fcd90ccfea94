package com.northwind.eventing.admin.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * Failed sign-ins per remote address, in windows of a minute: past the limit, the address's sign-ins are refused
 * (even with a right token, or guessing would go on) until its window is over. Bounded: beyond {@link #MAX_ADDRESSES}
 * the oldest windows are forgotten.
 */
final class SignInThrottle {
    static final int MAX_ADDRESSES = 10_000;
    private static final Duration WINDOW = Duration.ofMinutes(1);

    private record Window(Instant start, int failures) {}

    private final int failuresPerWindow;
    private final Clock clock;
    private final LinkedHashMap<String, Window> windows = new LinkedHashMap<>();

    SignInThrottle(int failuresPerWindow, Clock clock) {
        this.failuresPerWindow = failuresPerWindow;
        this.clock = clock;
    }

    /** Seconds until the address may try again; 0 when it may now. */
    synchronized long retryAfterSeconds(String address) {
        Instant now = clock.instant();
        Window w = windows.get(address);
        if (w == null || w.failures() < failuresPerWindow) {
            return 0;
        }
        Instant end = w.start().plus(WINDOW);
        if (!now.isBefore(end)) {
            windows.remove(address);
            return 0;
        }
        return Math.max(1, Duration.between(now, end).toSeconds() + 1);
    }

    synchronized void failed(String address) {
        Instant now = clock.instant();
        Window w = windows.get(address);
        if (w == null || !now.isBefore(w.start().plus(WINDOW))) {
            windows.remove(address);
            if (windows.size() >= MAX_ADDRESSES) {
                windows.values().removeIf(x -> !now.isBefore(x.start().plus(WINDOW)));
                Iterator<String> oldest = windows.keySet().iterator();
                while (windows.size() >= MAX_ADDRESSES && oldest.hasNext()) {
                    oldest.next();
                    oldest.remove();
                }
            }
            windows.put(address, new Window(now, 1));
        } else {
            windows.put(address, new Window(w.start(), w.failures() + 1));
        }
    }
}
