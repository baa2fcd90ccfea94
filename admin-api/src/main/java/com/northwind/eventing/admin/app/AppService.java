package com.northwind.eventing.admin.app;

import com.northwind.eventing.admin.kafka.RegistryTopicFactory;
import com.northwind.eventing.admin.kafkasecurity.AppKafkaAccess;
import com.northwind.eventing.admin.kafkasecurity.AppKafkaAccess.KafkaLogin;
import com.northwind.eventing.admin.problem.ConflictException;
import com.northwind.eventing.admin.problem.NotFoundException;
import com.northwind.eventing.common.kafka.CompactedTopic;
import com.northwind.eventing.common.model.App;
import com.northwind.eventing.common.model.AppToken;
import com.northwind.eventing.common.model.RateLimit;
import com.northwind.eventing.common.model.RegistryTopics;
import com.northwind.eventing.common.model.ValidationException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Service;

/** Apps and their tokens, kept on {@code eventing.registry.apps}. */
@Service
public class AppService implements DisposableBean {
    static final int MAX_TOKENS = 10;
    /** Longer than any token issued here: a longer credential is refused without hashing it. */
    public static final int MAX_TOKEN_LENGTH = 512;

    private static final Logger log = LoggerFactory.getLogger(AppService.class);

    private final CompactedTopic<App> topic;
    private final AppKafkaAccess kafka;
    private final Clock clock;

    AppService(RegistryTopicFactory topics, AppKafkaAccess kafka, Clock clock) {
        this.clock = clock;
        this.kafka = kafka;
        this.topic = topics.open(RegistryTopics.APPS, App.class);
    }

    /**
     * A new app or token together with the one and only copy of the token, and of the app's Kafka password when a new
     * app gets one.
     */
    record WithToken(App app, String tokenId, String token, KafkaLogin kafka) {
        WithToken(App app, String tokenId, String token) {
            this(app, tokenId, token, null);
        }
    }

    public List<App> list() {
        return topic.values().stream().sorted(Comparator.comparing(App::id)).toList();
    }

    public Optional<App> find(String id) {
        return topic.get(id);
    }

    /** Which app holds a presented token, and which of its tokens it is. */
    public record TokenHolder(String appId, String tokenId) {}

