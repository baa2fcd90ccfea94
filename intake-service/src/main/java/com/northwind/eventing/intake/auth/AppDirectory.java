package com.northwind.eventing.intake.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.northwind.eventing.common.model.App;
import com.northwind.eventing.common.model.AppToken;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the app a bearer token belongs to. Apps come from {@code eventing.registry.apps}, followed continuously, so a
 * new token works and a revoked one is refused as soon as the record is read (well under a second). Only token hashes
 * are known here: a presented token is hashed (the hash is cached, tokens are long-lived) and looked up.
 *
 * <p>Each hash maps to the app record that holds it, so that a lookup is one read that gives either the record holding
 * the token or nothing: once a record without the token has been applied, the token finds nothing, and a token the
 * app keeps never stops working while its record is replaced.
 */
public final class AppDirectory {
    private final Map<String, App> appByHash = new ConcurrentHashMap<>();
    private final Map<String, App> apps = new ConcurrentHashMap<>();
    private final Cache<String, String> hashes =
            Caffeine.newBuilder().maximumSize(10_000).build();

    /** Applies one record of the apps topic; the topic's listener. */
    public synchronized void apply(String appId, Optional<App> app) {
        App previous = app.isPresent() ? apps.put(appId, app.get()) : apps.remove(appId);
        Set<String> held = new HashSet<>();
        app.ifPresent(a -> {
            for (AppToken t : a.tokens()) {
                appByHash.put(t.sha256(), a);
                held.add(t.sha256());
            }
        });
        if (previous != null) {
            for (AppToken t : previous.tokens()) {
                if (!held.contains(t.sha256())) {
                    appByHash.remove(t.sha256(), previous);
                }
            }
        }
    }

    /**
     * A presented token, hashed: what a caller that asks again and again for the same token (a gRPC stream, for each
     * of its events) keeps, so that each asking is two map lookups, not a hash or a cache lookup of the token.
     *
     * @param sha256 the token's hash, or null when the token cannot be any app's (empty or over 512 characters)
     */
    public record Credential(String sha256) {}

    /** The token, hashed for {@link #authenticate(Credential)}. */
    public Credential credential(String token) {
        if (token == null || token.isEmpty() || token.length() > 512) {
            return new Credential(null);
        }
        return new Credential(hashes.get(token, AppToken::sha256Of));
    }

    /** The app holding this token, or empty when no app does. */
    public Optional<App> authenticate(String token) {
        return authenticate(credential(token));
    }

    /** The app holding the credential's token now, or empty when no app does (any more). */
    public Optional<App> authenticate(Credential credential) {
        return credential.sha256() == null ? Optional.empty() : Optional.ofNullable(appByHash.get(credential.sha256()));
    }

    public Optional<App> app(String id) {
        return Optional.ofNullable(apps.get(id));
    }
}
