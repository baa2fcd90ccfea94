package com.northwind.eventing.admin.store;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import org.springframework.util.MultiValueMap;

/**
 * The query parameters of one store request. An unknown parameter is refused, as an unknown member of a request body
 * is elsewhere (a typo must not widen a search), and so is a repeated one that takes one value.
 */
public final class Params {
    static final int MAX_VALUE_LENGTH = 1024;

    private final MultiValueMap<String, String> values;

    public Params(MultiValueMap<String, String> values, Set<String> known) {
        for (String name : values.keySet()) {
            if (!known.contains(name)) {
                throw StoreParameterException.malformed(
                        name.length() > 64 ? name.substring(0, 64) + "..." : name,
                        "not a parameter of this call; it takes "
                                + String.join(", ", known.stream().sorted().toList()));
            }
        }
        this.values = values;
    }

    /** The parameter's one value, or null when it is absent. */
    public String single(String name) {
        List<String> v = values.get(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        if (v.size() > 1) {
            throw StoreParameterException.malformed(name, "given " + v.size() + " times; it takes one value");
        }
        return bounded(name, v.get(0));
    }

    /** Every value of a repeatable parameter, at most {@code max} of them. */
    List<String> all(String name, int max) {
        List<String> v = values.getOrDefault(name, List.of());
        if (v.size() > max) {
            throw StoreParameterException.invalid(name, "given " + v.size() + " times; at most " + max);
        }
        return v.stream().map(x -> bounded(name, x)).toList();
    }

    public int integer(String name, int fallback, int min, int max) {
        String v = single(name);
        if (v == null) {
            return fallback;
        }
        if (!v.matches("-?[0-9]{1,10}")) {
            throw StoreParameterException.malformed(name, "must be a whole number from " + min + " to " + max);
        }
        long n = Long.parseLong(v);
        if (n < min || n > max) {
            throw StoreParameterException.invalid(name, "must be from " + min + " to " + max);
        }
        return (int) n;
    }

    Instant instant(String name) {
        String v = single(name);
        if (v == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeException e) {
            throw StoreParameterException.malformed(
                    name, "must be an ISO-8601 date and time with an offset, such as 2026-12-05T10:15:30Z");
        }
    }

    private static String bounded(String name, String value) {
        if (value.length() > MAX_VALUE_LENGTH) {
            throw StoreParameterException.invalid(name, "longer than " + MAX_VALUE_LENGTH + " characters");
        }
        return value;
    }
}
