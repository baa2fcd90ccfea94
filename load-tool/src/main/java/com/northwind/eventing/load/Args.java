package com.northwind.eventing.load;

import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;

/** Reads the store benchmarks' options: each checked, each error naming the option and what it takes. */
final class Args {
    private Args() {}

    /** An ISO-8601 duration ({@code PT5M}) of at least {@code least}. */
    static Duration duration(Map<String, String> o, String name, Duration fallback, Duration least) {
        String text = o.get(name);
        if (text == null) {
            return fallback;
        }
        Duration d;
        try {
            d = Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "--" + name + " must be an ISO-8601 duration such as PT5M or PT30S, not '" + text + "'");
        }
        if (d.compareTo(least) < 0) {
            throw new IllegalArgumentException("--" + name + " must be at least " + least + ", not " + text);
        }
        return d;
    }

    /** A whole number from {@code least} to {@code most}. */
    static int integer(Map<String, String> o, String name, int fallback, int least, int most) {
        String text = o.get(name);
        if (text == null) {
            return fallback;
        }
        int n;
        try {
            n = Integer.parseInt(text.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, not '" + text + "'");
        }
        if (n < least || n > most) {
            throw new IllegalArgumentException("--" + name + " must be " + least + " to " + most + ", not " + n);
        }
        return n;
    }

    /** An http(s) URL without a trailing slash. */
    static String httpUrl(Map<String, String> o, String name, String fallback) {
        String text = o.getOrDefault(name, fallback);
        URI uri;
        try {
            uri = URI.create(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + name + " must be an http URL, not '" + text + "'");
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException("--" + name + " must be an http URL, not '" + text + "'");
        }
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }
}
