package com.northwind.eventing.intake.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.northwind.eventing.common.model.App;
import com.northwind.eventing.common.model.AppToken;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the app a bearer token belongs to. Apps come from {@code eventing.registry.apps}, followed continuously, so a
 * new token works and a revoked one is refused as soon as the record is read (well under a second). Only token hashes
 * are known here: a presented token is hashed (the hash is cached, tokens are long-lived) and looked up.
 */
public final class AppDirectory {
    private final Map<String, String> appIdByHash = new ConcurrentHashMap<>();
    private final Map<String, App> apps = new ConcurrentHashMap<>();
    private final Cache<String, String> hashes =
            Caffeine.newBuilder().maximumSize(10_000).build();

    /** Applies one record of the apps topic; the topic's listener. */
    public synchronized void apply(String appId, Optional<App> app) {
        App previous = apps.remove(appId);
        if (previous != null) {
            previous.tokens().forEach(t -> appIdByHash.remove(t.sha256(), appId));
        }
        app.ifPresent(a -> {
            apps.put(appId, a);
            for (AppToken t : a.tokens()) {
                appIdByHash.put(t.sha256(), appId);
            }
        });
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
        String appId = credential.sha256() == null ? null : appIdByHash.get(credential.sha256());
        return appId == null ? Optional.empty() : Optional.ofNullable(apps.get(appId));
    }

    public Optional<App> app(String id) {
        return Optional.ofNullable(apps.get(id));
    }
}
