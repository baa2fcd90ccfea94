package com.northwind.eventing.admin.kafkasecurity;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Per-app Kafka credentials and ACLs, off by default: a broker without SASL/SCRAM and an authorizer has nothing to
 * hand out.
 *
 * @param enabled whether admin-api makes a SCRAM-SHA-512 user per app ({@code app-<appId>}) and grants it read access
 *     to its subscriptions' topics
 * @param iterations SCRAM iterations of the stored credential: 8192 by default, Kafka's range for SCRAM-SHA-512 ends
 *     at 16384
 * @param routerPrincipal the router's Kafka principal ({@code User:svc-router}); when set, admin-api grants it WRITE
 *     on each subscription topic outside the {@code eventing.sub.} prefix, which its own prefixed ACL covers
 */
@ConfigurationProperties(prefix = "eventing.kafka.app-credentials")
public record AppCredentialsProperties(boolean enabled, Integer iterations, String routerPrincipal) {
    static final int MIN_ITERATIONS = 8192;
    static final int MAX_ITERATIONS = 16384;

    public AppCredentialsProperties {
        iterations = iterations == null ? MIN_ITERATIONS : iterations;
        routerPrincipal = routerPrincipal == null || routerPrincipal.isBlank() ? null : routerPrincipal;
        if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("eventing.kafka.app-credentials.iterations must be " + MIN_ITERATIONS
                    + " to " + MAX_ITERATIONS + ", not " + iterations);
        }
        if (routerPrincipal != null && !routerPrincipal.matches("User:[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException(
                    "eventing.kafka.app-credentials.router-principal must be User:<name>, such as User:svc-router");
        }
    }
}
