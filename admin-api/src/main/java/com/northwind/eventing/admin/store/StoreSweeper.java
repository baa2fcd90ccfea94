package com.northwind.eventing.admin.store;

import static com.mongodb.client.model.Filters.lte;

import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Deletes the stored events whose {@code expiresAt} (receivedAt + their type's retentionDays) has come. A real
 * MongoDB's TTL index does the same within about a minute; the sweeper makes it hold on stores without a TTL monitor
 * (mongo-java-server in the standalone) and at a known interval everywhere.
 */
@Component
class StoreSweeper {
    private static final Logger log = LoggerFactory.getLogger(StoreSweeper.class);

    private final Store store;
    private final Clock clock;

    StoreSweeper(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Deletes the events and ledger documents that have expired by the clock's now, and says how many. */
    long sweep() {
        Instant now = clock.instant();
        long deleted =
                store.events().deleteMany(lte(Store.EXPIRES_AT, Date.from(now))).getDeletedCount();
        if (deleted > 0) {
            log.info("Deleted {} expired events from the store (expiresAt at or before {})", deleted, now);
        }
        // A ledger document expires with its event: it tells where the event went, which is the event's to keep.
        long ledger = store.deliveries()
                .deleteMany(lte(Store.EXPIRES_AT, Date.from(now)))
                .getDeletedCount();
        if (ledger > 0) {
            log.info("Deleted {} expired delivery ledger documents (expiresAt at or before {})", ledger, now);
        }
        return deleted + ledger;
    }
}
