package com.northwind.eventing.common.model;

import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An application that publishes or consumes events. The value of a record on {@code eventing.registry.apps}, keyed
 * by {@link #id()}.
 *
 * @param publish type patterns the app may publish ({@code Claim.*.*})
 * @param read classifications or field paths the app may read unredacted
 * @param rateLimit the app's publish rate limit, or null for the intake's default
 */
public record App(
        String id,
        String team,
        List<String> publish,
        List<String> read,
        List<AppToken> tokens,
        RateLimit rateLimit,
        Instant createdAt,
        Instant updatedAt) {
    public static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]{0,62}");

    public App {
        publish = Violations.copyOf(publish);
        read = Violations.copyOf(read);
        tokens = Violations.copyOf(tokens);
        Violations v = new Violations();
        checkId(v, "/id", "app id", id);
        if (team == null || team.isBlank()) {
            v.add("/team", "team is required");
        }
        for (int i = 0; i < publish.size(); i++) {
            String p = publish.get(i);
            v.check("/publish/" + i, () -> TypePattern.parse(p));
        }
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.get(i) == null) {
                v.add("/tokens/" + i, "a token entry must not be null");
            }
        }
        for (int i = 0; i < read.size(); i++) {
            String r = read.get(i);
            v.check("/read/" + i, () -> ReadGrant.parse(r));
        }
        v.throwIfAny();
    }

    static void checkId(Violations v, String pointer, String what, String id) {
        if (id == null || id.isEmpty()) {
            v.add(pointer, what + " is required");
        } else if (!ID.matcher(id).matches()) {
            v.add(
                    pointer,
                    what + " '" + id
                            + "' must be lower-case letters, digits and hyphens, start with a letter, at most 63 characters");
        }
    }

    public List<TypePattern> publishPatterns() {
        return publish.stream().map(TypePattern::parse).toList();
    }

    public List<ReadGrant> readGrants() {
        return read.stream().map(ReadGrant::parse).toList();
    }

    /** Whether any publish grant covers the type. */
    public boolean mayPublish(EventTypeName type) {
        // A loop over the (cached) parsed patterns: this runs for every event published.
        for (String pattern : publish) {
            if (TypePattern.parse(pattern).matches(type)) {
                return true;
            }
        }
        return false;
    }

    public App withTokens(List<AppToken> newTokens, Instant now) {
        return new App(id, team, publish, read, newTokens, rateLimit, createdAt, now);
    }
}
