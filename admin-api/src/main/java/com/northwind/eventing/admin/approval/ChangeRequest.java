package com.northwind.eventing.admin.approval;

import com.northwind.eventing.admin.subscription.SubscriptionRequest;
import java.time.Instant;
import java.util.List;

/**
 * A change an app asked for that waits for an admin: a subscription, or more grants. The value of a record on
 * {@link #TOPIC}, keyed by {@link #id()}; never deleted, so that who asked, who decided and what it did stays on record.
 *
 * @param kind {@value #SUBSCRIPTION} or {@value #GRANT}
 * @param requestedBy the caller that filed it, as {@code Caller.name()} names it
 * @param subscription the subscription asked for, as the body of {@code POST /v1/subscriptions}; only with kind
 *     {@value #SUBSCRIPTION}
 * @param publish publish patterns asked for; only with kind {@value #GRANT}
 * @param read read clearances asked for; only with kind {@value #GRANT}
 * @param result what an approval did
 */
public record ChangeRequest(
        String id,
        String kind,
        String app,
        State state,
        Instant requestedAt,
        String requestedBy,
        SubscriptionRequest subscription,
        List<String> publish,
        List<String> read,
        String reason,
        Instant decidedAt,
        String decidedBy,
        String decisionNote,
        Result result) {
    /** The compacted registry topic that holds the requests. */
    static final String TOPIC = "eventing.registry.requests";

    static final String SUBSCRIPTION = "subscription";
    static final String GRANT = "grant";

    /** Where a request stands; only a pending one may change, and only once. */
    public enum State {
        PENDING,
        APPROVED,
        REJECTED,
        WITHDRAWN
    }

    /**
     * What an approval did.
     *
     * @param subscription the subscription created, and its topic
     * @param publish the publish patterns the app did not have before and has now
     * @param read the read clearances the app did not have before and has now
     */
    public record Result(String subscription, String topic, List<String> publish, List<String> read) {}

    ChangeRequest decided(State to, Instant at, String by, String note, Result what) {
        return new ChangeRequest(
                id, kind, app, to, requestedAt, requestedBy, subscription, publish, read, reason, at, by, note, what);
    }
}
