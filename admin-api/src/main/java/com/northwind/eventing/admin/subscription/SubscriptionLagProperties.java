package com.northwind.eventing.admin.subscription;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How admin-api measures its subscriptions' consumer lag ({@code eventing.subscriptions.lag.*}), checked at start.
 *
 * @param interval how often the lag of every consumer group on a subscription topic is measured; 0 turns it off
 * @param maxGroups how many of a subscription's consumer groups get a series of their own (by name, first ones
 *     first); the subscription's largest lag counts them all. Group names are the consumers' to choose, so they are
 *     not a bounded set the way subscription names are.
 */
@ConfigurationProperties(prefix = "eventing.subscriptions.lag")
record SubscriptionLagProperties(Duration interval, Integer maxGroups) {
    static final int MAX_GROUPS_LIMIT = 100;

    SubscriptionLagProperties {
        interval = interval == null ? Duration.ofSeconds(30) : interval;
        maxGroups = maxGroups == null ? 10 : maxGroups;
        if (!interval.isZero()
                && (interval.compareTo(Duration.ofSeconds(1)) < 0 || interval.compareTo(Duration.ofHours(1)) > 0)) {
            throw new IllegalArgumentException("eventing.subscriptions.lag.interval must be 0 (off) or 1s to 1h");
        }
        if (maxGroups < 1 || maxGroups > MAX_GROUPS_LIMIT) {
            throw new IllegalArgumentException(
                    "eventing.subscriptions.lag.max-groups must be 1 to " + MAX_GROUPS_LIMIT);
        }
    }
}
