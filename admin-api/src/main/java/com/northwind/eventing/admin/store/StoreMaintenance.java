package com.northwind.eventing.admin.store;

import com.mongodb.MongoException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The store's background work, on one thread so that it never competes with itself: the indexes (until they are in
 * place; tried again each round while MongoDB is unreachable), the sweep of expired events, and the gauges. Never
 * holds up admin-api's start.
 */
@Component
class StoreMaintenance implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(StoreMaintenance.class);

    private final Store store;
    private final StoreSweeper sweeper;
    private final StoreMetrics metrics;
    private final StoreProperties properties;
    private ScheduledExecutorService executor;

    StoreMaintenance(Store store, StoreSweeper sweeper, StoreMetrics metrics, StoreProperties properties) {
        this.store = store;
        this.sweeper = sweeper;
        this.metrics = metrics;
        this.properties = properties;
    }

    @Override
    public synchronized void start() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "eventing-store-maintenance");
            t.setDaemon(true);
            return t;
        });
        long sweep = properties.sweepInterval().toMillis();
        long measure = properties.metricsInterval().toMillis();
        executor.scheduleWithFixedDelay(this::indexAndSweep, 0, sweep, TimeUnit.MILLISECONDS);
        executor.scheduleWithFixedDelay(metrics::refresh, 0, measure, TimeUnit.MILLISECONDS);
    }

    void indexAndSweep() {
        try {
            store.ensureIndexes();
            sweeper.sweep();
        } catch (MongoException e) {
            // Expected while the store is down: the next round tries again. No stack: it says nothing more.
            log.warn(
                    "Event store maintenance skipped this round: {}",
                    e.getClass().getSimpleName());
        } catch (RuntimeException e) {
            log.error("Event store maintenance failed this round", e);
        }
    }

    @Override
    public synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }
}
