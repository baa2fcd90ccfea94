package com.northwind.eventing.admin.replay;

import java.time.Instant;
import tools.jackson.databind.node.ObjectNode;

/**
 * A replay as {@code eventing.registry.replays} keeps it (docs/replay-and-ledger.md, "Records"): what was asked, and
 * whether it was cancelled. Its progress and counts are on their own topics.
 *
 * @param filter the search parameters that select events, as accepted (members of the event search)
 * @param cancelled set by {@code DELETE /v1/replays/{id}}: the worker stops before its next batch
 * @param cancelledAt when it was cancelled; null while it is not
 */
record Replay(
        String id,
        String subscription,
        Instant from,
        Instant to,
        ObjectNode filter,
        int ratePerSecond,
        Instant requestedAt,
        boolean cancelled,
        Instant cancelledAt) {
    static final String TOPIC = "eventing.registry.replays";
    static final String ID_PREFIX = "rpl_";

    Replay cancel(Instant at) {
        return new Replay(id, subscription, from, to, filter, ratePerSecond, requestedAt, true, at);
    }
}
