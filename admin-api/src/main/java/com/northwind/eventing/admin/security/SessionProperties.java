package com.northwind.eventing.admin.security;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The console's sign-in sessions ({@code eventing.console.session.*}), checked at start. Sessions live in one
 * admin-api's memory: a restart signs everyone out, and several replicas need sticky sessions.
 *
 * @param idleTimeout a session unused this long has ended: 30 minutes by default, 1 second to 24 hours
 * @param maxLifetime a session ends this long after sign-in however much it is used: 12 hours by default, 1 minute to
 *     7 days, and not shorter than {@code idleTimeout}
 * @param maxSessions how many live sessions admin-api keeps; signing in beyond it ends the oldest: 10,000 by default
 * @param signInFailuresPerMinute failed sign-ins a remote address may make in a minute before its sign-ins are
 *     answered 429 until the minute is over: 10 by default, 1 to 1,000
 */
@ConfigurationProperties(prefix = "eventing.console.session")
record SessionProperties(
        Duration idleTimeout, Duration maxLifetime, Integer maxSessions, Integer signInFailuresPerMinute) {
    static final int MAX_SESSIONS_LIMIT = 1_000_000;

    SessionProperties {
        idleTimeout = idleTimeout == null ? Duration.ofMinutes(30) : idleTimeout;
        maxLifetime = maxLifetime == null ? Duration.ofHours(12) : maxLifetime;
        maxSessions = maxSessions == null ? 10_000 : maxSessions;
        signInFailuresPerMinute = signInFailuresPerMinute == null ? 10 : signInFailuresPerMinute;
        if (idleTimeout.compareTo(Duration.ofSeconds(1)) < 0 || idleTimeout.compareTo(Duration.ofHours(24)) > 0) {
            throw new IllegalArgumentException("eventing.console.session.idle-timeout must be 1s to 24h");
        }
        if (maxLifetime.compareTo(Duration.ofMinutes(1)) < 0 || maxLifetime.compareTo(Duration.ofDays(7)) > 0) {
            throw new IllegalArgumentException("eventing.console.session.max-lifetime must be 1m to 7d");
        }
        if (maxLifetime.compareTo(idleTimeout) < 0) {
            throw new IllegalArgumentException(
                    "eventing.console.session.max-lifetime must not be shorter than its idle-timeout");
        }
        if (maxSessions < 1 || maxSessions > MAX_SESSIONS_LIMIT) {
            throw new IllegalArgumentException(
                    "eventing.console.session.max-sessions must be 1 to " + MAX_SESSIONS_LIMIT);
        }
        if (signInFailuresPerMinute < 1 || signInFailuresPerMinute > 1000) {
            throw new IllegalArgumentException(
                    "eventing.console.session.sign-in-failures-per-minute must be 1 to 1000");
        }
    }
}
