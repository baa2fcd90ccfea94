package com.northwind.eventing.admin.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The console's sign-in sessions, in this admin-api's memory. A session is found by the SHA-256 of its id, so the map
 * (a heap dump, a debugger) holds no id that would open a session. At most {@code maxSessions}: signing in beyond it
 * ends the oldest session.
 */
final class ConsoleSessions {
    /** The session cookie's name. */
    static final String COOKIE = "eventing_session";

    /** 256 random bits, URL-safe base64 without padding: what a session id and a CSRF token look like. */
    private static final Pattern OPAQUE = Pattern.compile("[A-Za-z0-9_-]{43}");

    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * One session.
     *
     * @param tokenId the app token it was signed in with, null for the admin; revoking it ends the session
     */
    record Session(Caller caller, String tokenId, String csrfToken, Instant createdAt, Instant lastUsed) {
        Session touched(Instant now) {
            return new Session(caller, tokenId, csrfToken, createdAt, now);
        }
    }

    /** A new session with its id, which only the cookie keeps. */
    record Started(String id, Session session) {}

    private final SessionProperties properties;
    private final Clock clock;
    private final LinkedHashMap<String, Session> byHash = new LinkedHashMap<>();

    ConsoleSessions(SessionProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
    }

    synchronized Started start(Caller caller, String tokenId) {
        Instant now = clock.instant();
        if (byHash.size() >= properties.maxSessions()) {
            byHash.values().removeIf(s -> !live(s, now));
        }
        Iterator<String> oldest = byHash.keySet().iterator();
        while (byHash.size() >= properties.maxSessions() && oldest.hasNext()) {
            oldest.next();
            oldest.remove();
        }
        String id = opaque();
        Session session = new Session(caller, tokenId, opaque(), now, now);
        byHash.put(hash(id), session);
        return new Started(id, session);
    }

    /** The live session with this id, now used; empty (and the session forgotten) when it has ended or never was. */
    synchronized Optional<Session> use(String id) {
        if (id == null || !OPAQUE.matcher(id).matches()) {
            return Optional.empty();
        }
        String key = hash(id);
        Session session = byHash.get(key);
        if (session == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (!live(session, now)) {
            byHash.remove(key);
            return Optional.empty();
        }
        Session used = session.touched(now);
        byHash.put(key, used);
        return Optional.of(used);
    }

    synchronized void end(String id) {
        if (id != null && OPAQUE.matcher(id).matches()) {
            byHash.remove(hash(id));
        }
    }

    /** When the session ends if it is not used again: idle timeout from its last use, capped by its lifetime. */
    Instant expiresAt(Session session) {
        Instant idle = session.lastUsed().plus(properties.idleTimeout());
        Instant absolute = session.createdAt().plus(properties.maxLifetime());
        return idle.isBefore(absolute) ? idle : absolute;
    }

    private boolean live(Session session, Instant now) {
        return now.isBefore(expiresAt(session));
    }

    private static String opaque() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String hash(String id) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