    /**
     * The app holding this token now, or empty when none does (a revoked token, a deleted app). Only hashes are kept:
     * the token is hashed and every stored hash compared in constant time, all of them, so the time taken says nothing
     * of which app is near.
     */
    public Optional<TokenHolder> holderOf(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            return Optional.empty();
        }
        byte[] presented = Tokens.sha256(token).getBytes(StandardCharsets.US_ASCII);
        TokenHolder holder = null;
        for (App app : topic.values()) {
            for (AppToken t : app.tokens()) {
                if (MessageDigest.isEqual(presented, t.sha256().getBytes(StandardCharsets.US_ASCII))) {
                    holder = new TokenHolder(app.id(), t.id());
                }
            }
        }
        return Optional.ofNullable(holder);
    }

    /** Whether the app is registered and still holds the token with this id. */
    public boolean holds(String appId, String tokenId) {
        return find(appId)
                .map(a -> a.tokens().stream().anyMatch(t -> t.id().equals(tokenId)))
                .orElse(false);
    }

    App get(String id) {
        return find(id).orElseThrow(() -> new NotFoundException("app " + id + " is not registered"));
    }

    synchronized WithToken create(AppRequest request) {
        Instant now = clock.instant();
        String token = Tokens.newToken();
        AppToken stored = new AppToken(Tokens.newTokenId(), Tokens.sha256(token), now);
        App app = new App(
                request.id(),
                request.team(),
                request.publish(),
                request.read(),
                List.of(stored),
                request.rateLimit(),
                now,
                now);
        if (topic.get(app.id()).isPresent()) {
            throw new ConflictException("app " + app.id() + " is already registered");
        }
        // The SCRAM user first: without ACLs it may log in and read nothing, so a registry write that fails after it
        // leaves no access behind.
        KafkaLogin login = kafka.enabled() ? kafka.issue(app.id()) : null;
        try {
            topic.write(app.id(), app);
        } catch (RuntimeException e) {
            if (login != null) {
                deleteUserAfterFailure(app.id());
            }
            throw e;
        }
        return new WithToken(app, stored.id(), token, login);
    }

    private void deleteUserAfterFailure(String id) {
        try {
            kafka.deleteUser(id);
        } catch (RuntimeException e) {
            log.warn(
                    "App {} was not registered, and its Kafka user (no ACLs) could not be deleted: {}",
                    id,
                    e.getMessage());
        }
    }

    /** A new Kafka password for the app; the old one stops working. */
    synchronized KafkaLogin rotateKafkaCredentials(String id) {
        kafka.requireEnabled();
        App app = get(id);
        return kafka.issue(app.id());
    }

    /**
     * Deletes the app: its ACLs, its Kafka user, then its record (tokens with it). Kafka first, so that a failure
     * leaves the app registered with no more access than the registry says. The caller has made sure that no
     * subscription of the app is left.
     */
    public synchronized App delete(String id) {
        App app = get(id);
        if (kafka.enabled()) {
            kafka.revokeAll(id);
            kafka.deleteUser(id);
        }
        topic.write(id, null);
        log.info("App {} is deleted", id);
        return app;
    }

    /** Replaces the app's team and grants; its tokens stay. */
    synchronized App update(String id, AppRequest request) {
        App current = get(id);
        if (request.id() != null && !request.id().equals(id)) {
            throw new ValidationException("/id", "the body names app " + request.id() + " but the path names " + id);
        }
        return replace(current, request.team(), request.publish(), request.read(), request.rateLimit());
    }

    /**
     * Adds publish grants and read clearances to the app, keeping what it has and in that order: what an approved
     * grant request applies. An app deleted meanwhile is a 422 naming {@code /app}.
     *
     * @return the app as recorded now
     */
    public synchronized App addGrants(String id, List<String> publish, List<String> read) {
        App current = find(id).orElseThrow(() -> new ValidationException("/app", "app " + id + " is not registered"));
        return replace(
                current,
                current.team(),
                union(current.publish(), publish),
                union(current.read(), read),
                current.rateLimit());
    }

    private static List<String> union(List<String> held, List<String> added) {
        LinkedHashSet<String> all = new LinkedHashSet<>(held);
        all.addAll(added);
        return List.copyOf(all);
    }

    /** Records the app with these team and grants; its tokens and creation time stay. */
    private App replace(App current, String team, List<String> publish, List<String> read, RateLimit rateLimit) {
        App app = new App(
                current.id(), team, publish, read, current.tokens(), rateLimit, current.createdAt(), clock.instant());
        topic.write(app.id(), app);
        return app;
    }

    synchronized WithToken addToken(String id) {
        App app = get(id);
        if (app.tokens().size() >= MAX_TOKENS) {
            throw new ConflictException("app " + id + " already has " + MAX_TOKENS
                    + " tokens; revoke one with DELETE /v1/apps/" + id + "/tokens/{tokenId}");
        }
        Instant now = clock.instant();
        String token = Tokens.newToken();
        AppToken stored = new AppToken(Tokens.newTokenId(), Tokens.sha256(token), now);
        List<AppToken> tokens = new ArrayList<>(app.tokens());
        tokens.add(stored);
        App updated = app.withTokens(tokens, now);
        topic.write(id, updated);
        return new WithToken(updated, stored.id(), token);
    }

    synchronized App revokeToken(String id, String tokenId) {
        App app = get(id);
        List<AppToken> tokens = new ArrayList<>(app.tokens());
        if (!tokens.removeIf(t -> t.id().equals(tokenId))) {
            throw new NotFoundException("app " + id + " has no token " + tokenId);
        }
        App updated = app.withTokens(tokens, clock.instant());
        topic.write(id, updated);
        return updated;
    }

    @Override
    public void destroy() {
        topic.close();
    }
}
