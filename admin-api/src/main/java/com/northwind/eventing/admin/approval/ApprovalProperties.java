package com.northwind.eventing.admin.approval;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Which self-service changes of apps wait for an admin's approval ({@code eventing.approvals.*}), checked at start.
 *
 * @param subscriptions whether an app's {@code POST /v1/subscriptions} files a request instead of creating the
 *     subscription; off by default. The admin's own creates directly either way
 * @param maxPendingPerApp how many requests of one app may wait at once: a bound on what an app can pile onto the
 *     registry topic and onto the admins' list; 20 by default
 */
@ConfigurationProperties(prefix = "eventing.approvals")
public record ApprovalProperties(boolean subscriptions, Integer maxPendingPerApp) {
    static final int MAX_PENDING_LIMIT = 1000;

    public ApprovalProperties {
        maxPendingPerApp = maxPendingPerApp == null ? 20 : maxPendingPerApp;
        if (maxPendingPerApp < 1 || maxPendingPerApp > MAX_PENDING_LIMIT) {
            throw new IllegalArgumentException(
                    "eventing.approvals.max-pending-per-app must be 1 to " + MAX_PENDING_LIMIT);
        }
    }
}
