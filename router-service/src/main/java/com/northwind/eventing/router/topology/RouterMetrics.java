package com.northwind.eventing.router.topology;

import com.northwind.eventing.common.store.LedgerRecord;

/**
 * What the router counts as it routes: per subscription, what became of each event its type patterns matched (the
 * delivery ledger's entries, counted whether or not the ledger is written), and the time from the intake's receipt of
 * an event to its copy. Counted when the processor decides, so an aborted transaction that is routed again counts
 * twice: these are rates for dashboards, the ledger is the record.
 */
public interface RouterMetrics {
    /** Counts nothing; the processor then builds no outcomes for them. */
    RouterMetrics NONE = new RouterMetrics() {
        @Override
        public boolean enabled() {
            return false;
        }

        @Override
        public void routed(LedgerRecord outcomes, long receivedAtMillis, long nowMillis) {}

        @Override
        public void deadLettered() {}
    };

    boolean enabled();

    /** One event's outcomes, one entry per subscription whose type patterns matched it. */
    void routed(LedgerRecord outcomes, long receivedAtMillis, long nowMillis);

    /** A record dead-lettered whole, before any subscription could be considered (it cannot be read). */
    void deadLettered();
}
